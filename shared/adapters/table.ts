import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LeadSourceCount, SpendBody } from '../ad-spend/ad-spend.ts';
import { type DuplicateKey, sha256, type TimelineEntry } from '../leads/lead.ts';
import type { SlaBreach } from '../leads/unit-overview.ts';

/** A lead's later enquiries sort by receipt time under this prefix. */
export const ENQUIRY_PREFIX = 'ENQUIRY#';

/** An import's rejected rows sort by line under this prefix. */
export const REJECTION_PREFIX = 'REJECT#';
/** A line in a rejection's key: zero padded, so the report sorts in file order. */
const paddedLine = (line: number) => String(line).padStart(10, '0');

/** Item keys of the single Attract table; docs/data-model.md lists the access patterns behind them. */
export const keys = {
  lead: (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' }),
  timeline: (leadId: string, suffix: string) => ({ pk: `LEAD#${leadId}`, sk: `TIMELINE#${suffix}` }),
  enquiry: (leadId: string, at: string, enquiryId: string) => ({
    pk: `LEAD#${leadId}`,
    sk: `${ENQUIRY_PREFIX}${at}#${enquiryId}`,
  }),
  enquiryCount: (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'ENQUIRIES' }),
  /**
   * A shard of the counter of a month's new leads from one UTM source, medium and campaign: a month's
   * counters are one partition, which the cost-per-lead report reads whole (docs/web-forms.md).
   */
  leadSourceCount: (count: LeadSourceCount, shard: number) => ({
    pk: `${LEAD_SOURCES_PREFIX}${count.month}`,
    sk: `${sourceKeyOf(count)}#${shard}`,
  }),
  /** A source's (medium's, campaign's) recorded spend in a month; a month's spends are one partition. */
  adSpend: (spend: Pick<SpendBody, 'month' | 'source' | 'medium' | 'campaign'>) => ({
    pk: `${AD_SPEND_PREFIX}${spend.month}`,
    sk: sourceKeyOf(spend),
  }),
  /** The lead's last touch: after `LEAD` in its partition, so the lead's own read finds it. */
  lastTouch: (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'TOUCH#LAST' }),
  notification: (leadId: string, notice: string) => ({
    pk: `LEAD#${leadId}`,
    sk: `NOTIFICATION#${notice}`,
  }),
  duplicate: (key: DuplicateKey) => ({ pk: `DUPLICATE#${key.kind.toUpperCase()}#${key.value}`, sk: 'CLAIM' }),
  idempotency: (key: string) => ({ pk: `IDEMPOTENCY#${sha256(key)}`, sk: 'CLAIM' }),
  rateWindow: (clientHash: string, windowStart: number) => ({
    pk: `RATE#${clientHash}#${windowStart}`,
    sk: 'WINDOW',
  }),
  client: (inn: string) => ({ pk: `CLIENT#${inn}`, sk: 'CLIENT' }),
  referralCode: (code: string) => ({ pk: `REFERRAL_CODE#${code}`, sk: 'REFERRAL_CODE' }),
  /** The referred leads a code brought on a day (UTC): the farming rule's count. */
  referralDay: (code: string, day: string) => ({ pk: `REFERRAL_CODE#${code}`, sk: `DAY#${day}` }),
  /** A client's one code in the programme, in the partition of its referrals. */
  referrerCode: (clientId: string) => ({ pk: `REFERRER#${clientId}`, sk: 'CODE' }),
  /** One referred lead under its referrer: a reward is keyed by it (docs/referrals.md). */
  referral: (clientId: string, leadId: string) => ({ pk: `REFERRER#${clientId}`, sk: `REFERRAL#${leadId}` }),
  /** A company's claim on the first valid code it came with, by the keyed hash of its INN. */
  referredCompany: (innHash: string) => ({ pk: `REFERRED#${innHash}`, sk: 'CLAIM' }),
  leadRead: (leadId: string, at: string, requestId: string) => ({
    pk: `READS#${leadId}`,
    sk: `${at}#${requestId}`,
  }),
  manager: (managerId: string) => ({ pk: `MANAGER#${managerId}`, sk: 'MANAGER' }),
  rosterChange: (managerId: string, at: string, changeId: string) => ({
    pk: `ROSTER_CHANGES#${managerId}`,
    sk: `${at}#${changeId}`,
  }),
  offer: (offerId: string) => ({ pk: `OFFER#${offerId}`, sk: 'OFFER' }),
  /** Zero-padded, so an offer's versions sort by number. */
  offerVersion: (offerId: string, version: number) => ({
    pk: `OFFER#${offerId}`,
    sk: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  offerAudit: (offerId: string, at: string, auditId: string) => ({
    pk: `OFFER#${offerId}`,
    sk: `${OFFER_AUDIT_PREFIX}${at}#${auditId}`,
  }),
  /** The id is a keyed hash of the INN and the email (shared/prospects/prospect.ts): neither is in clear. */
  prospect: (prospectId: string) => ({ pk: `PROSPECT#${prospectId}`, sk: 'PROSPECT' }),
  prospectImport: (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' }),
  importRejection: (importId: string, line: number) => ({
    pk: `IMPORT#${importId}`,
    sk: `${REJECTION_PREFIX}${paddedLine(line)}`,
  }),
  /** An address on the suppression list, by its keyed hash (shared/letters/unsubscribe.ts, addressHashOf). */
  suppression: (addressHash: string) => ({ pk: `SUPPRESSED#${addressHash}`, sk: 'SUPPRESSION' }),
  /** The letters counted against an address's frequency cap, in one item (docs/letters.md). */
  letterSends: (addressHash: string) => ({ pk: `LETTER_SENDS#${addressHash}`, sk: 'SENDS' }),
  audience: (audienceId: string) => ({ pk: `AUDIENCE#${audienceId}`, sk: 'AUDIENCE' }),
  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'CAMPAIGN' }),
  /** A step's progress: its counters and the cursor of its pass over the audiences. */
  stepProgress: (campaignId: string, step: number) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `PROGRESS#${step}`,
  }),
  /** One recipient's letter of one step: a partition per recipient, so a campaign's writes spread. */
  sendRecord: (campaignId: string, prospectId: string, step: number) => ({
    pk: `LETTER#${campaignId}#${prospectId}`,
    sk: `STEP#${step}`,
  }),
  /**
   * A prospect's answer to a campaign (a lead or enquiry with the campaign's signed invitation): beside
   * their letters, and listed on GSI1 under `RESPONSES#<campaignId>`, one entry a prospect.
   */
  campaignResponse: (campaignId: string, prospectId: string) => ({
    pk: `LETTER#${campaignId}#${prospectId}`,
    sk: 'RESPONSE',
  }),
  /** An email about the campaign to its team (docs/campaigns.md, "Telling the campaign team"). */
  campaignNotice: (campaignId: string, notice: string) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `NOTIFICATION#${notice}`,
  }),
  /** A recipient waiting for their sending window, by when it opens. */
  deferredLetter: (campaignId: string, step: number, retryAt: string, prospectId: string) => ({
    pk: `CAMPAIGN#${campaignId}`,
    sk: `${DEFER_PREFIX}${step}#${retryAt}#${prospectId}`,
  }),
  openDay: (openDayId: string) => ({ pk: `OPEN_DAY#${openDayId}`, sk: 'OPEN_DAY' }),
  /** One registration per address per open day: the key is the address's keyed hash. */
  registration: (openDayId: string, emailHash: string) => ({
    pk: `OPEN_DAY#${openDayId}`,
    sk: `REG#${emailHash}`,
  }),
  /** An email to a registrant, claimed before it is sent and recorded after (as a lead's notifications). */
  registrantNotice: (openDayId: string, notice: string) => ({
    pk: `OPEN_DAY#${openDayId}`,
    sk: `NOTIFICATION#${notice}`,
  }),
  /** An open day as its registrants were told of it at one sequence (kept by each change that is told). */
  openDayVersion: (openDayId: string, sequence: number) => ({
    pk: `OPEN_DAY#${openDayId}`,
    sk: `VERSION#${String(sequence).padStart(6, '0')}`,
  }),
  /** An open day's latest change, listed until the sweep has told every registrant and offered the seats. */
  openDayChange: (openDayId: string) => ({ pk: `OPEN_DAY#${openDayId}`, sk: 'CHANGE' }),
  /** A place in an open day's waitlist: they sort in the order people registered. */
  waitlistPlace: (openDayId: string, registeredAt: string, registrationId: string) => ({
    pk: `OPEN_DAY#${openDayId}`,
    sk: `${WAITLIST_PREFIX}${registeredAt}#${registrationId}`,
  }),
  /** The account's letters per second, shared by every campaign (shared/campaigns/send-allowance.ts). */
  sendAllowance: () => ({ pk: 'SEND_ALLOWANCE', sk: 'SES' }),
  /** A frozen audience's member: the key is all it holds, so members sort by prospect id. */
  audienceMember: (audienceId: string, prospectId: string) => ({
    pk: `AUDIENCE#${audienceId}`,
    sk: `${MEMBER_PREFIX}${prospectId}`,
  }),
} as const;

