import { DateTime, IANAZone } from 'luxon';
import * as z from 'zod';
import { firstReading, keyOf, wallKey } from '../managers/working-time.ts';

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

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
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
    // From the day's start, whose offset is the one before any change that day: a repeated reading
    // resolves to its first time.
    const opening = firstReading(DateTime.fromObject(calendar, { zone }).startOf('day'), calendar, from);
    const reads = wallKey(opening) - keyOf(calendar, 0);
    if (opening.toMillis() > ms && reads < until)
      return { open: false, opensAt: new Date(opening.toMillis()) };
  }
  throw new RangeError(`the sending window ${window.from}-${window.until} never opens in ${timeZone}`);
}
