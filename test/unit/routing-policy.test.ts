import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDUSTRIES } from '#shared/leads/lead-submission.ts';
import { type PersonalManager, STANDARD_WEEK } from '#shared/managers/roster.ts';
import {
  DEFAULT_ROUTING_POLICY,
  type Exclusion,
  isBackFromAbsence,
  type LeadFacts,
  type PassReason,
  type Presence,
  parseRoutingPolicy,
  type RoutingDecision,
  RoutingDecision as RoutingDecisionSchema,
  type RoutingPolicy,
  route,
} from '#shared/managers/routing-policy.ts';

const NOW = new Date('2026-11-11T10:00:00Z');

const manager = (managerId: string, overrides: Partial<PersonalManager> = {}): PersonalManager => ({
  managerId,
  name: `Manager ${managerId}`,
  email: `${managerId}@bank.example`,
  language: 'ru',
  segments: ['mid_market'],
  regions: ['77'],
  industries: ['*'],
  products: ['credit'],
  capacity: 10,
  weight: 1,
  workingHours: STANDARD_WEEK,
  holidays: [],
  absences: [],
  active: true,
  activeLeads: 0,
  ...overrides,
});

const facts: LeadFacts = { segment: 'mid_market', regionCode: '77', industry: 'it', products: ['credit'] };

/** Presence by id from a table; everyone not named is at work. */
const presenceOf =
  (table: Record<string, Presence> = {}) =>
  (m: PersonalManager): Presence =>
    table[m.managerId] ?? 'working';

const decide = (
  managers: PersonalManager[],
  options: {
    facts?: Partial<LeadFacts>;
    policy?: RoutingPolicy;
    presence?: Record<string, Presence>;
    excluded?: Exclusion[];
    now?: Date;
  } = {},
): RoutingDecision =>
  route(options.policy ?? DEFAULT_ROUTING_POLICY, { ...facts, ...options.facts }, managers, {
    now: options.now ?? NOW,
    presence: presenceOf(options.presence),
    excluded: options.excluded ?? [],
  });

const reasonsOf = (decision: RoutingDecision, managerId: string) =>
  decision.considered.find((c) => c.managerId === managerId)?.reasons;

/**
 * Routes `leads` leads one after another, each to the first ranked manager, as the caller would: the one
 * given a lead gets lastAssignedAt = now and one more open lead, unless `release` closes it at once.
 */
function simulate(
  roster: PersonalManager[],
  leads: number,
  { policy = DEFAULT_ROUTING_POLICY, release = false } = {},
): { counts: Record<string, number>; order: string[] } {
  const managers = roster.map((m) => ({ ...m }));
  const counts = Object.fromEntries(managers.map((m) => [m.managerId, 0]));
  const order: string[] = [];
  for (let i = 0; i < leads; i++) {
    const now = new Date(NOW.getTime() + i * 60_000);
    const decision = route(policy, facts, managers, { now, presence: presenceOf(), excluded: [] });
    const chosen = managers.find((m) => m.managerId === decision.ranked[0]);
    if (!chosen) break;
    chosen.lastAssignedAt = now.toISOString();
    if (!release) chosen.activeLeads += 1;
    counts[chosen.managerId] = (counts[chosen.managerId] ?? 0) + 1;
    order.push(chosen.managerId);
  }
  return { counts, order };
}

const spread = (counts: Record<string, number>) =>
  Math.max(...Object.values(counts)) - Math.min(...Object.values(counts));

describe('RoutingPolicy', () => {
  it('defaults to PMs at work or near their hours, no catch-up, a five-day return window, referrer first', () => {
    expect(DEFAULT_ROUTING_POLICY).toEqual({
      version: 'routing-2026-11',
      presenceAllowed: ['working', 'near_hours'],
      nearHoursMinutes: 30,
      catchUpAfterAbsence: false,
      returnWindowDays: 5,
      preferReferrerManager: true,
    });
  });

  it.each([
    [{ version: 'x', presenceAllowed: ['working', 'absent'] }, 'presenceAllowed.1'],
    [{ version: 'x', presenceAllowed: ['working', 'holiday'] }, 'presenceAllowed.1'],
    [{ version: 'x', presenceAllowed: ['near_hours'] }, 'presenceAllowed'],
    [{ version: 'x', returnWindowDays: -1 }, 'returnWindowDays'],
    [{ version: '' }, 'version'],
    [{ version: 'x', roundRobin: false }, 'roundRobin'],
  ])('refuses %j at %s', (json, path) => {
    expect(() => parseRoutingPolicy(json)).toThrow(`Invalid routing policy: ${path}:`);
  });
});