export const LEAD_SOURCES_PREFIX = 'LEAD_SOURCES#';
export const AD_SPEND_PREFIX = 'AD_SPEND#';

/** How many items one source's monthly lead counter is spread over, so a busy source's leads do not queue. */
export const LEAD_SOURCE_SHARDS = 16;

/** UTM values are free text: in a key they are a hash (the item holds them as attributes). */
function sourceKeyOf(key: { source: string; medium?: string; campaign?: string }): string {
  return sha256(JSON.stringify([key.source, key.medium ?? '', key.campaign ?? ''])).slice(0, 32);
}

/** An open day's waitlist sorts by registration time under this prefix. */
export const WAITLIST_PREFIX = 'WAITLIST#';

/** An audience's members sort by prospect id under this prefix. */
export const MEMBER_PREFIX = 'MEMBER#';

/** The audiences are listed on GSI1 under this key, newest first (`gsi1sk` = `<createdAt>#<audienceId>`). */
export const AUDIENCES_LIST = 'AUDIENCES';

/**
 * GSI4 is sparse and sharded: every prospect, under `PROSPECTS#<first hex digit of its id>` with its id as
 * the sort key, so the 16 shards walked in order are every prospect once, by id (docs/audiences.md), and
 * an import's writes spread over 16 index partitions. It holds what an audience filter reads.
 */
