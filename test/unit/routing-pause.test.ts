import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY } from '#shared/managers/routing-policy.ts';
import { decide, manager, NOW, outcome } from './support/routing.ts';

describe('route: the pause after a timeout', () => {
  const inMinutes = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

  it('gives no new lead to a PM paused after a timeout, however free they are', () => {
    const silent = manager('silent', { pausedUntil: inMinutes(1) });
    const busy = manager('busy', { activeLeads: 5 });
    expect(outcome(decide([silent, busy]), 'silent')).toEqual([
      'best_fit',
      ['busy'],
      ['paused_after_timeout'],
    ]);
  });

  it('takes them back once the pause is over, and never pauses when the policy says not to', () => {
    const busy = manager('busy', { activeLeads: 5 });
    const back = manager('silent', { pausedUntil: inMinutes(0) });
    expect(outcome(decide([back, busy]))).toEqual(['best_fit', ['silent', 'busy']]);
    const noPause = { ...DEFAULT_ROUTING_POLICY, pauseAfterTimeout: false };
    const paused = manager('silent', { pausedUntil: inMinutes(60) });
    expect(outcome(decide([paused, busy], { policy: noPause }))).toEqual(['best_fit', ['silent', 'busy']]);
  });
});
