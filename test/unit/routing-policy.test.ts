import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Product } from '#shared/leads/lead-submission.ts';
import { type PersonalManager, STANDARD_WEEK } from '#shared/managers/roster.ts';
import {
  DEFAULT_ROUTING_POLICY,
  type Exclusion,
  isBackFromAbsence,
  type PassReason,
  PRESENCES,
  type Presence,
  parseRoutingPolicy,
  RoutingDecision,
  route,
} from '#shared/managers/routing-policy.ts';
import { decide, facts, manager, NOW, outcome, presenceOf, T1, T2, T3 } from './support/routing.ts';

// Routes leads one by one to the first ranked PM, as the caller would: their turn is now, and one more lead is
// open unless `release` closes each lead at once.
function simulate(
  roster: PersonalManager[],
  leads: number,
  { policy = DEFAULT_ROUTING_POLICY, release = false } = {},
) {
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

describe('RoutingPolicy', () => {
  it('defaults to PMs at work or near their hours, no catch-up, a five-day return window, referrer first', () => {
    expect(DEFAULT_ROUTING_POLICY).toEqual({
      version: 'routing-2026-11',
      presenceAllowed: ['working', 'near_hours'],
      nearHoursMinutes: 30,
      catchUpAfterAbsence: false,
      returnWindowDays: 5,
      pauseAfterTimeout: true,
      preferReferrerManager: true,
      whenNobodyPresent: 'next_shift',
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

const owned = { facts: { existingClientManagerId: 'owner' } };
const referred = { facts: { referrerManagerId: 'ref' } };

describe('route: (a) existing client', () => {
  it("gives the lead to the client's own PM whatever their load, hours or skills", () => {
    const decision = decide(
      [manager('owner', { activeLeads: 10, segments: ['corporate'], regions: ['78'] }), manager('free')],
      { facts: { existingClientManagerId: 'owner' }, presence: { owner: 'off_hours' } },
    );
    expect(outcome(decision)).toEqual(['existing_client', ['owner']]);
    expect(decision.considered).toEqual([
      { managerId: 'owner', verdict: 'ranked', reasons: [], load: '10/10' },
      { managerId: 'free', verdict: 'passed_over', reasons: [], load: '0/10' },
    ]);
  });

  it.each<[Exclusion['why'], PassReason]>([
    ['declined', 'declined_before'],
    ['timed_out', 'timed_out_before'],
    ['reassigned', 'reassigned_before'],
  ])('hands the lead on when the owner %s it', (why, reason) => {
    const excluded = [{ managerId: 'owner', why }];
    const decision = decide([manager('owner'), manager('other')], { ...owned, excluded });
    expect(outcome(decision, 'owner')).toEqual(['best_fit', ['other'], [reason]]);
  });

  it('keeps a client with its own manager even in the pause after a timeout on another lead', () => {
    const paused = manager('owner', { pausedUntil: new Date(NOW.getTime() + 10 * 60_000).toISOString() });
    expect(outcome(decide([paused, manager('other')], owned))).toEqual(['existing_client', ['owner']]);
  });

  it('hands the lead on when the owner is inactive, or no longer in the roster', () => {
    const inactive = decide([manager('owner', { active: false }), manager('other')], owned);
    expect(outcome(inactive, 'owner')).toEqual(['best_fit', ['other'], ['inactive']]);
    const gone = decide([manager('other')], { facts: { existingClientManagerId: 'left-bank' } });
    expect([gone.rule, gone.ranked, gone.unknownManagerIds]).toEqual(['best_fit', ['other'], ['left-bank']]);
  });
});

describe("route: (b) the referrer's PM", () => {
  it('offers the lead to the referrer PM first, though more loaded, then to the best fits', () => {
    const roster = [manager('ref', { activeLeads: 8 }), manager('b', { activeLeads: 1 }), manager('a')];
    const decision = decide(roster, referred);
    expect(outcome(decision)).toEqual(['referrer_manager', ['ref', 'a', 'b']]);
  });

  it.each<[string, Partial<PersonalManager>, Record<string, Presence>, Exclusion[], PassReason]>([
    ['full', { activeLeads: 10 }, {}, [], 'no_capacity'],
    ['away', {}, { ref: 'absent' }, [], 'absent'],
    ['in another region', { regions: ['78'] }, {}, [], 'region'],
    ['declined before', {}, {}, [{ managerId: 'ref', why: 'declined' }], 'declined_before'],
  ])('passes the referrer PM over when %s', (_, overrides, presence, excluded, reason) => {
    const roster = [manager('ref', overrides), manager('other', { activeLeads: 5 })];
    const decision = decide(roster, { ...referred, presence, excluded });
    expect(outcome(decision, 'ref')).toEqual(['best_fit', ['other'], [reason]]);
  });

  it('ranks by best fit alone when the policy does not prefer the referrer PM', () => {
    const policy = parseRoutingPolicy({ version: 'no-referrer', preferReferrerManager: false });
    const roster = [manager('ref', { activeLeads: 8 }), manager('b', { activeLeads: 1 })];
    const decision = decide(roster, { ...referred, policy });
    expect([decision.policyVersion, ...outcome(decision)]).toEqual(['no-referrer', 'best_fit', ['b', 'ref']]);
  });
});

describe('route: (c) best fit and (d) unassigned', () => {
  it.each<[string, Partial<PersonalManager>, Presence, PassReason[]]>([
    ['inactive', { active: false }, 'working', ['inactive']],
    ['absent', {}, 'absent', ['absent']],
    ['on holiday', {}, 'holiday', ['holiday']],
    ['outside their hours', {}, 'off_hours', ['off_hours']],
    ['in another segment', { segments: ['corporate'] }, 'working', ['segment']],
    ['in another region', { regions: ['78'] }, 'working', ['region']],
    ['in another industry', { industries: ['trade'] }, 'working', ['industry']],
    ['full', { activeLeads: 10 }, 'working', ['no_capacity']],
    ['without capacity', { capacity: 0 }, 'working', ['no_capacity']],
    ['wrong in every way', { active: false, capacity: 0 }, 'absent', ['inactive', 'absent', 'no_capacity']],
    ['covering any region and industry', { regions: ['*'], industries: ['trade', '*'] }, 'working', []],
  ])('says why a PM %s is passed over', (_, overrides, presence, reasons) => {
    const decision = decide([manager('pm', overrides), manager('z')], { presence: { pm: presence } });
    expect(outcome(decision, 'pm')).toEqual(['best_fit', reasons.length ? ['z'] : ['pm', 'z'], reasons]);
  });

  it('lets PMs near their hours take leads unless the policy wants them at work', () => {
    const roster = [manager('near'), manager('busy', { activeLeads: 3 })];
    expect(decide(roster, { presence: { near: 'near_hours' } }).ranked).toEqual(['near', 'busy']);
    const strict = parseRoutingPolicy({ version: 'strict', presenceAllowed: ['working'] });
    const decision = decide(roster, { presence: { near: 'near_hours' }, policy: strict });
    expect(outcome(decision, 'near')).toEqual(['best_fit', ['busy'], ['off_hours']]);
  });

  it('ranks by load over capacity x weight, exactly, then skills, then longest since a lead, then id', () => {
    const roster = [
      manager('most', { activeLeads: 9 }),
      manager('half-of-4', { activeLeads: 2, capacity: 4, lastAssignedAt: T2 }),
      manager('half-of-2', { activeLeads: 1, capacity: 2, lastAssignedAt: T1 }),
      manager('half-skilled', { activeLeads: 5, products: ['credit', 'fx'], lastAssignedAt: T3 }),
      manager('half-never', { activeLeads: 5 }),
      manager('half-b', { activeLeads: 3, capacity: 6, lastAssignedAt: T2 }),
      manager('heavy', { activeLeads: 6, weight: 2 }),
      manager('idle', { activeLeads: 0, capacity: 1 }),
    ];
    const decision = decide(roster, { facts: { products: ['credit', 'fx'] } });
    // heavy: 6 of 10 x 2 is 0.3; the half-loaded by skills, then by the oldest turn (never first), then by id.
    const halves = ['half-skilled', 'half-never', 'half-of-2', 'half-b', 'half-of-4'];
    expect(decision.ranked).toEqual(['idle', 'heavy', ...halves, 'most']);
    expect(decision.considered.map((c) => c.managerId)).toEqual(decision.ranked);
  });

  it('ties equal loads exactly whatever the weights, so the turn decides and not a rounding error', () => {
    // 3 x 0.1 is 0.30000000000000004 in floating point, 2 x 0.15 is 0.3: the same room, one open lead each.
    const decision = decide([
      manager('tenth', { activeLeads: 1, capacity: 3, weight: 0.1, lastAssignedAt: T2 }),
      manager('fifteen', { activeLeads: 1, capacity: 2, weight: 0.15, lastAssignedAt: T1 }),
    ]);
    expect(decision.ranked).toEqual(['fifteen', 'tenth']);
  });

  it('leaves the lead unassigned when nobody fits, and says why of each', () => {
    const roster = [manager('full', { activeLeads: 10 }), manager('away')];
    const decision = decide(roster, { presence: { away: 'holiday' } }); // holidays are never worked around
    expect(outcome(decision)).toEqual(['unassigned', []]);
    expect(decision.considered.map((c) => [c.managerId, c.verdict, c.reasons, c.load])).toEqual([
      ['away', 'passed_over', ['holiday'], '0/10'],
      ['full', 'passed_over', ['no_capacity'], '10/10'],
    ]);
    expect(decide([]).rule).toBe('unassigned');
  });
});

describe('rotation', () => {
  it('makes equal PMs take turns when every lead closes at once, not hand every tie to the same one', () => {
    const roster = ['a', 'b', 'c'].map((id) => manager(id));
    const { counts, order } = simulate(roster, 30, { release: true });
    expect([counts, order.slice(0, 6)]).toEqual([{ a: 10, b: 10, c: 10 }, ['a', 'b', 'c', 'a', 'b', 'c']]);
  });

  it('keeps the spread between equal PMs within one lead, whatever their number and the leads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.nat(60), fc.boolean(), (n, leads, release) => {
        const roster = Array.from({ length: n }, (_, i) => manager(`pm-${i}`, { capacity: 100 }));
        const counts = Object.values(simulate(roster, leads, { release }).counts);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives a PM of weight 2 twice the share of a PM of weight 1', () => {
    const roster = [manager('double', { weight: 2, capacity: 500 }), manager('single', { capacity: 500 })];
    const { counts } = simulate(roster, 300);
    expect(Math.abs((counts.double ?? 0) - 200)).toBeLessThanOrEqual(1);
  });
});

describe('back from absence', () => {
  // Back on the 11th: the absence ended the day before, in the PM's own time zone.
  const returner = (overrides: Partial<PersonalManager> = {}) =>
    manager('back', { capacity: 20, absences: [{ from: '2026-10-20', to: '2026-11-10' }], ...overrides });
  const peers = () => ['p1', 'p2'].map((id) => manager(id, { capacity: 20, activeLeads: 6 }));

  it('takes turns with the least loaded instead of taking every lead until level', () => {
    const { counts, order } = simulate([returner(), ...peers()], 9);
    expect([counts, order.slice(0, 3)]).toEqual([{ back: 3, p1: 3, p2: 3 }, ['back', 'p1', 'p2']]);
  });

  it('takes the leads until level when the policy allows a catch-up, or the return window has passed', () => {
    const policy = parseRoutingPolicy({ version: 'catch-up', catchUpAfterAbsence: true });
    expect(simulate([returner(), ...peers()], 6, { policy }).order).toEqual(Array(6).fill('back'));
    const longAgo = returner({ absences: [{ from: '2026-10-01', to: '2026-11-05' }] });
    expect(simulate([longAgo, ...peers()], 6).order).toEqual(Array(6).fill('back'));
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
const PRODUCTS: Product[] = ['credit', 'fx', 'payroll'];

const someManager = fc.constantFrom(...IDS).chain((managerId) =>
  fc
    .record({
      active: fc.boolean(),
      segments: fc.subarray(['corporate', 'mid_market', 'small_business'] as const, { minLength: 1 }),
      regions: fc.subarray(['77', '78', '*'], { minLength: 1 }),
      industries: fc.subarray(['it', 'trade', '*'] as const, { minLength: 1 }),
      products: fc.subarray(PRODUCTS),
      capacity: fc.nat(4),
      activeLeads: fc.nat(4),
      weight: fc.constantFrom(0.5, 1, 2),
      lastAssignedAt: fc.constantFrom(undefined, T1, T2, T3),
      absences: fc.constantFrom<PersonalManager['absences']>([], [{ from: '2026-11-01', to: '2026-11-09' }]),
      // Mostly at work, so that enough scenarios have several PMs who fit.
      presence: fc.constantFrom<Presence[]>(...PRESENCES, 'working', 'working'),
    })
    .map(({ presence, ...rest }) => ({ presence, manager: manager(managerId, rest) })),
);

const scenarios = fc
  .record({
    roster: fc.uniqueArray(someManager, { selector: (r) => r.manager.managerId }),
    facts: fc.record({
      segment: fc.constantFrom('corporate', 'mid_market', 'small_business'),
      regionCode: fc.constantFrom('77', '78', '50'),
      industry: fc.constantFrom(undefined, 'it', 'trade'),
      products: fc.subarray(PRODUCTS),
      existingClientManagerId: fc.constantFrom(undefined, ...IDS, 'pm-gone'),
      referrerManagerId: fc.constantFrom(undefined, ...IDS),
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
        whenNobodyPresent: fc.constantFrom('next_shift', 'unassigned'),
      })
      .map((p) => parseRoutingPolicy({ version: 'property', ...p })),
  })
  .map(({ roster, facts, excluded, policy }) => ({
    managers: roster.map((r) => r.manager),
    presence: Object.fromEntries(roster.map((r) => [r.manager.managerId, r.presence])),
    facts,
    excluded,
    policy,
  }));
type Scenario = typeof scenarios extends fc.Arbitrary<infer S> ? S : never;

const run = (s: Scenario, managers = s.managers) =>
  route(s.policy, s.facts, managers, { now: NOW, presence: presenceOf(s.presence), excluded: s.excluded });

// Fit written out again from the rules, not taken from the module, so the properties do not check it by itself.
const fits = (s: Scenario, m: PersonalManager, outsideHours = false) =>
  m.active &&
  ['working', ...s.policy.presenceAllowed, ...(outsideHours ? ['off_hours'] : [])].includes(
    s.presence[m.managerId] ?? '',
  ) &&
  m.segments.includes(s.facts.segment) &&
  (m.regions.includes(s.facts.regionCode) || m.regions.includes('*')) &&
  (!s.facts.industry || m.industries.includes(s.facts.industry) || m.industries.includes('*')) &&
  m.activeLeads < m.capacity &&
  !s.excluded.some((e) => e.managerId === m.managerId);

describe('route: properties', () => {
  it('decides alike whatever the roster order, ranks exactly who fits by the first rule that applies, says why', () => {
    fc.assert(
      fc.property(scenarios, (s) => {
        const decision = run(s);
        expect(run(s, [...s.managers].reverse())).toEqual(decision);
        expect(RoutingDecision.parse(JSON.parse(JSON.stringify(decision)))).toEqual(decision);
        const ids = (list: { managerId: string }[]) => list.map((m) => m.managerId).sort();
        expect(ids(decision.considered)).toEqual(ids(s.managers));
        for (const c of decision.considered) {
          expect(c.verdict === 'ranked').toBe(decision.ranked.includes(c.managerId));
          if (decision.rule !== 'existing_client')
            expect(c.reasons.length > 0).toBe(c.verdict === 'passed_over');
        }
        const owner = s.managers.find((m) => m.managerId === s.facts.existingClientManagerId);
        const away = owner && s.presence[owner.managerId] === 'absent';
        if (owner?.active && !away && !s.excluded.some((e) => e.managerId === owner.managerId)) {
          expect(outcome(decision)).toEqual(['existing_client', [owner.managerId]]);
          return;
        }
        let fitting = s.managers.filter((m) => fits(s, m));
        // Nobody at work: the next shift's PMs, when the policy works around the hours.
        const nextShift = fitting.length === 0 && s.policy.whenNobodyPresent === 'next_shift';
        if (nextShift) fitting = s.managers.filter((m) => fits(s, m, true));
        expect(decision.outsideHours).toBe(nextShift && fitting.length > 0 ? true : undefined);
        expect([...decision.ranked].sort()).toEqual(ids(fitting));
        const referrer = fitting.find((m) => m.managerId === s.facts.referrerManagerId);
        const rule = s.policy.preferReferrerManager && referrer ? 'referrer_manager' : 'best_fit';
        expect(decision.rule).toBe(fitting.length > 0 ? rule : 'unassigned');
      }),
    );
  });

  it("puts the client's own PM before a fitting referrer's PM before the best fits, whatever the others", () => {
    fc.assert(
      fc.property(scenarios, fc.boolean(), (scenario, withOwner) => {
        // Catch-up allowed, so that adding PMs moves no returner's floor and the best fits keep their order;
        // no next-shift fallback, which a present referrer's PM would make moot (routing-facts.test.ts).
        const policy = {
          ...scenario.policy,
          catchUpAfterAbsence: true,
          preferReferrerManager: true,
          whenNobodyPresent: 'unassigned' as const,
        };
        const s = { ...scenario, policy, facts: { ...scenario.facts, existingClientManagerId: undefined } };
        const bestFit = run({ ...s, facts: { ...s.facts, referrerManagerId: undefined } });
        // The referrer's PM fits though nearly full; the owner is full, out of hours and in another segment.
        const ref = manager('pm-ref', {
          segments: [s.facts.segment],
          regions: ['*'],
          capacity: 9,
          activeLeads: 8,
        });
        const owner = manager('pm-own', { segments: ['corporate'], capacity: 1, activeLeads: 1 });
        const existingClientManagerId = withOwner ? 'pm-own' : undefined;
        const facts = { ...s.facts, referrerManagerId: 'pm-ref', existingClientManagerId };
        const roster = [...s.managers, ref, ...(withOwner ? [owner] : [])];
        const decision = run({ ...s, facts, presence: { ...s.presence, 'pm-own': 'off_hours' } }, roster);
        expect(outcome(decision)).toEqual(
          withOwner ? ['existing_client', ['pm-own']] : ['referrer_manager', ['pm-ref', ...bestFit.ranked]],
        );
      }),
    );
  });
});
