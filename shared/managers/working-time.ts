import { DateTime, IANAZone } from 'luxon';
import { type RosterEntry, WEEKDAYS } from './roster.ts';

/**
 * The SLA clock: a personal manager's working time, counted in their own time zone, shifts and holidays.
 * Pure (a memo of walked days aside): luxon knows the zones and their daylight-saving rules; this module
 * only walks the calendar, a day at a time.
 *
 * A shift is wall-clock time: it starts at the first instant the manager's clock reads its start (or later)
 * and ends at the first instant it reads its end. So on a spring-forward day a 09:00-18:00 shift is still
 * 9 hours, a shift across the skipped hour is that hour shorter, and a bound inside the skipped hour falls
 * on the jump itself; on a fall-back day a shift across the repeated hour is an hour longer, and a bound
 * inside it is its first reading. '24:00' is the first instant of the next day.
 */
export type Schedule = Pick<RosterEntry, 'workingHours' | 'holidays' | 'absences'>;

/** Where a manager is at an instant, from the most to the least available. */
export const PRESENCES = ['working', 'near_hours', 'off_hours', 'holiday', 'absent'] as const;
export type Presence = (typeof PRESENCES)[number];

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A schedule with no working minute for this many days in a row has none: the clock gives up. */
const HORIZON_DAYS = 400;
/** Presence looks at most a week either side of the instant for a shift that is near. */
const MAX_NEAR_MINUTES = 7 * 24 * 60;

type Clock = {
  zone: IANAZone;
  /** Shifts per ISO weekday (index 0 is Monday) as [from, to) minutes of the day, earliest first. */
  week: (readonly [number, number])[][];
  holidays: ReadonlySet<string>;
  absences: Schedule['absences'];
};

export type Calendar = { year: number; month: number; day: number };

