import type { NotificationClaim, SentNotice } from '../leads/ports.ts';
import type { Campaign, CampaignStatus, SendRecord, StepCursor, StepProgress } from './campaign.ts';

/**
 * The campaigns' ports, in the bank's words. The DynamoDB adapter (shared/adapters/campaign-store.ts) keeps
 * every rule by a condition in the write that changes it, never by a read before it: two runs of one
 * step, or a page delivered twice, cannot send a recipient two letters or count one twice.
 */

/** A change of a campaign's status, allowed only from the statuses named (and the run, when given). */
export type Transition = {
  from: readonly CampaignStatus[];
  /** Only if the campaign is still at this run: a pause from an older run changes nothing. */
  run?: number;
  set: Partial<Omit<Campaign, 'campaignId' | 'author' | 'createdAt'>>;
};

export type CampaignPage = { campaigns: Campaign[]; next?: string };

export interface Campaigns {
  create(campaign: Campaign): Promise<'created' | 'exists'>;
  /** Read consistently: a pause takes effect at the very next page. */
  get(campaignId: string): Promise<Campaign | undefined>;
  /** Applies the transition; `stale` when the campaign is not (any more) in a state it may leave. */
  transition(campaignId: string, change: Transition, at: string): Promise<Campaign | 'stale' | 'not_found'>;
  /** Newest first. */
  list(page: { limit: number; after?: string }): Promise<CampaignPage>;
}

/** What a recipient's record becomes, from `claimed` or `deferred`; each change is counted once. */
export type Settlement =
  | { status: 'sent'; messageId: string }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string }
  /** A deferred letter claimed for sending now, with the content it is sent with. */
  | { status: 'claimed'; offer?: SendRecord['offer'] }
  /** Deferred again, to the recipient's next sending window. */
  | { status: 'deferred'; retryAt: string }
  /** SES did not take the letter (nothing was sent): the claim goes, so a later pass sends it. */
  | { status: 'released' };

export type RecordKey = { campaignId: string; step: number; prospectId: string };

export interface CampaignProgress {
  /** The step's progress, created with its total the first time it is asked for. */
  start(campaignId: string, step: number, total: number): Promise<StepProgress>;
  progress(campaignId: string, step: number): Promise<StepProgress | undefined>;
  /** Moves the step's cursor on, after every member before it has a record. */
  checkpoint(campaignId: string, step: number, cursor: StepCursor | 'done', at: string): Promise<void>;
  /** The records the step has for these prospects (read consistently). */
  records(campaignId: string, step: number, prospectIds: readonly string[]): Promise<Map<string, SendRecord>>;
  /**
   * Writes the recipient's first record (`claimed`, `skipped`, `deferred`) and counts it, once: `exists`
   * when the prospect has a record of this step already, which is then left as it is.
   */
  record(record: SendRecord): Promise<'recorded' | 'exists'>;
  /**
   * `record` for a group of one step's recipients, in one write where the store can: each answer is that
   * record's, `exists` for a prospect with a record of the step already (left as it is).
   */
  recordAll(records: readonly SendRecord[]): Promise<('recorded' | 'exists')[]>;
  /**
   * Moves a group of one step's claims, each written at `claimedAt` by the caller (so none is read first),
   * on to SES's answer, in one write where the store can; `throttled` attempts counted with them. Each
   * answer is that claim's: `stale` when it is no longer the claim of that time (SES's Send event came first).
   */
  settleClaims(
    step: { campaignId: string; step: number },
    claims: readonly { prospectId: string; claimedAt: string; to: Settlement }[],
    at: string,
    throttled: number,
  ): Promise<('settled' | 'stale')[]>;
  /** Moves a record on from `from`, and its counts with it, once: `stale` when it is not `from` any more. */
  settle(
    key: RecordKey,
    from: 'claimed' | 'deferred',
    to: Settlement,
    at: string,
  ): Promise<'settled' | 'stale'>;
  /** Deferred recipients whose window opens by `until`, earliest first. */
  deferredDue(
    campaignId: string,
    step: number,
    until: string,
    limit: number,
  ): Promise<{ prospectId: string; retryAt: string }[]>;
  /** When the step's earliest deferred recipient's window opens; none when nobody waits. */
  nextDeferred(campaignId: string, step: number): Promise<string | undefined>;
  /** Counts throttled attempts (SES said slow down; the letter was retried, not lost). */
  countThrottled(campaignId: string, step: number, attempts: number): Promise<void>;
}

/** Letters per second the account may send, shared by all campaigns: SES's quota is the account's. */
export interface SendAllowance {
  /**
   * Takes up to `want` letters from the account's bucket, refilled at `perSecond` and holding at most one
   * second of them. `granted` may be 0: then try again after `waitMs`.
   */
  take(want: number, perSecond: number): Promise<{ granted: number; waitMs: number }>;
}

/**
 * Prospects who answered a campaign: a "request a call" form sent through a letter's link (the capture
 * path keeps it with the lead, shared/leads/ports.ts, CampaignResponse). They get no follow-up.
 */
export interface CampaignResponses {
  /** Those of these prospects who answered the campaign (read consistently). */
  responded(campaignId: string, prospectIds: readonly string[]): Promise<Set<string>>;
  /** How many prospects answered the campaign. */
  count(campaignId: string): Promise<number>;
}

/**
 * The campaign team's emails about a campaign (it paused itself, it completed), one item a notice, each
 * claimed before it is sent and recorded after, as a lead's notices are (shared/leads/notify-manager.ts).
 */
export interface CampaignNotices {
  /** Opens (or reopens, if a run died holding it) the claim on the notice; never once it is sent. */
  claim(campaignId: string, notice: string, at: string): Promise<NotificationClaim>;
  /** Records the sent message under its claim. */
  recordSent(campaignId: string, notice: string, sent: SentNotice): Promise<'recorded' | 'already_recorded'>;
}
