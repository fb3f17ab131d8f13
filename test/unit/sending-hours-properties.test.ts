import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { SendingWindow, sendingHoursAt } from '#shared/letters/sending-hours.ts';

const MINUTE = 60_000;
// Russian zones (no DST), zones with DST both ways, a half-hour change (Lord Howe), an offset off the hour
// (Kathmandu) and a change at midnight (Santiago).
const ZONES = [
  'Europe/Moscow',
  'Asia/Vladivostok',
  'Europe/Kaliningrad',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/Santiago',
];
const hhmm = (quarters: number) =>
  `${String(Math.floor(quarters / 4)).padStart(2, '0')}:${String((quarters % 4) * 15).padStart(2, '0')}`;
/** Windows on a quarter-hour grid, so their bounds land in skipped and repeated hours too. */
const windows = fc
  .uniqueArray(fc.integer({ min: 0, max: 95 }), { minLength: 2, maxLength: 2 })
  .map(([a = 0, b = 1]): SendingWindow => ({ from: hhmm(Math.min(a, b)), until: hhmm(Math.max(a, b)) }));
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2026, 11, 31);
const instants = fc.integer({ min: FROM, max: TO }).map((ms) => new Date(ms));

/** The minute of the day the zone's clock reads at `ms`. */
const wallMinute = (zone: IANAZone, ms: number) => {
  const wall = ms + zone.offset(ms) * MINUTE;
  return Math.floor((((wall % 86_400_000) + 86_400_000) % 86_400_000) / MINUTE);
};
const inside = (w: SendingWindow, minute: number) => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return m(w.from) <= minute && minute < m(w.until);
};

describe('sending hours: properties', () => {
  it("is open exactly when the recipient's clock reads inside the window", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), windows, instants, (timeZone, window, now) => {
        const zone = IANAZone.create(timeZone);
        const hours = sendingHoursAt(window, timeZone, now);
        expect(hours.open).toBe(inside(window, wallMinute(zone, now.getTime())));
      }),
      { numRuns: 2_000 },
    );
  });

  it('when closed, opens later, inside the window, and at the first such minute', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), windows, instants, (timeZone, window, now) => {
        const zone = IANAZone.create(timeZone);
        const hours = sendingHoursAt(window, timeZone, now);
        if (hours.open) return;
        const opens = hours.opensAt.getTime();
        expect(opens).toBeGreaterThan(now.getTime());
        expect(opens % MINUTE).toBe(0);
        expect(inside(window, wallMinute(zone, opens))).toBe(true);
        // No whole minute between now and then reads inside the window (offsets are whole minutes, so the
        // clock changes only on whole minutes).
        for (let ms = Math.ceil(now.getTime() / MINUTE) * MINUTE; ms < opens; ms += MINUTE) {
          if (inside(window, wallMinute(zone, ms))) {
            throw new Error(`open at ${new Date(ms).toISOString()}, before ${hours.opensAt.toISOString()}`);
          }
        }
        // Never more than a day and a bit away: the window opens every day (but one skipped whole by DST).
        expect(opens - now.getTime()).toBeLessThanOrEqual(49 * 60 * MINUTE);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sending hours across daylight-saving changes', () => {
  const window = { from: '02:15', until: '02:45' };
  it('opens at the jump when the start is skipped, and a window wholly skipped opens the next day', () => {
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    const before = new Date('2026-03-08T06:30:00.000Z');
    expect(sendingHoursAt({ from: '02:30', until: '09:00' }, 'America/New_York', before)).toEqual({
      open: false,
      opensAt: new Date('2026-03-08T07:00:00.000Z'),
    });
    // 02:15-02:45 never happens that day: next day at 02:15 EDT.
    expect(sendingHoursAt(window, 'America/New_York', before)).toEqual({
      open: false,
      opensAt: new Date('2026-03-09T06:15:00.000Z'),
    });
  });

  it('opens at the first reading of a repeated hour', () => {
    // New York, 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:30 is read at 05:30 and 06:30 UTC.
    expect(
      sendingHoursAt(
        { from: '01:30', until: '09:00' },
        'America/New_York',
        new Date('2026-11-01T04:00:00.000Z'),
      ),
    ).toEqual({
      open: false,
      opensAt: new Date('2026-11-01T05:30:00.000Z'),
    });
  });

  it('refuses an unknown zone and a window that ends before it starts', () => {
    expect(() => sendingHoursAt({ from: '09:00', until: '20:00' }, 'Mars/Olympus', new Date())).toThrow(
      RangeError,
    );
    for (const bad of [
      { from: '20:00', until: '09:00' },
      { from: '09:00', until: '09:00' },
      { from: '9:00', until: '20:00' },
    ]) {
      expect(SendingWindow.safeParse(bad).success).toBe(false);
      expect(() => sendingHoursAt(bad, 'Europe/Moscow', new Date())).toThrow();
    }
  });
});
