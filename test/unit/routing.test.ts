import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '#shared/leads/lead-submission.ts';
import {
  type PersonalManager,
  type RoutingNeed,
  rankManagers,
  SEGMENTS,
  segmentOf,
} from '#shared/leads/routing.ts';

const manager = (managerId: string, overrides: Partial<PersonalManager> = {}): PersonalManager => ({
  managerId,
  name: `Manager ${managerId}`,
  email: `${managerId}@bank.example`,
  segments: ['mid_market'],
  regions: ['77'],
  products: ['credit'],
  capacity: 10,
  activeLeads: 0,
  active: true,
  ...overrides,
});

const need: RoutingNeed = { segment: 'mid_market', regionCode: '77', products: ['credit', 'payroll'] };
const ids = (managers: PersonalManager[]) => managers.map((m) => m.managerId);

describe('segmentOf', () => {
  it.each([
    ['large', 'corporate'],
    ['medium', 'mid_market'],
    ['small', 'small_business'],
    ['micro', 'small_business'],
    [undefined, 'small_business'],
  ] as const)('puts %s in %s', (sizeBand, segment) => {
    expect(segmentOf(sizeBand)).toBe(segment);
  });
});

describe('rankManagers', () => {
  it('leaves out the inactive, the full, the wrong segment and the wrong region', () => {
    const ranked = rankManagers(
      [
        manager('inactive', { active: false }),
        manager('full', { activeLeads: 10 }),
        manager('over', { activeLeads: 11 }),
        manager('no-capacity', { capacity: 0 }),
        manager('corporate', { segments: ['corporate'] }),
        manager('spb', { regions: ['78'] }),
        manager('fits'),
        manager('anywhere', { regions: ['*'] }),
      ],
      need,
    );
    expect(ids(ranked).sort()).toEqual(['anywhere', 'fits']);
  });

  it('puts the least loaded first, by ratio of capacity', () => {
    const ranked = rankManagers(
      [
        manager('half', { activeLeads: 5, capacity: 10 }),
        manager('quarter', { activeLeads: 1, capacity: 4 }),
        manager('idle', { activeLeads: 0, capacity: 2 }),
        manager('most', { activeLeads: 9, capacity: 10 }),
      ],
      need,
    );
    expect(ids(ranked)).toEqual(['idle', 'quarter', 'half', 'most']);
  });

  it('breaks load ties by product skills, then named region over any, then id', () => {
    const ranked = rankManagers(
      [
        manager('d', { activeLeads: 2, capacity: 4, regions: ['*'], products: ['credit'] }),
        manager('c', { activeLeads: 1, capacity: 2, products: ['credit'] }),
        manager('b', { activeLeads: 3, capacity: 6, products: ['credit'] }),
        manager('a', { activeLeads: 5, capacity: 10, regions: ['*'], products: ['credit', 'payroll', 'fx'] }),
      ],
      need,
    );
    expect(ids(ranked)).toEqual(['a', 'b', 'c', 'd']);
  });

  const managers = fc.array(
    fc.record({
      managerId: fc.string({ minLength: 1, maxLength: 4 }),
      name: fc.constant('PM'),
      email: fc.constant('pm@bank.example'),
      segments: fc.subarray([...SEGMENTS]),
      regions: fc.subarray(['*', '77', '78', '50']),
      products: fc.subarray([...PRODUCTS]),
      capacity: fc.integer({ min: 0, max: 20 }),
      activeLeads: fc.integer({ min: 0, max: 25 }),
      active: fc.boolean(),
    }),
    { maxLength: 30 },
  );
  const needs = fc.record({
    segment: fc.constantFrom(...SEGMENTS),
    regionCode: fc.constantFrom('77', '78', '50', '16'),
    products: fc.subarray([...PRODUCTS], { minLength: 1 }),
  });
  const eligible = (m: PersonalManager, n: RoutingNeed) =>
    m.active &&
    m.activeLeads < m.capacity &&
    m.segments.includes(n.segment) &&
    (m.regions.includes(n.regionCode) || m.regions.includes('*'));

  it('returns exactly the eligible managers, least loaded first', () => {
    fc.assert(
      fc.property(managers, needs, (all, n) => {
        const ranked = rankManagers(all, n);
        expect(ranked.length).toBe(all.filter((m) => eligible(m, n)).length);
        for (const m of ranked) expect(all).toContain(m);
        const loads = ranked.map((m) => m.activeLeads / m.capacity);
        for (let i = 1; i < loads.length; i++)
          expect(loads[i]).toBeGreaterThanOrEqual(loads[i - 1] as number);
      }),
    );
  });
});
