import type { CaptureAnswer, CaptureRequest } from '../leads/capture-lead.ts';
import { signInvitation } from '../leads/invitation.ts';
import { sendClaimed } from '../leads/notify-manager.ts';
import type { Email } from '../leads/ports.ts';
import type { SuppressionList } from '../letters/ports.ts';
import { templatesFor } from '../templates/render.ts';
import type { OpenDay, OpenDayProgress, Registration } from './open-day.ts';
import { noShowFollowUp, reminder } from './registrant-email.ts';
import { checkInOf, marketingWithdrawalUrl, registrationPageUrl, type TellDeps } from './tell-registrant.ts';

/**
 * One run of the OpenDay state machine (docs/open-days.md, "The OpenDay state machine"): it reads the
 * open day and the clock and does the next thing, a page of registrations at a time, keeping where it
 * stands on the open day: wait for the reminder's time, remind the confirmed, wait for the end of the
 * check-in, make the attendees leads through the web form's capture path (channel `open_day`, the open
 * day attributed), write to the no-shows, and close the open day as held. A retried run repeats nothing:
 * each email is claimed before it is sent, each lead is captured under an Idempotency-Key of its
 * registration, and the progress moves on only after a page is done.
 */

/** What emails a registrant (TellDeps), the suppression list, the capture path and a time budget. */
export type RunOpenDayDeps = TellDeps & {
  /** The letters' suppression list: the follow-up, marketing, skips an address on it, as a letter does. */
  suppressions: Pick<SuppressionList, 'find'>;
  /** The web form's capture path, for the bank's own submissions (no per-client rate limit). */
  capture: (request: CaptureRequest) => Promise<CaptureAnswer>;
  /** How long one run works before it hands back to the state machine. */
  budgetMs: number;
};

export type OpenDayRunOutcome =
  | { outcome: 'more' }
  | { outcome: 'wait'; until: string }
  | { outcome: 'held' | 'cancelled' }
  /** A change of the open day's times started a newer run: this one ends. */
  | { outcome: 'superseded' };

const PAGE = 25;
/** The longest single wait: a longer one is waited in parts (a local Wait state's timer holds 24.8 days). */
const LONGEST_WAIT_MS = 20 * 86_400_000;

/** One run of the open day's run named `run` (the first is named by the open day's id). */
export async function runOpenDay(
  deps: RunOpenDayDeps,
  openDayId: string,
  run: string = openDayId,
): Promise<OpenDayRunOutcome> {
  const startedAt = deps.now().getTime();
  for (;;) {
    const openDay = await deps.openDays.get(openDayId);
    if (!openDay) throw new Error(`No open day ${openDayId}`);
    if (openDay.status === 'cancelled') return { outcome: 'cancelled' };
    if ((openDay.run ?? openDayId) !== run) return { outcome: 'superseded' };
    const progress: OpenDayProgress = openDay.progress ?? { phase: 'reminders', leads: 0, noShows: 0 };
    if (progress.phase === 'held') return { outcome: 'held' };
    const now = deps.now();
    if (now.getTime() - startedAt > deps.budgetMs) return { outcome: 'more' };

    if (progress.phase === 'reminders') {
      const remindAt = Date.parse(openDay.startsAt) - openDay.reminderHours * 3_600_000;
      if (now.getTime() < remindAt) return waitUntil(deps, remindAt);
      // A reminder after the start reminds nobody: the phase is over then, sent or not.
      const page =
        now.toISOString() < openDay.startsAt
          ? await deps.openDays.registrations(openDayId, { limit: PAGE, ...after(progress) })
          : { registrations: [] };
      for (const registration of page.registrations) {
        if (registration.status === 'confirmed') await remind(deps, openDay, registration);
      }
      const kept = await deps.openDays.setProgress(
        openDayId,
        run,
        page.after ? { ...progress, after: page.after } : { phase: 'follow_up', leads: 0, noShows: 0 },
      );
      if (kept === 'superseded') return { outcome: 'superseded' };
      continue;
    }

    const checkInEnds = Date.parse(openDay.endsAt) + openDay.checkInMinutesAfterEnd * 60_000;
    if (now.getTime() < checkInEnds) return waitUntil(deps, checkInEnds);
    const page = await deps.openDays.registrations(openDayId, { limit: PAGE, ...after(progress) });
    let { leads, noShows } = progress;
    const absent = page.registrations.filter((r) => r.status === 'confirmed' && !r.checkedIn);
    // Read now, consistently: an address withdrawn from marketing a moment ago gets no follow-up.
    const suppressed = absent.length
      ? await deps.suppressions.find(absent.map((r) => r.emailHash))
      : new Map();
    for (const registration of page.registrations) {
      if (registration.status !== 'confirmed') continue;
      if (registration.checkedIn) {
        await makeLead(deps, openDay, registration);
        leads++;
      } else {
        // A no-show all the same; the follow-up, marketing, goes only to an address not on the list.
        if (!suppressed.has(registration.emailHash)) await followUp(deps, openDay, registration);
        noShows++;
      }
    }
    const next: OpenDayProgress = page.after
      ? { phase: 'follow_up', after: page.after, leads, noShows }
      : { phase: 'held', leads, noShows };
    if ((await deps.openDays.setProgress(openDayId, run, next)) === 'superseded')
      return { outcome: 'superseded' };
    if (next.phase === 'held') return { outcome: 'held' };
  }
}

