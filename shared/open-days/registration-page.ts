import type { Locale } from '../templates/locale.ts';
import type { OpenDay, OpenDayStatus, Registration, RegistrationStatus } from './open-day.ts';
import type { OpenDays } from './ports.ts';
import { giveUpByLink, type RegistrationDeps, takeOfferByLink } from './register.ts';
import { readRegistrationToken } from './registration-link.ts';

/**
 * The page a registrant's email link opens (docs/open-days.md): the open day, where their registration
 * stands, and a button for each thing they may do. Opening it (GET) changes nothing: mail scanners open
 * links, and giving a seat up must be the person's act. Pressing a button (POST, `action=give_up|take`)
 * goes through the same use cases as the JSON routes, and the page then says what came of it.
 */

export const PAGE_ACTIONS = ['give_up', 'take'] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];

/** What of the open day the page shows: what, when and where. */
export type OpenDayFacts = Pick<OpenDay, 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'venue'>;

/** Where the registration stands as its owner reads it: an offer past its time has run out already. */
export type ShownStatus = RegistrationStatus | 'offer_ran_out';

/** The registration as its page shows it, in its owner's language. */
export type Shown = {
  locale: Locale;
  openDay: OpenDayFacts;
  /** Cancelled or held: nothing is left to do about a seat. */
  openDayStatus: OpenDayStatus;
  /** The person's own name, for the greeting: the page shows nothing else of what they gave. */
  name: string;
  status: ShownStatus;
  offerUntil?: string;
  /** The buttons the page shows. */
  actions: readonly PageAction[];
};

/** Why a press changed nothing: the page says so above the registration as it now stands. */
export type PageNotice = 'action_missing' | 'offer_expired' | 'not_held' | 'not_offered';

export type RegistrationPage =
  | (Shown & { kind: 'registration'; notice?: PageNotice })
  | (Shown & { kind: 'done'; done: 'given_up' | 'left' | 'taken' })
  /** A token that is not a manage link of ours, or one of a registration given up and made again since. */
  | { kind: 'refused'; locale: Locale; reason: 'invalid' | 'expired' | 'replaced' };

/** Showing a page only reads. */
export type PageDeps = Pick<RegistrationDeps, 'keys' | 'now'> & {
  openDays: Pick<OpenDays, 'get' | 'registration'>;
};

const ACTIONS_BY_STATUS: Record<ShownStatus, readonly PageAction[]> = {
  confirmed: ['give_up'],
  waitlisted: ['give_up'],
  offered: ['take', 'give_up'],
  offer_ran_out: [],
  cancelled: [],
};

function shown(openDay: OpenDay, registration: Registration, now: Date): Shown {
  const { offerUntil } = registration;
  const ranOut = registration.status === 'offered' && Date.parse(offerUntil ?? '') <= now.getTime();
  const status: ShownStatus = ranOut ? 'offer_ran_out' : registration.status;
  return {
    locale: registration.language,
    openDay: {
      title: openDay.title,
      startsAt: openDay.startsAt,
      endsAt: openDay.endsAt,
      timeZone: openDay.timeZone,
      venue: openDay.venue,
    },
    openDayStatus: openDay.status,
    name: registration.contact.name,
    status,
    ...(status === 'offered' && offerUntil ? { offerUntil } : {}),
    // A cancelled open day, or one that took place, has no seats left to give up or take.
    actions: openDay.status === 'open' ? ACTIONS_BY_STATUS[status] : [],
  };
}

type Opened =
  | { openDay: OpenDay; registration: Registration }
  | Extract<RegistrationPage, { kind: 'refused' }>;

async function open(deps: PageDeps, token: string, readerLocale: Locale): Promise<Opened> {
  const read = await readRegistrationToken(deps.keys, 'manage', token, deps.now());
  // A bad token names nobody: the page is in the reader's language and shows nothing of anyone.
  if (!read.ok)
    return {
      kind: 'refused',
      locale: readerLocale,
      reason: read.reason === 'expired' ? 'expired' : 'invalid',
    };
  const { openDayId, emailHash, registrationId } = read.ref;
  const [registration, openDay] = await Promise.all([
    deps.openDays.registration(openDayId, emailHash),
    deps.openDays.get(openDayId),
  ]);
  // The address's registration now is a newer one (or none): this link opens nothing of it, but the
  // address is the same person's, so the page is in the language they registered in last.
  if (!registration || !openDay || registration.registrationId !== registrationId)
    return { kind: 'refused', locale: registration?.language ?? readerLocale, reason: 'replaced' };
  return { openDay, registration };
}

/** GET: the open day and where the registration stands, changing nothing. */
export async function openRegistrationPage(
  deps: PageDeps,
  token: string,
  readerLocale: Locale,
): Promise<RegistrationPage> {
  const opened = await open(deps, token, readerLocale);
  if ('kind' in opened) return opened;
  return { kind: 'registration', ...shown(opened.openDay, opened.registration, deps.now()) };
}

const isAction = (action: string | undefined): action is PageAction =>
  (PAGE_ACTIONS as readonly (string | undefined)[]).includes(action);

/** POST: the person pressed a button; the page says what came of it, or why nothing changed. */
export async function actOnRegistration(
  deps: RegistrationDeps,
  token: string,
  action: string | undefined,
  readerLocale: Locale,
): Promise<RegistrationPage> {
  const opened = await open(deps, token, readerLocale);
  if ('kind' in opened) return opened;
  const before = opened.registration;
  if (!isAction(action))
    return { kind: 'registration', notice: 'action_missing', ...shown(opened.openDay, before, deps.now()) };
  const answer = action === 'take' ? await takeOfferByLink(deps, token) : await giveUpByLink(deps, token);
  switch (answer.kind) {
    case 'given_up':
    case 'taken': {
      // Leaving the line reads differently from giving a seat up; the status read before the press says
      // which (a promotion in between is the rare case it misnames, and the emails then say what happened).
      const done = answer.kind === 'taken' ? 'taken' : before.status === 'waitlisted' ? 'left' : 'given_up';
      return { kind: 'done', done, ...shown(opened.openDay, answer.registration, deps.now()) };
    }
    case 'refused':
      return {
        kind: 'refused',
        locale: readerLocale,
        reason: answer.reason === 'expired' ? 'expired' : 'invalid',
      };
    case 'not_found':
      return { kind: 'refused', locale: before.language, reason: 'replaced' };
    case 'not_held':
    case 'expired':
    case 'not_offered': {
      // Nothing changed: the registration as it stands now, under why.
      const now = await openRegistrationPage(deps, token, readerLocale);
      const notice = answer.kind === 'expired' ? 'offer_expired' : answer.kind;
      return now.kind === 'registration' ? { ...now, notice } : now;
    }
  }
}
