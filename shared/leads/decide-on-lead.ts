import { leadEventId } from '#events/lead-events.ts';
import { outcomesConfig } from '../managers/outcomes.ts';
import { workingMinutesBetween } from '../managers/working-time.ts';
import { loadLead } from './intake.ts';
import type { Assignment, Lead, LeadStatus } from './lead.ts';
import type { LeadEvents, Leads, Managers, WorkflowAnswers } from './ports.ts';

/** A personal manager's answer to a lead offered to them. */
export type Decision =
  | { action: 'accept' }
  | { action: 'decline'; reasonCode: string; note?: string | undefined };

export type DecisionDeps = {
  leads: Leads;
  managers: Managers;
  events: LeadEvents;
  answers: WorkflowAnswers;
  now: () => Date;
};

/**
 * Why an answer changed nothing. `not_found`: no such lead, or one this manager never held (a PM learns
 * nothing of a colleague's lead, as on reads); `reassigned`: it was theirs, and went to another manager
 * after their decline or when their time ran out; `decided`: its assignment was accepted already;
 * `stale`: the answer was for an earlier assignment of the lead.
 */
export type DecisionRefusal = 'not_found' | 'reassigned' | 'decided' | 'stale';

export type DecisionOutcome =
  | { ok: true; leadId: string; status: LeadStatus; decidedAt: string }
  | { ok: false; refusal: DecisionRefusal };

/**
 * A manager accepts or declines the lead offered to them. The decision is written only while that
 * assignment is the lead's open one, so of concurrent answers exactly one wins; a decline gives the
 * manager's unit of capacity back in the same write. The waiting LeadIntake execution is then told; if it
 * waits no more (its time ran out at that moment), it reads the decision from the lead.
 */
export async function decideOnLead(
  deps: DecisionDeps,
  manager: { managerId: string; userId: string },
  leadId: string,
  decision: Decision,
  answering?: { assignmentId: string },
): Promise<DecisionOutcome> {
  const lead = await deps.leads.get(leadId);
  const refusal = lead ? refusalOf(lead, manager.managerId, answering) : 'not_found';
  if (refusal || !lead?.assignment) return { ok: false, refusal: refusal ?? 'not_found' };
  const { assignment } = lead;
  const at = deps.now().toISOString();

  const written =
    decision.action === 'accept'
      ? await accept(deps, lead, assignment, manager.userId, at)
      : await decline(deps, lead, assignment, decision, manager.userId, at);
  if (!written) {
    // Another answer won the race: say which, from what is stored now.
    const now = await loadLead(deps.leads, leadId);
    return { ok: false, refusal: refusalOf(now, manager.managerId, assignment) ?? 'decided' };
  }

  // The token is kept before the manager is emailed; an answer that came sooner finds it on a second read
  // (or, if the wait was set up after this write, the wait itself sees the decision and does not start).
  let wait = lead.acceptanceWait;
  if (wait?.assignmentId !== assignment.assignmentId)
    wait = (await loadLead(deps.leads, leadId)).acceptanceWait;
  if (wait?.assignmentId === assignment.assignmentId) {
    await deps.answers.answer(wait.taskToken, {
      outcome: decision.action === 'accept' ? 'accepted' : 'declined',
    });
  }
  return {
    ok: true,
    leadId,
    status: decision.action === 'accept' ? 'accepted' : 'reassigning',
    decidedAt: at,
  };
}

function refusalOf(
  lead: Lead,
  managerId: string,
  answering: { assignmentId: string } | undefined,
): DecisionRefusal | undefined {
  const { assignment } = lead;
  if (assignment?.managerId !== managerId) {
    const heldBefore = lead.exclusions?.some((e) => e.managerId === managerId);
    return heldBefore ? 'reassigned' : 'not_found';
  }
  if (answering && answering.assignmentId !== assignment.assignmentId) return 'stale';
  if (assignment.acceptedAt) return 'decided';
  return undefined;
}

async function accept(
  deps: DecisionDeps,
  lead: Lead,
  assignment: Assignment,
  by: string,
  at: string,
): Promise<boolean> {
  const { managerId, attempt, acceptance } = assignment;
  const withinSla = at <= acceptance.dueAt;
  const written = await deps.leads.acceptAssignment(lead.leadId, assignment, at, {
    at,
    kind: 'accepted',
    details: { managerId, by, attempt, dueAt: acceptance.dueAt, withinSla },
  });
  if (written === 'not_open') return false;
  const schedule = await deps.managers.get(managerId);
  await deps.events.publish('LeadAccepted', {
    eventId: leadEventId(lead.leadId, 'LeadAccepted', attempt),
    version: 1,
    leadId: lead.leadId,
    occurredAt: at,
    managerId,
    attempt,
    acceptedAt: at,
    withinSla,
    workingMinutesTaken: schedule
      ? workingMinutesBetween(schedule, new Date(assignment.assignedAt), new Date(at))
      : 0,
    configVersion: acceptance.configVersion,
  });
  return true;
}

async function decline(
  deps: DecisionDeps,
  lead: Lead,
  assignment: Assignment,
  decision: Extract<Decision, { action: 'decline' }>,
  by: string,
  at: string,
): Promise<boolean> {
  const { managerId, attempt } = assignment;
  const written = await deps.leads.endHold(
    lead.leadId,
    assignment,
    { managerId, why: 'declined' },
    {
      at,
      kind: 'declined',
      // The manager's own words stay on the lead (they may name people); events carry the code only.
      details: {
        managerId,
        by,
        attempt,
        reasonCode: decision.reasonCode,
        configVersion: outcomesConfig.version,
        ...(decision.note ? { note: decision.note } : {}),
      },
    },
  );
  if (written === 'not_open') return false;
  await deps.events.publish('LeadDeclined', {
    eventId: leadEventId(lead.leadId, 'LeadDeclined', attempt),
    version: 1,
    leadId: lead.leadId,
    occurredAt: at,
    managerId,
    attempt,
    reasonCode: decision.reasonCode,
    configVersion: outcomesConfig.version,
  });
  return true;
}
