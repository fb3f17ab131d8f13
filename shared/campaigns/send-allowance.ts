/**
 * The account's letters per second as a token bucket (docs/campaigns.md, "Rate"): SES's sending quota is
 * the account's, so every campaign takes its letters from one bucket; each takes at most a quarter of a
 * second's worth at a time, so a busy campaign cannot starve another.
 */

/** The bucket as stored: tokens left at `at` (epoch ms). */
export type Bucket = { tokens: number; at: number };

/** The bucket at `now`: refilled at `perSecond`, never holding more than one second of letters. */
export function refill(bucket: Bucket | undefined, now: number, perSecond: number): Bucket {
  if (!bucket) return { tokens: perSecond, at: now };
  const elapsed = Math.max(0, now - bucket.at);
  return {
    tokens: Math.min(perSecond, bucket.tokens + (elapsed / 1000) * perSecond),
    at: Math.max(now, bucket.at),
  };
}

/** At most this many letters per take: a quarter of a second's worth, at least one. */
export const largestTake = (perSecond: number): number => Math.max(1, Math.floor(perSecond / 4));

/** What a take gives from the bucket at `now`, the bucket after it, and how long to wait when it gave none. */
export function takeFrom(
  bucket: Bucket | undefined,
  now: number,
  want: number,
  perSecond: number,
): { granted: number; after: Bucket; waitMs: number } {
  const full = refill(bucket, now, perSecond);
  const granted = Math.max(0, Math.min(want, largestTake(perSecond), Math.floor(full.tokens)));
  const after = { tokens: full.tokens - granted, at: full.at };
  const waitMs = granted > 0 ? 0 : Math.ceil(((1 - full.tokens) / perSecond) * 1000);
  return { granted, after, waitMs };
}

/**
 * Paces one campaign at its own rate: each letter gets the next slot `1/rate` after the one before, so a
 * run never sends faster than the campaign's setting, whatever the account's bucket holds.
 */
export class Pacer {
  private next = 0;
  private readonly intervalMs: number;

  constructor(perSecond: number) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Milliseconds to wait before the next letter may go, reserving its slot. */
  reserve(now: number): number {
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    return slot - now;
  }
}
