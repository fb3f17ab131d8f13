import * as z from 'zod';
import { INDUSTRIES, PRODUCTS } from '../leads/lead-submission.ts';
import { DEFAULT_LOCALE, LOCALES } from '../templates/locale.ts';

/**
 * The PM unit's roster: what the head of the unit keeps about each personal manager (PM). Routing reads
 * it to decide who may take a lead; the SLA clock reads the working hours, holidays and absences.
 * A manager's load (open leads) and turn in the rotation are not kept here: the bank's work changes
 * them, not the head of unit, so a roster change never overwrites them.
 */
export const SEGMENTS = ['corporate', 'mid_market', 'small_business'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** '*' in regions or industries: the manager covers any. */
export const ANY = '*';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
};

/** A stretch of a working day in the manager's own time zone, 'HH:MM' to 'HH:MM' ('24:00' ends the day). */
export const Shift = z
  .object({
    from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM'),
    to: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time as HH:MM, or 24:00'),
  })
  .refine((s) => minutesOf(s.from) < minutesOf(s.to), { message: 'ends before it starts', path: ['to'] });
export type Shift = z.infer<typeof Shift>;

const isoDate = z.iso.date();

/** When the manager works: shifts per weekday in an IANA time zone (days not named are days off). */
export const WorkingHours = z.object({
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone, such as Europe/Moscow'),
  week: z.partialRecord(
    z.enum(WEEKDAYS),
    z
      .array(Shift)
      .max(4)
      .refine(
        (shifts) =>
          [...shifts]
            .sort((a, b) => minutesOf(a.from) - minutesOf(b.from))
            .every((s, i, all) => i === 0 || minutesOf(all[i - 1]?.to ?? '00:00') <= minutesOf(s.from)),
        'shifts of one day overlap',
      ),
  ),
});
export type WorkingHours = z.infer<typeof WorkingHours>;

/** Days away, both ends included, in the manager's own time zone. */
export const Absence = z
  .object({ from: isoDate, to: isoDate, reason: z.string().trim().max(200).optional() })
  .refine((a) => a.from <= a.to, { message: 'ends before it starts', path: ['to'] });
export type Absence = z.infer<typeof Absence>;

/** A Russian region code as the first two digits of an INN give it ('77' Moscow), or '*'. */
const RegionCode = z.union([z.string().regex(/^\d{2}$/, 'a two-digit region code, or *'), z.literal(ANY)]);

export const ManagerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and -');

/** One personal manager as the head of the unit keeps them. */
export const RosterEntry = z.object({
  managerId: ManagerId,
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  /** The language of the emails this manager reads. */
  language: z.enum(LOCALES).default(DEFAULT_LOCALE),
  segments: z.array(z.enum(SEGMENTS)).min(1).max(SEGMENTS.length),
  regions: z.array(RegionCode).min(1).max(100),
  industries: z
    .array(z.union([z.enum(INDUSTRIES), z.literal(ANY)]))
    .min(1)
    .max(INDUSTRIES.length + 1),
  /** Products this manager is skilled in: preferred for leads that ask for them. */
  products: z.array(z.enum(PRODUCTS)).max(PRODUCTS.length).default([]),
  /** Maximum open leads at once. */
  capacity: z.number().int().min(0).max(10_000),
  /** Share of new leads relative to equally loaded peers (2: twice as many), from 0.1 to 10. */
  weight: z.number().min(0.1).max(10).default(1),
  workingHours: WorkingHours,
  /** Days off besides the weekly ones (public holidays), in the manager's time zone. */
  holidays: z.array(isoDate).max(400).default([]),
  absences: z.array(Absence).max(100).default([]),
  /** An inactive manager keeps their leads and gets no new ones. */
  active: z.boolean(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;
/** A roster entry as it arrives (defaults not yet applied). */
export type RosterEntryInput = z.input<typeof RosterEntry>;

/** The bank's work on a manager: kept beside the roster entry, never written by a roster change. */
export type ManagerLoad = {
  /** Leads the manager holds now (assigned or accepted, not yet converted, lost, declined or timed out). */
  activeLeads: number;
  /** When the manager was last given a lead by rotation: equal candidates take turns by it. */
  lastAssignedAt?: string;
  /**
   * Set when the manager lets a lead's acceptance time run out: routing gives them no new lead until then,
   * as long again as the time they let pass.
   */
  pausedUntil?: string;
};

/** A personal manager as routing sees them: the roster entry and the load. */
export type PersonalManager = RosterEntry & ManagerLoad;

/** Moscow, Monday to Friday, 09:00-18:00: the unit's usual week, for managers imported without hours. */
export const STANDARD_WEEK: WorkingHours = {
  timeZone: 'Europe/Moscow',
  week: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [{ from: '09:00', to: '18:00' }]]),
  ),
};

/** Every day, all day: a desk that is always staffed (and tests and benches that run at any hour). */
export const ROUND_THE_CLOCK: WorkingHours = {
  timeZone: 'Europe/Moscow',
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]])),
};
