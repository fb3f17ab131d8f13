import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Audience,
  type FreezingFailure,
  WALK_END,
  WALK_START,
  type WalkedProspect,
} from '../audiences/audience.ts';
import type {
  Approval,
  AudienceRefusal,
  Audiences,
  AudiencesPage,
  FreezingPage,
  FrozenAudience,
  FrozenAudiences,
  LastContacts,
  ProspectsPage,
  ProspectWalk,
} from '../audiences/ports.ts';
import type { CountedSend } from '../letters/ports.ts';
import { getAll } from './batch.ts';
import {
  AUDIENCES_LIST,
  keys,
  MANAGERS_INDEX,
  MEMBER_PREFIX,
  PROSPECTS_INDEX,
  TableAdapter,
  transact,
  withoutKeys,
} from './table.ts';

/**
 * Audiences in one partition each (`AUDIENCE#<id>`): the audience (`AUDIENCE`, listed on GSI1) and, once
 * approved, its members (`MEMBER#<prospectId>`), each page of them written in one transaction with the
 * audience's checkpoint (docs/data-model.md, pattern 19). Prospects are walked on the sharded GSI4.
 */
export class AudienceStore
  extends TableAdapter
  implements Audiences, FrozenAudiences, ProspectWalk, LastContacts
{
  async create(audience: Audience): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.audience(audience.audienceId),
            type: 'Audience',
            ...audience,
            gsi1pk: AUDIENCES_LIST,
            gsi1sk: `${audience.createdAt}#${audience.audienceId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async get(audienceId: string): Promise<Audience | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.audience(audienceId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Audience>(Item) : undefined;
  }

  async list(page: { limit: number; after?: string }): Promise<AudiencesPage> {
    const start = page.after ? this.listKey(page.after) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MANAGERS_INDEX.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': AUDIENCES_LIST },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      audiences: Items.map((item) => withoutKeys<Audience>(item)),
      ...(LastEvaluatedKey ? { after: String(LastEvaluatedKey.gsi1sk) } : {}),
    };
  }

  async edit(
    audienceId: string,
    change: { filters: Audience['filters']; name?: string; at: string },
  ): Promise<'saved' | AudienceRefusal> {
    const name = change.name === undefined ? '' : ', #name = :name';
    return this.whileDraft(audienceId, `SET filters = :filters, updatedAt = :at${name}`, {
      ':filters': change.filters,
      ':at': change.at,
      ...(change.name === undefined ? {} : { ':name': change.name }),
    }).then((r) => (r === 'done' ? 'saved' : r));
  }

  async discard(audienceId: string, at: string): Promise<'discarded' | AudienceRefusal> {
    return this.whileDraft(audienceId, 'SET #status = :discarded, updatedAt = :at', {
      ':discarded': 'discarded',
      ':at': at,
    }).then((r) => (r === 'done' ? 'discarded' : r));
  }

  async approve(
    audienceId: string,
    approval: { by: string; at: string; scoringVersion: string },
  ): Promise<Approval> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.audience(audienceId),
          // A draft starts its walk; a failed one resumes from its checkpoint with a run of its own.
          UpdateExpression:
            'SET #status = :freezing, updatedAt = :at, approvedBy = if_not_exists(approvedBy, :by), approvedAt = if_not_exists(approvedAt, :at), scoringVersion = if_not_exists(scoringVersion, :scoring), progress = if_not_exists(progress, :start), runs = if_not_exists(runs, :zero) + :one REMOVE failure',
          ConditionExpression: '#status IN (:draft, :failed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':freezing': 'freezing',
            ':draft': 'draft',
            ':failed': 'failed',
            ':at': approval.at,
            ':by': approval.by,
            ':scoring': approval.scoringVersion,
            ':start': { examined: 0, matched: 0, cursor: WALK_START },
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'approved', audience: withoutKeys<Audience>(Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) return { outcome: 'not_found' };
      const audience = await this.get(audienceId);
      if (!audience) return { outcome: 'not_found' };
      if (audience.status === 'discarded') return { outcome: 'discarded' };
      return { outcome: 'unchanged', audience };
    }
  }

  async keepPage(audienceId: string, page: FreezingPage): Promise<'kept' | 'stale'> {
    const done = page.to === WALK_END;
    const refused = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.audience(audienceId),
          UpdateExpression: `SET progress.#cursor = :to, progress.examined = progress.examined + :examined, progress.matched = progress.matched + :matched, updatedAt = :at${
            done ? ', #status = :frozen, #count = progress.matched + :matched, frozenAt = :at' : ''
          }`,
          ConditionExpression: '#status = :freezing AND progress.#cursor = :from',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#cursor': 'cursor',
            ...(done ? { '#count': 'count' } : {}),
          },
          ExpressionAttributeValues: {
            ':to': page.to,
            ':from': page.from,
            ':examined': page.examined,
            ':matched': page.memberIds.length,
            ':at': page.at,
            ':freezing': 'freezing',
            ...(done ? { ':frozen': 'frozen' } : {}),
          },
        },
      },
      // A member is its key alone: a rewrite by a retried page is the same item.
      ...page.memberIds.map((prospectId) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.audienceMember(audienceId, prospectId), type: 'AudienceMember' },
        },
      })),
    ]);
    return refused ? 'stale' : 'kept';
  }

  async fail(audienceId: string, failure: FreezingFailure): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.audience(audienceId),
          UpdateExpression: 'SET #status = :failed, failure = :failure, updatedAt = :at',
          ConditionExpression: '#status = :freezing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':failure': failure,
            ':at': failure.at,
            ':freezing': 'freezing',
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async frozen(audienceId: string): Promise<FrozenAudience | undefined> {
    const audience = await this.get(audienceId);
    if (audience?.status !== 'frozen' || audience.count === undefined || !audience.frozenAt) return undefined;
    return { audienceId, name: audience.name, count: audience.count, frozenAt: audience.frozenAt };
  }

  async members(
    audienceId: string,
    page: { limit: number; after?: string },
  ): Promise<{ prospectIds: string[]; after?: string }> {
    // Members are written while freezing: none is shown until the last page made the audience frozen.
    if (!(await this.frozen(audienceId))) return { prospectIds: [] };
    const { pk } = keys.audience(audienceId);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': MEMBER_PREFIX },
        ProjectionExpression: 'sk',
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: keys.audienceMember(audienceId, page.after) } : {}),
      }),
    );
    const prospectIds = Items.map((item) => String(item.sk).slice(MEMBER_PREFIX.length));
    const last = prospectIds.at(-1);
    return { prospectIds, ...(LastEvaluatedKey && last ? { after: last } : {}) };
  }

  async page(cursor: string, limit: number): Promise<ProspectsPage> {
    const shards = PROSPECTS_INDEX.shards;
    // The cursor is the last prospect id walked, or a shard's digit alone: every id of the shard is after it.
    let at = cursor;
    while (at !== WALK_END) {
      const shard = at.slice(0, 1);
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: PROSPECTS_INDEX.name,
          KeyConditionExpression: 'gsi4pk = :shard AND gsi4sk > :after',
          ExpressionAttributeValues: { ':shard': PROSPECTS_INDEX.shard(shard), ':after': at },
          Limit: limit,
        }),
      );
      const prospects = Items.map((item) => withoutKeys<WalkedProspect>(item));
      const nextShard = shards[shards.indexOf(shard) + 1] ?? WALK_END;
      const next = LastEvaluatedKey ? (prospects.at(-1)?.prospectId ?? at) : nextShard;
      // An empty shard is skipped here rather than handed back as an empty page.
      if (prospects.length > 0 || LastEvaluatedKey) return { prospects, next };
      at = next;
    }
    return { prospects: [], next: WALK_END };
  }

  async latest(addressHashes: readonly string[]): Promise<Map<string, string>> {
    const items = await getAll(
      this.client,
      this.tableName,
      addressHashes.map((hash) => keys.letterSends(hash)),
      ['pk', 'sends'],
    );
    const latest = new Map<string, string>();
    for (const item of items) {
      const sends = (item.sends as CountedSend[] | undefined) ?? [];
      const at = sends
        .map((s) => s.at)
        .sort()
        .at(-1);
      if (at) latest.set(String(item.pk).slice(keys.letterSends('').pk.length), at);
    }
    return latest;
  }

  /** An update of a draft; a refusal says whether there is no such audience or it is no draft. */
  private async whileDraft(
    audienceId: string,
    update: string,
    values: Record<string, unknown>,
  ): Promise<'done' | AudienceRefusal> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.audience(audienceId),
          UpdateExpression: update,
          ConditionExpression: '#status = :draft',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(update.includes('#name') ? { '#name': 'name' } : {}),
          },
          ExpressionAttributeValues: { ...values, ':draft': 'draft' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'done';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item ? 'not_draft' : 'not_found';
    }
  }

  private listKey(after: string) {
    const audienceId = after.slice(after.lastIndexOf('#') + 1);
    return { ...keys.audience(audienceId), gsi1pk: AUDIENCES_LIST, gsi1sk: after };
  }
}
