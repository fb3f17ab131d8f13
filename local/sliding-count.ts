/** A count of recipients at one instant, as the SES account's quotas count them. */
export type Counted = { at: number; recipients: number };

/** Recipients counted over a sliding span, with their running total: a send costs O(1), not O(sends). */
export class SlidingCount {
  private entries: Counted[] = [];
  private head = 0;
  total = 0;

  private readonly spanMs: number;

  constructor(spanMs: number) {
    this.spanMs = spanMs;
  }

  add(counted: Counted): void {
    this.entries.push(counted);
    this.total += counted.recipients;
  }

  /** Takes back a count whose send the emulator did not take. */
  remove(counted: Counted): void {
    const at = this.entries.indexOf(counted, this.head);
    if (at < 0) return;
    this.entries[at] = { at: counted.at, recipients: 0 };
    this.total -= counted.recipients;
  }

  /** Forgets what is older than the span before `now`. */
  forget(now: number): void {
    while (this.head < this.entries.length && (this.entries[this.head]?.at ?? now) <= now - this.spanMs) {
      this.total -= this.entries[this.head]?.recipients ?? 0;
      this.head += 1;
    }
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
