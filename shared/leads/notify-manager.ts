import type { PersonalManager } from '../managers/roster.ts';
import type { DecisionLinks } from './answer-by-link.ts';
import { enquiryNotification } from './enquiry-email.ts';
import { loadLead } from './intake.ts';
import type { Assignment, Enquiry, TimelineEntry } from './lead.ts';
import { managerNotification, type NotificationMark } from './manager-email.ts';
import {
  assignmentNotice,
  type Email,
  enquiryNotice,
  type Leads,
  type Mail,
  type Managers,
  type Notice,
  type NotificationClaim,
  type Notifications,
  type SentNotice,
} from './ports.ts';

export type NotifyDeps = {
  leads: Leads;
  managers: Managers;
  notifications: Notifications;
  mail: Mail;
  now: () => Date;
  /** The signed accept and decline links for an assignment; without them the email carries none. */
  links?: (leadId: string, assignment: Assignment) => Promise<DecisionLinks>;
};

export class NoManagerToNotify extends Error {
  override name = 'NoManagerToNotify';
}

export class ManagerNotInDirectory extends Error {
  override name = 'ManagerNotInDirectory';
}

export type NotifyOutcome =
  | { kind: 'sent'; messageId: string; attempt: number; possibleRepeat: boolean }
  | { kind: 'already_sent'; messageId: string };

/** The assignment's manager answered before the wait was set up: the execution reads the decision instead. */
export class AcceptanceAlreadyDecided extends Error {
  override name = 'AcceptanceAlreadyDecided';
}

/**
 * The acceptance wait (a `.waitForTaskToken` step): the token is kept on the lead first, then the manager
 * is emailed, so an answer always finds the token it must hand back. An assignment decided already (an
 * answer through the API before the email went out, or a retried step after the answer) keeps no token:
 * the step fails with AcceptanceAlreadyDecided, and the execution goes on from what is stored.
 */
export async function awaitManager(
  deps: NotifyDeps,
  wait: { leadId: string; assignmentId: string; taskToken: string },
): Promise<NotifyOutcome> {
  const { leadId, assignmentId, taskToken } = wait;
  if ((await deps.leads.awaitAcceptance(leadId, { assignmentId, taskToken })) === 'decided') {
    throw new AcceptanceAlreadyDecided(`Assignment ${assignmentId} of lead ${leadId} is decided`);
  }
  return notifyManager(deps, leadId);
}

/** Emails the assigned manager the lead with its score breakdown, once per assignment (see `sendOnce`). */
export async function notifyManager(deps: NotifyDeps, leadId: string): Promise<NotifyOutcome> {
  const lead = await loadLead(deps.leads, leadId);
  const { assignment } = lead;
  if (!assignment) throw new NoManagerToNotify(`Lead ${leadId} has no manager to notify`);
  const { managerId } = assignment;
  const manager = await managerOf(deps, managerId);
  const links = await deps.links?.(leadId, assignment);
  return sendOnce(
    deps,
    leadId,
    assignmentNotice(managerId, assignment.assignmentId),
    (mark) => managerNotification(lead, manager, mark, links),
    (sent) => ({
      at: sent.at,
      kind: 'manager_notified',
      details: { managerId, ...sent.record },
    }),
  );
}

/**
 * Tells the lead's personal manager about a later enquiry (a new contact, a new message), once. A lead
 * nobody has yet needs no email: its manager sees every enquiry on the lead when it is assigned.
 */
export async function notifyManagerOfEnquiry(
  deps: NotifyDeps,
  enquiry: Enquiry,
): Promise<NotifyOutcome | { kind: 'not_assigned' }> {
  const lead = await loadLead(deps.leads, enquiry.leadId);
  const managerId = lead.assignment?.managerId;
  if (!managerId) return { kind: 'not_assigned' };
  const manager = await managerOf(deps, managerId);
  const notice = enquiryNotice(managerId, enquiry.enquiryId);
  return sendOnce(
    deps,
    lead.leadId,
    notice,
    (mark) => enquiryNotification(lead, enquiry, manager, mark),
    (sent) => ({
      at: sent.at,
      kind: 'enquiry_notified',
      details: { managerId, enquiryId: enquiry.enquiryId, signals: enquiry.signals, ...sent.record },
    }),
  );
}

/** Looked up before claiming: a manager missing from the directory must not leave a claim open. */
async function managerOf(deps: NotifyDeps, managerId: string): Promise<PersonalManager> {
  const manager = await deps.managers.get(managerId);
  if (!manager) throw new ManagerNotInDirectory(`Personal manager ${managerId} is not in the directory`);
  return manager;
}

type Sent = {
  at: string;
  possibleRepeat: boolean;
  record: { messageId: string; claimId: string; attempt: number; possibleRepeat: boolean };
};

/** Sends one notice about a lead once (see `sendClaimed`), its timeline entry recorded with the send. */
export async function sendOnce(
  deps: Pick<NotifyDeps, 'notifications' | 'mail' | 'now'>,
  leadId: string,
  notice: Notice,
  email: (mark: NotificationMark) => Email,
  entry: (sent: Sent) => TimelineEntry,
): Promise<NotifyOutcome> {
  return sendClaimed(
    deps,
    {
      claim: (at) => deps.notifications.claim(leadId, notice, at),
      recordSent: (sent) => {
        const { messageId, claimId, attempt, at } = sent;
        const possibleRepeat = attempt > 1;
        const record = { messageId, claimId, attempt, possibleRepeat };
        return deps.notifications.recordSent(leadId, notice, sent, entry({ at, possibleRepeat, record }));
      },
    },
    email,
  );
}

/** Where one notice's claim is kept: on its lead (`Notifications`), or on its campaign. */
export type NoticeClaim = {
  claim(at: string): Promise<NotificationClaim>;
  recordSent(sent: SentNotice): Promise<'recorded' | 'already_recorded'>;
};

/**
 * Sends one notice once. It is claimed before the send and recorded after it, so a run that finds it
 * recorded sends nothing. A run that finds the claim open cannot know whether the earlier run's email
 * went out (SES cannot be asked by tag): a notice lost costs the bank more than a second email (a lead
 * nobody takes, a campaign nobody looks at), so it sends again, marked as a possible repeat under the
 * same claim id, and records that it did.
 */
export async function sendClaimed(
  deps: Pick<NotifyDeps, 'mail' | 'now'>,
  notice: NoticeClaim,
  email: (mark: NotificationMark) => Email,
): Promise<NotifyOutcome> {
  const claim = await notice.claim(deps.now().toISOString());
  if (claim.kind === 'already_sent') return { kind: 'already_sent', messageId: claim.messageId };
  const possibleRepeat = claim.attempt > 1;
  const messageId = await deps.mail.send(email({ claimId: claim.claimId, possibleRepeat }));

  const { claimId, attempt } = claim;
  const recorded = await notice.recordSent({ claimId, attempt, messageId, at: deps.now().toISOString() });
  // A concurrent attempt recorded its own send first; both emails carry the same claim id.
  if (recorded === 'already_recorded') return { kind: 'already_sent', messageId };
  return { kind: 'sent', messageId, attempt, possibleRepeat };
}
