import * as z from 'zod';
import { CompanyInfo, Consent, ContactPerson, LeadSource, PRODUCTS } from '../leads/lead-submission.ts';
import { LOCALES } from '../templates/locale.ts';

/**
 * An open day (issue 9; docs/open-days.md): companies come to meet the personal managers who host it, and
 * those who come become leads. The seats are exact: a registration holds one or waits in line for one.
 */

/** The most seats one open day has: the seat ledger is a set of registration ids on the open day's item. */
export const MAX_CAPACITY = 2_000;

/** Text in Russian, and optionally in English for registrants who read English. */
const Localized = (max: number) =>
  z.strictObject({
    ru: z.string().trim().min(1).max(max),
    en: z.string().trim().min(1).max(max).optional(),
  });

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Where it happens: a place people come to, or an online session. */
export const Venue = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('place'), address: Localized(500) }),
  z.strictObject({
    kind: z.literal('online'),
    url: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2000),
  }),
]);
export type Venue = z.infer<typeof Venue>;

const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** An open day's fields, each checked alone. */
const openDayFields = {
  title: Localized(200),
  description: Localized(5_000),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: z.string().max(64).refine(isTimeZone, 'an IANA time zone, e.g. Europe/Moscow'),
  venue: Venue,
  capacity: z.int().min(1).max(MAX_CAPACITY),
  registrationClosesAt: Instant,
  /** The personal managers who host it (directory ids). */
  hosts: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
    .min(1)
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'each host once'),
  /** Hours before the start the reminder goes out. */
  reminderHours: z.int().min(1).max(168),
  /** Hours a person promoted from the waitlist has to take the seat before it passes on. */
  offerHoldHours: z.int().min(1).max(72),
  /** Minutes after the end staff may still check people in; the follow-up begins then. */
  checkInMinutesAfterEnd: z.int().min(0).max(720),
  /** What those who registered and did not come get afterwards: a link to the materials, or a text. */
  materials: z.union([
    z.strictObject({ url: z.url({ protocol: /^https$/, hostname: z.regexes.domain }).max(2000) }),
    z.strictObject({ text: Localized(5_000) }),
  ]),
};

/** The checks across fields: the end after the start, registration closed no later than the start. */
export function orderProblems(o: {
  startsAt: string;
  endsAt: string;
  registrationClosesAt: string;
}): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (Date.parse(o.endsAt) <= Date.parse(o.startsAt))
    problems.push({ path: 'endsAt', message: 'the end is after the start' });
  if (Date.parse(o.registrationClosesAt) > Date.parse(o.startsAt))
    problems.push({ path: 'registrationClosesAt', message: 'registration closes no later than the start' });
  return problems;
}

/** What a campaign manager writes; times are instants (with their offset), `timeZone` is how people read them. */
export const OpenDayInput = z
  .strictObject({
    ...openDayFields,
    reminderHours: openDayFields.reminderHours.default(24),
    offerHoldHours: openDayFields.offerHoldHours.default(24),
    checkInMinutesAfterEnd: openDayFields.checkInMinutesAfterEnd.default(120),
    materials: openDayFields.materials.optional(),
  })
  .superRefine((o, ctx) => {
    for (const { path, message } of orderProblems(o)) ctx.addIssue({ code: 'custom', path: [path], message });
  });
export type OpenDayInput = z.input<typeof OpenDayInput>;

/** What people read of an open day: a change to any of these is told to everyone registered. */
export const TOLD_FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'timeZone', 'venue'] as const;
/** What moves the OpenDay run's times: a change to any of these starts its run afresh. */
export const TIMING_FIELDS = ['startsAt', 'endsAt', 'reminderHours', 'checkInMinutesAfterEnd'] as const;

/**
 * A campaign manager's change of a planned open day: any of its fields, at least one (`materials: null`
 * takes the materials away). The result is checked as a whole, as a new open day is.
 */
export const OpenDayChange = z
  .strictObject({ ...openDayFields, materials: openDayFields.materials.nullable() })
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'name at least one field to change');
export type OpenDayChange = z.output<typeof OpenDayChange>;

/** Why an open day was cancelled, in the campaign manager's words (for the record, not for registrants). */
export const OpenDayCancellation = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

/** Checks that depend on the clock: an open day is planned for the future. */
export function timingProblems(
  input: z.output<typeof OpenDayInput>,
  now: Date,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (Date.parse(input.startsAt) <= now.getTime())
    problems.push({ path: 'startsAt', message: 'the start is in the past' });
  if (Date.parse(input.registrationClosesAt) <= now.getTime())
    problems.push({ path: 'registrationClosesAt', message: 'registration would be closed already' });
  return problems;
}

export const OPEN_DAY_STATUSES = ['open', 'cancelled', 'held'] as const;
export type OpenDayStatus = (typeof OPEN_DAY_STATUSES)[number];

