import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  Advance,
  DeclaredImport,
  ImportCounts,
  ImportFailure,
  ImportState,
  ProspectImports,
  RejectionsPage,
} from '../prospects/ports.ts';
import { NO_ROWS } from '../prospects/ports.ts';
import type { Prospect, ProspectSource } from '../prospects/prospect.ts';
import type { RejectedRow } from '../prospects/row.ts';
import { type Backoff, DEFAULT_BACKOFF, getAll, putAll } from './batch.ts';
import { keys, PROSPECTS_INDEX, REJECTION_PREFIX, TableAdapter, withoutKeys } from './table.ts';

/**
 * Prospects (`PROSPECT#<id>`) and their imports (`IMPORT#<importId>`: the import item, and one
 * `REJECT#<line>` item per rejected row). Prospects and rejections go in with BatchWriteItem, lookups with
 * BatchGetItem, unprocessed items retried (shared/adapters/batch.ts). The import item only moves by a
 * condition on the line it was at, so two runs of one import cannot both advance it: the second one's
 * checkpoint is refused and it stops. Their writes before that were the same items with the same values
 * (ids and lines come from the file), so nothing is doubled.
 */
export class ProspectStore extends TableAdapter implements ProspectImports {
  private readonly backoff: Backoff;

  constructor(client: DynamoDBDocumentClient, tableName: string, backoff: Backoff = DEFAULT_BACKOFF) {
    super(client, tableName);
    this.backoff = backoff;
  }

  async declare(upload: DeclaredImport, at: string): Promise<'declared' | 'exists'> {
    const state: ImportState = {
      ...upload,
      status: 'awaiting_upload',
      line: 0,
      counts: NO_ROWS,
      createdAt: at,
      updatedAt: at,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.prospectImport(upload.importId), type: 'ProspectImport', ...state },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'declared';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async release(importId: string, at: string): Promise<Advance> {
    return this.changeIf(
      importId,
      '#status = :awaiting',
      'SET #status = :running, startedAt = :at, updatedAt = :at',
      { ':awaiting': 'awaiting_upload', ':running': 'running', ':at': at },
    );
  }

  async abandon(importId: string, failure: ImportFailure, at: string): Promise<Advance> {
    return this.changeIf(
      importId,
      '#status = :running',
      'SET #status = :failed, failure = :failure, updatedAt = :at, endedAt = :at',
      { ':running': 'running', ':failed': 'failed', ':failure': failure, ':at': at },
    );
  }

  async begin(importId: string, at: string): Promise<ImportState> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.prospectImport(importId),
        UpdateExpression:
          'SET #type = :type, importId = :id, #status = if_not_exists(#status, :running), #line = if_not_exists(#line, :zero), #counts = if_not_exists(#counts, :counts), startedAt = if_not_exists(startedAt, :at), updatedAt = if_not_exists(updatedAt, :at)',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#status': 'status',
          '#line': 'line',
          '#counts': 'counts',
        },
        ExpressionAttributeValues: {
          ':type': 'ProspectImport',
          ':id': importId,
          ':running': 'running',
          ':zero': 0,
          ':counts': NO_ROWS,
          ':at': at,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<ImportState>(Attributes ?? {});
  }

  async importState(importId: string): Promise<ImportState | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.prospectImport(importId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<ImportState>(Item) : undefined;
  }

  async knownOf(prospectIds: readonly string[]): Promise<Map<string, ProspectSource>> {
    const items = await getAll(
      this.client,
      this.tableName,
      prospectIds.map((id) => keys.prospect(id)),
      ['prospectId', 'source'],
      this.backoff,
    );
    return new Map(items.map((item) => [String(item.prospectId), item.source as ProspectSource]));
  }

  async clientsAmong(inns: readonly string[]): Promise<Set<string>> {
    // BatchGetItem refuses a key asked twice: two contacts at one company share an INN.
    const unique = [...new Set(inns)];
    const items = await getAll(
      this.client,
      this.tableName,
      unique.map((inn) => keys.client(inn)),
      ['inn'],
      this.backoff,
    );
    return new Set(items.map((item) => String(item.inn)));
  }

  async store(prospects: readonly Prospect[]): Promise<void> {
    // Every prospect is on the sharded index audiences walk (PROSPECTS_INDEX).
    const items = prospects.map((p) => ({
      ...keys.prospect(p.prospectId),
      type: 'Prospect',
      ...p,
      gsi4pk: PROSPECTS_INDEX.shard(p.prospectId),
      gsi4sk: p.prospectId,
    }));
    await putAll(this.client, this.tableName, items, this.backoff);
  }

  async report(importId: string, rows: readonly RejectedRow[]): Promise<void> {
    const items = rows.map((row) => ({
      ...keys.importRejection(importId, row.line),
      type: 'ImportRejection',
      importId,
      line: row.line,
      reasons: row.reasons,
    }));
    await putAll(this.client, this.tableName, items, this.backoff);
  }

  async rejections(importId: string, page: { limit: number; after?: number }): Promise<RejectionsPage> {
    const { pk } = keys.prospectImport(importId);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': REJECTION_PREFIX },
        Limit: page.limit,
        ...(page.after === undefined
          ? {}
          : { ExclusiveStartKey: keys.importRejection(importId, page.after) }),
      }),
    );
    const rows = Items.map((item) => ({
      line: Number(item.line),
      reasons: item.reasons as RejectedRow['reasons'],
    }));
    const last = rows.at(-1);
    return { rows, ...(LastEvaluatedKey && last ? { after: last.line } : {}) };
  }

  async checkpoint(
    importId: string,
    expectedLine: number,
    line: number,
    counts: ImportCounts,
    at: string,
  ): Promise<Advance> {
    return this.advance(importId, expectedLine, 'SET #line = :line, #counts = :counts, updatedAt = :at', {
      ':line': line,
      ':counts': counts,
      ':at': at,
    });
  }

  async end(
    importId: string,
    expectedLine: number,
    ending: { counts: ImportCounts; at: string; failure?: ImportFailure },
  ): Promise<Advance> {
    const failure = ending.failure ? ', failure = :failure' : '';
    return this.advance(
      importId,
      expectedLine,
      `SET #status = :ended, #counts = :counts, updatedAt = :at, endedAt = :at${failure}`,
      {
        ':ended': ending.failure ? 'failed' : 'finished',
        ':counts': ending.counts,
        ':at': ending.at,
        ...(ending.failure ? { ':failure': ending.failure } : {}),
      },
    );
  }

  /** An update of a running import still at the line the caller last saw. */
  private async advance(
    importId: string,
    expectedLine: number,
    update: string,
    values: NonNullable<UpdateCommandInput['ExpressionAttributeValues']>,
  ): Promise<Advance> {
    return this.changeIf(importId, '#status = :running AND #line = :expected', update, {
      ...values,
      ':running': 'running',
      ':expected': expectedLine,
    });
  }

  /** An update of the import item under a condition on where it stands; 'stale' when it is elsewhere. */
  private async changeIf(
    importId: string,
    condition: string,
    update: string,
    values: NonNullable<UpdateCommandInput['ExpressionAttributeValues']>,
  ): Promise<Advance> {
    const names: Record<string, string> = { '#status': 'status', '#line': 'line', '#counts': 'counts' };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.prospectImport(importId),
          // Only the names the expressions use: DynamoDB refuses an unused one.
          ExpressionAttributeNames: Object.fromEntries(
            Object.entries(names).filter(([name]) => `${condition} ${update}`.includes(name)),
          ),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return 'advanced';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  }
}
