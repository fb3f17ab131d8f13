import type { Keys } from '../access/keys.ts';
import type { FrozenAudiences } from '../audiences/ports.ts';
import { inLanes } from '../concurrency.ts';
import { type ScreenedRecipient, type SuppressionDeps, screenRecipients } from '../letters/suppression.ts';
import { type OfferDeps, versionForSending } from '../offers/keep-offers.ts';
import type { OfferVersion } from '../offers/offer.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type { Campaign, SendRecord, StepCursor, StepProgress } from './campaign.ts';
import { composeLetter } from './compose-letter.ts';
import { type Delivered, type DeliveryDeps, LetterCourier } from './deliver-letter.ts';
import { guardDeliverability, progressOfSteps } from './deliverability.ts';
import type { Campaigns, RecordKey } from './ports.ts';

/**
 * One run of a campaign's sending (the LetterCampaign state machine's SendLetters task; docs/campaigns.md):
 * pages of the current step's audience members, each recipient claimed before SES is called and recorded
 * after, the cursor moved only once every member before it has a record. So a redelivered page, a crash
 * after SES took a letter, or a restarted execution sends nobody a second letter: the next run starts from
 * what was recorded, never from what was fetched.
 */

export type ProspectBook = { byIds(prospectIds: readonly string[]): Promise<Map<string, Prospect>> };

export type SendLettersDeps = DeliveryDeps & {
  campaigns: Campaigns;
  audiences: FrozenAudiences;
  prospects: ProspectBook;
  suppression: SuppressionDeps;
  offers: OfferDeps;
  keys: Keys;
  apiUrl: string;
  /** Letters per second the account may send (SES's quota, as SES reports it). */
  accountRate: () => Promise<number>;
  /** How long one run works before it hands back to the state machine (stays well inside the Lambda timeout). */
  budgetMs: number;
};

export type RunOutcome =
  /** More to send: run again. */
  | { outcome: 'more' }
  /** Nothing to send before `until` (a follow-up's wait, or deferred recipients' sending window). */
  | { outcome: 'wait'; until: string }
  | { outcome: 'paused' | 'cancelled' | 'completed' };

export const PAGE_SIZE = 50;
/** How long one run sends before handing back to the state machine; the Lambda timeout is three times it. */
export const RUN_BUDGET_SECONDS = 60;
/** Recipients whose first records are written in one transaction, and whose letters then go side by side. */
const GROUP = 8;
/** Groups of a page under way at once: up to `GROUP * GROUP_LANES` letters in flight, each paced by the courier. */
const GROUP_LANES = 4;

export async function sendLetters(deps: SendLettersDeps, campaignId: string): Promise<RunOutcome> {
  const startedAt = deps.now().getTime();
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new Error(`No campaign ${campaignId}`);
  if (campaign.status !== 'running') return stopped(campaign);
  const stepNo = campaign.currentStep;
  const step = campaign.steps[stepNo - 1];
  if (!step?.hash) throw new Error(`Campaign ${campaignId} runs step ${stepNo} without an approved version`);
  // The content is exactly what was approved: its number and hash were fixed at launch, checked here.
  const version = await versionForSending(deps.offers, step.offerId, step.version, step.hash);
  if (!version) throw new Error(`Campaign ${campaignId}: offer ${step.offerId} v${step.version} is gone`);
  let progress = await deps.progress.start(campaignId, stepNo, await totalOf(deps, campaign));
  const courier = new LetterCourier(deps, { campaign: campaign.sendRate, account: await deps.accountRate() });
  const run: Run = { deps, courier, campaign, step: stepNo, version, halted: stopWatch(deps, campaign) };

  if (!progress.passDone) {
    const passed = await sendPass(run, progress, startedAt);
    if ('outcome' in passed) return passed;
    progress = passed;
  }

  // Recipients whose sending window was closed get their letter when it opens.
  for (;;) {
    if (deps.now().getTime() - startedAt > deps.budgetMs) return { outcome: 'more' };
    const due = await deps.progress.deferredDue(campaignId, stepNo, deps.now().toISOString(), PAGE_SIZE);
    if (due.length === 0) break;
    const result = await sendPage(
      run,
      due.map((d) => d.prospectId),
      'deferred',
    );
    if (result !== 'done') return halt(run, result);
    const checked = await checkStillRunning(run);
    if (checked) return checked;
  }
  const waiting = await deps.progress.nextDeferred(campaignId, stepNo);
  if (waiting) return waitUntil(deps, waiting);
  return nextStep(run, progress);
}

/**
 * The pass over the step's audiences, page by page from the stored cursor. Pages overlap: the next page is
 * read and screened, and its first letters go, while the page before it sends its last ones, so the rate
 * is not spent waiting between pages. Each page's cursor moves only once it and every page before it have
 * all their records, in order. Answers how the run ended, or the step's progress once the pass is done.
 */
