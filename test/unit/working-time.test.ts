import { describe, expect, it } from 'vitest';
import { type Shift, WEEKDAYS, type WorkingHours } from '#shared/managers/roster.ts';
import {
  addWorkingMinutes,
  nextWorkingStart,
  presenceAt,
  type Schedule,
  workingMinutesBetween,
} from '#shared/managers/working-time.ts';

const NINE_TO_SIX: Shift[] = [{ from: '09:00', to: '18:00' }];
const weekdays = (shifts: Shift[]): WorkingHours['week'] =>
  Object.fromEntries((['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, shifts]));
const everyDay = (shifts: Shift[]): WorkingHours['week'] =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, shifts]));

const schedule = (timeZone: string, week: WorkingHours['week'], more: Partial<Schedule> = {}): Schedule => ({
  workingHours: { timeZone, week },
  holidays: [],
  absences: [],
  ...more,
});

const moscow = schedule('Europe/Moscow', weekdays(NINE_TO_SIX));
const at = (instant: string) => new Date(instant);
/** Instants compared as UTC text, so a failure shows both readably. */
const utc = (instant: string | Date | undefined) =>
  instant === undefined ? undefined : new Date(instant).toISOString();

// March 2025: Monday the 10th to Friday the 14th, the weekend, Monday the 17th. Russia Day, 12 June 2025, is a Thursday.
describe('addWorkingMinutes', () => {
  it('counts on from a start inside a shift', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-11T10:00+03:00'), 120))).toBe(
      utc('2025-03-11T12:00+03:00'),
    );
  });

  it('counts from the next shift start when it starts before or after hours', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-11T07:00+03:00'), 60))).toBe(
      utc('2025-03-11T10:00+03:00'),
    );
    expect(utc(addWorkingMinutes(moscow, at('2025-03-11T19:00+03:00'), 60))).toBe(
      utc('2025-03-12T10:00+03:00'),
    );
  });

  it('carries a Friday-evening lead to Monday morning', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-14T19:30+03:00'), 30))).toBe(
      utc('2025-03-17T09:30+03:00'),
    );
  });

  it('skips the weekend in the middle of the count', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-14T16:00+03:00'), 240))).toBe(
      utc('2025-03-17T11:00+03:00'),
    );
  });

  it('counts a 40-hour SLA over a working week', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-10T09:00+03:00'), 40 * 60))).toBe(
      utc('2025-03-14T13:00+03:00'),
    );
  });

  it('ends a count that fills the last shift at its end, not at the next start', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-10T09:00+03:00'), 45 * 60))).toBe(
      utc('2025-03-14T18:00+03:00'),
    );
  });

  it('skips a holiday', () => {
    const start = at('2025-06-11T17:00+03:00');
    expect(utc(addWorkingMinutes(moscow, start, 120))).toBe(utc('2025-06-12T10:00+03:00'));
    const russiaDay = { ...moscow, holidays: ['2025-06-12'] };
    expect(utc(addWorkingMinutes(russiaDay, start, 120))).toBe(utc('2025-06-13T10:00+03:00'));
  });

  it('skips the break between split shifts', () => {
    const split = schedule(
      'Europe/Moscow',
      weekdays([
        { from: '09:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ]),
    );
    expect(utc(addWorkingMinutes(split, at('2025-03-11T12:30+03:00'), 60))).toBe(
      utc('2025-03-11T14:30+03:00'),
    );
    expect(utc(addWorkingMinutes(split, at('2025-03-11T13:20+03:00'), 10))).toBe(
      utc('2025-03-11T14:10+03:00'),
    );
  });

  it("runs on through midnight when a shift ends at '24:00' and the next starts at '00:00'", () => {
    const nights = schedule(
      'Europe/Moscow',
      everyDay([
        { from: '00:00', to: '02:00' },
        { from: '20:00', to: '24:00' },
      ]),
    );
    expect(utc(addWorkingMinutes(nights, at('2025-03-10T23:00+03:00'), 120))).toBe(
      utc('2025-03-11T01:00+03:00'),
    );
  });

  it("counts in the manager's own zone: the same instant is Friday afternoon in Vladivostok, morning in Moscow", () => {
    const vladivostok = schedule('Asia/Vladivostok', weekdays(NINE_TO_SIX));
    const start = at('2025-03-14T06:00Z');
    expect(utc(addWorkingMinutes(vladivostok, start, 180))).toBe(utc('2025-03-17T10:00+10:00'));
    expect(utc(addWorkingMinutes(moscow, start, 180))).toBe(utc('2025-03-14T12:00+03:00'));
  });

  it('keeps the wall-clock start of a shift after Berlin changes its clocks, both ways', () => {
    const berlin = schedule('Europe/Berlin', everyDay(NINE_TO_SIX));
    expect(utc(addWorkingMinutes(berlin, at('2025-03-29T17:00+01:00'), 120))).toBe(
      utc('2025-03-30T10:00+02:00'),
    );
    expect(utc(addWorkingMinutes(berlin, at('2025-10-25T17:00+02:00'), 120))).toBe(
      utc('2025-10-26T10:00+01:00'),
    );
  });

  it('keeps the wall-clock start of a shift after New York changes its clocks, both ways', () => {
    const newYork = schedule('America/New_York', weekdays(NINE_TO_SIX));
    expect(utc(addWorkingMinutes(newYork, at('2025-03-07T17:00-05:00'), 120))).toBe(
      utc('2025-03-10T10:00-04:00'),
    );
    expect(utc(addWorkingMinutes(newYork, at('2025-10-31T17:00-04:00'), 120))).toBe(
      utc('2025-11-03T10:00-05:00'),
    );
  });

  it('ends a night shift across the change at its wall-clock end', () => {
    const sundayNights = schedule('Europe/Berlin', { sun: [{ from: '00:00', to: '06:00' }] });
    // Spring forward: 00:00-06:00 is five hours; the sixth falls on the next Sunday.
    expect(utc(addWorkingMinutes(sundayNights, at('2025-03-30T00:00+01:00'), 300))).toBe(
      utc('2025-03-30T06:00+02:00'),
    );
    expect(utc(addWorkingMinutes(sundayNights, at('2025-03-30T00:00+01:00'), 301))).toBe(
      utc('2025-04-06T00:01+02:00'),
    );
    // Fall back: seven hours.
    expect(utc(addWorkingMinutes(sundayNights, at('2025-10-26T00:00+02:00'), 420))).toBe(
      utc('2025-10-26T06:00+01:00'),
    );
  });

  it('does not stop for an absence: the timeout hands the lead on instead', () => {
    const away = { ...moscow, absences: [{ from: '2025-03-11', to: '2025-03-12' }] };
    expect(utc(addWorkingMinutes(away, at('2025-03-11T10:00+03:00'), 120))).toBe(
      utc('2025-03-11T12:00+03:00'),
    );
  });

  it('is due at once for zero minutes, even off hours', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-15T12:00+03:00'), 0))).toBe(
      utc('2025-03-15T12:00+03:00'),
    );
  });

  it('counts whole minutes from the next one when it starts part-way through a minute', () => {
    expect(utc(addWorkingMinutes(moscow, at('2025-03-11T10:00:30+03:00'), 60))).toBe(
      utc('2025-03-11T11:01+03:00'),
    );
  });

  it('gives up on a schedule without a working minute in 400 days', () => {
    expect(
      addWorkingMinutes(schedule('Europe/Moscow', {}), at('2025-03-11T10:00+03:00'), 60),
    ).toBeUndefined();
    const mondays = (weeks: number) =>
      Array.from({ length: weeks }, (_, i) =>
        new Date(Date.UTC(2025, 2, 17 + 7 * i)).toISOString().slice(0, 10),
      );
    const mondaysOnly = schedule('Europe/Moscow', { mon: NINE_TO_SIX });
    // 60 Mondays off in a row: 420 days without work. 50: the 51st Monday is worked.
    expect(
      addWorkingMinutes({ ...mondaysOnly, holidays: mondays(60) }, at('2025-03-14T12:00+03:00'), 60),
    ).toBe(undefined);
    expect(
      utc(addWorkingMinutes({ ...mondaysOnly, holidays: mondays(50) }, at('2025-03-14T12:00+03:00'), 60)),
    ).toBe(utc('2026-03-02T10:00+03:00'));
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s minutes', (minutes) => {
    expect(() => addWorkingMinutes(moscow, at('2025-03-11T10:00+03:00'), minutes)).toThrow(RangeError);
  });

  it('refuses an invalid date', () => {
    expect(() => addWorkingMinutes(moscow, new Date(Number.NaN), 10)).toThrow(RangeError);
  });
});

