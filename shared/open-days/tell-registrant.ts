import type { Keys } from '../access/keys.ts';
import { signWithdrawalToken, withdrawalUrl } from '../consents/withdrawal-link.ts';
import { sendClaimed } from '../leads/notify-manager.ts';
import type { Email, Mail, Managers } from '../leads/ports.ts';
import { templatesFor } from '../templates/render.ts';
import { checkInImage } from './check-in-image.ts';
import type { OpenDay, RegistrantNotice, Registration } from './open-day.ts';
import type { OpenDays } from './ports.ts';
import { cancelled, changed, confirmed, offered, openDayCancelled, waitlisted } from './registrant-email.ts';
import { signRegistrationToken } from './registration-link.ts';

/**
 * The email a registration owes its registrant (docs/open-days.md, "Emails and the calendar"). Each change
 * of a registration writes what it owes in the same transaction; this sends it once (claimed before SES,
 * recorded after) and clears it. It runs at once after the change, and the minute's sweep runs it for any
 * the first try left owed.
 */
export type TellDeps = {
  openDays: OpenDays;
  managers: Pick<Managers, 'get'>;
  mail: Mail;
  keys: Keys;
  /** The API's address: the email's links open its registration page. */
  apiUrl: string;
  senderEmail: string;
  now: () => Date;
};

export type Told = 'sent' | 'already_sent' | 'nothing_owed';

export async function tellRegistrant(deps: TellDeps, openDayId: string, emailHash: string): Promise<Told> {
  const registration = await deps.openDays.registration(openDayId, emailHash);
  const notice = registration?.notice;
  if (!registration || !notice) return 'nothing_owed';
  const openDay = await deps.openDays.get(openDayId);
  if (!openDay) throw new Error(`Open day ${openDayId} of a registration is not stored`);
  const told = registration.toldSequence ?? 0;
  // Once an open day is cancelled, its cancellation is all there is to say; a change they know of already
  // (a newer email told it) is not told again.
  const stale =
    (openDay.status === 'cancelled' && notice.kind !== 'open_day_cancelled') ||
    (notice.kind === 'changed' && told >= openDay.sequence);
  if (stale) {
    await deps.openDays.noticeSent(openDayId, emailHash, notice, told);
    return 'nothing_owed';
  }
  const email = await emailOf(deps, openDay, registration, notice);
  const claim = deps.openDays.noticeClaim(
    openDayId,
    `${registration.registrationId}#${notice.kind}#${notice.at}`,
  );
  const sent = await sendClaimed(deps, claim, () => email);
  await deps.openDays.noticeSent(openDayId, emailHash, notice, openDay.sequence);
  return sent.kind === 'sent' ? 'sent' : 'already_sent';
}

/** The registration's check-in code, signed for the open day, and its QR code for the door's scanner. */
export async function checkInOf(
  deps: Pick<TellDeps, 'keys'>,
  openDay: OpenDay,
  registration: Registration,
): Promise<{ checkInCode: string; checkInImage: Uint8Array }> {
  const checkInCode = await signRegistrationToken(deps.keys, 'check_in', registration, openDay.endsAt);
  return { checkInCode, checkInImage: await checkInImage(checkInCode) };
}

/** The page every link of the registrant's emails opens: the registration, and what they may do with it. */
export async function registrationPageUrl(
  deps: Pick<TellDeps, 'keys' | 'apiUrl'>,
  openDay: OpenDay,
  registration: Registration,
): Promise<string> {
  const token = await signRegistrationToken(deps.keys, 'manage', registration, openDay.endsAt);
  return `${deps.apiUrl.replace(/\/+$/, '')}/v1/open-day-registrations/${token}`;
}

/**
 * The person's link to withdraw marketing consent, in every email's footer (docs/consents.md, "Which
 * emails carry which link"): marketing only, the consent a registrant may take back without their seat.
 */
export async function marketingWithdrawalUrl(
  deps: Pick<TellDeps, 'keys' | 'apiUrl'>,
  registration: Registration,
): Promise<string> {
  const token = await signWithdrawalToken(deps.keys, {
    emailHash: registration.emailHash,
    scope: 'marketing',
  });
  return withdrawalUrl(deps.apiUrl, token);
}

async function emailOf(
  deps: TellDeps,
  openDay: OpenDay,
  registration: Registration,
  notice: RegistrantNotice,
): Promise<Email> {
  const sender = {
    name: templatesFor(registration.language).catalog.openDayEmail.organizer,
    email: deps.senderEmail,
  };
  const base = {
    openDay,
    registration,
    sender,
    now: deps.now(),
    marketingWithdrawal: await marketingWithdrawalUrl(deps, registration),
  };
  const page = await registrationPageUrl(deps, openDay, registration);
  switch (notice.kind) {
    case 'confirmed': {
      const hosts = await Promise.all(openDay.hosts.map((id) => deps.managers.get(id)));
      return confirmed({
        ...base,
        hosts: hosts.flatMap((host) => (host ? [host.name] : [])),
        links: { giveUp: page },
        ...(await checkInOf(deps, openDay, registration)),
      });
    }
    case 'waitlisted':
      return waitlisted({ ...base, links: { leave: page } });
    case 'offered':
      return offered({ ...base, links: { take: page, giveUp: page } });
    case 'cancelled':
      return cancelled({ ...base, cause: 'by_registrant', heldSeat: notice.heldSeat ?? false });
    case 'offer_expired':
      return cancelled({ ...base, cause: 'offer_expired' });
    case 'changed': {
      // What they last heard of it: the version their last email carried (the first one, if none says).
      const told = registration.toldSequence ?? 0;
      const before = (await deps.openDays.version(openDay.openDayId, told)) ?? openDay;
      return changed({ ...base, before, links: { giveUp: page } });
    }
    case 'open_day_cancelled':
      return openDayCancelled({ ...base, heldSeat: registration.status === 'confirmed' });
  }
}
