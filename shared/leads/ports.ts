import type { LeadEventDetail, LeadEventType } from '#events/lead-events.ts';
import type { LeadSourceCount } from '../ad-spend/ad-spend.ts';
import type { ConsentEvidence } from '../consents/evidence.ts';
import type { PersonalManager } from '../managers/roster.ts';
import type { Exclusion } from '../managers/routing-policy.ts';
import type { ReferralWrite } from '../referrals/referral.ts';
import type {
  Assignment,
  DuplicateKey,
  Enquiry,
  Lead,
  LeadOutcome,
  LeadStatus,
  RoutingRecord,
  TimelineEntry,
} from './lead.ts';
import type { LeadClass, Score } from './scoring.ts';
import type { Touch } from './touch.ts';

/**
 * The ports of the lead-intake core, in the bank's words. Use cases depend on these; the adapters in
 * shared/adapters implement them (and keep DynamoDB's conditions and transactions to themselves), and
 * test/unit/support implements them in memory with the same contracts.
 */

/** An Idempotency-Key's claim: the key, the fingerprint of the body it first came with, and its expiry. */
export type IdempotencyClaim = { key: string; fingerprint: string; until: string };

/** A submission to store once: the lead, and the keys that make it unique. */
export type NewLead = {
  lead: Lead;
  duplicateKeys: DuplicateKey[];
  duplicateUntil: string;
  idempotency?: IdempotencyClaim;
  /** The submission answers a campaign's letter: kept with the lead, in the same transaction. */
  response?: CampaignResponse;
  /** The evidence of the form's consents (shared/consents/evidence.ts): kept with the lead, in the same transaction. */
  evidence?: readonly ConsentEvidence[];
  /** Where the new lead is counted for cost per lead (its first touch's UTM source and month), in the same transaction. */
  sourceCount?: LeadSourceCount;
  /** The referral a valid code made (shared/referrals/referral.ts), with its claim and count: in the same transaction. */
  referral?: ReferralWrite;
};

/**
 * A prospect answered a campaign (its signed invitation came with the submission): the campaign sends that
 * prospect no follow-up and counts the response (shared/campaigns/ports.ts, CampaignResponses).
 */
export type CampaignResponse = { campaignId: string; prospectId: string; leadId: string; at: string };

/** `held`: another lead holds the submission's email or INN; it becomes an enquiry on that lead. */
export type CaptureResult =
  | { outcome: 'created' | 'replayed'; leadId: string }
  | { outcome: 'held'; leadId: string; matchedBy: DuplicateKey['kind'][] }
  | { outcome: 'idempotency_conflict' };

/** A later enquiry to keep on its lead, with its timeline entry; `limit` bounds the enquiries one lead keeps. */
export type NewEnquiry = {
  enquiry: Enquiry;
  entry: TimelineEntry;
  /** The enquiry's touch: recorded as the lead's last touch in the same transaction, unless a later one is. */
  touch: Touch;
  idempotency?: IdempotencyClaim;
  limit: number;
  response?: CampaignResponse;
  /** The evidence of the enquiry's consents, kept with it in the same transaction. */
  evidence?: readonly ConsentEvidence[];
};

export type EnquiryResult =
  | { outcome: 'added' | 'replayed' | 'limit_reached'; leadId: string }
  | { outcome: 'idempotency_conflict' };

/** A page of a lead's later enquiries, oldest first, and where the next page starts. */
export type EnquiriesPage = { enquiries: Enquiry[]; after?: PageCursor };

/** A lead as people read it: the item, its timeline, and how often the prospect came back (derived). */
export type LeadRecord = {
  lead: Lead;
  timeline: TimelineEntry[];
  touchCount: number;
  /** The latest later enquiry's touch; none while the prospect has not come back. */
  lastTouch?: Touch;
};

/** Where a page stopped; opaque to the core, handed back to read the next page. */
export type PageCursor = string;

/** A cursor no earlier page handed out (altered, or from another lead): the caller's mistake. */
export class InvalidPageCursor extends Error {
  override name = 'InvalidPageCursor';
}

