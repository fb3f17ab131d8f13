import * as z from 'zod';
import {
  OPEN_DAY_STATUSES,
  type OpenDay,
  OpenDayCancellation,
  OpenDayChange,
  OpenDayInput,
  REGISTRATION_STATUSES,
  type Registration,
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

export const ChangeOpenDayBody = OpenDayChange.meta({
  id: 'OpenDayChange',
  description:
    'The fields to change, at least one (`materials: null` takes the materials away); the open day as changed is checked as a new one is. Changing `startsAt`, `endsAt`, `reminderHours` or `checkInMinutesAfterEnd` starts its run afresh by the new times',
});

export const CancelOpenDayBody = OpenDayCancellation.meta({
  id: 'OpenDayCancellation',
  description: 'Why it is cancelled, for the record (registrants are told it is cancelled, not why)',
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
    attended: z.int().meta({ description: 'People checked in at the door (each counted once)' }),
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
    cancelled: z
      .strictObject({ at: z.iso.datetime(), by: z.string(), reason: z.string().nullable() })
      .nullable()
      .meta({ description: 'Who cancelled it, when and why' }),
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
    attended: openDay.attended ?? 0,
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
    cancelled: openDay.cancelled ? { reason: null, ...openDay.cancelled } : null,
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

/** A check-in at the door: a scan of the confirmation's code, or a person staff picked from the list. */
export const CheckInBody = z
  .strictObject({
    code: z.string().min(1).max(1000).optional().meta({
      description: "The check-in code from the registrant's confirmation email (a scan of it)",
    }),
    registrationId: z.uuid().optional().meta({ description: 'A registration picked from the list' }),
  })
  .superRefine((body, ctx) => {
    if ((body.code === undefined) === (body.registrationId === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['code'],
        message: 'either `code` or `registrationId`, one of them',
      });
  })
  .meta({ id: 'OpenDayCheckInRequest', description: 'Either `code` or `registrationId`' });

const CheckedInView = z
  .strictObject({ at: z.iso.datetime(), by: z.string().meta({ description: 'The member of staff' }) })
  .meta({ id: 'OpenDayCheckedIn' });

/** What staff at the door see of a person: who they are and their company, never how to reach them. */
const doorPerson = {
  registrationId: z.uuid(),
  name: z.string().meta({ description: "The registrant's name" }),
  company: z.string().meta({ description: "Their company's name" }),
};

export const CheckInAnswer = z
  .strictObject({
    outcome: z.enum(['checked_in', 'already_checked_in']).meta({
      description:
        '`checked_in`: marked and counted now; `already_checked_in`: a repeat (a second scan), not counted again',
    }),
    ...doorPerson,
    checkedInAt: z.iso.datetime().meta({ description: 'When they were first checked in' }),
    by: z.string().meta({ description: 'Who of the staff first checked them in' }),
  })
  .meta({ id: 'OpenDayCheckIn' });

/** A registration that holds no confirmed seat is not checked in: the answer says where it stands. */
export const NotConfirmedBody = z
  .strictObject({
    error: z.strictObject({
      code: z.literal('not_confirmed'),
      message: z.string(),
      registrationId: z.uuid(),
      status: z.enum(REGISTRATION_STATUSES),
    }),
  })
  .meta({
    id: 'OpenDayNotConfirmed',
    description:
      'The registration is waitlisted, offered a seat, or cancelled: only a confirmed one is checked in',
  });

export const RegistrationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(200).optional(),
  status: z.enum(REGISTRATION_STATUSES).optional(),
});

export const DoorRegistration = z
  .strictObject({
    ...doorPerson,
    status: z.enum(REGISTRATION_STATUSES),
    registeredAt: z.iso.datetime(),
    checkedIn: CheckedInView.nullable(),
  })
  .meta({ id: 'OpenDayDoorRegistration' });

export const RegistrationList = z
  .strictObject({ registrations: z.array(DoorRegistration), next: z.string().nullable() })
  .meta({ id: 'OpenDayRegistrationList' });

export function doorRegistration(registration: Registration): z.infer<typeof DoorRegistration> {
  return {
    registrationId: registration.registrationId,
    name: registration.contact.name,
    company: registration.company.name,
    status: registration.status,
    registeredAt: registration.registeredAt,
    checkedIn: registration.checkedIn ?? null,
  };
}
