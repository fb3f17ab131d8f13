import type { ConsentEvidence } from '../consents/evidence.ts';
import type { NoticeClaim } from '../leads/notify-manager.ts';
import type {
  CheckedIn,
  OpenDay,
  OpenDayProgress,
  OpenDayVersion,
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

/**
 * A change the sweep carries out after it is written: `changed` and `open_day_cancelled` are told to every
 * registration (the open day at `sequence`); `seats` only offers the seats a larger capacity freed.
 */
export type OpenDayChangeNotice = {
  kind: 'changed' | 'open_day_cancelled' | 'seats';
  sequence: number;
  at: string;
};
export type PendingChange = OpenDayChangeNotice & { openDayId: string };

/**
 * A change as the store took it: written; refused because another change came first (read again), because
 * the capacity is below the seats held, or because the open day is not there.
 */
export type ChangeWritten = 'changed' | 'conflict' | 'below_seats' | 'not_found';

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
  unstartedRuns(before: string, limit: number): Promise<{ openDayId: string; run: string }[]>;
  /** The lead an attendee became. */
  recordLead(openDayId: string, emailHash: string, leadId: string): Promise<void>;
  /** Where the OpenDay run stands, kept only by the open day's current run: an older one is superseded. */
  setProgress(openDayId: string, run: string, progress: OpenDayProgress): Promise<'kept' | 'superseded'>;
  /**
   * The owed email went out carrying the open day at `toldSequence`: the registration owes nothing more,
   * unless a newer change owes its own.
   */
  noticeSent(
    openDayId: string,
    emailHash: string,
    notice: RegistrantNotice,
    toldSequence: number,
  ): Promise<void>;
  /**
   * Writes a change of the open day read: its fields (`null` takes one away), while it is still the version
   * read and open, and the capacity holds the seats taken; lists the change for the sweep.
   */
  change(
    read: OpenDay,
    set: Partial<Record<keyof OpenDay, unknown>>,
    change: OpenDayChangeNotice,
  ): Promise<ChangeWritten>;
  /** The open day as its registrants were told of it at a sequence (kept by each change they are told of). */
  version(openDayId: string, sequence: number): Promise<OpenDayVersion | undefined>;
  /** Changes the sweep has still to carry out, oldest first. */
  pendingChanges(limit: number): Promise<PendingChange[]>;
  /**
   * Each registration not yet told of the change (nor given up) owes its email; `untold` counts them, `owed`
   * those that owe it now (the rest owe another email, which tells the open day as it is).
   */
  tellOfChange(change: PendingChange): Promise<{ owed: number; untold: number }>;
  /** Everyone was told: the change is off the sweep's list (unless a newer one took its place). */
  changeCarriedOut(change: PendingChange): Promise<void>;
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

/**
 * The OpenDay state machine's runs, named by the open day's id, then `<id>-<sequence>` for the run a change
 * of its times starts afresh (a second start of a name is the same run).
 */
export interface OpenDayRuns {
  start(openDayId: string, run?: string): Promise<'started' | 'already_started'>;
}
