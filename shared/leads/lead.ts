import { createHash } from 'node:crypto';
import type { ASSIGNMENT_KINDS } from '#events/lead-events.ts';
import type { Keys } from '../access/keys.ts';
import type { AcceptanceDue } from '../managers/acceptance-sla.ts';
import type { Segment } from '../managers/roster.ts';
import type { Exclusion, RoutingRecord } from '../managers/routing-policy.ts';

export type { RoutingRecord };

import type { Attribution } from './attribution.ts';
import type { LeadSubmission } from './lead-submission.ts';
import type { OfflineOrigin } from './offline-lead.ts';
import type { LeadClass, Score } from './scoring.ts';

/** Where a lead is in its intake. */
export const LEAD_STATUSES = [
  'received',
  'qualified',
  'nurture',
  'assigned',
  'handed_to_client_manager',
  'awaiting_manager',
  /** The manager accepted: the lead is theirs to work. */
  'accepted',
  /** A manager declined or let the time run out: the lead is being offered to the next one. */
  'reassigning',
  /** Offered to the configured number of managers without an acceptance: the head of unit assigns it. */
  'escalated',
  /** The company became a client: it opened products. */
  'converted',
  /** The manager worked the lead and it came to nothing, for a reason from the configured list. */
  'lost',
  'intake_failed',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** When the manager must have accepted, counted by the acceptance SLA configuration it names. */
export type AcceptanceDueTime = Pick<AcceptanceDue, 'dueAt' | 'basis' | 'minutes' | 'configVersion'>;

/** One offer of the lead to one manager: a reassignment, even back to the same manager, is a new one. */
export type Assignment = {
  assignmentId: string;
  managerId: string;
  /**
   * `acquisition`: routed by skills and capacity; `existing_client`: the company's own manager;
   * `by_head_of_unit`: given by hand to a lead nobody could take (`byHand` says who gave it).
   */
  kind: (typeof ASSIGNMENT_KINDS)[number];
  byHand?: { by: string; note?: string };
  segment?: Segment;
  assignedAt: string;
  /** Which offer of the lead this is: 1 for the first manager, one more after each decline or timeout. */
  attempt: number;
  acceptance: AcceptanceDueTime;
  /** Set when the manager accepted; from then on the hold ends only with the lead's outcome. */
  acceptedAt?: string;
};

/** How a lead worked by its manager ended: products opened, or lost for a configured reason. */
export type LeadOutcome =
  | { kind: 'converted'; products: LeadSubmission['products']; at: string; by: string }
  | { kind: 'lost'; reasonCode: string; configVersion: string; note?: string; at: string; by: string };

/** One submission as kept: what the form said, and how the bank attributed it. */
export type Submitted = {
  receivedAt: string;
  company: LeadSubmission['company'];
  contact: LeadSubmission['contact'];
  products: LeadSubmission['products'];
  message?: string;
  consents: LeadSubmission['consents'];
  /** Established by the bank at capture, never taken from the form (shared/leads/attribution.ts). */
  attribution: Attribution;
  /** A lead an acquisition manager met offline: the configured channel, the event, its cost, who recorded it. */
  offline?: OfflineOrigin;
};

/** A prospect that showed interest through a channel, as stored: its first enquiry, and where it stands. */
export type Lead = Submitted & {
  leadId: string;
  status: LeadStatus;
  regionCode: string;
  lastTouchAt?: string;
  existingClient?: { clientId: string; managerId: string };
  score?: Score;
  leadClass?: LeadClass;
  assignment?: Assignment;
  /** How the lead was routed, kept as long as the lead: the last decision, with everyone considered. */
  routing?: RoutingRecord;
  /** Managers who declined the lead or let its acceptance time run out: never offered it again. */
  exclusions?: Exclusion[];
  /**
   * The task token the LeadIntake execution waits on for the manager's answer to one assignment: workflow
   * plumbing, never shown. A decision on that assignment answers the execution with it.
   */
  acceptanceWait?: { assignmentId: string; taskToken: string };
  /** How the manager's work on the lead ended; the manager's hold (and unit of capacity) ended with it. */
  outcome?: LeadOutcome;
  /** Set while the lead's intake has failed; a new run clears it. */
  failure?: { error: string; at: string };
};

export const TIMELINE_KINDS = [
  'received',
  'touch',
  'existing_client_matched',
  'assessed',
  'assigned',
  'awaiting_manager',
  'manager_notified',
  'accepted',
  'declined',
  'acceptance_timed_out',
  'escalated',
  /** The PM unit's mailbox was told that the lead waits for its head. */
  'head_of_unit_notified',
  'converted',
  /** The client who recommended the company was told it became a client (docs/referrals.md). */
  'referrer_notified',
  'lost',
  'enquiry_notified',
  'intake_failed',
  'intake_resumed',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/**
 * One line of a lead's history, as stored: what happened (kind) and its facts (details). The text a person
 * reads is rendered from the catalogs in the reader's language when the lead is read (timeline-text.ts);
 * the English `summary` of entries stored before that is never shown.
 */
export type TimelineEntry = {
  at: string;
  kind: TimelineKind;
  details?: Record<string, unknown>;
};

/** What sets a later enquiry apart from the lead's first one, so the PM can tell its people apart. */
export const ENQUIRY_SIGNALS = [
  'new_contact',
  'new_message',
  'other_products',
  'other_company_name',
  'other_inn',
] as const;
export type EnquirySignal = (typeof ENQUIRY_SIGNALS)[number];

/**
 * A later submission about a lead (same email or INN within the duplicate window), kept in full: never
 * folded into the first one. The lead item holds the first enquiry; each later one is its own record.
 */
export type Enquiry = Submitted & {
  enquiryId: string;
  leadId: string;
  /** Which of its keys matched the lead: the same email, the same INN, or both. */
  matchedBy: DuplicateKey['kind'][];
  signals: EnquirySignal[];
};

/** A key that makes two submissions the same lead within the duplicate window. */
export type DuplicateKey = { kind: 'email' | 'inn'; value: string };

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A lead id for a discarded (bot) submission: a random-looking UUID v4, the same for the same company.
 * Keyed, so the id cannot be traced back to the INN by trying every INN.
 */
export function discardedLeadId(keys: Keys, inn: string): string {
  const hex = keys.hash('discarded_lead', inn);
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The uniqueness keys of a submission, as keyed hashes: they hold no email or INN that could be recovered. */
export function duplicateKeysOf(
  keys: Keys,
  submission: Pick<LeadSubmission, 'contact' | 'company'>,
): DuplicateKey[] {
  return [
    { kind: 'email', value: keys.hash('email', submission.contact.email.trim().toLowerCase()) },
    { kind: 'inn', value: keys.hash('inn', submission.company.inn) },
  ];
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}