/**
 * Leads and their timelines. Every change is written together with its timeline entry, atomically; a
 * step's entry has a fixed place, so a retried step rewrites it instead of adding another.
 */
export interface Leads {
  /**
   * Stores a new lead with its uniqueness claims, all or nothing. A held email or INN claim answers the
   * lead that holds it (nothing is written); a known Idempotency-Key replays the first answer.
   */
  capture(newLead: NewLead): Promise<CaptureResult>;
  /**
   * Keeps a later enquiry on its lead with a `touch` entry (and the Idempotency-Key's claim), all or
   * nothing; a lead keeps at most `limit` of them. A known Idempotency-Key replays the first answer.
   */
  addEnquiry(newEnquiry: NewEnquiry): Promise<EnquiryResult>;
  /** A lead's later enquiries, oldest first, a page at a time. */
  enquiries(leadId: string, page: { size: number; after?: PageCursor }): Promise<EnquiriesPage>;
  /** The lead alone, as the workflow steps read it (strongly consistent). */
  get(leadId: string): Promise<Lead | undefined>;
  /** The lead with its timeline, as people read it. */
  read(leadId: string): Promise<LeadRecord | undefined>;
  recordExistingClient(
    leadId: string,
    existingClient: NonNullable<Lead['existingClient']>,
    entry: TimelineEntry,
  ): Promise<void>;
  /** Stores score and class, unless a manager has the lead already: a lead never moves back. */
  recordAssessment(
    leadId: string,
    assessment: { score: Score; leadClass: LeadClass; status: LeadStatus },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_assigned'>;
  /**
   * Gives the lead to a manager unless it has one, storing the routing decision with it. One unit of the
   * manager's load is taken in the same write, on the claim's terms.
   */
  assignIfUnassigned(
    leadId: string,
    assignment: Assignment,
    step: {
      status: LeadStatus;
      entry: TimelineEntry;
      routing: RoutingRecord;
      capacity: CapacityClaim;
    },
  ): Promise<'assigned' | 'already_assigned' | 'no_capacity' | 'outranked'>;
  /**
   * Nobody fits: the lead waits for the head of unit with the decision that says why, unless assigned
   * meanwhile. `attempt`: the offer nobody could take (each keeps its entry; a retry rewrites it).
   */
  markAwaitingManager(
    leadId: string,
    entry: TimelineEntry,
    routing: RoutingRecord,
    attempt?: number,
  ): Promise<'recorded' | 'already_assigned'>;
  /**
   * Keeps the task token the workflow waits on for the manager's answer, while that assignment is still
   * open (neither accepted nor ended); `decided` otherwise, and nothing is written.
   */
  awaitAcceptance(
    leadId: string,
    wait: { assignmentId: string; taskToken: string },
  ): Promise<'waiting' | 'decided'>;
  /** The manager accepts the assignment, only while it is the lead's open one: `not_open` otherwise. */
  acceptAssignment(
    leadId: string,
    assignment: Assignment,
    acceptedAt: string,
    entry: TimelineEntry,
  ): Promise<'accepted' | 'not_open'>;
  /**
   * Ends a manager's hold on an assignment not accepted (a decline, a timeout): the assignment is removed,
   * the manager is never offered the lead again, and their unit of capacity is given back, all in one
   * write and only while that assignment is still the lead's open one (`not_open` otherwise).
   */
  endHold(
    leadId: string,
    assignment: Assignment,
    exclusion: Exclusion,
    entry: TimelineEntry,
  ): Promise<'ended' | 'not_open'>;
  /**
   * The head of unit takes the lead from the manager who holds it (offered or accepted, no outcome yet)
   * and gives it to another: the first manager's unit comes back and they are excluded from routing on the
   * lead, the second's unit is taken beyond any limit, all in one write and only while `from` is still the
   * lead's assignment (`not_held` otherwise).
   */
  reassign(
    leadId: string,
    from: Assignment,
    to: Assignment,
    entry: TimelineEntry,
  ): Promise<'reassigned' | 'not_held'>;
  /**
   * The outcome of an accepted lead, once: the manager's unit of capacity is given back in the same
   * write; `not_open` when the assignment is not the lead's accepted one, or an outcome is recorded.
   */
  recordOutcome(
    leadId: string,
    assignment: Assignment,
    outcome: LeadOutcome,
    entry: TimelineEntry,
    /** A conversion's counter (shared/ad-spend/source-count.ts), added to in the same write. */
    conversion?: LeadSourceCount,
  ): Promise<'recorded' | 'not_open'>;
  /** Offered to enough managers: the head of unit takes the lead, unless a manager has it meanwhile. */
  markEscalated(
    leadId: string,
    entry: TimelineEntry,
    attempts: number,
  ): Promise<'recorded' | 'already_assigned'>;
  /** The workflow gave up: the lead shows `intake_failed` with the error's name, once per failed run. */
  recordIntakeFailure(
    leadId: string,
    failure: { error: string; at: string },
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_failed'>;
  /** A new run takes a failed lead back: `status` replaces `intake_failed`, only if the lead is still failed. */
  resumeAfterFailure(
    leadId: string,
    status: LeadStatus,
    entry: TimelineEntry,
  ): Promise<'resumed' | 'not_failed'>;
  /** One page of leads received before `before` whose workflow start is unconfirmed, oldest first. */
  pendingIntake(
    before: string,
    page: { size: number; after?: PageCursor },
  ): Promise<{ leadIds: string[]; after?: PageCursor }>;
  /** The workflow is known to exist: the lead leaves the pending intake. */
  confirmIntakeStarted(leadId: string): Promise<void>;
}

/** What a work list shows of a lead: its state and its holder's assignment, no contact details. */
export type WorkItem = Pick<
  Lead,
  'leadId' | 'status' | 'leadClass' | 'receivedAt' | 'assignment' | 'outcome'
> & {
  company: Pick<Lead['company'], 'name' | 'inn'>;
};

/** Whose list: a manager's (the leads they hold), or the head of unit's (the leads nobody holds). */
export type WorkList = { managerId: string } | 'head_of_unit';

export interface WorkLists {
  /**
   * One page of a list, by status then time (the due time of an offer, else when it got there); a
   * cursor from no earlier page of this list is InvalidPageCursor.
   */
  page(
    list: WorkList,
    page: { status?: LeadStatus; size: number; after?: PageCursor },
  ): Promise<{ items: WorkItem[]; after?: PageCursor }>;
}

/** The PM unit's directory of personal managers (tens, not thousands). */
export interface Managers {
  list(): Promise<PersonalManager[]>;
  get(managerId: string): Promise<PersonalManager | undefined>;
}

/** An existing bank client, matched by company tax ID; its personal manager owns the relationship. */
export type Client = { clientId: string; inn: string; name: string; managerId: string };

export interface Clients {
  findByInn(inn: string): Promise<Client | undefined>;
  /** Of these INNs, the ones of the bank's existing clients (a page of letters' companies, in one read). */
  clientsAmong(inns: readonly string[]): Promise<Set<string>>;
}

/**
 * An existing client's referral code: whose it is, and whether the client is in the programme now; the
 * INNs of the client's company group and its email domain, which the attribution rules compare a prospect
 * with (shared/referrals/, docs/referrals.md).
 */
export type Referrer = {
  code: string;
  clientId: string;
  inn: string;
  managerId: string;
  active: boolean;
  groupInns?: string[];
  emailDomain?: string;
};

export interface Referrers {
  byCode(code: string): Promise<Referrer | undefined>;
  /** The referral a company's first valid code made, while its window lasts (by the keyed hash of its INN). */
  firstReferralOf(innHash: string, at: string): Promise<{ leadId: string; clientId: string } | undefined>;
  /** How many referred leads a code brought on a day (UTC, `YYYY-MM-DD`). */
  leadsOnDay(code: string, day: string): Promise<number>;
}

/**
 * The manager's email about a lead, claimed before it is sent. `attempt` counts the runs that claimed
 * it; past the first, an earlier run may have sent the email and died before recording it.
 */
export type NotificationClaim =
  | { kind: 'claimed'; claimId: string; attempt: number }
  | { kind: 'already_sent'; messageId: string; attempt: number };

/**
 * Which email about a lead: the assignment email is `<managerId>#ASSIGNMENT#<assignmentId>`; the email
 * about a later enquiry is `<managerId>#ENQUIRY#<enquiryId>`; the PM unit's alert that the lead waits for
 * its head is `HEAD_OF_UNIT#<eventId>` (the LeadEscalated event's). Each is sent once.
 */
export type Notice = string;

export const assignmentNotice = (managerId: string, assignmentId: string): Notice =>
  `${managerId}#ASSIGNMENT#${assignmentId}`;

export const enquiryNotice = (managerId: string, enquiryId: string): Notice =>
  `${managerId}#ENQUIRY#${enquiryId}`;

export const headOfUnitNotice = (eventId: string): Notice => `HEAD_OF_UNIT#${eventId}`;

/** A notice's email as SES took it, under the claim that sent it. */
export type SentNotice = { claimId: string; attempt: number; messageId: string; at: string };

export interface Notifications {
  /** Opens (or reopens, if a run died holding it) the claim on the notice; never once it is sent. */
  claim(leadId: string, notice: Notice, at: string): Promise<NotificationClaim>;
  /** Records the sent message under its claim, with its timeline entry (`<kind>#<notice>`), in one write. */
  recordSent(
    leadId: string,
    notice: Notice,
    sent: SentNotice,
    entry: TimelineEntry,
  ): Promise<'recorded' | 'already_recorded'>;
}

/** An email for a person; `headers` and `tags` let a message be matched to what the system recorded. */
export type Email = {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  /** Files that go with the email, as text (an open day's `invite.ics`); sent whole, base64 on the wire. */
  attachments?: EmailAttachment[];
};

/**
 * A file that goes with an email: its name, its media type (with parameters), and its content (text, or
 * bytes for an image). An inline one is shown in the HTML where `cid:<contentId>` names it.
 */
export type EmailAttachment = {
  fileName: string;
  contentType: string;
  content: string | Uint8Array;
  inline?: { contentId: string };
};

export interface Mail {
  /** Sends the email and answers the provider's message id. */
  send(email: Email): Promise<string>;
}

export interface LeadEvents {
  /** Publishes a fact about a lead; its id is deterministic, so a retried step publishes the same event. */
  publish<T extends LeadEventType>(type: T, detail: LeadEventDetail<T>): Promise<void>;
}

/** What a manager's answer tells the waiting LeadIntake execution. */
/** The unit of a manager's load an assignment takes, and on what terms. */
export type CapacityClaim = {
  managerId: string;
  /** Only while the manager is active and has a unit free: `no_capacity` otherwise. */
  withinLimit: boolean;
  /** The manager's turn in the rotation moves to the assignment's time. */
  turn: boolean;
  /**
   * Only while the manager holds at most this many leads, the most with which they still rank first
   * (`outranked` otherwise): concurrent routings, which all read the same roster, then do not all give
   * their leads to the manager who was least loaded when they read it.
   */
  loadAtMost?: number;
};

/** What ends a wait for a manager: their answer, or the head of unit giving the lead to someone else. */
export type AcceptanceAnswer = { outcome: 'accepted' | 'declined' | 'reassigned' };

export interface WorkflowAnswers {
  /**
   * Hands the answer to the execution waiting on the token; `closed` when it waits no more (its time ran
   * out, or the token was answered): the execution then reads the lead, which holds the decision.
   */
  answer(taskToken: string, answer: AcceptanceAnswer): Promise<'delivered' | 'closed'>;
}

export interface WorkflowStarter {
  /**
   * Starts the lead's intake workflow, named by the lead id (or `run`, for a later run of the lead), so a
   * retry can never start two.
   */
  startLeadIntake(leadId: string, run?: string): Promise<'started' | 'already_started'>;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one submission from the client (a keyed hash of its address) in the current minute; refuses past the limit. */
  hit(clientKey: string, nowMs: number): Promise<RateDecision>;
}
