import type { Keys } from '../access/keys.ts';
import type { TokenRefusal } from '../access/signed-token.ts';
import { checkConsents, consentEvidence, userAgentOf, versionsOf } from '../consents/evidence.ts';
import type { ConsentTexts } from '../consents/ports.ts';
import { discardedLeadId } from '../leads/lead.ts';
import { type FieldIssue, formatIssues } from '../leads/lead-submission.ts';
import type { RateLimiter } from '../leads/ports.ts';
import { addressHashOf } from '../letters/unsubscribe.ts';
import type { Locale } from '../templates/locale.ts';
import { type OpenDay, type Registration, RegistrationInput, type RegistrationStatus } from './open-day.ts';
import type { OpenDays } from './ports.ts';
import { readRegistrationToken } from './registration-link.ts';

/**
 * A prospect's side of an open day (docs/open-days.md): registering through the public form, and the
 * signed links of each email, to give a seat (or a place in line) up and to take an offered seat. Whenever
 * a seat frees, it is offered to the first in line at once; each change reaches the person by email
 * (shared/open-days/tell-registrant.ts: at once, and by the minute's sweep for any left owed).
 */

export type RegistrationDeps = {
  openDays: OpenDays;
  /** The published consent texts the form's consents must cite (docs/consents.md). */
  consentTexts: Pick<ConsentTexts, 'find'>;
  rateLimiter: RateLimiter;
  keys: Keys;
  now: () => Date;
  newId: () => string;
  /**
   * Sends the email a changed registration owes (shared/open-days/tell-registrant.ts) at once; one that
   * fails stays owed, and the minute's sweep sends it.
   */
  tell: (openDayId: string, emailHash: string) => Promise<void>;
};

export type RegisterRequest = {
  openDayId: string;
  body: unknown;
  clientAddress: string;
  readerLocale: Locale;
  /** The browser's `User-Agent`, kept (truncated) with the evidence of the consents. */
  userAgent?: string;
};

export type RegisterAnswer =
  | {
      kind: 'registered';
      outcome: 'created' | 'existing';
      registrationId: string;
      status: RegistrationStatus;
    }
  | { kind: 'invalid'; issues: FieldIssue[] }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'closed' | 'not_found' };