async function sendPass(
  run: Run,
  progress: StepProgress,
  startedAt: number,
): Promise<RunOutcome | StepProgress> {
  const { deps, campaign } = run;
  const { campaignId } = campaign;
  let cursor: StepCursor | 'done' = progress.cursor ?? { audience: 0 };
  let sending: SendingPage | undefined;
  try {
    for (;;) {
      const more = cursor !== 'done' && deps.now().getTime() - startedAt <= deps.budgetMs;
      // Only a page of the same audience overlaps: a prospect met again on the next audience must find the
      // record of the audience before (a repeat), so the next audience starts once this one is recorded.
      if (sending && (cursor === 'done' || !more || cursor.audience !== sending.audience)) {
        const ended = await finished(run, sending);
        sending = undefined;
        if (ended) return ended;
      }
      if (cursor === 'done' || !more) break;
      const audienceId = campaign.audienceIds[cursor.audience] as string;
      const page = await deps.audiences.members(audienceId, {
        limit: PAGE_SIZE,
        ...(cursor.after ? { after: cursor.after } : {}),
      });
      const prepared = await preparePage(run, page.prospectIds, cursor.audience);
      const next: StepCursor | 'done' = page.after
        ? { audience: cursor.audience, after: page.after }
        : cursor.audience + 1 < campaign.audienceIds.length
          ? { audience: cursor.audience + 1 }
          : 'done';
      const started: SendingPage = { audience: cursor.audience, next, result: sendPrepared(run, prepared) };
      const before = sending;
      sending = started;
      if (before) {
        const ended = await finished(run, before);
        if (ended) return ended;
      }
      cursor = next;
    }
  } finally {
    // Nothing is left in flight behind the run: the page still sending ends before the run answers.
    await sending?.result.catch(() => undefined);
  }
  if (cursor !== 'done') return { outcome: 'more' };
  return (await deps.progress.progress(campaignId, run.step)) as StepProgress;
}

/** A page whose letters are under way, and the cursor past it. */
type SendingPage = { audience: number; next: StepCursor | 'done'; result: Promise<PageResult> };

/** Waits for the page's letters; all recorded, its cursor moves on and the campaign is checked again. */
async function finished(run: Run, page: SendingPage): Promise<RunOutcome | undefined> {
  const result = await page.result;
  if (result !== 'done') return halt(run, result);
  const { deps, campaign } = run;
  await deps.progress.checkpoint(campaign.campaignId, run.step, page.next, deps.now().toISOString());
  const ended = await checkStillRunning(run);
  if (ended) run.halted.stop();
  return ended;
}

type Run = {
  deps: SendLettersDeps;
  courier: LetterCourier;
  campaign: Campaign;
  step: number;
  version: OfferVersion;
  /** Whether a person or a guard stopped the campaign meanwhile (read at most once a second). */
  halted: StopWatch;
};

type StopWatch = (() => Promise<boolean>) & {
  /** The campaign was read and is stopped: the page still sending claims nobody more. */
  stop: () => void;
};

/** What stopped a page before all its members had a record. */
type PageResult = 'done' | 'account_refused' | 'released' | 'halted';