/** One calendar day in the schedule's zone, from its first instant to the next day's (epoch ms). */
type Day = Calendar & {
  /** The date at UTC midnight: calendar arithmetic only, never an instant in the zone. */
  naive: number;
  date: string;
  /** ISO weekday, 1 is Monday. */
  weekday: number;
  start: number;
  end: number;
  /** The zone's offset at `end`, in minutes. */
  endOffset: number;
  /** Whether the clock reads exactly midnight at `end` (not a skipped midnight). */
  endExact: boolean;
  /** One offset all day: a minute of the day is `start` plus that many minutes. */
  fixed: boolean;
};

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function clockOf(schedule: Schedule): Clock {
  const zone = IANAZone.create(schedule.workingHours.timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone ${schedule.workingHours.timeZone}`);
  const week = WEEKDAYS.map((weekday) =>
    (schedule.workingHours.week[weekday] ?? [])
      .map((shift) => [minuteOfDay(shift.from), minuteOfDay(shift.to)] as const)
      .sort((a, b) => a[0] - b[0]),
  );
  return { zone, week, holidays: new Set(schedule.holidays), absences: schedule.absences };
}

const hasShifts = (clock: Clock) => clock.week.some((shifts) => shifts.length > 0);
const isAbsent = (clock: Clock, date: string) => clock.absences.some((a) => a.from <= date && date <= a.to);

function instantOf(at: Date, name: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/** Wall-clock time as one comparable number: calendar date, then minute of the day. */
export const keyOf = (c: Calendar, minute: number) =>
  ((c.year * 100 + c.month) * 100 + c.day) * 1440 + minute;
export const wallKey = (t: DateTime) => keyOf(t, t.hour * 60 + t.minute);

/**
 * The first instant at which the clock reads `minute` of `calendar`'s date or later. luxon resolves a
 * reading the clock shows twice by the offset of `near`; callers pass an instant before the reading (that
 * day's or the day before's midnight), whose offset is the one before any change, so the first is taken.
 * A reading the clock skips comes back shifted by the gap, and the jump is found before it.
 */
export function firstReading(near: DateTime, calendar: Calendar, minute: number): DateTime {
  const { year, month, day } = calendar;
  const guess = near.set({ year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 });
  const target = keyOf(calendar, minute);
  if (wallKey(guess) === target) return guess;
  let lo = guess.toMillis() - DAY;
  let hi = guess.toMillis();
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
    if (wallKey(DateTime.fromMillis(mid, { zone: near.zone })) >= target) hi = mid;
    else lo = mid;
  }
  return DateTime.fromMillis(hi, { zone: near.zone });
}

/**
 * Days already walked, by zone and date. The walk is pure, so a day is the same whoever asks; most days
 * cost one offset look-up, and a warm function reuses them. Bounded: cleared when full.
 */
const walked = new Map<string, Day>();
const WALKED_MAX = 20_000;

function dayOf(zone: IANAZone, naive: number, start: number, startExact: boolean, startOffset: number): Day {
  const key = `${zone.name}|${naive}`;
  const known = walked.get(key);
  if (known !== undefined) return known;
  const at = new Date(naive);
  let end = start + DAY;
  let endOffset = zone.offset(end);
  let endExact = true;
  // Exactly midnight at the start and the same offset a day later: the clock reads midnight again.
  const fixed = startExact && endOffset === startOffset;
  if (!fixed) {
    const reading = firstReading(DateTime.fromMillis(start, { zone }), calendarOf(naive + DAY), 0);
    end = reading.toMillis();
    endOffset = reading.offset;
    endExact = wallKey(reading) === keyOf(calendarOf(naive + DAY), 0);
  }
  const day: Day = {
    ...calendarOf(naive),
    naive,
    date: at.toISOString().slice(0, 10),
    weekday: ((at.getUTCDay() + 6) % 7) + 1,
    start,
    end,
    endOffset,
    endExact,
    fixed,
  };
  if (walked.size >= WALKED_MAX) walked.clear();
  walked.set(key, day);
  return day;
}

/** The calendar date the clock reads at `ms`, at UTC midnight (an offset is what the clock adds to UTC). */
const naiveDateAt = (zone: IANAZone, ms: number) => {
  const wall = ms + zone.offset(ms) * MINUTE;
  return wall - (((wall % DAY) + DAY) % DAY);
};

const calendarOf = (naive: number): Calendar => {
  const at = new Date(naive);
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
};

/** Calendar days in the schedule's zone, from the day before the one holding `ms`, onward without end. */
function* daysFrom(clock: Clock, ms: number): Generator<Day> {
  let naive = naiveDateAt(clock.zone, ms) - DAY;
  let day = walked.get(`${clock.zone.name}|${naive}`);
  if (day === undefined) {
    const before = DateTime.fromMillis(ms - 2 * DAY, { zone: clock.zone });
    const start = firstReading(before, calendarOf(naive), 0);
    const exact = wallKey(start) === keyOf(calendarOf(naive), 0);
    day = dayOf(clock.zone, naive, start.toMillis(), exact, start.offset);
  }
  for (;;) {
    yield day;
    naive += DAY;
    day = dayOf(clock.zone, naive, day.end, day.endExact, day.endOffset);
  }
}

/** The day's working stretches as [from, to) instants: none on a holiday or a day without shifts. */
function workOf(clock: Clock, day: Day): [number, number][] {
  const shifts = clock.week[day.weekday - 1] ?? [];
  if (shifts.length === 0 || clock.holidays.has(day.date)) return [];
  const at = (minute: number) => {
    if (minute === 1440) return day.end;
    if (day.fixed) return day.start + minute * MINUTE;
    return firstReading(DateTime.fromMillis(day.start, { zone: clock.zone }), day, minute).toMillis();
  };
  const stretches: [number, number][] = [];
  for (const [from, to] of shifts) {
    const a = at(from);
    const b = at(to);
    // A shift that lies wholly in a skipped hour never happens.
    if (b > a) stretches.push([a, b]);
  }
  return stretches;
}

/**
 * Working stretches from the day before the one holding `ms` on, in order; stops after HORIZON_DAYS days
 * in a row without one (at once for a week without shifts).
 */
function* workFrom(clock: Clock, ms: number): Generator<[number, number]> {
  if (!hasShifts(clock)) return;
  let idle = 0;
  for (const day of daysFrom(clock, ms)) {
    const stretches = workOf(clock, day);
    idle = stretches.length === 0 ? idle + 1 : 0;
    if (idle > HORIZON_DAYS) return;
    yield* stretches;
  }
}

/** The clock counts whole minutes: a start part-way through one counts from the next, never less time. */
const nextWholeMinute = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;

/**
 * The SLA due time: `minutes` of working time after `start`, counted only inside shifts on days that are
 * not holidays; a start outside hours counts from the next shift start. Zero minutes is due at once.
 * Absences do not stop the clock: a lead must not wait for a manager on leave, and the timeout is what
 * hands it to someone who is there. Undefined when the schedule has no working minute within 400 days.
 */
export function addWorkingMinutes(schedule: Schedule, start: Date, minutes: number): Date | undefined {
  const from = instantOf(start, 'start');
  if (!Number.isSafeInteger(minutes) || minutes < 0) {
    throw new RangeError('minutes must be a non-negative integer');
  }
  if (minutes === 0) return new Date(from);
  const begin = nextWholeMinute(from);
  let left = minutes * MINUTE;
  for (const [a, b] of workFrom(clockOf(schedule), begin)) {
    if (b <= begin) continue;
    const counted = Math.max(a, begin);
    if (b - counted >= left) return new Date(counted + left);
    left -= b - counted;
  }
  return undefined;
}

/**
 * Whole working minutes from `from` to `to` (shifts on days that are not holidays), counted as the due
 * time counts them, so `workingMinutesBetween(t, addWorkingMinutes(t, m))` is `m`; 0 if `to` is not later.
 */
export function workingMinutesBetween(schedule: Schedule, from: Date, to: Date): number {
  const begin = nextWholeMinute(instantOf(from, 'from'));
  const end = instantOf(to, 'to');
  const clock = clockOf(schedule);
  if (end <= begin || !hasShifts(clock)) return 0;
  let total = 0;
  // Walks every day up to `to` (no horizon): a long run of holidays must not end the count early.
  for (const day of daysFrom(clock, begin)) {
    if (day.start >= end) break;
    for (const [a, b] of workOf(clock, day)) {
      total += Math.max(0, Math.min(b, end) - Math.max(a, begin));
    }
  }
  return Math.floor(total / MINUTE);
}

/**
 * The first instant at or after `at` inside working hours (`at` itself during a shift), as the SLA clock
 * sees them: holidays are skipped, absences are not. Undefined when none comes within 400 days.
 */
export function nextWorkingStart(schedule: Schedule, at: Date): Date | undefined {
  const ms = instantOf(at, 'at');
  for (const [a, b] of workFrom(clockOf(schedule), ms)) {
    if (b > ms) return new Date(Math.max(a, ms));
  }
  return undefined;
}

/**
 * Whether the manager is there to take a lead at `at`: absent (an absence covers the day) wins over a
 * holiday, which wins over the hours; 'near_hours' when not in a shift but one starts or ended within
 * `nearMinutes` (shifts on holidays and days of absence do not count).
 */
export function presenceAt(schedule: Schedule, at: Date, nearMinutes = 0): Presence {
  const ms = instantOf(at, 'at');
  if (!Number.isSafeInteger(nearMinutes) || nearMinutes < 0 || nearMinutes > MAX_NEAR_MINUTES) {
    throw new RangeError(`nearMinutes must be an integer from 0 to ${MAX_NEAR_MINUTES}`);
  }
  const clock = clockOf(schedule);
  const date = new Date(naiveDateAt(clock.zone, ms)).toISOString().slice(0, 10);
  if (isAbsent(clock, date)) return 'absent';
  if (clock.holidays.has(date)) return 'holiday';
  const near = nearMinutes * MINUTE;
  let isNear = false;
  for (const day of daysFrom(clock, ms - near)) {
    if (day.start > ms + near) break;
    if (isAbsent(clock, day.date)) continue;
    for (const [a, b] of workOf(clock, day)) {
      if (a <= ms && ms < b) return 'working';
      if (near > 0 && ((a > ms && a - ms <= near) || (b <= ms && ms - b <= near))) isNear = true;
    }
  }
  return isNear ? 'near_hours' : 'off_hours';
}