describe('workingMinutesBetween', () => {
  it('counts only shift minutes on working days', () => {
    expect(workingMinutesBetween(moscow, at('2025-03-14T17:00+03:00'), at('2025-03-17T10:00+03:00'))).toBe(
      120,
    );
    expect(workingMinutesBetween(moscow, at('2025-03-10T00:00+03:00'), at('2025-03-17T00:00+03:00'))).toBe(
      45 * 60,
    );
  });

  it('leaves out a holiday and keeps a day of absence', () => {
    const week = [at('2025-03-10T00:00+03:00'), at('2025-03-17T00:00+03:00')] as const;
    expect(workingMinutesBetween({ ...moscow, holidays: ['2025-03-12'] }, ...week)).toBe(36 * 60);
    expect(
      workingMinutesBetween({ ...moscow, absences: [{ from: '2025-03-12', to: '2025-03-12' }] }, ...week),
    ).toBe(45 * 60);
  });

  it('is 0 when the end is not after the start', () => {
    expect(workingMinutesBetween(moscow, at('2025-03-11T12:00+03:00'), at('2025-03-11T10:00+03:00'))).toBe(0);
    expect(workingMinutesBetween(moscow, at('2025-03-11T12:00+03:00'), at('2025-03-11T12:00+03:00'))).toBe(0);
  });

  it.each([
    ['Europe/Berlin', '2025-03-29T12:00Z', 5, '2025-10-25T12:00Z', 7, '2025-03-22T12:00Z'],
    ['America/New_York', '2025-03-08T12:00Z', 5, '2025-11-01T12:00Z', 7, '2025-03-01T12:00Z'],
  ])(
    'makes a %s night shift across the change an hour shorter in spring, longer in autumn',
    (zone, spring, springHours, autumn, autumnHours, ordinary) => {
      const sundayNights = schedule(zone, { sun: [{ from: '00:00', to: '06:00' }] });
      const twoDays = (from: string) => [at(from), new Date(Date.parse(from) + 2 * 86_400_000)] as const;
      expect(workingMinutesBetween(sundayNights, ...twoDays(spring))).toBe(springHours * 60);
      expect(workingMinutesBetween(sundayNights, ...twoDays(autumn))).toBe(autumnHours * 60);
      expect(workingMinutesBetween(sundayNights, ...twoDays(ordinary))).toBe(6 * 60);
    },
  );

  it('keeps a 09:00-18:00 shift nine hours on both change days', () => {
    const berlin = schedule('Europe/Berlin', { sun: NINE_TO_SIX });
    expect(workingMinutesBetween(berlin, at('2025-03-29T12:00Z'), at('2025-03-31T12:00Z'))).toBe(9 * 60);
    expect(workingMinutesBetween(berlin, at('2025-10-25T12:00Z'), at('2025-10-27T12:00Z'))).toBe(9 * 60);
  });

  it('starts a shift bound in the skipped hour at the jump, and in the repeated hour at its first reading', () => {
    const spring = [at('2025-03-29T12:00Z'), at('2025-03-31T12:00Z')] as const;
    const autumn = [at('2025-10-25T12:00Z'), at('2025-10-27T12:00Z')] as const;
    // 02:30 does not exist on 30 March: the shift starts when the clock jumps to 03:00.
    expect(
      workingMinutesBetween(schedule('Europe/Berlin', { sun: [{ from: '02:30', to: '04:00' }] }), ...spring),
    ).toBe(60);
    expect(
      nextWorkingStart(schedule('Europe/Berlin', { sun: [{ from: '02:30', to: '04:00' }] }), spring[0]),
    ).toEqual(at('2025-03-30T03:00+02:00'));
    // A shift wholly in the skipped hour never happens.
    expect(
      workingMinutesBetween(schedule('Europe/Berlin', { sun: [{ from: '02:10', to: '02:50' }] }), ...spring),
    ).toBe(0);
    // 02:30 comes twice on 26 October: from the first to 03:30 is two hours.
    expect(
      workingMinutesBetween(schedule('Europe/Berlin', { sun: [{ from: '02:30', to: '03:30' }] }), ...autumn),
    ).toBe(120);
  });

  it('counts nothing on a day the zone skipped (Samoa, 30 December 2011)', () => {
    const apia = schedule('Pacific/Apia', { thu: NINE_TO_SIX, fri: NINE_TO_SIX, sat: NINE_TO_SIX });
    expect(workingMinutesBetween(apia, at('2011-12-29T00:00-10:00'), at('2012-01-01T00:00+14:00'))).toBe(
      18 * 60,
    );
  });
});

