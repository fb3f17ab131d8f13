import { loadLead } from './intake.ts';
import { managerNotification } from './manager-email.ts';
import type { Leads, Mail, Managers, Notifications } from './ports.ts';

export type NotifyDeps = {
  leads: Leads;
  managers: Managers;
  notifications: Notifications;
  mail: Mail;
  now: () => Date;
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

/**
 * Emails the assigned manager the lead with its score breakdown. The notification is claimed before the
 * send and recorded after it, so a run that finds it recorded sends nothing. A run that finds the claim
 * open cannot know whether the earlier run's email went out (SES cannot be asked by tag): a lost lead
 * costs the bank more than a second email, so it sends again, marked as a possible repeat under the same
 * claim id, and records that it did.
 */
export async function notifyManager(deps: NotifyDeps, leadId: string): Promise<NotifyOutcome> {
  const lead = await loadLead(deps.leads, leadId);
  const managerId = lead.assignment?.managerId;
  if (!managerId) throw new NoManagerToNotify(`Lead ${leadId} has no manager to notify`);
  // Looked up before claiming: a manager missing from the directory must not leave a claim open.
  const manager = await deps.managers.get(managerId);
  if (!manager) throw new ManagerNotInDirectory(`Personal manager ${managerId} is not in the directory`);

  const claim = await deps.notifications.claim(leadId, managerId, deps.now().toISOString());
  if (claim.kind === 'already_sent') return { kind: 'already_sent', messageId: claim.messageId };
  const possibleRepeat = claim.attempt > 1;
  const messageId = await deps.mail.send(
    managerNotification(lead, manager, { claimId: claim.claimId, possibleRepeat }),
  );

  const at = deps.now().toISOString();
  const recorded = await deps.notifications.recordSent(
    leadId,
    managerId,
    { claimId: claim.claimId, attempt: claim.attempt, messageId, at },
    {
      at,
      kind: 'manager_notified',
      summary: possibleRepeat
        ? `Personal manager ${managerId} notified by email, marked as a possible repeat: an earlier attempt may have sent it`
        : `Personal manager ${managerId} notified by email`,
      details: { managerId, messageId, claimId: claim.claimId, attempt: claim.attempt, possibleRepeat },
    },
  );
  // A concurrent attempt recorded its own send first; both emails carry the same claim id.
  if (recorded === 'already_recorded') return { kind: 'already_sent', messageId };
  return { kind: 'sent', messageId, attempt: claim.attempt, possibleRepeat };
}
