import type { AcceptanceSlaConfig } from '../managers/acceptance-sla.ts';
import { offerTo } from './assign-manager.ts';
import type { Assignment, TimelineEntry } from './lead.ts';
import type { Leads, Managers, WorkflowAnswers, WorkflowStarter } from './ports.ts';

export type HandDeps = {
  leads: Leads;
  managers: Managers;
  workflows: WorkflowStarter;
  answers: WorkflowAnswers;
  acceptanceSla: AcceptanceSlaConfig;
  now: () => Date;
};

/**
 * Why a hand assignment changed nothing. `assigned`: the manager named holds the lead already, or it is
 * between two managers (a run is routing it); `decided`: its outcome is recorded; `stale`: it changed
 * hands while the head of unit decided, so the head looks again.
 */
export type HandRefusal =
  | 'not_found'
  | 'unknown_manager'
  | 'inactive_manager'
  | 'assigned'
  | 'decided'
  | 'stale';

export type HandResult =
  | {
      ok: true;
      leadId: string;
      managerId: string;
      assignmentId: string;
      dueAt: string;
      reassignedFrom?: string;
    }
  | { ok: false; refusal: HandRefusal };

/** Statuses of a lead nobody holds, waiting for the head of unit. */
const WAITING_FOR_THE_HEAD = new Set(['awaiting_manager', 'escalated']);
/** Statuses of a lead a manager holds: offered to them, or accepted and worked on. */
const HELD = new Set(['assigned', 'accepted']);

/**
 * The head of unit gives a lead to a manager by hand: any active manager, whatever their load or whether
 * they passed on it before, since the head decides knowingly. A lead nobody holds (no manager fitted, or
 * it was offered `maxAttempts` times) is assigned; a lead a manager holds, offered or accepted but with no
 * outcome yet, is taken from them (their unit comes back, and routing never offers it to them again) and
 * given to the new one, in the same write as the new manager's unit. A run waiting for the first
 * manager's answer is told and ends; a new LeadIntake run (named by the lead and the attempt, so a retry
 * starts one) waits for the new manager's answer with the same acceptance SLA: an accept ends it, a
 * decline or a timeout goes on as for any offer.
 */
export async function assignByHand(
  deps: HandDeps,
  head: { userId: string },
  leadId: string,
  request: { managerId: string; note?: string | undefined },
): Promise<HandResult> {
  const lead = await deps.leads.get(leadId);
  if (!lead) return { ok: false, refusal: 'not_found' };
  if (lead.outcome) return { ok: false, refusal: 'decided' };
  const held = lead.assignment && HELD.has(lead.status) ? lead.assignment : undefined;
  if (held?.managerId === request.managerId) return { ok: false, refusal: 'assigned' };
  if (!held && (lead.assignment || !WAITING_FOR_THE_HEAD.has(lead.status)))
    return { ok: false, refusal: 'assigned' };
  const manager = await deps.managers.get(request.managerId);
  if (!manager) return { ok: false, refusal: 'unknown_manager' };
  if (!manager.active) return { ok: false, refusal: 'inactive_manager' };

  const now = deps.now();
  const at = now.toISOString();
  // The manager who held it is excluded in the same write: the new offer comes after theirs.
  const attempt = (lead.exclusions?.length ?? 0) + (held ? 2 : 1);
  const assignment: Assignment = {
    ...offerTo(manager, lead, { kind: 'by_head_of_unit', now, attempt, sla: deps.acceptanceSla }),
    byHand: { by: head.userId, ...(request.note ? { note: request.note } : {}) },
  };
  const due = assignment.acceptance;
  const entry: TimelineEntry = {
    at,
    kind: 'assigned',
    details: {
      managerId: manager.managerId,
      by: head.userId,
      attempt,
      dueAt: due.dueAt,
      byHand: true,
      ...(held ? { fromManagerId: held.managerId } : {}),
    },
  };
  if (held) {
    if ((await deps.leads.reassign(leadId, held, assignment, entry)) !== 'reassigned')
      return { ok: false, refusal: 'stale' };
    // The run still waiting for the first manager's answer (an offer not accepted) ends.
    const wait = lead.acceptanceWait;
    if (!held.acceptedAt && wait?.assignmentId === held.assignmentId)
      await deps.answers.answer(wait.taskToken, { outcome: 'reassigned' });
  } else {
    const written = await deps.leads.assignIfUnassigned(leadId, assignment, {
      status: 'assigned',
      entry,
      // The decision that left the lead to the head stays as it was; the hand assignment is on the timeline.
      routing: lead.routing ?? {
        policyVersion: 'none',
        rule: 'unassigned',
        ranked: [],
        considered: [],
        at,
      },
      // The head may give a manager more than their capacity; the unit is counted so it comes back.
      capacity: { managerId: manager.managerId, withinLimit: false, turn: false },
    });
    if (written !== 'assigned') return { ok: false, refusal: 'assigned' };
  }
  await deps.workflows.startLeadIntake(leadId, `${leadId}-by-hand-${attempt}`);
  return {
    ok: true,
    leadId,
    managerId: manager.managerId,
    assignmentId: assignment.assignmentId,
    dueAt: due.dueAt,
    ...(held ? { reassignedFrom: held.managerId } : {}),
  };
}