describe('nextWorkingStart', () => {
  it('is the instant itself during a shift', () => {
    expect(nextWorkingStart(moscow, at('2025-03-11T10:15+03:00'))).toEqual(at('2025-03-11T10:15+03:00'));
  });

  it('is the next shift start off hours, past the weekend and a holiday, not past an absence', () => {
    expect(nextWorkingStart(moscow, at('2025-03-15T12:00+03:00'))).toEqual(at('2025-03-17T09:00+03:00'));
    const more = { holidays: ['2025-03-17'], absences: [{ from: '2025-03-18', to: '2025-03-20' }] };
    expect(nextWorkingStart({ ...moscow, ...more }, at('2025-03-15T12:00+03:00'))).toEqual(
      at('2025-03-18T09:00+03:00'),
    );
  });

  it('is undefined for a week without shifts', () => {
    expect(
      nextWorkingStart(schedule('Europe/Moscow', { mon: [] }), at('2025-03-11T10:00+03:00')),
    ).toBeUndefined();
  });
});

describe('presenceAt', () => {
  it.each([
    ['2025-03-11T09:00+03:00', 0, 'working'],
    ['2025-03-11T17:59+03:00', 0, 'working'],
    ['2025-03-11T18:00+03:00', 0, 'off_hours'],
    ['2025-03-11T08:45+03:00', 0, 'off_hours'],
    ['2025-03-11T08:45+03:00', 30, 'near_hours'],
    ['2025-03-11T08:15+03:00', 30, 'off_hours'],
    ['2025-03-11T18:30+03:00', 30, 'near_hours'],
    ['2025-03-11T18:31+03:00', 30, 'off_hours'],
    ['2025-03-15T12:00+03:00', 30, 'off_hours'],
  ] as const)('at %s with %i minutes near is %s', (instant, near, presence) => {
    expect(presenceAt(moscow, at(instant), near)).toBe(presence);
  });

  it('is holiday on a holiday, near a shift or in one', () => {
    const russiaDay = { ...moscow, holidays: ['2025-06-12'] };
    expect(presenceAt(russiaDay, at('2025-06-12T10:00+03:00'))).toBe('holiday');
    expect(presenceAt(russiaDay, at('2025-06-12T08:45+03:00'), 30)).toBe('holiday');
  });

  it('is absent on both ends of an absence, and absence wins over a holiday', () => {
    const away = {
      ...moscow,
      holidays: ['2025-03-12'],
      absences: [{ from: '2025-03-11', to: '2025-03-13' }],
    };
    expect(presenceAt(away, at('2025-03-11T00:00+03:00'))).toBe('absent');
    expect(presenceAt(away, at('2025-03-12T10:00+03:00'))).toBe('absent');
    expect(presenceAt(away, at('2025-03-13T23:59+03:00'))).toBe('absent');
    expect(presenceAt(away, at('2025-03-14T10:00+03:00'))).toBe('working');
  });

  it("reads the day of an absence in the manager's zone", () => {
    const vladivostok = schedule('Asia/Vladivostok', weekdays(NINE_TO_SIX), {
      absences: [{ from: '2025-03-17', to: '2025-03-17' }],
    });
    // Sunday 23:30 UTC is Monday 09:30 in Vladivostok.
    expect(presenceAt(vladivostok, at('2025-03-16T23:30Z'))).toBe('absent');
    expect(presenceAt(vladivostok, at('2025-03-16T13:00Z'))).toBe('off_hours');
  });

  it('is not near hours because of a shift on a coming holiday or day of absence', () => {
    const sundayEvening = at('2025-03-16T20:00+03:00');
    // Monday 09:00 is 13 hours away; Friday's shift ended two days ago.
    expect(presenceAt(moscow, sundayEvening, 800)).toBe('near_hours');
    expect(presenceAt({ ...moscow, holidays: ['2025-03-17'] }, sundayEvening, 800)).toBe('off_hours');
    expect(
      presenceAt({ ...moscow, absences: [{ from: '2025-03-17', to: '2025-03-17' }] }, sundayEvening, 800),
    ).toBe('off_hours');
  });

  it.each([-1, 2.5, 7 * 24 * 60 + 1])('refuses %s minutes near', (near) => {
    expect(() => presenceAt(moscow, at('2025-03-11T10:00+03:00'), near)).toThrow(RangeError);
  });
});