/**
 * Where the OpenDay run stands (shared/open-days/run-open-day.ts): reminding the confirmed, then following
 * up (attendees become leads, no-shows get the materials), a page of registrations at a time from `after`.
 */
export type OpenDayProgress = {
  phase: 'reminders' | 'follow_up' | 'held';
  after?: string;
  /** Counted as the follow-up goes: attendees made leads, no-shows written to. */
  leads: number;
  noShows: number;
};

export type OpenDay = z.output<typeof OpenDayInput> & {
  openDayId: string;
  status: OpenDayStatus;
  progress?: OpenDayProgress;
  /** Raised by each change people are told of: a calendar replaces the entry with a higher SEQUENCE. */
  sequence: number;
  /** Seats held (confirmed, or offered and not yet answered): the size of the seat ledger. */
  seatsTaken: number;
  /** People waiting for a seat. */
  waitlisted: number;
  /** People checked in at the door: counted by each first check-in, absent until the first. */
  attended?: number;
  author: string;
  createdAt: string;
  updatedAt: string;
  /**
   * The name of its OpenDay run (`<openDayId>`, then `<openDayId>-<sequence>` after a change of its times):
   * only that run keeps its progress; an older one ends when it wakes. Absent: the first, `<openDayId>`.
   */
  run?: string;
  /** Who cancelled it, when, and why. */
  cancelled?: { at: string; by: string; reason?: string };
};

/** An open day as its registrants were told of it, at one `sequence` (what a change email compares). */
export type OpenDayVersion = Pick<OpenDay, 'sequence' | (typeof TOLD_FIELDS)[number]>;

/** What a prospect sends to register: who they are, their company, consents, and how they came. */
export const RegistrationInput = z
  .strictObject({
    contact: ContactPerson,
    /** The company, with its INN: an attendee becomes a lead, which the bank knows companies by. */
    company: CompanyInfo,
    /** What they would like to discuss: the lead's products once they attend. */
    products: z
      .array(z.enum(PRODUCTS))
      .min(1)
      .max(PRODUCTS.length)
      .refine((ps) => new Set(ps).size === ps.length, 'Each product may be listed only once'),
    language: z.enum(LOCALES).optional(),
    consents: z
      .array(Consent)
      .min(1)
      .max(10)
      .refine(
        (cs) => new Set(cs.map((c) => c.purpose)).size === cs.length,
        'Each consent purpose may be listed only once',
      )
      .refine(
        (cs) => cs.some((c) => c.purpose === 'personal_data_processing' && c.granted),
        'Consent to personal data processing (personal_data_processing, granted: true) is required',
      ),
    source: LeadSource.default({}),
    fax: z.string().optional().meta({ description: 'Honeypot: left empty by people' }),
  })
  .meta({ id: 'OpenDayRegistration', description: 'A registration for an open day, from the public form' });
export type RegistrationInput = z.output<typeof RegistrationInput>;

/**
 * Where a registration stands: holding a seat (`confirmed`), waiting in line (`waitlisted`), offered a
 * freed seat until `offerUntil` (`offered`), or given up (`cancelled`; by the person, or when an offer ran
 * out).
 */
export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'offered', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/**
 * What the registrant must be told of their registration's last change: kept on it in the same write, and
 * cleared once the email is sent (the outbox: docs/open-days.md, "Emails and the calendar").
 */
export const REGISTRANT_NOTICES = [
  'confirmed',
  'waitlisted',
  'offered',
  'cancelled',
  'offer_expired',
  /** The open day changed (what, when or where): told with the version they last heard of. */
  'changed',
  /** The open day is cancelled. */
  'open_day_cancelled',
] as const;
export type RegistrantNoticeKind = (typeof REGISTRANT_NOTICES)[number];
export type RegistrantNotice = {
  kind: RegistrantNoticeKind;
  at: string;
  /** For `cancelled`: they had a confirmed seat, so their calendar has the entry to take out. */
  heldSeat?: boolean;
};

export type Registration = Omit<RegistrationInput, 'fax' | 'language'> & {
  openDayId: string;
  registrationId: string;
  /** The email's keyed hash: one registration per address per open day. */
  emailHash: string;
  language: (typeof LOCALES)[number];
  status: RegistrationStatus;
  registeredAt: string;
  updatedAt: string;
  offerUntil?: string;
  /** An email owed to the registrant, until it is sent. */
  notice?: RegistrantNotice;
  /** The open day's `sequence` the last email sent to them carried: what they know of it. */
  toldSequence?: number;
  /** When they came and who of the staff let them in (shared/open-days/check-in.ts); set once. */
  checkedIn?: CheckedIn;
  /** The lead an attendee became once the open day was over. */
  leadId?: string;
};

/** A confirmed registrant's arrival: when, and the member of staff who checked them in. */
export type CheckedIn = { at: string; by: string };
