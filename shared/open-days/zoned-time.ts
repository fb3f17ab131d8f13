import type { Templates } from '../templates/render.ts';
import type { OpenDay } from './open-day.ts';

/**
 * Times as an open day's registrants read them, in its emails and its pages: in the open day's time zone,
 * the zone named and its offset (people may come from another zone), from the catalog's `openDayEmail.zoned`.
 */

const zoneNames = (t: Templates, at: Date, timeZone: string) => {
  const named = (timeZoneName: 'longGeneric' | 'shortOffset') =>
    new Intl.DateTimeFormat(t.locale, { timeZone, timeZoneName })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return { zone: named('longGeneric'), offset: named('shortOffset') };
};

/** A moment in the open day's time zone (a date without its weekday reads well in a sentence). */
export function momentIn(t: Templates, iso: string, timeZone: string): string {
  const at = new Date(iso);
  const format = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
  return t.text(t.catalog.openDayEmail.zoned, { dateTime: format.format(at), ...zoneNames(t, at, timeZone) });
}

/** The open day's span (one date when it starts and ends the same day) in its time zone. */
export function spanOf(t: Templates, openDay: Pick<OpenDay, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const start = new Date(openDay.startsAt);
  const format = new Intl.DateTimeFormat(t.locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: openDay.timeZone,
  });
  return t.text(t.catalog.openDayEmail.zoned, {
    dateTime: format.formatRange(start, new Date(openDay.endsAt)),
    ...zoneNames(t, start, openDay.timeZone),
  });
}
