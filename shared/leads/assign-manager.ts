import { randomUUID } from 'node:crypto';
import { leadEventId } from '#events/lead-events.ts';
import { type AcceptanceSlaConfig, acceptanceDue } from '../managers/acceptance-sla.ts';
import type { PersonalManager } from '../managers/roster.ts';
import {
  type Exclusion,
  type LeadFacts,
  loadBound,
  type RoutingDecision,
  type RoutingPolicy,
  route,
  segmentOf,
} from '../managers/routing-policy.ts';
import { presenceAt } from '../managers/working-time.ts';
import { type IntakeDeps, loadLead } from './intake.ts';
import type { Assignment, Lead, RoutingRecord } from './lead.ts';

/**
 * What the LeadIntake execution does next: wait for the assigned manager's answer (for `timeoutSeconds`),
 * or end as accepted, escalated to the head of unit, or unassigned (in the head of unit's queue).
 */
export type AssignmentResult =
  | { outcome: 'assigned'; managerId: string; assignmentId: string; timeoutSeconds: number }
  | { outcome: 'accepted' | 'escalated' | 'unassigned' | 'reassigned' };
export type AssignDeps = IntakeDeps & { routingPolicy: RoutingPolicy; acceptanceSla: AcceptanceSlaConfig };

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
 *
 * The same step runs again when a manager declined (the decision ended their hold) or let the time run
 * out (`timedOut`): a timed-out hold is ended here, only if that assignment is still unaccepted, so an
 * accept that raced the timer wins. After `maxAttempts` offers the head of unit takes the lead.
 */
export async function assignManager(
  deps: AssignDeps,
  leadId: string,
  existingClientManagerId: string | undefined,
  back?: { waitedOn: string; timedOut: boolean },
): Promise<AssignmentResult> {
  let lead = await loadLead(deps.leads, leadId);
  const held = lead.assignment;
  if (back?.timedOut && held?.assignmentId === back.waitedOn && !held.acceptedAt) {
    lead = await endTimedOutHold(deps, lead, held);
  }
  // Back from a wait to a lead the head of unit gave to another manager: that offer has a run of its own.
  if (back && held?.kind === 'by_head_of_unit' && held.assignmentId !== back.waitedOn) {
    return { outcome: 'reassigned' };
  }
  if (lead.assignment?.acceptedAt) return { outcome: 'accepted' };
  if (lead.assignment) return announceAssignment(deps, lead);
  const exclusions = lead.exclusions ?? [];
  if (exclusions.length >= deps.acceptanceSla.maxAttempts) return escalate(deps, lead);

  const attempt = exclusions.length + 1;
  // Concurrent routings read the same roster: a best-fit claim holds only while the manager is no more
  // loaded than the next candidate was, and a routing outranked meanwhile reads the roster again and ranks
  // afresh, so equals take turns in a burst too. After FRESH_READS such rounds it claims on capacity alone.
  let round: Round | undefined;
  for (let fresh = 0; !round || round.kind === 'outranked'; fresh++) {
    round = await offerInRankOrder(deps, lead, existingClientManagerId, attempt, fresh < FRESH_READS);
  }
  if (round.kind === 'offered') return round.result;
  const { decision, at, full } = round;
  const waiting = await deps.leads.markAwaitingManager(
    leadId,
    {
      at,
      kind: 'awaiting_manager',
      details: { rule: 'unassigned', policyVersion: decision.policyVersion, attempt },
    },
    { ...decision, rule: 'unassigned', at, ...(full.length ? { full } : {}) },
    attempt,
  );
  if (waiting === 'already_assigned') return announceAssignment(deps, await loadLead(deps.leads, leadId));
  const last = exclusions.at(-1);
  if (last) {
    await deps.events.publish('LeadReassigned', {
      eventId: leadEventId(leadId, 'LeadReassigned', attempt),
      version: 1,
      leadId,
      occurredAt: at,
      fromManagerId: last.managerId,
      cause: reassignmentCause(last),
      attempt,
    });
  }
  // Nobody can take it: the head of unit is told, as for an escalation after the offers ran out.
  await deps.events.publish('LeadEscalated', {
    eventId: leadEventId(leadId, 'LeadEscalated', exclusions.length),
    version: 1,
    leadId,
    occurredAt: at,
    attempts: exclusions.length,
    cause: 'no_manager',
  });
  return { outcome: 'unassigned' };
}

