import { inLanes } from '../concurrency.ts';
import type { OpenDayRuns } from './ports.ts';
import { offerFreeSeats, type RegistrationDeps } from './register.ts';

/** Offers passed on and changes carried out per sweep: each is a few writes; the next sweep takes the rest. */
const SWEEP_LIMIT = 100;
/** An email owed for less than this may be on its way from the request that owed it. */
export const OWED_GRACE_MS = 2 * 60_000;
/** Owed emails are sent this many at a time, a page after another while the sweep has time. */
const LANES = 8;
/** How long a sweep keeps sending owed emails (its Lambda has a minute; the next sweep takes the rest). */
const SENDING_BUDGET_MS = 30_000;
/** And at most this many pages of them: an email that keeps failing is not tried again in the same sweep. */
const MAX_PAGES = 10;

export type SweepDeps = Pick<RegistrationDeps, 'openDays' | 'now' | 'tell'> & { runs: OpenDayRuns };

export type Swept = { withdrawn: number; told: number; started: number; changes: number };

/**
 * The scheduled sweep (every minute, docs/open-days.md): each offer that ran out unanswered is withdrawn
 * and its seat offered to the next in line; each change of an open day is carried out (every registration
 * not yet told of it owes its email; seats a larger capacity freed are offered); every email still owed is
 * sent; and any OpenDay run whose start was lost is started.
 */
export async function sweepOpenDays(deps: SweepDeps): Promise<Swept> {
  const startedAt = performance.now();
  const now = deps.now();
  const at = now.toISOString();
  let withdrawn = 0;
  for (const { openDayId, emailHash } of await deps.openDays.expiredOffers(at, SWEEP_LIMIT)) {
    if ((await deps.openDays.withdrawOffer(openDayId, emailHash, at)) === 'withdrawn') {
      withdrawn++;
      await deps.tell(openDayId, emailHash);
    }
    await offerFreeSeats(deps, openDayId);
  }
  const changes = await deps.openDays.pendingChanges(SWEEP_LIMIT);
  for (const change of changes) {
    if (change.kind !== 'open_day_cancelled') await offerFreeSeats(deps, change.openDayId);
    const { untold } = change.kind === 'seats' ? { untold: 0 } : await deps.openDays.tellOfChange(change);
    // Done when nobody is left untold; until then each sweep looks again (an owed email sent meanwhile
    // may have told the version before).
    if (untold === 0) await deps.openDays.changeCarriedOut(change);
  }
  const graceEnd = new Date(now.getTime() - OWED_GRACE_MS).toISOString();
  let told = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const owed = await deps.openDays.owedNotices(graceEnd, SWEEP_LIMIT);
    await inLanes(
      owed.map((notice) => () => deps.tell(notice.openDayId, notice.emailHash)),
      LANES,
    );
    told += owed.length;
    if (owed.length < SWEEP_LIMIT || performance.now() - startedAt > SENDING_BUDGET_MS) break;
  }
  // Open days whose run was never confirmed started (the request that made them failed after the write).
  const unstarted = await deps.openDays.unstartedRuns(graceEnd, SWEEP_LIMIT);
  for (const { openDayId, run } of unstarted) {
    await deps.runs.start(openDayId, run);
    await deps.openDays.runStarted(openDayId);
  }
  return { withdrawn, told, started: unstarted.length, changes: changes.length };
}
