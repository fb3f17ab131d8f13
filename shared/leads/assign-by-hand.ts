import type { AcceptanceSlaConfig } from '../managers/acceptance-sla.ts';
import { offerTo } from './assign-manager.ts';
import type { Assignment } from './lead.ts';
import type { Leads, Managers, WorkflowStarter } from './ports.ts';

export type HandDeps = {
  leads: Leads;
  managers: Managers;
  workflows: WorkflowStarter;
  acceptanceSla: AcceptanceSlaConfig;
  now: () => Date;
};

export type HandResult =
  | { ok: true; leadId: string; managerId: string; assignmentId: string; dueAt: string }
  | { ok: false; refusal: 'not_found' | 'unknown_manager' | 'inactive_manager' | 'assigned' };

/** Statuses of a lead nobody holds, waiting for the head of unit. */
const WAITING_FOR_THE_HEAD = new Set(['awaiting_manager', 'escalated']);

/**
 * The head of unit gives a lead nobody could take (no manager fitted, or it was offered `maxAttempts`
 * times) to a manager by hand: any active manager, whatever their load or whether they passed on it
 * before, since the head decides knowingly. The unit of capacity is taken in the same write as the
 * assignment, and a new LeadIntake run (named by the lead and the attempt, so a retry starts one) waits
 * for that manager's answer with the same acceptance SLA: an accept ends it, a decline or a timeout
 * brings the lead back to the head.
 */
export async function assignByHand(
  deps: HandDeps,
  head: { userId: string },
  leadId: string,
  request: { managerId: string; note?: string | undefined },
): Promise<HandResult> {
  const lead = await deps.leads.get(leadId);
  if (!lead) return { ok: false, refusal: 'not_found' };
  if (lead.assignment || !WAITING_FOR_THE_HEAD.has(lead.status)) return { ok: false, refusal: 'assigned' };
  const manager = await deps.managers.get(request.managerId);
  if (!manager) return { ok: false, refusal: 'unknown_manager' };
  if (!manager.active) return { ok: false, refusal: 'inactive_manager' };

  const now = deps.now();
  const at = now.toISOString();
  const attempt = (lead.exclusions?.length ?? 0) + 1;
  const assignment: Assignment = {
    ...offerTo(manager, lead, { kind: 'by_head_of_unit', now, attempt, sla: deps.acceptanceSla }),
    byHand: { by: head.userId, ...(request.note ? { note: request.note } : {}) },
  };
  const due = assignment.acceptance;
  const written = await deps.leads.assignIfUnassigned(leadId, assignment, {
    status: 'assigned',
    entry: {
      at,
      kind: 'assigned',
      summary: `Assigned by hand to personal manager ${manager.managerId} by the head of unit`,
      details: { managerId: manager.managerId, by: head.userId, attempt, dueAt: due.dueAt, byHand: true },
    },
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
  await deps.workflows.startLeadIntake(leadId, `${leadId}-by-hand-${attempt}`);
  return {
    ok: true,
    leadId,
    managerId: manager.managerId,
    assignmentId: assignment.assignmentId,
    dueAt: due.dueAt,
  };
}
