import type { ConsentEvidence } from '../consents/evidence.ts';
import type { NoticeClaim } from '../leads/notify-manager.ts';
import type {
  CheckedIn,
  OpenDay,
  OpenDayProgress,
  RegistrantNotice,
  Registration,
  RegistrationStatus,
} from './open-day.ts';

/**
 * The open days' ports, in the bank's words. The DynamoDB adapter (shared/adapters/open-day-store.ts) keeps
 * the seats by conditions in the writes that change them (docs/open-days.md, "Registration is exact"):
 * however many people register or give up at once, no seat is held twice and nobody is lost.
 */

export type Registered =
  | { outcome: 'confirmed' | 'waitlisted'; registration: Registration }
  /** The address is registered for this open day already: the registration it has. */
  | { outcome: 'exists'; registration: Registration }
  | { outcome: 'closed' | 'not_found' };

export type GivenUp = { outcome: 'cancelled'; registration: Registration } | { outcome: 'not_held' };

export type OfferAnswer =
  | { outcome: 'confirmed'; registration: Registration }
  | { outcome: 'expired' | 'not_offered' };

export type OpenDayPage = { openDays: OpenDay[]; after?: string };

/** A list cursor this API did not hand out. */
export class InvalidOpenDayCursor extends Error {
  override name = 'InvalidOpenDayCursor';
  constructor(cursor: string) {
    super(`Not a cursor of the open days' list: ${cursor.slice(0, 40)}`);
  }
}

/**
 * A check-in as the ledger took it: the first marks the registration and counts it on the open day, a
 * repeat reports the first; a registration not holding a confirmed seat, or not there, is not marked.
 */
export type CheckInResult =
  | { outcome: 'checked_in' | 'already_checked_in'; registration: Registration & { checkedIn: CheckedIn } }
  | { outcome: 'not_confirmed'; registration: Registration }
  | { outcome: 'not_found' };

export type RegistrationPage = { registrations: Registration[]; after?: string };

/** A cursor of an open day's registrations this API did not hand out. */
export class InvalidRegistrationCursor extends Error {
  override name = 'InvalidRegistrationCursor';
  constructor(cursor: string) {
    super(`Not a cursor of the registrations' list: ${cursor.slice(0, 40)}`);
  }
}

export interface OpenDays {
  create(openDay: OpenDay): Promise<'created' | 'exists'>;
  /** Latest start first, a page at a time. */
  list(page: { limit: number; after?: string }): Promise<OpenDayPage>;
  /** Read consistently, with the seats as the ledger holds them. */
  get(openDayId: string): Promise<OpenDay | undefined>;
  registration(openDayId: string, emailHash: string): Promise<Registration | undefined>;
  /**
   * A new registration takes a free seat while nobody waits for one, or the next place in line; `at` is
   * the registration's time (it closes at `registrationClosesAt`).
   */
  register(
    registration: Registration,
    at: string,
    evidence?: readonly ConsentEvidence[],
  ): Promise<Registered>;
  /** Gives up a seat, an offered seat or a place in line. */
  giveUp(openDayId: string, emailHash: string, at: string): Promise<GivenUp>;
  /**
   * Offers each free seat to the next person in line, holding it for them until `until`: the seat stays
   * theirs until they take it, give it up, or the offer runs out. Answers who was offered one.
   */
  offerFreeSeats(openDayId: string, at: string, until: string): Promise<Registration[]>;
  /** The offered person takes the seat, while the offer holds. */
  takeOffer(openDayId: string, emailHash: string, at: string): Promise<OfferAnswer>;
  /** Registrations whose email has been owed since before `before`, oldest first (the sweep's). */
  owedNotices(before: string, limit: number): Promise<{ openDayId: string; emailHash: string }[]>;
  /** The claim of one email to a registrant (`<registrationId>#<kind>#<version>`), so it is sent once. */
  noticeClaim(openDayId: string, notice: string): NoticeClaim;
  /** The open day's OpenDay run is started: off the list of runs to start. */
  runStarted(openDayId: string): Promise<void>;
  /** Open days created before `before` whose run is not known started (the sweep's). */
  unstartedRuns(before: string, limit: number): Promise<string[]>;
  /** The lead an attendee became. */
  recordLead(openDayId: string, emailHash: string, leadId: string): Promise<void>;
  /** Where the OpenDay run stands; only that run (one per open day) writes it. */
  setProgress(openDayId: string, progress: OpenDayProgress): Promise<void>;
  /** The owed email went out: the registration owes nothing more, unless a newer change owes its own. */
  noticeSent(openDayId: string, emailHash: string, notice: RegistrantNotice): Promise<void>;
  /** Offers that ran out before `before` and still wait for an answer, earliest first. */
  expiredOffers(before: string, limit: number): Promise<{ openDayId: string; emailHash: string }[]>;
  /** An offer nobody answered in time: the seat goes back (then it is offered to the next). */
  withdrawOffer(openDayId: string, emailHash: string, at: string): Promise<'withdrawn' | 'not_offered'>;
  /**
   * Checks a registration in, once: it is marked `checkedIn` and the open day's `attended` counts it, in
   * one write, while it is the confirmed registration read and nobody checked it in yet.
   */
  checkIn(registration: Registration, checkedIn: CheckedIn): Promise<CheckInResult>;
  /** An open day's registration by its id (staff pick people from the list by it). */
  registrationById(openDayId: string, registrationId: string): Promise<Registration | undefined>;
  /** An open day's registrations, a page at a time, in the order of their keys; of one status if asked. */
  registrations(
    openDayId: string,
    page: { limit: number; after?: string; status?: RegistrationStatus },
  ): Promise<RegistrationPage>;
}

/** The OpenDay state machine's runs: one per open day, named by its id (a second start is the same run). */
export interface OpenDayRuns {
  start(openDayId: string): Promise<'started' | 'already_started'>;
}