describe('route: (a) existing client', () => {
  it("gives the lead to the client's own PM whatever their load, hours or skills", () => {
    const decision = decide(
      [manager('owner', { activeLeads: 10, segments: ['corporate'], regions: ['78'] }), manager('free')],
      { facts: { existingClientManagerId: 'owner' }, presence: { owner: 'off_hours' } },
    );
    expect(decision).toEqual({
      policyVersion: 'routing-2026-11',
      rule: 'existing_client',
      ranked: ['owner'],
      considered: [
        { managerId: 'owner', verdict: 'ranked', reasons: [], load: '10/10' },
        { managerId: 'free', verdict: 'passed_over', reasons: [], load: '0/10' },
      ],
    });
  });

  it.each([
    ['declined', 'declined_before'],
    ['timed_out', 'timed_out_before'],
  ] as const)('hands the lead on when the owner %s it', (why, reason) => {
    const decision = decide([manager('owner'), manager('other')], {
      facts: { existingClientManagerId: 'owner' },
      excluded: [{ managerId: 'owner', why }],
    });
    expect(decision.rule).toBe('best_fit');
    expect(decision.ranked).toEqual(['other']);
    expect(reasonsOf(decision, 'owner')).toEqual([reason]);
  });

  it('hands the lead on when the owner is inactive, or no longer in the roster', () => {
    const inactive = decide([manager('owner', { active: false }), manager('other')], {
      facts: { existingClientManagerId: 'owner' },
    });
    expect([inactive.rule, inactive.ranked, reasonsOf(inactive, 'owner')]).toEqual([
      'best_fit',
      ['other'],
      ['inactive'],
    ]);
    const gone = decide([manager('other')], { facts: { existingClientManagerId: 'left-bank' } });
    expect([gone.rule, gone.ranked, gone.unknownManagerIds]).toEqual(['best_fit', ['other'], ['left-bank']]);
  });
});

describe("route: (b) the referrer's PM", () => {
  it('offers the lead to the referrer PM first, though more loaded, then to the best fits', () => {
    const decision = decide(
      [
        manager('ref', { activeLeads: 8 }),
        manager('b', { activeLeads: 1 }),
        manager('a', { activeLeads: 2 }),
      ],
      { facts: { referrerManagerId: 'ref' } },
    );
    expect(decision.rule).toBe('referrer_manager');
    expect(decision.ranked).toEqual(['ref', 'b', 'a']);
  });

  it.each<[string, Partial<PersonalManager>, Record<string, Presence>, Exclusion[], PassReason]>([
    ['full', { activeLeads: 10 }, {}, [], 'no_capacity'],
    ['away', {}, { ref: 'absent' }, [], 'absent'],
    ['in another region', { regions: ['78'] }, {}, [], 'region'],
    ['declined before', {}, {}, [{ managerId: 'ref', why: 'declined' }], 'declined_before'],
  ])('passes the referrer PM over when %s', (_, overrides, presence, excluded, reason) => {
    const decision = decide([manager('ref', overrides), manager('other', { activeLeads: 5 })], {
      facts: { referrerManagerId: 'ref' },
      presence,
      excluded,
    });
    expect([decision.rule, decision.ranked, reasonsOf(decision, 'ref')]).toEqual([
      'best_fit',
      ['other'],
      [reason],
    ]);
  });

  it('ranks by best fit alone when the policy does not prefer the referrer PM', () => {
    const policy = parseRoutingPolicy({ version: 'no-referrer', preferReferrerManager: false });
    const decision = decide([manager('ref', { activeLeads: 8 }), manager('b', { activeLeads: 1 })], {
      facts: { referrerManagerId: 'ref' },
      policy,
    });
    expect([decision.policyVersion, decision.rule, decision.ranked]).toEqual([
      'no-referrer',
      'best_fit',
      ['b', 'ref'],
    ]);
  });
});

