import { type PersonalManager, STANDARD_WEEK } from '#shared/managers/roster.ts';
import {
  DEFAULT_ROUTING_POLICY,
  type Exclusion,
  type LeadFacts,
  type Presence,
  type RoutingDecision,
  type RoutingPolicy,
  route,
} from '#shared/managers/routing-policy.ts';

/** Fixtures of the routing tests: a roster of managers, a lead's facts, and a decision read back. */
export const NOW = new Date('2026-11-11T10:00:00Z');
// Times a PM was last given a lead, oldest first.
export const [T1, T2, T3] = ['2026-11-10T09:00:00Z', '2026-11-11T09:00:00Z', '2026-11-11T10:00:00Z'];

export const manager = (managerId: string, overrides: Partial<PersonalManager> = {}): PersonalManager => ({
  ...{ managerId, name: `Manager ${managerId}`, email: `${managerId}@bank.example`, language: 'ru' },
  ...{ segments: ['mid_market'], regions: ['77'], industries: ['*'], products: ['credit'], capacity: 10 },
  ...{ weight: 1, workingHours: STANDARD_WEEK, holidays: [], absences: [], active: true, activeLeads: 0 },
  ...overrides,
});

export const facts: LeadFacts = {
  segment: 'mid_market',
  regionCode: '77',
  industry: 'it',
  products: ['credit'],
};

/** Presence by id from a table; everyone not named is at work. */
export function presenceOf(table: Record<string, Presence> = {}) {
  return (m: PersonalManager): Presence => table[m.managerId] ?? 'working';
}

type Options = { facts?: Partial<LeadFacts>; policy?: RoutingPolicy; excluded?: Exclusion[] };
export const decide = (
  managers: PersonalManager[],
  o: Options & { presence?: Record<string, Presence> } = {},
) =>
  route(o.policy ?? DEFAULT_ROUTING_POLICY, { ...facts, ...o.facts }, managers, {
    now: NOW,
    presence: presenceOf(o.presence),
    excluded: o.excluded ?? [],
  });

/** The rule, who to try, and why the named PM was passed over. */
export const outcome = (d: RoutingDecision, pm = '') =>
  pm ? [d.rule, d.ranked, d.considered.find((c) => c.managerId === pm)?.reasons] : [d.rule, d.ranked];
