import type { Keys } from '../access/keys.ts';
import type { TokenRefusal } from '../access/signed-token.ts';
import { type FieldIssue, formatIssues } from '../leads/lead-submission.ts';
import type { CheckedIn, OpenDay, Registration } from './open-day.ts';
import { CheckInBody } from './open-day-api.ts';
import type { OpenDays } from './ports.ts';
import { readRegistrationToken } from './registration-link.ts';

/**
 * Staff check people in at the door of an open day (docs/open-days.md, "Check-in"): by a scan of the
 * signed code from the confirmation email, or by the registration picked from the list. Only a confirmed
 * registration of this open day is checked in, while the doors are open; the first check-in marks it and
 * counts it on the open day, a repeat (a second scan of the same code) is reported with the first.
 */

const HOUR = 3_600_000;
/** The doors open this long before the start: people come early, staff set up. */
export const CHECK_IN_OPENS_BEFORE_START_MS = 2 * HOUR;
/**
 * When people may be checked in to an open day: they close its `checkInMinutesAfterEnd` after the end (two
 * hours by default: a check-in entered late from a paper list still counts); then its run follows up.
 */
export function checkInWindow(openDay: Pick<OpenDay, 'startsAt' | 'endsAt' | 'checkInMinutesAfterEnd'>): {
  opensAt: string;
  closesAt: string;
} {
  return {
    opensAt: new Date(Date.parse(openDay.startsAt) - CHECK_IN_OPENS_BEFORE_START_MS).toISOString(),
    closesAt: new Date(Date.parse(openDay.endsAt) + openDay.checkInMinutesAfterEnd * 60_000).toISOString(),
  };
}

/** The doors are open: within the window (its ends included), and the open day not cancelled. */
export function doorsOpen(
  openDay: Pick<OpenDay, 'startsAt' | 'endsAt' | 'status' | 'checkInMinutesAfterEnd'>,
  now: Date,
): boolean {
  if (openDay.status === 'cancelled') return false;
  const { opensAt, closesAt } = checkInWindow(openDay);
  return Date.parse(opensAt) <= now.getTime() && now.getTime() <= Date.parse(closesAt);
}

export type CheckInDeps = {
  openDays: Pick<OpenDays, 'get' | 'registration' | 'registrationById' | 'checkIn'>;
  keys: Keys;
  now: () => Date;
};

export type CheckInAnswer =
  | { kind: 'checked_in' | 'already_checked_in'; registration: Registration & { checkedIn: CheckedIn } }
  | { kind: 'invalid'; issues: FieldIssue[] }
  /** The code is forged, altered, expired, or another kind of link (a manage link is no code). */
  | { kind: 'invalid_code'; reason: TokenRefusal }
  /** A genuine code, of another open day: the person came to the wrong door, or staff chose the wrong day. */
  | { kind: 'other_open_day' }
  | { kind: 'no_open_day' }
  /** No such registration of this open day (or the code's was given up and made again: a newer code). */
  | { kind: 'no_registration' }
  | { kind: 'closed'; opensAt: string; closesAt: string }
  | { kind: 'not_confirmed'; registration: Registration };

export type CheckInRequest = { openDayId: string; body: unknown; staffId: string };

export async function checkIn(deps: CheckInDeps, request: CheckInRequest): Promise<CheckInAnswer> {
  const parsed = CheckInBody.safeParse(request.body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const now = deps.now();
  const openDay = await deps.openDays.get(request.openDayId);
  if (!openDay) return { kind: 'no_open_day' };
  if (!doorsOpen(openDay, now)) return { kind: 'closed', ...checkInWindow(openDay) };

  const found = await registrationOf(deps, request.openDayId, parsed.data, now);
  if (!('registration' in found)) return found;
  const { registration } = found;
  if (registration.checkedIn)
    return {
      kind: 'already_checked_in',
      registration: { ...registration, checkedIn: registration.checkedIn },
    };
  if (registration.status !== 'confirmed') return { kind: 'not_confirmed', registration };

  const result = await deps.openDays.checkIn(registration, { at: now.toISOString(), by: request.staffId });
  switch (result.outcome) {
    case 'checked_in':
    case 'already_checked_in':
      return { kind: result.outcome, registration: result.registration };
    case 'not_confirmed':
      return { kind: 'not_confirmed', registration: result.registration };
    case 'not_found':
      return { kind: 'no_registration' };
  }
}

/** The registration a check-in names: by the code's claims, or by its id within this open day. */
async function registrationOf(
  deps: CheckInDeps,
  openDayId: string,
  body: { code?: string | undefined; registrationId?: string | undefined },
  now: Date,
): Promise<{ registration: Registration } | CheckInAnswer> {
  if (body.registrationId !== undefined) {
    const registration = await deps.openDays.registrationById(openDayId, body.registrationId);
    return registration ? { registration } : { kind: 'no_registration' };
  }
  const read = await readRegistrationToken(deps.keys, 'check_in', body.code ?? '', now);
  if (!read.ok) return { kind: 'invalid_code', reason: read.reason };
  if (read.ref.openDayId !== openDayId) return { kind: 'other_open_day' };
  const registration = await deps.openDays.registration(openDayId, read.ref.emailHash);
  if (!registration || registration.registrationId !== read.ref.registrationId)
    return { kind: 'no_registration' };
  return { registration };
}
