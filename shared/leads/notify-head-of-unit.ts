import { type Escalation, headOfUnitNotification, type UnitMailbox } from './head-of-unit-email.ts';
import { loadLead } from './intake.ts';
import type { LeadStatus } from './lead.ts';
import { type NotifyDeps, type NotifyOutcome, sendOnce } from './notify-manager.ts';
import { headOfUnitNotice } from './ports.ts';

export type HeadOfUnitAlertDeps = Pick<NotifyDeps, 'leads' | 'notifications' | 'mail' | 'now'> & {
  unitMailbox: UnitMailbox;
  /** The API's address, so the email's routes can be followed as they are; paths alone without it. */
  apiUrl?: string;
};

/** The head of unit's queue: the statuses of a lead nobody holds. */
const WAITING: readonly LeadStatus[] = ['awaiting_manager', 'escalated'];

export type HeadOfUnitAlertOutcome = NotifyOutcome | { kind: 'no_longer_waiting'; status: LeadStatus };

/**
 * Tells the PM unit's mailbox that a lead waits for its head (a LeadEscalated event), once per event: the
 * notice is keyed by the event's id, so a redelivered event finds it sent (see `sendOnce`). A lead given
 * to a manager meanwhile (by hand, before the event arrived) waits no more: nothing is sent.
 */
export async function notifyHeadOfUnit(
  deps: HeadOfUnitAlertDeps,
  escalation: Escalation,
): Promise<HeadOfUnitAlertOutcome> {
  const lead = await loadLead(deps.leads, escalation.leadId);
  if (lead.assignment || !WAITING.includes(lead.status)) {
    return { kind: 'no_longer_waiting', status: lead.status };
  }
  const { eventId, cause, attempts } = escalation;
  return sendOnce(
    deps,
    lead.leadId,
    headOfUnitNotice(eventId),
    (mark) => headOfUnitNotification(lead, escalation, deps.unitMailbox, { mark, apiUrl: deps.apiUrl }),
    (sent) => ({
      at: sent.at,
      kind: 'head_of_unit_notified',
      details: { eventId, cause, attempts, ...sent.record },
    }),
  );
}
