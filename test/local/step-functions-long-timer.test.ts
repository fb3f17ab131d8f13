import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, startLongTimer } from '#local/step-functions/long-timer.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

// Fake timers keep Node's ceiling: a delay past 2^31-1 ms fires after 1 ms, as it does for real.
describe('startLongTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits 30 days where a bare setTimeout of 30 days fires at once', () => {
    const bare = vi.fn();
    const long = vi.fn();
    setTimeout(bare, 30 * DAY_MS);
    startLongTimer(30 * DAY_MS, long);

    vi.advanceTimersByTime(5);
    expect(bare).toHaveBeenCalledOnce();
    expect(long).not.toHaveBeenCalled();

    vi.advanceTimersByTime(30 * DAY_MS - 10);
    expect(long).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5);
    expect(long).toHaveBeenCalledOnce();
  });

  it('re-arms in chunks no longer than the chunk size, then fires once at the deadline', () => {
    const fire = vi.fn();
    startLongTimer(200, fire, 50);

    for (const elapsed of [50, 100, 150]) {
      vi.advanceTimersByTime(50);
      expect(fire, `after ${elapsed} ms`).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(1); // the next chunk is armed
    }
    vi.advanceTimersByTime(50);
    expect(fire).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(fire).toHaveBeenCalledOnce();
  });

  it('arms each chunk for what is left, so a late chunk does not push the deadline out', () => {
    const fire = vi.fn();
    startLongTimer(200, fire, 50);

    vi.advanceTimersByTime(50);
    vi.setSystemTime(Date.now() + 140); // the process was busy: the second chunk comes 140 ms late
    vi.advanceTimersByTime(50);

    expect(fire).toHaveBeenCalledOnce(); // two chunks, not four
  });

  it('never fires once cancelled, between chunks or before the first', () => {
    const fire = vi.fn();
    const first = startLongTimer(200, fire, 50);
    const second = startLongTimer(200, fire, 50);
    second.cancel();
    vi.advanceTimersByTime(120);

    first.cancel();
    vi.advanceTimersByTime(1000);

    expect(fire).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a chunk Node could not hold', () => {
    expect(() => startLongTimer(1000, () => undefined, MAX_TIMER_MS + 1)).toThrow(RangeError);
  });
});
