import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Shift, WEEKDAYS } from '#shared/managers/roster.ts';
import {
  addWorkingMinutes,
  nextWorkingStart,
  presenceAt,
  workingMinutesBetween,
} from '#shared/managers/working-time.ts';

// The SLA clock's laws over random schedules, zones and instants; working-time.test.ts has the examples.
describe('properties', () => {
  // Zones with DST both ways, none, a half-hour change (Lord Howe) and an offset off the hour (Kathmandu).
  const ZONES = [
    'Europe/Moscow',
    'Asia/Vladivostok',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
  ];
  const hhmm = (quarters: number) =>
    quarters === 96
      ? '24:00'
      : `${String(Math.floor(quarters / 4)).padStart(2, '0')}:${String((quarters % 4) * 15).padStart(2, '0')}`;
  // Up to two shifts a day on a quarter-hour grid, so bounds land in skipped and repeated hours too.
  const dayShifts = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 }).map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const shifts: Shift[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      shifts.push({ from: hhmm(sorted[i] ?? 0), to: hhmm(sorted[i + 1] ?? 0) });
    }
    return shifts;
  });
  const week = fc
    .tuple(...WEEKDAYS.map(() => dayShifts))
    .map((days) => Object.fromEntries(WEEKDAYS.flatMap((d, i) => (days[i]?.length ? [[d, days[i]]] : []))))
    .filter((w) => Object.keys(w).length > 0);
  const FROM = Date.UTC(2025, 0, 1);
  const TO = Date.UTC(2026, 11, 31);
  const isoDate = fc.integer({ min: FROM / 86_400_000, max: TO / 86_400_000 }).map((d) => {
    return new Date(d * 86_400_000).toISOString().slice(0, 10);
  });
  const absence = fc.tuple(isoDate, fc.integer({ min: 0, max: 20 })).map(([from, days]) => ({
    from,
    to: new Date(Date.parse(from) + days * 86_400_000).toISOString().slice(0, 10),
  }));
  const scheduleArb = fc.record({
    workingHours: fc.record({ timeZone: fc.constantFrom(...ZONES), week }),
    holidays: fc.uniqueArray(isoDate, { maxLength: 30 }),
    absences: fc.array(absence, { maxLength: 3 }),
  });
  const instant = fc.oneof(
    fc.integer({ min: FROM, max: TO }),
    fc.integer({ min: FROM / 60_000, max: TO / 60_000 }).map((m) => m * 60_000),
  );
  const minutes = fc.integer({ min: 0, max: 3000 });
  const ms = (d: Date | undefined) => d?.getTime();

  it('adds up: counting a then b is counting a + b', () => {
    fc.assert(
      fc.property(scheduleArb, instant, minutes, minutes, (s, t, a, b) => {
        const first = addWorkingMinutes(s, new Date(t), a);
        const both = first && addWorkingMinutes(s, first, b);
        expect(ms(both)).toBe(ms(addWorkingMinutes(s, new Date(t), a + b)));
      }),
      { numRuns: 500 },
    );
  });

  it('measures back what it added, and is never due before the start', () => {
    fc.assert(
      fc.property(scheduleArb, instant, minutes, (s, t, m) => {
        const due = addWorkingMinutes(s, new Date(t), m);
        if (due === undefined) return;
        expect(due.getTime()).toBeGreaterThanOrEqual(t);
        expect(workingMinutesBetween(s, new Date(t), due)).toBe(m);
      }),
      { numRuns: 500 },
    );
  });

  it('is working in the last minute before the due time', () => {
    fc.assert(
      fc.property(scheduleArb, instant, fc.integer({ min: 1, max: 3000 }), (s, t, m) => {
        const due = addWorkingMinutes(s, new Date(t), m);
        if (due === undefined) return;
        expect(presenceAt({ ...s, absences: [] }, new Date(due.getTime() - 60_000))).toBe('working');
      }),
      { numRuns: 500 },
    );
  });

  it('does not move the due time for an absence', () => {
    fc.assert(
      fc.property(scheduleArb, instant, minutes, (s, t, m) => {
        expect(ms(addWorkingMinutes(s, new Date(t), m))).toBe(
          ms(addWorkingMinutes({ ...s, absences: [] }, new Date(t), m)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('starts the first minute at the next working start', () => {
    fc.assert(
      fc.property(scheduleArb, instant, (s, t) => {
        const whole = Math.ceil(t / 60_000) * 60_000;
        const first = addWorkingMinutes(s, new Date(t), 1);
        const start = nextWorkingStart(s, new Date(whole));
        expect(first && first.getTime() - 60_000).toBe(ms(start));
      }),
      { numRuns: 500 },
    );
  });
});