/** Rounds of routing whose claims are bounded by the next candidate's load; then capacity alone decides. */
const FRESH_READS = 3;

type Round =
  | { kind: 'offered'; result: AssignmentResult }
  | { kind: 'outranked' }
  | { kind: 'nobody'; decision: RoutingDecision; at: string; full: string[] };

/**
 * One round of routing: reads the roster, decides, and tries the ranked managers in order: a unit of the
 * manager's capacity is taken in the same write as the assignment, so one who filled up since the roster
 * was read is passed for the next. `byLoad`: a best-fit claim is also bounded by the next one's load (the
 * last one's by their own load as read), and one outranked meanwhile is passed for the next too; when
 * every one was outranked the round says so, and the roster is read again.
 */
async function offerInRankOrder(
  deps: AssignDeps,
  lead: Lead,
  existingClientManagerId: string | undefined,
  attempt: number,
  byLoad: boolean,
): Promise<Round> {
  const now = deps.now();
  const at = now.toISOString();
  const policy = deps.routingPolicy;
  const managers = await deps.managers.list();
  const decision = route(policy, routingFactsOf(lead, existingClientManagerId), managers, {
    now,
    presence: (manager, when) => presenceAt(manager, when, policy.nearHoursMinutes),
    excluded: lead.exclusions ?? [],
  });
  const full: string[] = [];
  let outranked = false;
  const byId = new Map(managers.map((m) => [m.managerId, m]));
  for (const [rank, managerId] of decision.ranked.entries()) {
    const ownClient = decision.rule === 'existing_client';
    const rotation = decision.rule === 'best_fit';
    const manager = byId.get(managerId) as PersonalManager;
    // Best fit holds while the manager is still no more loaded than the next candidate was: equals take
    // turns, and a burst fills the least loaded only up to the next one's level.
    const next = byId.get(decision.ranked[rank + 1] ?? '') ?? manager;
    const bounded = rotation && byLoad && decision.ranked.length > 1;
    const assignment = offerTo(manager, lead, {
      kind: ownClient ? 'existing_client' : 'acquisition',
      now,
      attempt,
      sla: deps.acceptanceSla,
    });
    const due = assignment.acceptance;
    const routing: RoutingRecord = { ...decision, at, managerId, ...(full.length ? { full } : {}) };
    const outcome = await deps.leads.assignIfUnassigned(lead.leadId, assignment, {
      status: ownClient ? 'handed_to_client_manager' : 'assigned',
      entry: {
        at,
        kind: 'assigned',
        details: {
          managerId,
          rule: decision.rule,
          policyVersion: decision.policyVersion,
          attempt,
          dueAt: due.dueAt,
          // Routed outside the manager's working hours: the due time counts from their next shift.
          ...(decision.outsideHours ? { outsideHours: true } : {}),
        },
      },
      routing,
      // A client's own manager takes the enquiry whatever their load; the unit is counted all the same,
      // so that giving it back when the hold ends balances. Only rotation moves a manager's turn.
      capacity: {
        managerId,
        withinLimit: !ownClient,
        turn: rotation,
        ...(bounded ? { loadAtMost: loadBound(manager, next) } : {}),
      },
    });
    if (outcome === 'outranked') {
      outranked = true;
      continue;
    }
    // Another lead took this manager's last unit since the roster was read: try the next one.
    if (outcome === 'no_capacity') {
      full.push(managerId);
      continue;
    }
    const stored = outcome === 'assigned' ? { ...lead, assignment } : await loadLead(deps.leads, lead.leadId);
    return { kind: 'offered', result: await announceAssignment(deps, stored) };
  }
  if (outranked) return { kind: 'outranked' };
  return { kind: 'nobody', decision, at, full };
}

/**
 * A new offer of the lead to the manager: a fresh assignment id, the attempt, and the due time counted in
 * the manager's working time by the acceptance SLA. A client's own manager's offer carries no segment.
 */
