import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendRecord, StepCursor, StepProgress } from '../campaigns/campaign.ts';
import type { CampaignProgress, RecordKey, Settlement } from '../campaigns/ports.ts';
import type { LetterOutcome, LetterRef, LetterSendRecords } from '../letters/letter-events.ts';
import { getAll } from './batch.ts';
import { counterOf } from './campaign-store.ts';
import { claimUpdate, inOneTransaction, type TransactItem } from './send-record-groups.ts';
import {
  DEFER_PREFIX,
  epochSeconds,
  keys,
  TableAdapter,
  type TransactItems,
  transact,
  withoutKeys,
} from './table.ts';

/** What SES said of a letter, marked once on its record and counted once on its step. */
const OUTCOME_MARKS = ['delivered', 'bounced', 'complained', 'opened', 'clicked'] as const;

const COUNTERS = ['sent', 'failed', 'open', 'deferred', 'throttled', ...OUTCOME_MARKS] as const;
const SKIPPED = 'skipped_';

/**
 * A step's progress and its recipients' records. Each record (`LETTER#<campaign>#<prospect>` / `STEP#<n>`,
 * one partition per recipient, so a campaign's writes spread) changes only under a condition on its
 * status, in one transaction with the counter it moves on the step's progress item (`CAMPAIGN#<id>` /
 * `PROGRESS#<n>`): a count can never drift from the records. A deferred recipient is also indexed by its
 * window's opening (`DEFER#<n>#<retryAt>#<prospect>`), in the same transaction.
 */