describe('route: (c) best fit and (d) unassigned', () => {
  it('says why each PM was passed over, every reason that applies', () => {
    const decision = decide(
      [
        manager('fits'),
        manager('anywhere', { regions: ['*'], industries: ['trade', '*'] }),
        manager('inactive', { active: false }),
        manager('absent'),
        manager('holiday'),
        manager('off'),
        manager('corporate', { segments: ['corporate'] }),
        manager('spb', { regions: ['78'] }),
        manager('trade', { industries: ['trade'] }),
        manager('full', { activeLeads: 10 }),
        manager('no-room', { capacity: 0 }),
        manager('many', { active: false, regions: ['78'], activeLeads: 12 }),
      ],
      { presence: { absent: 'absent', holiday: 'holiday', off: 'off_hours', many: 'absent' } },
    );
    expect(decision.rule).toBe('best_fit');
    expect(decision.ranked).toEqual(['anywhere', 'fits']);
    expect(Object.fromEntries(decision.considered.map((c) => [c.managerId, c.reasons]))).toEqual({
      fits: [],
      anywhere: [],
      inactive: ['inactive'],
      absent: ['absent'],
      holiday: ['holiday'],
      off: ['off_hours'],
      corporate: ['segment'],
      spb: ['region'],
      trade: ['industry'],
      full: ['no_capacity'],
      'no-room': ['no_capacity'],
      many: ['inactive', 'absent', 'region', 'no_capacity'],
    });
  });

  it('lets PMs near their hours take leads unless the policy wants them at work', () => {
    const roster = [manager('near'), manager('busy', { activeLeads: 3 })];
    expect(decide(roster, { presence: { near: 'near_hours' } }).ranked).toEqual(['near', 'busy']);
    const strict = parseRoutingPolicy({ version: 'strict', presenceAllowed: ['working'] });
    const decision = decide(roster, { presence: { near: 'near_hours' }, policy: strict });
    expect([decision.ranked, reasonsOf(decision, 'near')]).toEqual([['busy'], ['off_hours']]);
  });

  it('passes over nobody for an industry the lead does not give', () => {
    const decision = decide([manager('trade', { industries: ['trade'] })], {
      facts: { industry: undefined },
    });
    expect(decision.ranked).toEqual(['trade']);
  });

  it('ranks by load over capacity x weight, exactly, then skills, then longest since a lead, then id', () => {
    const decision = decide(
      [
        manager('most', { activeLeads: 9 }),
        manager('half-of-4', { activeLeads: 2, capacity: 4, lastAssignedAt: '2026-11-11T09:00:00Z' }),
        manager('half-of-2', { activeLeads: 1, capacity: 2, lastAssignedAt: '2026-11-10T09:00:00Z' }),
        manager('half-skilled', {
          activeLeads: 5,
          products: ['credit', 'fx'],
          lastAssignedAt: NOW.toISOString(),
        }),
        manager('half-never', { activeLeads: 5 }),
        manager('half-b', { activeLeads: 3, capacity: 6, lastAssignedAt: '2026-11-11T09:00:00Z' }),
        manager('heavy', { activeLeads: 6, weight: 2 }),
        manager('idle', { activeLeads: 0, capacity: 1 }),
      ],
      { facts: { products: ['credit', 'fx'] } },
    );
    expect(decision.ranked).toEqual([
      'idle',
      'heavy', // 6 of 10 x 2 is 0.3
      'half-skilled',
      'half-never',
      'half-of-2',
      'half-b',
      'half-of-4',
      'most',
    ]);
    expect(decision.considered.map((c) => c.managerId)).toEqual(decision.ranked);
  });

  it('leaves the lead unassigned when nobody fits, and says why of each', () => {
    const decision = decide([manager('full', { activeLeads: 10 }), manager('away')], {
      presence: { away: 'holiday' },
    });
    expect(decision).toEqual({
      policyVersion: 'routing-2026-11',
      rule: 'unassigned',
      ranked: [],
      considered: [
        { managerId: 'away', verdict: 'passed_over', reasons: ['holiday'], load: '0/10' },
        { managerId: 'full', verdict: 'passed_over', reasons: ['no_capacity'], load: '10/10' },
      ],
    });
    expect(decide([]).rule).toBe('unassigned');
  });
});

