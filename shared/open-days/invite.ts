import { createEvent, type EventAttributes } from 'ics';
import type { EmailAttachment } from '../leads/ports.ts';
import type { Locale } from '../templates/locale.ts';
import type { OpenDay, Registration } from './open-day.ts';

/**
 * An open day's calendar invite (RFC 5545, the `ics` package), one calendar entry per registration
 * (docs/open-days.md, "Emails and the calendar"). Pure: the organizer and the clock come in.
 */

/** REQUEST puts the entry in the registrant's calendar (or updates it); CANCEL takes it out. */
export type InviteMethod = 'REQUEST' | 'CANCEL';

/** The bank's sender identity the invites come from: the calendar shows it as the organizer. */
export type Organizer = { name: string; email: string };

export type InviteOptions = { organizer: Organizer; now: Date };

export const INVITE_FILE_NAME = 'invite.ics';
const PRODUCT_ID = '-//Attract//Open days//RU';

/** One entry per registration, whatever changes: a calendar finds the entry an update or a cancel is for by it. */
export const inviteUid = (registrationId: string): string => `${registrationId}@attract`;

/**
 * The SEQUENCE an invite carries. A calendar applies a message for an entry only if its SEQUENCE is not
 * lower than the last one it applied, so each entry's sequence must never go down:
 * - a REQUEST (the confirmation, the reminder, an update) carries the open day's `sequence`, which every
 *   change people are told of raises, so an update replaces the entry and a reminder repeats it as it is;
 * - a CANCEL (the registration given up or run out, or the open day cancelled) carries the open day's
 *   `sequence` + 1: above every REQUEST sent for the entry so far, since those carried at most the open
 *   day's sequence at the time. It is the entry's last word: nothing more is sent for a cancelled
 *   registration (a registration is not taken back), so a later change of the open day, which raises its
 *   sequence to that same number, sends that registrant nothing to compete with the cancel.
 */
export const inviteSequence = (openDay: Pick<OpenDay, 'sequence'>, method: InviteMethod): number =>
  method === 'REQUEST' ? openDay.sequence : openDay.sequence + 1;

/** Text in the registrant's language: English when they read it and the open day has it, Russian otherwise. */
export const inLanguage = (text: { ru: string; en?: string | undefined }, language: Locale): string =>
  (language === 'en' ? text.en : undefined) ?? text.ru;

// iCalendar TEXT takes no control characters but the newline (which the library escapes), so the rest go,
// and a lone carriage return is a newline too: it would otherwise end the content line early.
const CONTROLS = /[^\P{Cc}\n\t]/gu;
const calendarText = (text: string): string => text.replace(/\r\n?/g, '\n').replace(CONTROLS, '');

/**
 * A name as a quoted parameter value (CN="..."), where neither a control character nor a double quote may
 * stand (the library would put a backslash before a quote, which iCalendar does not read as an escape).
 * A semicolon may, but parsers that split parameters on every one (node-ical among them) would cut the
 * name there, so it becomes a comma.
 */
const parameterText = (text: string): string =>
  text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/"/g, "'")
    .replace(/;/g, ',')
    .trim();

/**
 * Content lines folded at 75 octets as RFC 5545 asks (the library folds at 75 characters, which for
 * Cyrillic is up to 150 octets), never inside a character's UTF-8 bytes.
 */
function foldByOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines
    .map((line) => {
      const parts: string[] = [];
      let part = '';
      let octets = 0;
      // Continuation lines start with the space that folds them: it counts in their 75.
      let room = 75;
      for (const char of line) {
        const size = utf8Length(char);
        if (octets + size > room) {
          parts.push(part);
          part = '';
          octets = 0;
          room = 74;
        }
        part += char;
        octets += size;
      }
      parts.push(part);
      return parts.join('\r\n ');
    })
    .join('\r\n');
}

const utf8Length = (char: string): number => {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
};

/** The open day's place (in the registrant's language) or its online session's link, normalized. */
function whereOf(openDay: OpenDay, language: Locale): { location: string; url?: string } {
  if (openDay.venue.kind === 'place')
    return { location: calendarText(inLanguage(openDay.venue.address, language)) };
  const url = new URL(openDay.venue.url).href;
  return { location: url, url };
}

/**
 * The registration's calendar entry as an iCalendar file: the open day's instants in UTC, its title and
 * description in the registrant's language, the place or the link, the bank as organizer and the registrant
 * as the one attendee (RSVP=FALSE: they answered by registering; a seat is given up by its link, not by a calendar's reply).
 */
export function openDayInvite(
  openDay: OpenDay,
  registration: Registration,
  method: InviteMethod,
  options: InviteOptions,
): string {
  const { language } = registration;
  const attributes: EventAttributes & { timestamp: number } = {
    productId: PRODUCT_ID,
    method,
    uid: inviteUid(registration.registrationId),
    sequence: inviteSequence(openDay, method),
    timestamp: options.now.getTime(),
    start: Date.parse(openDay.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(openDay.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: calendarText(inLanguage(openDay.title, language)),
    description: calendarText(inLanguage(openDay.description, language)),
    ...whereOf(openDay, language),
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: parameterText(options.organizer.name), email: options.organizer.email },
    attendees: [
      // No ROLE or PARTSTAT: the library quotes their values, which iCalendar does not allow for them, and
      // their defaults (a required participant, yet to answer) are what the entry is.
      { name: parameterText(registration.contact.name), email: registration.contact.email, rsvp: false },
    ],
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`The invite could not be built: ${error?.message ?? 'no output'}`);
  return foldByOctets(value);
}

/**
 * The invite as an email's attachment. The media type names the method, as calendar clients (Outlook above
 * all) read it to offer the entry; the charset is UTF-8, as the text is.
 */
export const inviteAttachment = (ics: string, method: InviteMethod): EmailAttachment => ({
  fileName: INVITE_FILE_NAME,
  contentType: `text/calendar; charset=UTF-8; method=${method}`,
  content: ics,
});