const after = (progress: OpenDayProgress) => (progress.after ? { after: progress.after } : {});

const waitUntil = (deps: Pick<RunOpenDayDeps, 'now'>, until: number): OpenDayRunOutcome => ({
  outcome: 'wait',
  until: new Date(Math.min(until, deps.now().getTime() + LONGEST_WAIT_MS)).toISOString(),
});

/** One email of the run to one registrant, once: claimed under its kind and the open day's version. */
async function sendOnce(
  deps: RunOpenDayDeps,
  openDay: OpenDay,
  registration: Registration,
  kind: string,
  email: Email,
) {
  const claim = deps.openDays.noticeClaim(
    openDay.openDayId,
    `${registration.registrationId}#${kind}#v${openDay.sequence}`,
  );
  await sendClaimed(deps, claim, () => email);
}

const senderOf = (deps: RunOpenDayDeps, registration: Registration) => ({
  name: templatesFor(registration.language).catalog.openDayEmail.organizer,
  email: deps.senderEmail,
});

async function remind(deps: RunOpenDayDeps, openDay: OpenDay, registration: Registration): Promise<void> {
  const email = reminder({
    openDay,
    registration,
    sender: senderOf(deps, registration),
    marketingWithdrawal: await marketingWithdrawalUrl(deps, registration),
    now: deps.now(),
    links: { giveUp: await registrationPageUrl(deps, openDay, registration) },
    ...(await checkInOf(deps, openDay, registration)),
  });
  await sendOnce(deps, openDay, registration, 'reminder', email);
}

async function followUp(deps: RunOpenDayDeps, openDay: OpenDay, registration: Registration): Promise<void> {
  const hosts = await Promise.all(openDay.hosts.map((id) => deps.managers.get(id)));
  const materials = openDay.materials ?? { text: openDay.description }; // Without materials of its own, the follow-up says again what the open day was about.
  const email = noShowFollowUp({
    openDay,
    registration,
    sender: senderOf(deps, registration),
    marketingWithdrawal: await marketingWithdrawalUrl(deps, registration),
    materials:
      'url' in materials
        ? materials
        : {
            text:
              registration.language === 'en' ? (materials.text.en ?? materials.text.ru) : materials.text.ru,
          },
    hosts: hosts.flatMap((host) => (host ? [{ name: host.name, email: host.email }] : [])),
  });
  await sendOnce(deps, openDay, registration, 'no_show', email);
}

/**
 * The attendee's lead, through the web form's own capture path: the open day's signed invitation gives
 * channel `open_day` and the open day as the campaign; the registration's Idempotency-Key makes a retried
 * page replay the first answer. The invitation is signed with the open day's own times, so a retry sends
 * the very same body.
 */
async function makeLead(deps: RunOpenDayDeps, openDay: OpenDay, registration: Registration): Promise<void> {
  const invitation = await signInvitation(
    deps.keys,
    { channel: 'open_day', campaignId: openDay.openDayId },
    { issuedAt: new Date(openDay.endsAt), expiresAt: new Date(Date.parse(openDay.endsAt) + 30 * 86_400_000) },
  );
  const answer = await deps.capture({
    channel: 'open_day',
    body: {
      company: registration.company,
      contact: registration.contact,
      products: registration.products,
      consents: registration.consents,
      source: { ...registration.source, invitation },
    },
    idempotencyKey: `open-day-${registration.registrationId}`,
    // The bank's own submission: the consents are the registration's, whose evidence (time, address,
    // browser) was kept when the person registered; recorded again now, they would read as given today,
    // after a withdrawal made since.
    clientAddress: 'open-day',
    consentsOnRecord: true,
  });
  if (answer.kind !== 'accepted') {
    throw new Error(`Open day ${openDay.openDayId}: an attendee's lead was refused (${answer.kind})`);
  }
  await deps.openDays.recordLead(openDay.openDayId, registration.emailHash, answer.leadId);
}
