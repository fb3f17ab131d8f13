import { describe, expect, it } from 'vitest';
import { loadBound } from '#shared/managers/routing-policy.ts';
import { aManager } from './support/ports-contract.ts';

describe('loadBound', () => {
  const pm = (activeLeads: number, capacity: number, weight = 1) =>
    aManager({ activeLeads, capacity, weight });

  it('lets the least loaded take leads up to the next one’s level, relative to capacity', () => {
    expect(loadBound(pm(1, 10), pm(3, 10))).toBe(3);
    expect(loadBound(pm(0, 20), pm(3, 10))).toBe(6);
    expect(loadBound(pm(0, 10), pm(1, 3))).toBe(3);
  });

  it('counts the weight as capacity does, and gives equals their own load: one more and the turn passes', () => {
    expect(loadBound(pm(0, 10, 2), pm(2, 10))).toBe(4);
    expect(loadBound(pm(2, 10), pm(2, 10))).toBe(2);
    expect(loadBound(pm(1, 2), pm(2, 4))).toBe(1);
  });
});
