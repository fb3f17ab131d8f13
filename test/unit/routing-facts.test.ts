import { describe, expect, it } from 'vitest';
import { parseRoutingPolicy, segmentOf } from '#shared/managers/routing-policy.ts';
import { decide, manager, outcome } from './support/routing.ts';

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

describe('route: an absent owner, and a lead when nobody is at work', () => {
  it("hands an existing client's lead on when its own PM is away, not to wait for their return", () => {
    const decision = decide([manager('owner'), manager('cover')], {
      facts: { existingClientManagerId: 'owner' },
      presence: { owner: 'absent' },
    });
    expect(outcome(decision, 'owner')).toEqual(['best_fit', ['cover'], ['absent']]);
  });

  it('offers a lead that comes at night to the fitting PMs whose next shift will take it, and says so', () => {
    const roster = [manager('a', { activeLeads: 2 }), manager('b'), manager('away')];
    const decision = decide(roster, { presence: { a: 'off_hours', b: 'off_hours', away: 'absent' } });
    expect([decision.rule, decision.ranked, decision.outsideHours]).toEqual(['best_fit', ['b', 'a'], true]);
    expect(decision.considered.find((c) => c.managerId === 'away')?.reasons).toEqual(['absent']);
  });

  it('prefers anyone at work to those outside their hours, and keeps the queue when the policy says so', () => {
    const roster = [manager('night', { activeLeads: 0 }), manager('day', { activeLeads: 5 })];
    const atWork = decide(roster, { presence: { night: 'off_hours' } });
    expect([atWork.rule, atWork.ranked, atWork.outsideHours]).toEqual(['best_fit', ['day'], undefined]);
    const policy = parseRoutingPolicy({ version: 'queue-at-night', whenNobodyPresent: 'unassigned' });
    const queued = decide(roster, { policy, presence: { night: 'off_hours', day: 'off_hours' } });
    expect(outcome(queued)).toEqual(['unassigned', []]);
  });
});
