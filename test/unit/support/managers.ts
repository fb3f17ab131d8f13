import { randomUUID } from 'node:crypto';
import type { Assignment, RoutingRecord } from '#shared/leads/lead.ts';
import { type PersonalManager, STANDARD_WEEK } from '#shared/managers/roster.ts';

/** Managers and routing decisions for tests: the port contract's, the use cases' and the e2e's. */
const T0 = '2026-11-23T10:00:00.000Z';

export function aManager(overrides: Partial<PersonalManager> = {}): PersonalManager {
  return {
    managerId: `pm-${randomUUID()}`,
    name: 'Elena Ivanova',
    email: 'e.ivanova@bank.example',
    language: 'ru',
    segments: ['mid_market'],
    regions: ['77'],
    industries: ['*'],
    products: ['credit'],
    capacity: 5,
    weight: 1,
    workingHours: STANDARD_WEEK,
    holidays: [],
    absences: [],
    activeLeads: 0,
    active: true,
    ...overrides,
  };
}

/** A routing decision as the assignment step stores it, naming the manager it gave the lead to. */
export function aRouting(managerId?: string, rule: RoutingRecord['rule'] = 'best_fit'): RoutingRecord {
  return {
    policyVersion: 'routing-test',
    rule,
    ranked: managerId ? [managerId] : [],
    considered: managerId ? [{ managerId, verdict: 'ranked', reasons: [], load: '0/5' }] : [],
    at: T0,
    ...(managerId ? { managerId } : {}),
  };
}

/** The assignment step's write for a rotation pick: within the limit, the manager's turn moved. */
export const byRotation = (managerId: string) => ({
  routing: aRouting(managerId),
  capacity: { managerId, withinLimit: true, turn: true },
});

/** An open assignment of a lead to a manager, due an hour after it was made. */
export function anAssignment(managerId: string, overrides: Partial<Assignment> = {}): Assignment {
  const assignedAt = overrides.assignedAt ?? T0;
  return {
    assignmentId: randomUUID(),
    managerId,
    kind: 'acquisition',
    assignedAt,
    attempt: 1,
    acceptance: {
      dueAt: new Date(Date.parse(assignedAt) + 3_600_000).toISOString(),
      basis: 'working_time',
      minutes: 60,
      configVersion: 'acceptance-sla-test',
    },
    ...overrides,
  };
}