export class CampaignProgressStore extends TableAdapter implements CampaignProgress {
  async start(campaignId: string, step: number, total: number): Promise<StepProgress> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.stepProgress(campaignId, step),
            type: 'StepProgress',
            step,
            total,
            passDone: false,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return (await this.progress(campaignId, step)) as StepProgress;
  }

  async progress(campaignId: string, step: number): Promise<StepProgress | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.stepProgress(campaignId, step),
        ConsistentRead: true,
      }),
    );
    return Item ? progressOf(Item) : undefined;
  }

  async checkpoint(campaignId: string, step: number, cursor: StepCursor | 'done', at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.stepProgress(campaignId, step),
        UpdateExpression:
          cursor === 'done'
            ? 'SET passDone = :t, doneAt = if_not_exists(doneAt, :at) REMOVE #cursor'
            : 'SET #cursor = :cursor',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: cursor === 'done' ? { ':t': true, ':at': at } : { ':cursor': cursor },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async records(
    campaignId: string,
    step: number,
    prospectIds: readonly string[],
  ): Promise<Map<string, SendRecord>> {
    const found = await getAll(
      this.client,
      this.tableName,
      prospectIds.map((id) => keys.sendRecord(campaignId, id, step)),
      RECORD_ATTRIBUTES,
    );
    const live = found.filter((item) => item.status !== 'released');
    return new Map(live.map((item) => [item.prospectId as string, item as SendRecord]));
  }

  async record(record: SendRecord): Promise<'recorded' | 'exists'> {
    const { campaignId, step } = record;
    const items: TransactItems = [
      this.recordPut(record),
      this.count(campaignId, step, { [counterOf(record)]: 1 }),
    ];
    if (record.status === 'deferred') items.push(this.deferPut(record, record.retryAt));
    return (await transact(this.client, items)) ? 'exists' : 'recorded';
  }

  async recordAll(records: readonly SendRecord[]): Promise<('recorded' | 'exists')[]> {
    const [one] = records;
    if (!one) return [];
    if (records.some((r) => r.campaignId !== one.campaignId || r.step !== one.step)) {
      throw new Error('recordAll: the records of one step only');
    }
    const written = await inOneTransaction(this.client, records.length, (left) => {
      const counts: Record<string, number> = {};
      const items = left.flatMap((i): [number, TransactItem][] => {
        const record = records[i] as SendRecord;
        counts[counterOf(record)] = (counts[counterOf(record)] ?? 0) + 1;
        const put: [number, TransactItem] = [i, this.recordPut(record)];
        return record.status === 'deferred' ? [put, [i, this.deferPut(record, record.retryAt)]] : [put];
      });
      return { items, counter: this.countIfAny(one, counts) };
    });
    return written.map((done) => (done ? 'recorded' : 'exists'));
  }

  async settleClaims(
    step: { campaignId: string; step: number },
    claims: readonly { prospectId: string; claimedAt: string; to: Settlement }[],
    at: string,
    throttled: number,
  ): Promise<('settled' | 'stale')[]> {
    const settled = await inOneTransaction(this.client, claims.length, (left) => {
      const counts: Record<string, number> = { throttled, open: -left.length };
      for (const { to } of left.map((i) => claims[i] as (typeof claims)[number])) {
        if (to.status !== 'released') counts[counterOf(to)] = (counts[counterOf(to)] ?? 0) + 1;
      }
      const items = left.map((i): [number, TransactItem] => [
        i,
        claimUpdate(this.tableName, step, claims[i] as (typeof claims)[number], at),
      ]);
      return { items, counter: this.countIfAny(step, counts) };
    });
    return settled.map((done) => (done ? 'settled' : 'stale'));
  }

  async settle(
    key: RecordKey,
    from: 'claimed' | 'deferred',
    to: Settlement,
    at: string,
  ): Promise<'settled' | 'stale'> {
    const { campaignId, step, prospectId } = key;
    const recordKey = keys.sendRecord(campaignId, prospectId, step);
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: recordKey, ConsistentRead: true }),
    );
    if (Item?.status !== from) return 'stale';
    const current = Item as SendRecord;
    const condition = {
      ConditionExpression: '#status = :from AND #at = :readAt',
      ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
    };
    // A released claim is kept as `released` (nothing was sent; no function deletes), and claimed anew.
    const next: Record<string, unknown> = { ...Item, ...to, at };
    if (to.status !== 'deferred') delete next.retryAt;
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: next,
          ...condition,
          ExpressionAttributeValues: { ':from': from, ':readAt': current.at },
        },
      },
    ];
    const counts: Record<string, number> = { [counterOf({ status: from })]: -1 };
    if (to.status !== 'released') {
      const counter = counterOf(to);
      counts[counter] = (counts[counter] ?? 0) + 1;
    }
    items.push(this.count(campaignId, step, counts));
    if (current.status === 'deferred') items.push(this.deferSettled(current, current.retryAt, at));
    if (to.status === 'deferred') items.push(this.deferPut(current, to.retryAt));
    return (await transact(this.client, items)) ? 'stale' : 'settled';
  }

  async deferredDue(campaignId: string, step: number, until: string, limit: number) {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :until',
        FilterExpression: 'attribute_not_exists(settled)',
        ExpressionAttributeValues: {
          ':pk': keys.campaign(campaignId).pk,
          ':from': `${DEFER_PREFIX}${step}#`,
          ':until': `${DEFER_PREFIX}${step}#${until}~`,
        },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({ prospectId: item.prospectId as string, retryAt: item.retryAt as string }));
  }

  async nextDeferred(campaignId: string, step: number): Promise<string | undefined> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'attribute_not_exists(settled)',
          ExpressionAttributeValues: {
            ':pk': keys.campaign(campaignId).pk,
            ':prefix': `${DEFER_PREFIX}${step}#`,
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      const first = page.Items?.[0];
      if (first) return first.retryAt as string;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return undefined;
  }

  async countThrottled(campaignId: string, step: number, attempts: number): Promise<void> {
    const { Update } = this.count(campaignId, step, { throttled: attempts });
    await this.client.send(new UpdateCommand(Update));
  }

  private count(campaignId: string, step: number, counts: Record<string, number>) {
    const entries = Object.entries(counts).filter(([, n]) => n !== 0);
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.stepProgress(campaignId, step),
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
      },
    };
  }

  /** A recipient's first record, on the condition that the step has none for them (or only a released one). */
  /** The counter update, if any count changes (an update with nothing to add is no update). */
  private countIfAny(step: Pick<RecordKey, 'campaignId' | 'step'>, counts: Record<string, number>) {
    const changed = Object.values(counts).some((n) => n !== 0);
    return changed ? this.count(step.campaignId, step.step, counts) : undefined;
  }

  private recordPut(record: SendRecord) {
    const { campaignId, step, prospectId } = record;
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.sendRecord(campaignId, prospectId, step), type: 'SendRecord', ...record },
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :released',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':released': 'released' },
      },
    };
  }

  private deferPut(record: RecordKey, retryAt: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.deferredLetter(record.campaignId, record.step, retryAt, record.prospectId),
          type: 'DeferredLetter',
          prospectId: record.prospectId,
          retryAt,
        },
      },
    };
  }

  /** A deferral that came due is marked, not deleted; it leaves the table with its TTL. */
  private deferSettled(record: RecordKey, retryAt: string, at: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.deferredLetter(record.campaignId, record.step, retryAt, record.prospectId),
        UpdateExpression: 'SET settled = :t, expiresAt = :expires',
        ExpressionAttributeValues: { ':t': true, ':expires': epochSeconds(at) + SETTLED_KEPT_SECONDS },
      },
    };
  }
}

