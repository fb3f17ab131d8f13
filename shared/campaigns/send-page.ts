import { inLanes } from '../concurrency.ts';
import { type ScreenedRecipient, screenRecipients } from '../letters/suppression.ts';
import type { OfferVersion } from '../offers/offer.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type { Campaign, SendRecord } from './campaign.ts';
import { composeLetter } from './compose-letter.ts';
import type { Delivered, LetterCourier } from './deliver-letter.ts';
import type { RecordKey } from './ports.ts';
import type { SendLettersDeps } from './send-letters.ts';

/**
 * One page of a run's sending (docs/campaigns.md, "One run"): its members read and screened, then recorded,
 * claimed and sent in groups. shared/campaigns/send-letters.ts walks the pages and moves the cursor.
 */

/** Recipients whose first records are written in one transaction, and whose letters then go side by side. */
const GROUP = 8;
/** Groups of a page under way at once: up to `GROUP * GROUP_LANES` letters in flight, each paced by the courier. */
const GROUP_LANES = 4;

export type Run = {
  deps: SendLettersDeps;
  courier: LetterCourier;
  campaign: Campaign;
  step: number;
  version: OfferVersion;
  /** Whether a person or a guard stopped the campaign meanwhile (read at most once a second). */
  halted: StopWatch;
};

export type StopWatch = (() => Promise<boolean>) & {
  /** The campaign was read and is stopped: the page still sending claims nobody more. */
  stop: () => void;
};

/** What stopped a page before all its members had a record. */
export type PageResult = 'done' | 'account_refused' | 'released' | 'halted';

/** A pause, a cancel or another run takes effect within a second, in the middle of a page too. */
export function stopWatch(deps: SendLettersDeps, campaign: Campaign): StopWatch {
  let stopped = false;
  let readAt = deps.now().getTime();
  const halted = async () => {
    if (stopped || deps.now().getTime() - readAt < 1000) return stopped;
    readAt = deps.now().getTime();
    const fresh = await deps.campaigns.get(campaign.campaignId);
    stopped = fresh?.status !== 'running' || fresh.run !== campaign.run;
    return stopped;
  };
  return Object.assign(halted, {
    stop: () => {
      stopped = true;
    },
  });
}

/**
 * Sends one page: members with a record of this step are left as they are; the rest are screened, and each
 * gets its record: skipped with the reason, deferred to its sending window, or claimed and sent.
 * `audience` is the member's audience (a prospect met again on a later audience is skipped as repeated), or
 * `deferred` for recipients whose deferral has come due.
 */
export async function sendPage(
  run: Run,
  prospectIds: string[],
  audience: number | 'deferred',
): Promise<PageResult> {
  return sendPrepared(run, await preparePage(run, prospectIds, audience));
}

/** A page read and screened: each recipient's decision, and the claim's time for those to be sent. */
export type PreparedPage = {
  screened: ScreenedRecipient[];
  found: Prospect[];
  audience: number | 'deferred';
  at: string;
};

/** Reads a page's records and prospects, records the members who get no screening, and screens the rest. */
export async function preparePage(
  run: Run,
  prospectIds: string[],
  audience: number | 'deferred',
): Promise<PreparedPage> {
  const { deps, campaign, step } = run;
  const { campaignId } = campaign;
  const now = deps.now();
  const at = now.toISOString();
  const key = (prospectId: string): RecordKey => ({ campaignId, step, prospectId });
  // The page's records, prospects and answers are read side by side: a member found with a record (a
  // redelivered page) had its prospect read for nothing, where every page would wait for one read more.
  const [existing, prospects, answered] = await Promise.all([
    audience === 'deferred'
      ? new Map<string, SendRecord>()
      : deps.progress.records(campaignId, step, prospectIds),
    deps.prospects.byIds(prospectIds),
    // A follow-up goes to those who have not answered the campaign yet.
    step > 1 ? deps.responses.responded(campaignId, prospectIds) : new Set<string>(),
  ]);
  for (const [prospectId, record] of existing) {
    if (audience !== 'deferred' && record.audience !== undefined && record.audience < audience) {
      const repeat = `${prospectId}#${audience}`;
      await deps.progress.record({
        ...key(repeat),
        status: 'skipped',
        reason: 'repeated_member',
        at,
        audience,
      });
    }
  }
  const todo = prospectIds.filter((id) => !existing.has(id));
  for (const id of todo.filter((id) => !prospects.has(id))) {
    await first(run, audience, {
      ...key(id),
      status: 'skipped',
      reason: 'not_a_prospect',
      at,
      ...audienceOf(audience),
    });
  }
  const responded = new Set(todo.filter((id) => prospects.has(id) && answered.has(id)));
  for (const id of responded) {
    await first(run, audience, {
      ...key(id),
      status: 'skipped',
      reason: 'responded',
      at,
      ...audienceOf(audience),
    });
  }
  const found = todo.flatMap((id) => (responded.has(id) ? [] : (prospects.get(id) ?? [])));
  const screened = await screenRecipients(
    deps.suppression,
    { campaignId, step, policy: campaign.policy },
    found,
    now,
  );
  return { screened, found, audience, at };
}

