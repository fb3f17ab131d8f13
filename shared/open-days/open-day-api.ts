import * as z from 'zod';
import {
  OPEN_DAY_STATUSES,
  type OpenDay,
  OpenDayInput,
  REGISTRATION_STATUSES,
  RegistrationInput,
  Venue,
} from './open-day.ts';

/**
 * The open days API (`/v1/open-days`): campaign managers plan open days, staff read them, and prospects
 * register through the public form and manage their registration through the signed links of its emails.
 * The rules are the domain's (docs/open-days.md); this module only says what goes over HTTP.
 */

export const openDayPath = z.object({ openDayId: z.uuid() });

/** A registration link's token: a compact JWT (base64url segments and dots). */
export const registrationTokenPath = z.object({ token: z.string().max(1000) });

export const NewOpenDayBody = OpenDayInput.meta({
  id: 'NewOpenDay',
  description:
    'An open day: title and description (Russian, optionally English), start and end (ISO 8601 with offset) and the time zone people read them in, a place or an online link, capacity, the registration deadline, the hosting personal managers',
});

export const OpenDayListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(1000).optional(),
});

const Localized = z.strictObject({ ru: z.string(), en: z.string().nullable() });

export const OpenDayView = z
  .strictObject({
    openDayId: z.uuid(),
    status: z.enum(OPEN_DAY_STATUSES),
    title: Localized,
    description: Localized,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timeZone: z.string(),
    venue: Venue,
    capacity: z.int(),
    seatsTaken: z
      .int()
      .meta({ description: 'Seats held: confirmed, or offered from the waitlist and not yet answered' }),
    waitlisted: z.int().meta({ description: 'People waiting for a seat' }),
    registrationClosesAt: z.iso.datetime(),
    hosts: z.array(z.string()),
    reminderHours: z.int(),
    offerHoldHours: z.int(),
    checkInMinutesAfterEnd: z.int(),
    materials: z
      .union([z.strictObject({ url: z.string() }), z.strictObject({ text: Localized })])
      .nullable()
      .meta({ description: 'What no-shows get afterwards; without it, the description again' }),
    progress: z
      .strictObject({
        phase: z.enum(['reminders', 'follow_up', 'held']),
        leads: z.int().meta({ description: 'Attendees made leads' }),
        noShows: z.int().meta({ description: 'No-shows written to' }),
      })
      .nullable()
      .meta({ description: 'Where its run stands: reminding, following up, or held' }),
    sequence: z
      .int()
      .meta({ description: "The calendar invites' SEQUENCE: raised by each change people are told of" }),
    author: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OpenDay' });

export const OpenDayList = z
  .strictObject({ openDays: z.array(OpenDayView), next: z.string().nullable() })
  .meta({ id: 'OpenDayList' });

const localized = (text: { ru: string; en?: string | undefined }) => ({ ru: text.ru, en: text.en ?? null });

export function openDayView(openDay: OpenDay): z.infer<typeof OpenDayView> {
  return {
    openDayId: openDay.openDayId,
    status: openDay.status,
    title: localized(openDay.title),
    description: localized(openDay.description),
    startsAt: openDay.startsAt,
    endsAt: openDay.endsAt,
    timeZone: openDay.timeZone,
    venue: openDay.venue,
    capacity: openDay.capacity,
    seatsTaken: openDay.seatsTaken,
    waitlisted: openDay.waitlisted,
    registrationClosesAt: openDay.registrationClosesAt,
    hosts: openDay.hosts,
    reminderHours: openDay.reminderHours,
    offerHoldHours: openDay.offerHoldHours,
    checkInMinutesAfterEnd: openDay.checkInMinutesAfterEnd,
    materials: !openDay.materials
      ? null
      : 'url' in openDay.materials
        ? openDay.materials
        : { text: localized(openDay.materials.text) },
    progress: openDay.progress
      ? { phase: openDay.progress.phase, leads: openDay.progress.leads, noShows: openDay.progress.noShows }
      : null,
    sequence: openDay.sequence,
    author: openDay.author,
    createdAt: openDay.createdAt,
    updatedAt: openDay.updatedAt,
  };
}

/** The registration as the public form posts it; the honeypot is left out of the document. */
export const PublishedRegistration = RegistrationInput.omit({ fax: true }).meta({
  id: 'OpenDayRegistration',
  description: 'A registration for an open day, from the public form',
});

export const RegistrationAnswer = z
  .strictObject({
    registrationId: z.uuid(),
    status: z.enum(REGISTRATION_STATUSES).meta({
      description:
        '`confirmed`: a seat; `waitlisted`: a place in line; `offered`: a freed seat held for you (see the email)',
    }),
  })
  .meta({ id: 'OpenDayRegistered' });

export const RegistrationLinkAnswer = z
  .strictObject({
    registrationId: z.uuid(),
    status: z.enum(REGISTRATION_STATUSES),
  })
  .meta({ id: 'OpenDayRegistrationChanged' });
