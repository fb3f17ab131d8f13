import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DuplicateKey, type Lead, TIMELINE_KINDS, type TimelineEntry } from '../leads/lead.ts';
import {
  epochSeconds,
  keys,
  PENDING_INTAKE_INDEX,
  type TransactItems,
  transact,
  withoutKeys,
} from './table.ts';

export type IdempotencyClaim = { key: string; fingerprint: string; until: string };

export type CaptureResult =
  | { outcome: 'created' | 'duplicate' | 'replayed'; leadId: string }
  | { outcome: 'idempotency_conflict' };

/** A lead as people read it: the item, its timeline, and how often the prospect came back (derived). */
export type LeadRecord = { lead: Lead; timeline: TimelineEntry[]; touchCount: number };

/** Conditions under which a uniqueness claim may be (re)taken: nobody holds it, or its window has passed. */
const CLAIM_FREE = 'attribute_not_exists(pk) OR expiresAt < :now';

/** Leads and their timelines in the Attract table. */
export class LeadStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  /**
   * Stores a new lead together with its uniqueness claims in one transaction. When a claim is held,
   * the submission is a touch on the lead that holds it; when the Idempotency-Key is known, a replay.
   */
  async capture(args: {
    lead: Lead;
    duplicateKeys: DuplicateKey[];
    duplicateUntil: string;
    idempotency?: IdempotencyClaim;
    touch: TimelineEntry;
  }): Promise<CaptureResult> {
    const { lead, idempotency } = args;
    const now = epochSeconds(lead.receivedAt);
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.lead(lead.leadId),
            type: 'Lead',
            gsi2pk: PENDING_INTAKE_INDEX.pk,
            gsi2sk: `${lead.receivedAt}#${lead.leadId}`,
            ...lead,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...args.duplicateKeys.map((key) =>
        this.claimPut(keys.duplicate(key), lead.leadId, args.duplicateUntil, now),
      ),
      ...(idempotency ? [this.idempotencyPut(idempotency, lead.leadId, now)] : []),
    ];
    const cancelled = await transact(this.client, items);
    if (!cancelled) return { outcome: 'created', leadId: lead.leadId };

    if (idempotency) {
      const replay = await this.heldClaim(cancelled.at(-1), keys.idempotency(idempotency.key));
      if (replay) return this.replayOf(replay, idempotency);
    }
    for (const [index, key] of args.duplicateKeys.entries()) {
      const holder = await this.heldClaim(cancelled[1 + index], keys.duplicate(key));
      if (holder) return this.recordTouch(String(holder.leadId), args.touch, idempotency, now);
    }
    throw new Error('Lead capture was cancelled without a held claim');
  }

  /** A later submission of the same company or contact: a touch on the existing lead, never a second lead. */
  private async recordTouch(
    leadId: string,
    touch: TimelineEntry,
    idempotency: IdempotencyClaim | undefined,
    now: number,
  ): Promise<CaptureResult> {
    const items: TransactItems = [this.timelinePut(leadId, `touch#${touch.at}#${randomUUID()}`, touch)];
    if (idempotency) items.push(this.idempotencyPut(idempotency, leadId, now));
    const cancelled = await transact(this.client, items);
    if (!cancelled) return { outcome: 'duplicate', leadId };
    const replay = idempotency && (await this.heldClaim(cancelled[1], keys.idempotency(idempotency.key)));
    if (replay && idempotency) return this.replayOf(replay, idempotency);
    throw new Error('Touch was cancelled without a held idempotency claim');
  }

  /** A uniqueness claim for `leadId`, taken only while free; a held one comes back with the cancellation. */
  private claimPut(key: Record<string, string>, leadId: string, until: string, now: number, extra = {}) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...key, type: 'Claim', leadId, expiresAt: epochSeconds(until), ...extra },
        ConditionExpression: CLAIM_FREE,
        ExpressionAttributeValues: { ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  private idempotencyPut(idempotency: IdempotencyClaim, leadId: string, now: number) {
    return this.claimPut(keys.idempotency(idempotency.key), leadId, idempotency.until, now, {
      fingerprint: idempotency.fingerprint,
    });
  }

  private replayOf(claim: Record<string, unknown>, idempotency: IdempotencyClaim): CaptureResult {
    return claim.fingerprint === idempotency.fingerprint
      ? { outcome: 'replayed', leadId: String(claim.leadId) }
      : { outcome: 'idempotency_conflict' };
  }

  /** The claim that made a condition fail, from the cancellation or, if the store did not return it, a read. */
  private async heldClaim(
    reason: { code: string; item?: Record<string, unknown> } | undefined,
    key: Record<string, string>,
  ): Promise<Record<string, unknown> | undefined> {
    if (reason?.code !== 'ConditionalCheckFailed') return undefined;
    if (reason.item) return reason.item;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Leads received before `before` whose workflow start was never confirmed, oldest first. */
  async pendingIntake(before: string, limit: number): Promise<string[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': PENDING_INTAKE_INDEX.pk, ':before': before },
        Limit: limit,
      }),
    );
    return Items.map((item) => String(item.leadId));
  }

  /** The workflow is known to exist: the lead leaves the pending index. */
  async confirmIntakeStarted(leadId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** The lead item alone: what the workflow steps need. */
  async getLead(leadId: string): Promise<Lead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.lead(leadId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Lead>(Item) : undefined;
  }

  /** The lead with its timeline: what people read. */
  async get(leadId: string): Promise<LeadRecord | undefined> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.lead(leadId).pk },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const leadItem = items.find((item) => item.sk === 'LEAD');
    if (!leadItem) return undefined;
    const timeline = items
      .filter((item) => String(item.sk).startsWith('TIMELINE#'))
      .map((item) => withoutKeys<TimelineEntry>(item))
      // Steps can land within one millisecond; the intake order breaks such ties.
      .sort(
        (a, b) => a.at.localeCompare(b.at) || TIMELINE_KINDS.indexOf(a.kind) - TIMELINE_KINDS.indexOf(b.kind),
      );
    const lead = withoutKeys<Lead>(leadItem);
    // The first entry is derived from the lead itself, so capture writes one item fewer.
    const received: TimelineEntry = {
      at: lead.receivedAt,
      kind: 'received',
      summary: `Enquiry received through ${lead.source.channel}`,
      details: { channel: lead.source.channel },
    };
    return {
      lead,
      timeline: [received, ...timeline],
      touchCount: timeline.filter((e) => e.kind === 'touch').length,
    };
  }

  /**
   * Records a step of the lead's intake: sets fields on the lead and writes its timeline entry, atomically.
   * Step entries have fixed keys, so a retried step rewrites the same entry instead of adding one.
   * When a condition fails (the step had already happened, or an `alongside` item's condition), it
   * returns `applied: false` with the cancellation reasons, in item order: the lead's first.
   */
  async recordStep(
    leadId: string,
    step: {
      set: Partial<Lead>;
      entry: TimelineEntry;
      condition?: string;
      alongside?: TransactItems;
    },
  ): Promise<{ applied: true } | { applied: false; reasons: { code: string }[] }> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const assignments = Object.entries(step.set).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    const condition = `attribute_exists(pk)${step.condition ? ` AND (${step.condition})` : ''}`;
    const leadChange = assignments.length
      ? {
          Update: {
            TableName: this.tableName,
            Key: keys.lead(leadId),
            UpdateExpression: `SET ${assignments.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        }
      : {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.lead(leadId),
            ConditionExpression: condition,
          },
        };
    const items: TransactItems = [
      leadChange,
      this.timelinePut(leadId, step.entry.kind, step.entry),
      ...(step.alongside ?? []),
    ];
    const cancelled = await transact(this.client, items);
    return cancelled ? { applied: false, reasons: cancelled } : { applied: true };
  }

  /** Whether the manager was already emailed about this lead (an email cannot be unsent, so it is recorded). */
  async wasNotified(leadId: string, managerId: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.notification(leadId, managerId),
        ConsistentRead: true,
      }),
    );
    return Item?.status === 'sent';
  }

  /** Transaction item recording that the manager was emailed, written with the step's timeline entry. */
  notified(leadId: string, managerId: string, messageId: string, at: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.notification(leadId, managerId),
          type: 'Notification',
          status: 'sent',
          messageId,
          at,
        },
      },
    };
  }

  private timelinePut(leadId: string, suffix: string, entry: TimelineEntry) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.timeline(leadId, suffix), type: 'Timeline', ...entry },
      },
    };
  }
}