export function offerTo(
  manager: PersonalManager,
  lead: Lead,
  offer: { kind: Assignment['kind']; now: Date; attempt: number; sla: AcceptanceSlaConfig },
): Assignment {
  const due = acceptanceDue(manager, offer.now, lead.leadClass, offer.sla);
  return {
    assignmentId: randomUUID(),
    managerId: manager.managerId,
    kind: offer.kind,
    ...(offer.kind === 'existing_client' ? {} : { segment: segmentOf(lead.company.sizeBand) }),
    assignedAt: offer.now.toISOString(),
    attempt: offer.attempt,
    acceptance: {
      dueAt: due.dueAt,
      basis: due.basis,
      minutes: due.minutes,
      configVersion: due.configVersion,
    },
  };
}

/** The manager let the time run out: their hold ends (capacity given back), unless they accepted meanwhile. */
async function endTimedOutHold(deps: AssignDeps, lead: Lead, assignment: Assignment): Promise<Lead> {
  const { managerId, attempt } = assignment;
  await deps.leads.endHold(
    lead.leadId,
    assignment,
    { managerId, why: 'timed_out' },
    {
      at: deps.now().toISOString(),
      kind: 'acceptance_timed_out',
      details: { managerId, attempt, dueAt: assignment.acceptance.dueAt },
    },
  );
  // Ended here, or decided meanwhile (accepted, or declined by the manager): what is stored says which.
  return loadLead(deps.leads, lead.leadId);
}

/** Offered to `maxAttempts` managers without an acceptance: the head of unit assigns the lead by hand. */
async function escalate(deps: AssignDeps, lead: Lead): Promise<AssignmentResult> {
  const attempts = lead.exclusions?.length ?? 0;
  const at = deps.now().toISOString();
  const recorded = await deps.leads.markEscalated(
    lead.leadId,
    {
      at,
      kind: 'escalated',
      details: { attempts, cause: 'attempts_exhausted' },
    },
    attempts,
  );
  // Assigned meanwhile (by the head of unit): that assignment is what the execution goes on with.
  if (recorded === 'already_assigned')
    return announceAssignment(deps, await loadLead(deps.leads, lead.leadId));
  await deps.events.publish('LeadEscalated', {
    eventId: leadEventId(lead.leadId, 'LeadEscalated', attempts),
    version: 1,
    leadId: lead.leadId,
    occurredAt: at,
    attempts,
    cause: 'attempts_exhausted',
  });
  return { outcome: 'escalated' };
}

/**
 * Publishes the stored assignment (LeadAssigned for the first manager, LeadReassigned after a decline or a
 * timeout) and answers how long its manager has left; a retried step publishes the same event id again.
 */
async function announceAssignment(deps: AssignDeps, lead: Lead): Promise<AssignmentResult> {
  const { assignment } = lead;
  if (!assignment) return { outcome: 'unassigned' };
  if (assignment.acceptedAt) return { outcome: 'accepted' };
  const { managerId, assignmentId, attempt } = assignment;
  const previous = lead.exclusions?.at(-1);
  if (attempt > 1 && previous) {
    await deps.events.publish('LeadReassigned', {
      eventId: leadEventId(lead.leadId, 'LeadReassigned', attempt),
      version: 1,
      leadId: lead.leadId,
      occurredAt: assignment.assignedAt,
      fromManagerId: previous.managerId,
      toManagerId: managerId,
      cause: assignment.kind === 'by_head_of_unit' ? 'by_head_of_unit' : reassignmentCause(previous),
      attempt,
    });
  } else {
    await deps.events.publish('LeadAssigned', {
      eventId: leadEventId(lead.leadId, 'LeadAssigned'),
      version: 1,
      leadId: lead.leadId,
      occurredAt: assignment.assignedAt,
      managerId,
      assignmentKind: assignment.kind,
      ...(lead.leadClass ? { leadClass: lead.leadClass } : {}),
    });
  }
  // A retried step waits only for what is left of the manager's time.
  const left = Math.ceil((Date.parse(assignment.acceptance.dueAt) - deps.now().getTime()) / 1000);
  const timeoutSeconds = Math.max(deps.acceptanceSla.minimumWaitSeconds, left);
  return { outcome: 'assigned', managerId, assignmentId, timeoutSeconds };
}

/** Why the lead left the manager it was offered to, as LeadReassigned says it. */
const reassignmentCause = (ended: Exclusion) => (ended.why === 'reassigned' ? 'by_head_of_unit' : ended.why);
