import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY } from '#shared/managers/routing-policy.ts';
import { decide, manager, NOW, outcome } from './support/routing.ts';

describe('route: the pause after a timeout', () => {
  const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

  it('gives no new lead to a PM who let one time out within the pause, however free they are', () => {
    const silent = manager('silent', { lastTimedOutAt: ago(59) });
    const busy = manager('busy', { activeLeads: 5 });
    expect(outcome(decide([silent, busy]), 'silent')).toEqual([
      'best_fit',
      ['busy'],
      ['paused_after_timeout'],
    ]);
  });

  it('takes them back once the pause is over, and never pauses when the policy says 0', () => {
    const back = manager('silent', { lastTimedOutAt: ago(61) });
    const busy = manager('busy', { activeLeads: 5 });
    expect(outcome(decide([back, busy]))).toEqual(['best_fit', ['silent', 'busy']]);
    const noPause = { ...DEFAULT_ROUTING_POLICY, pauseAfterTimeoutMinutes: 0 };
    const justNow = manager('silent', { lastTimedOutAt: ago(1) });
    expect(outcome(decide([justNow, busy], { policy: noPause }))).toEqual(['best_fit', ['silent', 'busy']]);
  });
});