export async function registerForOpenDay(
  deps: RegistrationDeps,
  request: RegisterRequest,
): Promise<RegisterAnswer> {
  const now = deps.now();
  const rate = await deps.rateLimiter.hit(
    deps.keys.hash('client_address', request.clientAddress),
    now.getTime(),
  );
  if (!rate.allowed) return { kind: 'rate_limited', retryAfterSeconds: rate.retryAfterSeconds };
  const parsed = RegistrationInput.safeParse(request.body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const { fax, language, ...input } = parsed.data;
  const emailHash = addressHashOf(deps.keys, input.contact.email);
  // A bot filled the hidden field: keep nothing, and answer as a person is answered, with the same id each time.
  if ((fax ?? '') !== '') {
    const registrationId = discardedLeadId(deps.keys, `${request.openDayId}#${emailHash}`);
    return { kind: 'registered', outcome: 'created', registrationId, status: 'confirmed' };
  }
  const published = await deps.consentTexts.find(versionsOf(input.consents));
  const consentIssues = checkConsents(input.consents, published);
  if (consentIssues.length > 0) return { kind: 'invalid', issues: consentIssues };
  const at = now.toISOString();
  const registration: Registration = {
    ...input,
    openDayId: request.openDayId,
    registrationId: deps.newId(),
    emailHash,
    language: language ?? request.readerLocale,
    status: 'confirmed',
    registeredAt: at,
    updatedAt: at,
  };
  // The consents' evidence is written with the registration (its seat or its place in line), never alone.
  const evidence = consentEvidence({
    consents: input.consents,
    published,
    emailHash,
    subject: { registrationId: registration.registrationId },
    at,
    channel: 'open_day',
    client: { ip: request.clientAddress, userAgent: userAgentOf(request.userAgent) },
  });
  const registered = await deps.openDays.register(registration, at, evidence);
  if (registered.outcome === 'confirmed' || registered.outcome === 'waitlisted') {
    await deps.tell(request.openDayId, emailHash);
  }
  switch (registered.outcome) {
    case 'closed':
    case 'not_found':
      return { kind: registered.outcome };
    case 'exists': {
      const { registrationId, status } = registered.registration;
      return { kind: 'registered', outcome: 'existing', registrationId, status };
    }
    case 'confirmed':
      return {
        kind: 'registered',
        outcome: 'created',
        registrationId: registration.registrationId,
        status: 'confirmed',
      };
    case 'waitlisted': {
      // A seat may have freed between the two writes: the line moves now, this person too if first.
      const offered = await offerFreeSeats(deps, request.openDayId);
      const mine = offered.find((r) => r.registrationId === registration.registrationId);
      return {
        kind: 'registered',
        outcome: 'created',
        registrationId: registration.registrationId,
        status: mine ? 'offered' : 'waitlisted',
      };
    }
  }
}

/** Offers each free seat to the next in line, held for the open day's hold (never past its start). */
export async function offerFreeSeats(
  deps: Pick<RegistrationDeps, 'openDays' | 'now' | 'tell'>,
  openDayId: string,
): Promise<Registration[]> {
  const openDay = await deps.openDays.get(openDayId);
  if (!openDay) return [];
  const now = deps.now();
  const offered = await deps.openDays.offerFreeSeats(openDayId, now.toISOString(), holdUntil(openDay, now));
  for (const registration of offered) await deps.tell(openDayId, registration.emailHash);
  return offered;
}

export const holdUntil = (openDay: OpenDay, now: Date): string =>
  new Date(
    Math.min(now.getTime() + openDay.offerHoldHours * 3_600_000, Date.parse(openDay.startsAt)),
  ).toISOString();

export type LinkAnswer =
  | { kind: 'given_up' | 'taken'; registration: Registration }
  | { kind: 'refused'; reason: TokenRefusal }
  /** The registration the link names is not there any more (given up and made again: a new link). */
  | { kind: 'not_found' }
  | { kind: 'not_held' | 'expired' | 'not_offered' };

/** The registration a manage link names, if it is still the one kept for its address. */
async function linked(
  deps: RegistrationDeps,
  token: string,
): Promise<{ registration: Registration } | Extract<LinkAnswer, { kind: 'refused' | 'not_found' }>> {
  const read = await readRegistrationToken(deps.keys, 'manage', token, deps.now());
  if (!read.ok) return { kind: 'refused', reason: read.reason };
  const { openDayId, emailHash, registrationId } = read.ref;
  const registration = await deps.openDays.registration(openDayId, emailHash);
  if (!registration || registration.registrationId !== registrationId) return { kind: 'not_found' };
  return { registration };
}

/** The person gives their seat, offered seat or place in line up; a freed seat goes to the next in line. */
export async function giveUpByLink(deps: RegistrationDeps, token: string): Promise<LinkAnswer> {
  const found = await linked(deps, token);
  if (!('registration' in found)) return found;
  const { openDayId, emailHash } = found.registration;
  const given = await deps.openDays.giveUp(openDayId, emailHash, deps.now().toISOString());
  if (given.outcome === 'not_held') return { kind: 'not_held' };
  await deps.tell(openDayId, emailHash);
  if (found.registration.status !== 'waitlisted') await offerFreeSeats(deps, openDayId);
  return { kind: 'given_up', registration: given.registration };
}

/** The person takes the seat offered to them, while the offer holds. */
export async function takeOfferByLink(deps: RegistrationDeps, token: string): Promise<LinkAnswer> {
  const found = await linked(deps, token);
  if (!('registration' in found)) return found;
  const { openDayId, emailHash } = found.registration;
  const taken = await deps.openDays.takeOffer(openDayId, emailHash, deps.now().toISOString());
  if (taken.outcome === 'confirmed') await deps.tell(openDayId, emailHash);
  return taken.outcome === 'confirmed'
    ? { kind: 'taken', registration: taken.registration }
    : { kind: taken.outcome };
}