/** How long a settled deferral stays before its TTL removes it. */
const SETTLED_KEPT_SECONDS = 7 * 86_400;

const RECORD_ATTRIBUTES = [
  'campaignId',
  'step',
  'prospectId',
  'audience',
  'status',
  'at',
  'reason',
  'retryAt',
  'messageId',
  'addressHash',
  'offer',
];

function progressOf(item: Record<string, unknown>): StepProgress {
  const counts = withoutKeys<Record<string, unknown>>(item);
  const number = (name: string) => (typeof counts[name] === 'number' ? (counts[name] as number) : 0);
  const skipped = Object.fromEntries(
    Object.entries(counts)
      .filter(([name, n]) => name.startsWith(SKIPPED) && typeof n === 'number' && n > 0)
      .map(([name, n]) => [name.slice(SKIPPED.length), n as number]),
  );
  return {
    step: number('step'),
    total: number('total'),
    ...(Object.fromEntries(COUNTERS.map((c) => [c, number(c)])) as Record<(typeof COUNTERS)[number], number>),
    skipped,
    passDone: counts.passDone === true,
    ...(counts.cursor ? { cursor: counts.cursor as StepCursor } : {}),
    ...(typeof counts.doneAt === 'string' ? { doneAt: counts.doneAt } : {}),
  };
}

type OutcomeMark = (typeof OUTCOME_MARKS)[number];

function markOf(outcome: LetterOutcome): OutcomeMark | undefined {
  switch (outcome.eventType) {
    case 'Delivery':
      return 'delivered';
    case 'Bounce':
      // Only a hard bounce counts against the guard; a transient one may still be delivered.
      return outcome.suppressed === 'hard_bounced' ? 'bounced' : undefined;
    case 'Complaint':
      return 'complained';
    case 'Open':
      return 'opened';
    case 'Click':
      return 'clicked';
    default:
      return undefined;
  }
}

/**
 * SES's events on a campaign's records (RecordLetterEvent): a Send settles a claim whose answer was never
 * recorded (a crash between SES and the record); the rest mark the record once (`attribute_not_exists`)
 * and count on its step in the same transaction, so an event delivered twice counts once.
 */
export class LetterOutcomeStore extends TableAdapter implements LetterSendRecords {
  private readonly progress: CampaignProgressStore;

  constructor(...args: ConstructorParameters<typeof TableAdapter>) {
    super(...args);
    this.progress = new CampaignProgressStore(...args);
  }

  async record(letter: LetterRef, outcome: LetterOutcome): Promise<void> {
    const key = { campaignId: letter.campaignId, step: letter.step, prospectId: letter.sendId };
    if (outcome.eventType === 'Send') {
      await this.progress.settle(
        key,
        'claimed',
        { status: 'sent', messageId: outcome.messageId },
        outcome.at,
      );
      return;
    }
    const mark = markOf(outcome);
    if (!mark) return;
    await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.sendRecord(key.campaignId, key.prospectId, key.step),
          UpdateExpression: 'SET #mark = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mark)',
          ExpressionAttributeNames: { '#mark': mark },
          ExpressionAttributeValues: { ':at': outcome.at },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.stepProgress(key.campaignId, key.step),
          UpdateExpression: 'ADD #mark :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#mark': mark },
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
  }
}