describe('rotation', () => {
  it('makes equal PMs take turns when every lead closes at once, not hand every tie to the same one', () => {
    const roster = ['a', 'b', 'c'].map((id) => manager(id));
    const { counts, order } = simulate(roster, 30, { release: true });
    expect(counts).toEqual({ a: 10, b: 10, c: 10 });
    expect(order.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('keeps the spread between equal PMs within one lead, whatever their number and the leads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        (n, leads, release) => {
          const roster = Array.from({ length: n }, (_, i) => manager(`pm-${i}`, { capacity: 100 }));
          expect(spread(simulate(roster, leads, { release }).counts)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('gives a PM of weight 2 twice the share of a PM of weight 1', () => {
    const roster = [manager('double', { weight: 2, capacity: 500 }), manager('single', { capacity: 500 })];
    const { counts } = simulate(roster, 300);
    expect(Math.abs((counts.double ?? 0) - 200)).toBeLessThanOrEqual(1);
  });

  it('stops giving leads to a PM when their capacity is full', () => {
    const roster = [manager('small', { capacity: 2 }), manager('large', { capacity: 10 })];
    const { counts, order } = simulate(roster, 20);
    expect([counts, order.length]).toEqual([{ small: 2, large: 10 }, 12]);
  });
});

describe('back from absence', () => {
  // Back on the 11th: the absence ended the day before, in the PM's own time zone.
  const returner = (overrides: Partial<PersonalManager> = {}) =>
    manager('back', { capacity: 20, absences: [{ from: '2026-10-20', to: '2026-11-10' }], ...overrides });
  const peers = () => [
    manager('p1', { capacity: 20, activeLeads: 6 }),
    manager('p2', { capacity: 20, activeLeads: 6 }),
  ];

  it('takes turns with the least loaded instead of taking every lead until level', () => {
    const { counts, order } = simulate([returner(), ...peers()], 9);
    expect(counts).toEqual({ back: 3, p1: 3, p2: 3 });
    expect(order.slice(0, 3)).toEqual(['back', 'p1', 'p2']);
  });

  it('takes the leads until level when the policy allows a catch-up', () => {
    const policy = parseRoutingPolicy({ version: 'catch-up', catchUpAfterAbsence: true });
    const { order } = simulate([returner(), ...peers()], 6, { policy });
    expect(order).toEqual(['back', 'back', 'back', 'back', 'back', 'back']);
  });

  it('catches up again once the return window has passed', () => {
    const { order } = simulate(
      [returner({ absences: [{ from: '2026-10-01', to: '2026-11-05' }] }), ...peers()],
      3,
    );
    expect(order).toEqual(['back', 'back', 'back']);
  });

  it('is no more loaded than their own load when it is above the least loaded', () => {
    const decision = decide([returner({ activeLeads: 10 }), ...peers()]);
    expect(decision.ranked).toEqual(['p1', 'p2', 'back']);
  });

  it("counts the days in the PM's own time zone", () => {
    // 15:00 UTC on the 10th: already the 11th in Vladivostok, still the 10th in Moscow.
    const at = new Date('2026-11-10T15:00:00Z');
    const absences = [{ from: '2026-11-01', to: '2026-11-10' }];
    const vladivostok = { ...STANDARD_WEEK, timeZone: 'Asia/Vladivostok' };
    expect(isBackFromAbsence(manager('v', { absences, workingHours: vladivostok }), at, 5)).toBe(true);
    expect(isBackFromAbsence(manager('m', { absences }), at, 5)).toBe(false);
    expect(isBackFromAbsence(manager('m', { absences }), new Date('2026-11-15T20:00:00Z'), 5)).toBe(true);
    expect(isBackFromAbsence(manager('m', { absences }), new Date('2026-11-15T21:00:00Z'), 5)).toBe(false);
  });
});

const IDS = ['pm-a', 'pm-b', 'pm-c', 'pm-d', 'pm-e', 'pm-f'];
const TIMES = [undefined, '2026-11-10T08:00:00Z', '2026-11-11T08:00:00Z', '2026-11-11T09:30:00Z'];

const someManager = fc.constantFrom(...IDS).chain((managerId) =>
  fc
    .record({
      active: fc.boolean(),
      segments: fc.subarray(['corporate', 'mid_market', 'small_business'] as const, { minLength: 1 }),
      regions: fc.subarray(['77', '78', '*'], { minLength: 1 }),
      industries: fc.subarray(['it', 'trade', '*'] as const, { minLength: 1 }),
      products: fc.subarray(['credit', 'fx', 'payroll'] as const),
      capacity: fc.integer({ min: 0, max: 4 }),
      activeLeads: fc.integer({ min: 0, max: 5 }),
      weight: fc.constantFrom(0.5, 1, 2),
      lastAssignedAt: fc.constantFrom(...TIMES),
      absences: fc.constantFrom<PersonalManager['absences']>([], [{ from: '2026-11-01', to: '2026-11-09' }]),
      presence: fc.constantFrom(...(['working', 'near_hours', 'off_hours', 'holiday', 'absent'] as const)),
    })
    .map(({ presence, lastAssignedAt, ...rest }) => ({
      presence,
      manager: manager(managerId, { ...rest, ...(lastAssignedAt ? { lastAssignedAt } : {}) }),
    })),
);

const scenarios = fc
  .record({
    roster: fc.uniqueArray(someManager, { selector: (r) => r.manager.managerId }),
    facts: fc.record({
      segment: fc.constantFrom('corporate', 'mid_market', 'small_business'),
      regionCode: fc.constantFrom('77', '78', '50'),
      industry: fc.option(fc.constantFrom(...INDUSTRIES.filter((i) => i === 'it' || i === 'trade')), {
        nil: undefined,
      }),
      products: fc.subarray(['credit', 'fx', 'payroll'] as const),
      existingClientManagerId: fc.option(fc.constantFrom(...IDS, 'pm-gone'), { nil: undefined }),
      referrerManagerId: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
    }),
    excluded: fc.uniqueArray(
      fc.record({ managerId: fc.constantFrom(...IDS), why: fc.constantFrom('declined', 'timed_out') }),
      { selector: (e) => e.managerId },
    ),
    policy: fc
      .record({
        presenceAllowed: fc.constantFrom(['working'], ['working', 'near_hours']),
        catchUpAfterAbsence: fc.boolean(),
        preferReferrerManager: fc.boolean(),
      })
      .map((p) => parseRoutingPolicy({ version: 'property', ...p })),
  })
  .map(({ roster, facts, excluded, policy }) => {
    const presence = Object.fromEntries(roster.map((r) => [r.manager.managerId, r.presence]));
    const managers = roster.map((r) => r.manager);
    const run = (order: PersonalManager[]) =>
      route(policy, facts, order, { now: NOW, presence: presenceOf(presence), excluded });
    return { managers, facts, excluded, policy, presence, run };
  });

describe('route: properties', () => {
  it('decides alike every time and whatever the roster order, in JSON that keeps it all', () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const decision = s.run(s.managers);
        expect(s.run(s.managers)).toEqual(decision);
        expect(s.run([...s.managers].reverse())).toEqual(decision);
        expect(RoutingDecisionSchema.parse(JSON.parse(JSON.stringify(decision)))).toEqual(decision);
      }),
    );
  });

  type Scenario = typeof scenarios extends fc.Arbitrary<infer S> ? S : never;
  // Fit written out again from the rules, not from the module, so the properties do not check it by itself.
  const fits = (s: Scenario, m: PersonalManager) =>
    m.active &&
    ['working', ...s.policy.presenceAllowed].includes(s.presence[m.managerId] ?? '') &&
    m.segments.includes(s.facts.segment) &&
    (m.regions.includes(s.facts.regionCode) || m.regions.includes('*')) &&
    (s.facts.industry === undefined ||
      m.industries.includes(s.facts.industry) ||
      m.industries.includes('*')) &&
    m.activeLeads < m.capacity &&
    !s.excluded.some((e) => e.managerId === m.managerId);

  it('considers every roster member once, ranks exactly those who fit, and says why of the others', () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const decision = s.run(s.managers);
        expect(decision.considered.map((c) => c.managerId).sort()).toEqual(
          s.managers.map((m) => m.managerId).sort(),
        );
        for (const c of decision.considered) {
          expect(c.verdict === 'ranked').toBe(decision.ranked.includes(c.managerId));
          if (c.verdict === 'passed_over' && decision.rule !== 'existing_client') {
            expect(c.reasons.length).toBeGreaterThan(0);
          }
        }
        if (decision.rule === 'existing_client') return;
        const fitting = s.managers.filter((m) => fits(s, m)).map((m) => m.managerId);
        expect([...decision.ranked].sort()).toEqual(fitting.sort());
      }),
    );
  });

  it('applies the existing client rule before the referrer rule before best fit', () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const decision = s.run(s.managers);
        const owner = s.managers.find((m) => m.managerId === s.facts.existingClientManagerId);
        const referrer = s.managers.find((m) => m.managerId === s.facts.referrerManagerId);
        const excluded = new Set(s.excluded.map((e) => e.managerId));
        if (owner?.active && !excluded.has(owner.managerId)) {
          expect([decision.rule, decision.ranked]).toEqual(['existing_client', [owner.managerId]]);
        } else if (s.policy.preferReferrerManager && referrer && fits(s, referrer)) {
          expect([decision.rule, decision.ranked[0]]).toEqual(['referrer_manager', referrer.managerId]);
        } else if (s.managers.some((m) => fits(s, m))) {
          expect(decision.rule).toBe('best_fit');
        } else {
          expect([decision.rule, decision.ranked]).toEqual(['unassigned', []]);
        }
      }),
    );
  });
});
