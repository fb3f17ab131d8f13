import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DuplicateKey, Enquiry } from '../leads/lead.ts';
import {
  type CaptureResult,
  type EnquiriesPage,
  type EnquiryResult,
  type IdempotencyClaim,
  InvalidPageCursor,
  type NewEnquiry,
  type NewLead,
  type PageCursor,
} from '../leads/ports.ts';
import { type Touch, touchOrder } from '../leads/touch.ts';
import { campaignResponsePut } from './campaign-response-store.ts';
import { consentEvidenceItems } from './consent-store.ts';
import { referralItems } from './referral-store.ts';
import { sourceCountAdd } from './source-counter.ts';
import {
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

/** The enquiry sort key a cursor stands for; anything else is not a cursor this adapter handed out. */
function enquiryKeyOf(cursor: PageCursor): string {
  const sk = Buffer.from(cursor, 'base64url').toString();
  if (!/^ENQUIRY#\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f-]{36}$/.test(sk)) throw new InvalidPageCursor(cursor);
  return sk;
}

/** The last touch as stored, without its ordering key. */
export function lastTouchOf(item: Record<string, unknown>): Touch {
  const { touchOrder: _order, ...touch } = withoutKeys<Touch & { touchOrder?: string }>(item);
  return touch;
}

/** Conditions under which a uniqueness claim may be (re)taken: nobody holds it, or its window has passed. */
const CLAIM_FREE = 'attribute_not_exists(pk) OR expiresAt < :now';

/**
 * Where submissions land: a new lead with its uniqueness claims, or a later enquiry on the lead that
 * holds them. LeadStore adds the intake steps and reads on top.
 */
export abstract class CaptureStore extends TableAdapter {
  /**
   * Stores a new lead together with its uniqueness claims and the evidence of its consents in one
   * transaction. When a claim is held, it
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
      ...(args.response ? [campaignResponsePut(this.tableName, args.response)] : []),
      ...consentEvidenceItems(this.tableName, args.evidence ?? []),
      ...(args.sourceCount
        ? [sourceCountAdd(this.tableName, args.sourceCount, lead.leadId, 'leads', lead.offline?.costKopecks)]
        : []),
      ...(args.referral ? referralItems(this.tableName, args.referral, now) : []),
      // Last: a cancellation's last reason is the Idempotency-Key's.
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
  async addEnquiry({
    enquiry,
    entry,
    touch,
    idempotency,
    limit,
    response,
    evidence = [],
  }: NewEnquiry): Promise<EnquiryResult> {
    const { leadId } = enquiry;
    const now = epochSeconds(enquiry.receivedAt);
    if (idempotency) {
      // The capture saw the key free a moment ago; a concurrent request under it may have taken it since.
      const replay = await this.readClaim(keys.idempotency(idempotency.key));
      if (replay && Number(replay.expiresAt) >= now) return this.replayOf(replay, idempotency);
    }
    if (!(await this.countEnquiry(leadId, limit))) return { outcome: 'limit_reached', leadId };
    const items = (withTouch: boolean): TransactItems => [
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
      timelinePut(this.tableName, leadId, `touch#${entry.at}#${enquiry.enquiryId}`, entry),
      ...(idempotency ? [this.idempotencyPut(idempotency, leadId, now)] : []),
      ...(response ? [campaignResponsePut(this.tableName, response)] : []),
      ...consentEvidenceItems(this.tableName, evidence),
      // Last: whether a later touch was recorded meanwhile is read from the last reason.
      ...(withTouch ? [this.lastTouchPut(leadId, touch)] : []),
    ];
    let cancelled = await transact(this.client, items(true));
    if (!cancelled) return { outcome: 'added', leadId };
    const replay = idempotency && (await this.heldClaim(cancelled[2], keys.idempotency(idempotency.key)));
    if (replay && idempotency) return this.replayOf(replay, idempotency);
    // A concurrent enquiry recorded a later touch: this one is kept, and the last touch stays the later.
    if (cancelled.at(-1)?.code === 'ConditionalCheckFailed') {
      cancelled = await transact(this.client, items(false));
      if (!cancelled) return { outcome: 'added', leadId };
      const again = idempotency && (await this.heldClaim(cancelled[2], keys.idempotency(idempotency.key)));
      if (again && idempotency) return this.replayOf(again, idempotency);
    }
    throw new Error('Enquiry was cancelled without a held idempotency claim');
  }

  /** The lead's last touch, replaced only by a later one (touchOrder): never moved back. */
  private lastTouchPut(leadId: string, touch: Touch) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.lastTouch(leadId), type: 'LastTouch', touchOrder: touchOrder(touch), ...touch },
        ConditionExpression: 'attribute_not_exists(pk) OR touchOrder < :order',
        ExpressionAttributeValues: { ':order': touchOrder(touch) },
      },
    };
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
}