/** A recipient's first record: written, or for a deferred one, settled from its deferral; true if it was. */
const first = async (run: Run, audience: number | 'deferred', record: SendRecord): Promise<boolean> =>
  audience === 'deferred'
    ? (await run.deps.progress.settle(
        { campaignId: record.campaignId, step: record.step, prospectId: record.prospectId },
        'deferred',
        settlementOf(record),
        record.at,
      )) === 'settled'
    : (await run.deps.progress.record(record)) === 'recorded';

/**
 * Records, claims and sends a screened page's recipients: in groups of `GROUP`, each group's first records
 * written in one transaction (claims and skips alike) and SES's answers to its letters in another, so a
 * letter costs a fraction of two transactions rather than two; `GROUP_LANES` groups at a time.
 */
export async function sendPrepared(run: Run, page: PreparedPage): Promise<PageResult> {
  const members = page.screened.map((_, i) => i);
  const groups = Array.from({ length: Math.ceil(members.length / GROUP) }, (_, g) =>
    members.slice(g * GROUP, (g + 1) * GROUP),
  );
  const outcomes = (
    await inLanes(
      groups.map((group) => () => sendGroup(run, page, group)),
      GROUP_LANES,
    )
  ).flat();
  if (outcomes.includes('account_refused')) return 'account_refused';
  if (outcomes.includes('halted')) return 'halted';
  if (outcomes.includes('released')) return 'released';
  return 'done';
}

type Outcome = Delivered | 'recorded' | 'halted';

async function sendGroup(run: Run, page: PreparedPage, members: number[]): Promise<Outcome[]> {
  const { deps, campaign, step } = run;
  const { campaignId } = campaign;
  const { screened, found, audience, at } = page;
  // Stopped meanwhile: these members get no record; the page is not checkpointed, a resume comes back to them.
  if (await run.halted()) return members.map(() => 'halted');
  const offer = { offerId: run.version.offerId, version: run.version.version, hash: run.version.hash };
  const records = members.map((i): SendRecord => {
    const { prospectId, addressHash, decision } = screened[i] as ScreenedRecipient;
    const base = { campaignId, step, prospectId, at, addressHash, ...audienceOf(audience) };
    if (decision.outcome === 'send') return { ...base, status: 'claimed', offer };
    return decision.reason === 'quiet_hours'
      ? { ...base, status: 'deferred', retryAt: decision.retryAt }
      : { ...base, status: 'skipped', reason: decision.reason };
  });
  const written =
    audience === 'deferred'
      ? await Promise.all(records.map((record) => first(run, audience, record)))
      : (await deps.progress.recordAll(records)).map((answer) => answer === 'recorded');
  // Only a recipient whose claim was written is sent.
  const letters = members.filter((_, k) => written[k] && records[k]?.status === 'claimed');
  const answers = await Promise.allSettled(
    letters.map(async (i) => {
      const email = await composeLetter(
        deps,
        campaign,
        step,
        run.version,
        found[i] as Prospect,
        screened[i]?.addressHash as string,
      );
      return run.courier.deliver(email, run.halted);
    }),
  );
  // Every answer SES gave is recorded, even when another letter of the group failed the run.
  const answered = answers.flatMap((a, k) =>
    a.status === 'fulfilled' ? [{ answer: a.value, i: letters[k] as number }] : [],
  );
  const claims = answered.flatMap(({ answer, i }) =>
    answer.settlement
      ? [{ prospectId: screened[i]?.prospectId as string, claimedAt: at, to: answer.settlement }]
      : [],
  );
  const throttled = answered.reduce((sum, { answer }) => sum + answer.throttled, 0);
  if (claims.length > 0 || throttled > 0) {
    await deps.progress.settleClaims({ campaignId, step }, claims, deps.now().toISOString(), throttled);
  }
  const failure = answers.find((a) => a.status === 'rejected');
  if (failure) throw failure.reason;
  return [...members.map((): Outcome => 'recorded'), ...answered.map(({ answer }) => answer.as)];
}

const audienceOf = (audience: number | 'deferred') => (audience === 'deferred' ? {} : { audience });

/** A deferred record's next state, as a settlement of the same decision. */
function settlementOf(record: SendRecord) {
  switch (record.status) {
    case 'skipped':
      return { status: 'skipped' as const, reason: record.reason };
    case 'deferred':
      return { status: 'deferred' as const, retryAt: record.retryAt };
    default:
      return { status: 'claimed' as const, ...(record.offer ? { offer: record.offer } : {}) };
  }
}
