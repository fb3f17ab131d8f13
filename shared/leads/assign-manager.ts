import { leadEventId } from '#events/lead-events.ts';
import {
  type LeadFacts,
  type RoutingDecision,
  type RoutingPolicy,
  route,
  segmentOf,
} from '../managers/routing-policy.ts';
import { presenceAt } from '../managers/working-time.ts';
import { type IntakeDeps, loadLead } from './intake.ts';
import type { Assignment, Lead, RoutingRecord } from './lead.ts';

export type AssignmentResult = { managerId?: string };
export type AssignDeps = IntakeDeps & { routingPolicy: RoutingPolicy };

/** What routing reads of a lead: its segment, region, industry and products, and whose client it is. */
export function routingFactsOf(lead: Lead, existingClientManagerId?: string): LeadFacts {
  return {
    segment: segmentOf(lead.company.sizeBand),
    regionCode: lead.regionCode,
    ...(lead.company.industry ? { industry: lead.company.industry } : {}),
    products: lead.products,
    ...(existingClientManagerId ? { existingClientManagerId } : {}),
    ...(lead.attribution.referral ? { referrerManagerId: lead.attribution.referral.managerId } : {}),
  };
}

/**
 * Gives the lead to a personal manager by the routing policy (shared/managers/routing-policy.ts), trying
 * the ranked managers in order: a unit of the manager's capacity is taken in the same write as the
 * assignment, so one who filled up since the roster was read is passed for the next. The decision, with
 * every manager considered and why, is stored on the lead whoever gets it, or if nobody does.
 */
export async function assignManager(
  deps: AssignDeps,
  leadId: string,
  existingClientManagerId: string | undefined,
): Promise<AssignmentResult> {
  const lead = await loadLead(deps.leads, leadId);
  if (lead.assignment) return announceAssignment(deps, lead);
  const now = deps.now();
  const at = now.toISOString();
  const policy = deps.routingPolicy;
  const decision = route(policy, routingFactsOf(lead, existingClientManagerId), await deps.managers.list(), {
    now,
    presence: (manager, when) => presenceAt(manager, when, policy.nearHoursMinutes),
    excluded: lead.exclusions ?? [],
  });

  const full: string[] = [];
  for (const managerId of decision.ranked) {
    const ownClient = decision.rule === 'existing_client';
    const assignment: Assignment = ownClient
      ? { managerId, kind: 'existing_client', assignedAt: at }
      : { managerId, kind: 'acquisition', segment: segmentOf(lead.company.sizeBand), assignedAt: at };
    const routing: RoutingRecord = { ...decision, at, managerId, ...(full.length ? { full } : {}) };
    const outcome = await deps.leads.assignIfUnassigned(leadId, assignment, {
      status: ownClient ? 'handed_to_client_manager' : 'assigned',
      entry: {
        at,
        kind: 'assigned',
        summary: ownClient
          ? `Handed to the client's personal manager ${managerId}`
          : `Assigned to personal manager ${managerId} (${summaryOf(decision)})`,
        details: { managerId, rule: decision.rule, policyVersion: decision.policyVersion },
      },
      routing,
      // A client's own manager takes the enquiry whatever their load; the unit is counted all the same,
      // so that giving it back when the hold ends balances. Only rotation moves a manager's turn.
      capacity: { managerId, withinLimit: !ownClient, turn: decision.rule === 'best_fit' },
    });
    // Another lead took this manager's last unit since the roster was read: try the next one.
    if (outcome === 'no_capacity') {
      full.push(managerId);
      continue;
    }
    const stored = outcome === 'assigned' ? { ...lead, assignment } : await loadLead(deps.leads, leadId);
    return announceAssignment(deps, stored);
  }
  const waiting = await deps.leads.markAwaitingManager(
    leadId,
    {
      at,
      kind: 'awaiting_manager',
      summary: 'No personal manager fits with free capacity; waiting for the head of unit',
      details: { rule: 'unassigned', policyVersion: decision.policyVersion },
    },
    { ...decision, rule: 'unassigned', at, ...(full.length ? { full } : {}) },
  );
  if (waiting === 'already_assigned') return announceAssignment(deps, await loadLead(deps.leads, leadId));
  return {};
}

function summaryOf(decision: RoutingDecision): string {
  const why = {
    existing_client: "the client's own manager",
    referrer_manager: "the referring client's manager",
    best_fit: 'the best fit with free capacity',
    unassigned: 'nobody fits',
  }[decision.rule];
  return decision.outsideHours ? `${why}, from their next shift` : why;
}

/** Publishes the stored assignment; a retried step publishes the same event id again, never a different fact. */
async function announceAssignment(deps: IntakeDeps, lead: Lead): Promise<AssignmentResult> {
  const { assignment } = lead;
  if (!assignment) return {};
  await deps.events.publish('LeadAssigned', {
    eventId: leadEventId(lead.leadId, 'LeadAssigned'),
    version: 1,
    leadId: lead.leadId,
    occurredAt: assignment.assignedAt,
    managerId: assignment.managerId,
    assignmentKind: assignment.kind,
    ...(lead.leadClass ? { leadClass: lead.leadClass } : {}),
  });
  return { managerId: assignment.managerId };
}