/** A pause, a cancel or another run takes effect within a second, in the middle of a page too. */
function stopWatch(deps: SendLettersDeps, campaign: Campaign): StopWatch {
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
async function sendPage(run: Run, prospectIds: string[], audience: number | 'deferred'): Promise<PageResult> {
  return sendPrepared(run, await preparePage(run, prospectIds, audience));
}

/** A page read and screened: each recipient's decision, and the claim's time for those to be sent. */
type PreparedPage = {
  screened: ScreenedRecipient[];
  found: Prospect[];
  audience: number | 'deferred';
  at: string;
};

/** Reads a page's records and prospects, records the members who get no screening, and screens the rest. */
async function preparePage(
  run: Run,
  prospectIds: string[],
  audience: number | 'deferred',
): Promise<PreparedPage> {
  const { deps, campaign, step } = run;
  const { campaignId } = campaign;
  const now = deps.now();
  const at = now.toISOString();
  const key = (prospectId: string): RecordKey => ({ campaignId, step, prospectId });
  let todo = prospectIds;
  if (audience !== 'deferred') {
    const existing = await deps.progress.records(campaignId, step, prospectIds);
    for (const [prospectId, record] of existing) {
      if (record.audience !== undefined && record.audience < audience) {
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
    todo = prospectIds.filter((id) => !existing.has(id));
  }
  const prospects = await deps.prospects.byIds(todo);
  const found = todo.flatMap((id) => prospects.get(id) ?? []);
  for (const id of todo.filter((id) => !prospects.has(id))) {
    await first(run, audience, {
      ...key(id),
      status: 'skipped',
      reason: 'not_a_prospect',
      at,
      ...audienceOf(audience),
    });
  }
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
async function sendPrepared(run: Run, page: PreparedPage): Promise<PageResult> {
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

/** A page that could not finish: SES refused the account (pause), or kept throttling (run again later). */
async function halt(run: Run, result: Exclude<PageResult, 'done'>): Promise<RunOutcome> {
  if (result === 'released') return { outcome: 'more' };
  if (result === 'halted')
    return stopped((await run.deps.campaigns.get(run.campaign.campaignId)) as Campaign);
  await pause(run, 'ses_refused');
  return { outcome: 'paused' };
}

async function pause(run: Run, reason: 'ses_refused' | 'send_errors'): Promise<void> {
  const at = run.deps.now().toISOString();
  await run.deps.campaigns.transition(
    run.campaign.campaignId,
    { from: ['running'], run: run.campaign.run, set: { status: 'paused', pause: { reason, at } } },
    at,
  );
}

/** After each page: a person's pause or cancel, or too many failed letters, ends the run. */
async function checkStillRunning(run: Run): Promise<RunOutcome | undefined> {
  const { deps, campaign } = run;
  const fresh = await deps.campaigns.get(campaign.campaignId);
  if (fresh?.status !== 'running' || fresh.run !== campaign.run) return fresh ? stopped(fresh) : undefined;
  // One read of the steps' progress serves both guards.
  const progress = await progressOfSteps(deps.progress, fresh);
  const failed = progress.reduce((sum, p) => sum + p.failed, 0);
  if (failed >= campaign.pauseAfterErrors) {
    await pause(run, 'send_errors');
    return { outcome: 'paused' };
  }
  // SES's events may have passed the guard since the last page (RecordLetterEvent checks it too).
  if (await guardDeliverability(deps, fresh, progress)) return { outcome: 'paused' };
  return undefined;
}

/** The step is done: the follow-up after its wait, or the campaign is complete. */
async function nextStep(run: Run, progress: StepProgress): Promise<RunOutcome> {
  const { deps, campaign } = run;
  const following = campaign.steps[run.step];
  const at = deps.now().toISOString();
  if (following) {
    const doneAt = Date.parse(progress.doneAt ?? at);
    const until = new Date(doneAt + (following.waitDays ?? 0) * 86_400_000);
    if (until.getTime() > deps.now().getTime()) return waitUntil(deps, until.toISOString());
    // Stale means a pause or another run came first: the next run reads the campaign again either way.
    await deps.campaigns.transition(
      campaign.campaignId,
      { from: ['running'], run: campaign.run, set: { currentStep: run.step + 1 } },
      at,
    );
    return { outcome: 'more' };
  }
  const ended = await deps.campaigns.transition(
    campaign.campaignId,
    { from: ['running'], run: campaign.run, set: { status: 'completed', endedAt: at } },
    at,
  );
  return typeof ended === 'string'
    ? stopped((await deps.campaigns.get(campaign.campaignId)) as Campaign)
    : { outcome: 'completed' };
}

/** The longest single wait: a longer one is waited in parts (a local Wait state's timer holds 24.8 days). */
const LONGEST_WAIT_MS = 20 * 86_400_000;

const waitUntil = (deps: Pick<SendLettersDeps, 'now'>, until: string): RunOutcome => ({
  outcome: 'wait',
  until: new Date(Math.min(Date.parse(until), deps.now().getTime() + LONGEST_WAIT_MS)).toISOString(),
});

function stopped(campaign: Campaign): RunOutcome {
  switch (campaign.status) {
    case 'paused':
    case 'cancelled':
    case 'completed':
      return { outcome: campaign.status };
    case 'running':
      // Another run of the campaign took over (a resume): this one ends as if paused.
      return { outcome: 'paused' };
    default:
      throw new Error(`Campaign ${campaign.campaignId} is a draft: it has not been launched`);
  }
}

/** Members of the campaign's audiences, counted as they were frozen. */
async function totalOf(deps: SendLettersDeps, campaign: Campaign): Promise<number> {
  let total = 0;
  for (const audienceId of campaign.audienceIds) {
    const audience = await deps.audiences.frozen(audienceId);
    if (!audience) throw new Error(`Campaign ${campaign.campaignId}: audience ${audienceId} is not frozen`);
    total += audience.count;
  }
  return total;
}

/** A run that failed after its retries pauses the campaign, so a person sees it and can resume it. */
export async function pauseFailedRun(deps: Pick<SendLettersDeps, 'campaigns' | 'now'>, campaignId: string) {
  const at = deps.now().toISOString();
  await deps.campaigns.transition(
    campaignId,
    { from: ['running'], set: { status: 'paused', pause: { reason: 'run_failed', at } } },
    at,
  );
  return { outcome: 'paused' as const };
}
