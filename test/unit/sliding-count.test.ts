import { describe, expect, it } from 'vitest';
import { SlidingCount } from '#local/sliding-count.ts';

describe("the SES account's sliding counts", () => {
  it('keeps the recipients of the last span, forgets what is older, and takes back a send not taken', () => {
    const second = new SlidingCount(1_000);
    const first = { at: 0, recipients: 2 };
    second.add(first);
    second.add({ at: 500, recipients: 3 });
    const failed = { at: 900, recipients: 4 };
    second.add(failed);
    expect(second.total).toBe(9);
    second.remove(failed);
    second.remove(failed); // twice changes nothing more
    expect(second.total).toBe(5);
    second.forget(999);
    expect(second.total).toBe(5);
    second.forget(1_000); // the send at 0 is a full second old
    expect(second.total).toBe(3);
    second.remove(first); // already forgotten: nothing to take back
    expect(second.total).toBe(3);
    second.forget(10_000);
    expect(second.total).toBe(0);
  });

  it('stays exact over many sends while it compacts what it forgot', () => {
    const day = new SlidingCount(100);
    for (let at = 0; at < 5_000; at++) {
      day.add({ at, recipients: 1 });
      day.forget(at);
      expect(day.total).toBe(Math.min(at + 1, 100));
    }
  });
});