export const PROSPECTS_INDEX = {
  name: 'gsi4',
  shards: '0123456789abcdef',
  shard: (prospectId: string) => `PROSPECTS#${prospectId.slice(0, 1)}`,
  attributes: ['prospectId', 'company', 'contact', 'tags', 'marketingConsent'],
} as const;

/** A step's deferred recipients sort by their window's opening under this prefix. */
export const DEFER_PREFIX = 'DEFER#';

/** An offer's audit trail sorts by time under this prefix. */
export const OFFER_AUDIT_PREFIX = 'AUDIT#';

/** GSI1 lists the personal managers of the unit. */
export const MANAGERS_INDEX = { name: 'gsi1', pk: 'MANAGERS' } as const;

/** GSI2 is sparse: it holds the leads whose workflow has not been confirmed started, by receipt time. */
export const PENDING_INTAKE_INDEX = { name: 'gsi2', pk: 'INTAKE_PENDING' } as const;

/**
 * GSI3 is sparse: the work lists. A lead a manager holds (offered, accepted, or ended with an outcome)
 * is under `HOLDER#<managerId>`; a lead waiting for the head of unit (nobody fitted, or escalated) under
 * `HEAD_OF_UNIT`; the sort key is `<status>#<time>` (the due time while offered, else when it got there),
 * so a list by status comes in time order. A lead between two managers is in neither. The timeline
 * entries that record a breach of the acceptance SLA are under `SLA_BREACHES`, by time (`<at>#<lead>#<attempt>`).
 */
export const WORK_INDEX = {
  name: 'gsi3',
  holder: (managerId: string) => `HOLDER#${managerId}`,
  head: 'HEAD_OF_UNIT',
  breaches: 'SLA_BREACHES',
  /** What a work list shows of a lead (no contact details), and of a breach. */
  attributes: ['leadId', 'status', 'leadClass', 'company', 'receivedAt', 'assignment', 'outcome', 'breach'],
} as const;

export const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'type',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'expiresAt',
];

/** The domain record without the table's own attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const name of STORAGE_ATTRIBUTES) delete copy[name];
  return copy as T;
}

/** What every adapter of the Attract table holds: the document client and the table's name. */
export abstract class TableAdapter {
  protected readonly client: DynamoDBDocumentClient;
  protected readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  /** Every item a query finds, page after page: for sets known to be small (a lead's items, the unit). */
  protected async queryAll(
    query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...query, TableName: this.tableName, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

export type TransactItems = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>;

export type Cancellation = { code: string; item?: Record<string, unknown> }[];

/**
 * Runs a transaction, retrying only TransactionConflict (a concurrent writer on the same items).
 * Returns the cancellation reasons when a condition failed, so callers decide what that means.
 */
export async function transact(
  client: DynamoDBDocumentClient,
  items: TransactItems,
): Promise<Cancellation | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons: Cancellation = (error.CancellationReasons ?? []).map((r) => ({
        code: r.Code ?? 'None',
        ...(r.Item ? { item: unmarshall(r.Item) } : {}),
      }));
      // A failed condition is an answer for the caller; a conflict with another writer is worth a retry.
      if (reasons.some((r) => r.code === 'ConditionalCheckFailed')) return reasons;
      const conflicted = reasons.some(
        (r) => r.code === 'TransactionConflict' || r.code === 'ThrottlingError',
      );
      if (!conflicted || attempt >= 12) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** Math.min(attempt, 5)));
    }
  }
}

/**
 * Transaction item writing one timeline entry of a lead under `TIMELINE#<suffix>`; an entry that records a
 * breach of the acceptance SLA is also on the breaches list (WORK_INDEX).
 */
export function timelinePut(
  tableName: string,
  leadId: string,
  suffix: string,
  entry: TimelineEntry,
  breach?: SlaBreach,
) {
  const listed = breach
    ? { breach, gsi3pk: WORK_INDEX.breaches, gsi3sk: `${breach.at}#${leadId}#${breach.attempt}` }
    : {};
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.timeline(leadId, suffix), type: 'Timeline', ...entry, ...listed },
    },
  };
}
