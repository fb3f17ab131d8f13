import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';

/**
 * Quiet hours (docs/letters.md): letters go out only while the recipient's own clock reads inside the
 * sending window, e.g. 09:00-20:00 in the prospect's time zone. Wall-clock time, as the SLA clock counts it
 * (shared/managers/working-time.ts): the window opens at the first instant the clock reads its start or
 * later, so on a spring-forward day a start inside the skipped hour opens at the jump, and on a fall-back
 * day the repeated hour is inside or outside by what the clock reads.
 */

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');

export const SendingWindow = z
  .strictObject({ from: HHMM, until: HHMM })
  .refine((w) => w.from < w.until, { message: 'the window starts before it ends, on one day' });
export type SendingWindow = z.infer<typeof SendingWindow>;

const MINUTE = 60_000;
const DAY = 86_400_000;

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
type Calendar = { year: number; month: number; day: number };
const keyOf = (c: Calendar, minute: number) => ((c.year * 100 + c.month) * 100 + c.day) * 1440 + minute;
const wallKey = (t: DateTime) => keyOf(t, t.hour * 60 + t.minute);

/** The first instant at which the clock reads `minute` of the day `calendar` or later. */
function firstReading(zone: IANAZone, calendar: Calendar, minute: number): DateTime {
  // Set from the day's start, whose offset is the one before any change that day: a repeated reading
  // resolves to its first time.
  const start = DateTime.fromObject(calendar, { zone }).startOf('day');
  const guess = start.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
  const target = keyOf(calendar, minute);
  if (wallKey(guess) === target) return guess;
  // A skipped reading: luxon shifts it by the gap; the first instant reading it or later is the jump.
  let lo = guess.toMillis() - DAY;
  let hi = guess.toMillis();
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
    if (wallKey(DateTime.fromMillis(mid, { zone })) >= target) hi = mid;
    else lo = mid;
  }
  return DateTime.fromMillis(hi, { zone });
}

/**
 * Whether a letter may go out at `now` to someone in `timeZone`; when not, the instant the window next
 * opens, so the campaign can try again then.
 */
export function sendingHoursAt(
  window: SendingWindow,
  timeZone: string,
  now: Date,
): { open: true } | { open: false; opensAt: Date } {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('now is not a valid date');
  const checked = SendingWindow.parse(window);
  const from = minuteOf(checked.from);
  const until = minuteOf(checked.until);
  const local = DateTime.fromMillis(ms, { zone });
  const minute = local.hour * 60 + local.minute;
  if (from <= minute && minute < until) return { open: true };
  // Today's opening if it is still ahead, else the next day's; a window wholly inside a skipped hour
  // does not open that day.
  for (let days = 0; days <= 3; days++) {
    const date = local.plus({ days });
    const calendar = { year: date.year, month: date.month, day: date.day };
    const opening = firstReading(zone, calendar, from);
    const reads = wallKey(opening) - keyOf(calendar, 0);
    if (opening.toMillis() > ms && reads < until)
      return { open: false, opensAt: new Date(opening.toMillis()) };
  }
  throw new RangeError(`the sending window ${window.from}-${window.until} never opens in ${timeZone}`);
}
