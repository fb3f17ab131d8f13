import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Assignment, DuplicateKey, Enquiry, Lead, LeadStatus, TimelineEntry } from '../leads/lead.ts';
import { leadRecordOf } from '../leads/lead-view.ts';
import {
  type CaptureResult,
  type EnquiriesPage,
  type EnquiryResult,
  type IdempotencyClaim,
  InvalidPageCursor,
  type LeadRecord,
  type Leads,
  type NewEnquiry,
  type NewLead,
  type PageCursor,
} from '../leads/ports.ts';
import type { LeadClass, Score } from '../leads/scoring.ts';
import {
  type Cancellation,
  ENQUIRY_PREFIX,
  epochSeconds,
  keys,
  PENDING_INTAKE_INDEX,
  TableAdapter,
  type TransactItems,
  timelinePut,
  transact,
  withoutKeys,
} from './table.ts';

/** A step was asked of a lead the table does not hold: a bug upstream, so the step fails. */
export class LeadNotStored extends Error {
  override name = 'LeadNotFound';
  constructor(leadId: string) {
    super(`Lead ${leadId} does not exist`);
  }
}

/** The enquiry sort key a cursor stands for; anything else is not a cursor this adapter handed out. */
function enquiryKeyOf(cursor: PageCursor): string {
  const sk = Buffer.from(cursor, 'base64url').toString();
  if (!/^ENQUIRY#\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f-]{36}$/.test(sk)) throw new InvalidPageCursor(cursor);
  return sk;
}

/** Never move a lead back once a manager has it. */
const UNASSIGNED = 'attribute_not_exists(assignment)';

/** Conditions under which a uniqueness claim may be (re)taken: nobody holds it, or its window has passed. */
const CLAIM_FREE = 'attribute_not_exists(pk) OR expiresAt < :now';

/** Leads and their timelines in the Attract table. */
export class LeadStore extends TableAdapter implements Leads {
  /**
   * Stores a new lead together with its uniqueness claims in one transaction. When a claim is held, it
   * answers the lead that holds it; when the Idempotency-Key is known, a replay.
   */
  async capture(args: NewLead): Promise<CaptureResult> {
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
    const holders: { kind: DuplicateKey['kind']; leadId: string }[] = [];
    for (const [index, key] of args.duplicateKeys.entries()) {
      const holder = await this.heldClaim(cancelled[1 + index], keys.duplicate(key));
      if (holder) holders.push({ kind: key.kind, leadId: String(holder.leadId) });
    }
    const [first] = holders;
    if (!first) throw new Error('Lead capture was cancelled without a held claim');
    const matchedBy = holders.filter((h) => h.leadId === first.leadId).map((h) => h.kind);
    return { outcome: 'held', leadId: first.leadId, matchedBy };
  }

  /**
   * Keeps a later enquiry on its lead. The bound is counted first, with a conditional update of the lead's
   * enquiry counter (one item, so concurrent enquiries never conflict in a transaction); the enquiry, its
   * timeline entry and the Idempotency-Key's claim are then written together. A crash in between leaves
   * the counter one ahead: the bound errs on the safe side, and no enquiry is half-written.
   */
  async addEnquiry({ enquiry, entry, idempotency, limit }: NewEnquiry): Promise<EnquiryResult> {
    const { leadId } = enquiry;
    const now = epochSeconds(enquiry.receivedAt);
    if (idempotency) {
      // The capture saw the key free a moment ago; a concurrent request under it may have taken it since.
      const replay = await this.readClaim(keys.idempotency(idempotency.key));
      if (replay && Number(replay.expiresAt) >= now) return this.replayOf(replay, idempotency);
    }
    if (!(await this.countEnquiry(leadId, limit))) return { outcome: 'limit_reached', leadId };
    const items: TransactItems = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.enquiry(leadId, enquiry.receivedAt, enquiry.enquiryId),
            type: 'Enquiry',
            ...enquiry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.timelinePut(leadId, `touch#${entry.at}#${enquiry.enquiryId}`, entry),
      ...(idempotency ? [this.idempotencyPut(idempotency, leadId, now)] : []),
    ];
    const cancelled = await transact(this.client, items);
    if (!cancelled) return { outcome: 'added', leadId };
    const replay = idempotency && (await this.heldClaim(cancelled[2], keys.idempotency(idempotency.key)));
    if (replay && idempotency) return this.replayOf(replay, idempotency);
    throw new Error('Enquiry was cancelled without a held idempotency claim');
  }

  /** Takes one of the lead's enquiry places, only while fewer than `limit` are taken. */
  private async countEnquiry(leadId: string, limit: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.enquiryCount(leadId),
          UpdateExpression: 'ADD enquiries :one SET #type = :type',
          ConditionExpression: 'attribute_not_exists(enquiries) OR enquiries < :limit',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':type': 'EnquiryCount' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A lead's later enquiries, oldest first: their keys sort by receipt time. */
  async enquiries(leadId: string, page: { size: number; after?: PageCursor }): Promise<EnquiriesPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :enquiry)',
        ExpressionAttributeValues: { ':pk': keys.lead(leadId).pk, ':enquiry': ENQUIRY_PREFIX },
        Limit: page.size,
        ...(page.after ? { ExclusiveStartKey: { ...keys.lead(leadId), sk: enquiryKeyOf(page.after) } } : {}),
      }),
    );
    // The cursor is the last enquiry's sort key, URL-safe; only an enquiry key of this lead is accepted back.
    const last = LastEvaluatedKey?.sk;
    return {
      enquiries: Items.map((item) => withoutKeys<Enquiry>(item)),
      ...(typeof last === 'string' ? { after: Buffer.from(last).toString('base64url') } : {}),
    };
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

  private replayOf(
    claim: Record<string, unknown>,
    idempotency: IdempotencyClaim,
  ): { outcome: 'replayed'; leadId: string } | { outcome: 'idempotency_conflict' } {
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
    return reason.item ?? this.readClaim(key);
  }

  private async readClaim(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** One page of the sparse pending-intake index, oldest first; the cursor is DynamoDB's LastEvaluatedKey. */
  async pendingIntake(
    before: string,
    page: { size: number; after?: PageCursor },
  ): Promise<{ leadIds: string[]; after?: PageCursor }> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pending': PENDING_INTAKE_INDEX.pk, ':before': before },
        Limit: page.size,
        ...(page.after ? { ExclusiveStartKey: JSON.parse(page.after) } : {}),
      }),
    );
    return {
      leadIds: Items.map((item) => String(item.leadId)),
      ...(LastEvaluatedKey ? { after: JSON.stringify(LastEvaluatedKey) } : {}),
    };
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
  async get(leadId: string): Promise<Lead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.lead(leadId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Lead>(Item) : undefined;
  }

  /** The lead with its timeline: what people read. */
  async read(leadId: string): Promise<LeadRecord | undefined> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          // From `LEAD` on: the lead, its notifications and timeline, but not its enquiries (read by page).
          KeyConditionExpression: 'pk = :pk AND sk >= :lead',
          ExpressionAttributeValues: { ':pk': keys.lead(leadId).pk, ':lead': keys.lead(leadId).sk },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const leadItem = items.find((item) => item.sk === 'LEAD');
    if (!leadItem) return undefined;
    const entries = items
      .filter((item) => String(item.sk).startsWith('TIMELINE#'))
      .map((item) => withoutKeys<TimelineEntry>(item));
    return leadRecordOf(withoutKeys<Lead>(leadItem), entries);
  }

  async recordExistingClient(
    leadId: string,
    existingClient: NonNullable<Lead['existingClient']>,
    entry: TimelineEntry,
  ): Promise<void> {
    const cancelled = await this.step(leadId, { set: { existingClient }, entry });
    if (cancelled) throw new LeadNotStored(leadId);
  }

  async recordAssessment(
    leadId: string,
    assessment: { score: Score; leadClass: LeadClass; status: LeadStatus },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_assigned'> {
    const cancelled = await this.step(leadId, { set: assessment, condition: UNASSIGNED, entry });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_assigned') : 'recorded';
  }

  async assignIfUnassigned(
    leadId: string,
    assignment: Assignment,
    step: { status: LeadStatus; entry: TimelineEntry; takeCapacityOf?: string },
  ): Promise<'assigned' | 'already_assigned' | 'no_capacity'> {
    const cancelled = await this.step(leadId, {
      set: { assignment, status: step.status },
      condition: UNASSIGNED,
      entry: step.entry,
      alongside: step.takeCapacityOf ? [this.takeCapacity(step.takeCapacityOf)] : [],
    });
    if (!cancelled) return 'assigned';
    // Reasons come in item order: the lead's own condition first, then the manager's capacity.
    if (cancelled[0]?.code === 'ConditionalCheckFailed')
      return this.leadRefusal(leadId, cancelled, 'already_assigned');
    return 'no_capacity';
  }

  async markAwaitingManager(leadId: string, entry: TimelineEntry): Promise<'recorded' | 'already_assigned'> {
    const cancelled = await this.step(leadId, {
      set: { status: 'awaiting_manager' },
      condition: UNASSIGNED,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_assigned') : 'recorded';
  }

  async recordIntakeFailure(
    leadId: string,
    failure: { error: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_failed'> {
    const cancelled = await this.step(leadId, {
      set: { status: 'intake_failed', failure },
      condition: '#status <> :failed',
      values: { ':failed': 'intake_failed' },
      // Each failed run keeps its own entry: a lead may fail, be run again, and fail again.
      entryKey: `intake_failed#${failure.at}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'already_failed') : 'recorded';
  }

  async resumeAfterFailure(
    leadId: string,
    status: LeadStatus,
    entry: TimelineEntry,
  ): Promise<'resumed' | 'not_failed'> {
    const cancelled = await this.step(leadId, {
      set: { status },
      remove: ['failure'],
      condition: '#status = :failed',
      values: { ':failed': 'intake_failed' },
      entryKey: `intake_resumed#${entry.at}`,
      entry,
    });
    return cancelled ? this.leadRefusal(leadId, cancelled, 'not_failed') : 'resumed';
  }

  /** A refused step: the lead's condition said no, unless the lead itself is missing. */
  private leadRefusal<R extends string>(leadId: string, cancelled: Cancellation, refusal: R): R {
    if (cancelled[0]?.code !== 'ConditionalCheckFailed')
      throw new Error(`Step on lead ${leadId} was cancelled`);
    if (!cancelled[0].item) throw new LeadNotStored(leadId);
    return refusal;
  }

  /** Transaction item that takes one unit of a manager's capacity, only while some is free. */
  private takeCapacity(managerId: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.manager(managerId),
        UpdateExpression: 'ADD activeLeads :one',
        ConditionExpression: '#active = :true AND activeLeads < #capacity',
        ExpressionAttributeNames: { '#active': 'active', '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':one': 1, ':true': true },
      },
    };
  }

  /**
   * Sets fields on the lead and writes the step's timeline entry, atomically. Step entries have fixed
   * keys (the kind, unless `entryKey` says otherwise), so a retried step rewrites the same entry.
   * Answers the cancellation reasons in item order (the lead's first) when a condition failed.
   */
  private step(
    leadId: string,
    step: {
      set: Record<string, unknown>;
      remove?: string[];
      condition?: string;
      values?: Record<string, unknown>;
      entry: TimelineEntry;
      entryKey?: string;
      alongside?: TransactItems;
    },
  ): Promise<Cancellation | undefined> {
    // DynamoDB refuses names an expression does not use.
    const names: Record<string, string> = step.condition?.includes('#status') ? { '#status': 'status' } : {};
    const values: Record<string, unknown> = { ...step.values };
    const assignments = Object.entries(step.set).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    const removals = (step.remove ?? []).map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    const update = `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`;
    const items: TransactItems = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.lead(leadId),
          UpdateExpression: update,
          ConditionExpression: `attribute_exists(pk)${step.condition ? ` AND (${step.condition})` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // The stored lead comes back with a refusal, telling a refused step from a missing lead.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      this.timelinePut(leadId, step.entryKey ?? step.entry.kind, step.entry),
      ...(step.alongside ?? []),
    ];
    return transact(this.client, items);
  }

  private timelinePut(leadId: string, suffix: string, entry: TimelineEntry) {
    return timelinePut(this.tableName, leadId, suffix, entry);
  }
}
