import type { Keys } from '../access/keys.ts';
import type { FrozenAudiences } from '../audiences/ports.ts';
import { inLanes } from '../concurrency.ts';
import { type SuppressionDeps, screenRecipients } from '../letters/suppression.ts';
import { type OfferDeps, versionForSending } from '../offers/keep-offers.ts';
import type { OfferVersion } from '../offers/offer.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type { Campaign, SendRecord, StepCursor, StepProgress } from './campaign.ts';
import { composeLetter } from './compose-letter.ts';
import { type Delivered, type DeliveryDeps, LetterCourier } from './deliver-letter.ts';
import { guardDeliverability, progressOfSteps } from './deliverability.ts';
import type { CampaignResponses, Campaigns, RecordKey } from './ports.ts';

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
  /** Who answered the campaign: a follow-up is for those who did not. */
  responses: Pick<CampaignResponses, 'responded'>;
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
/** Recipients of one page handled at once (recorded, then sent), each paced by the courier. */
const IN_FLIGHT = 16;

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

  while (!progress.passDone) {
    if (deps.now().getTime() - startedAt > deps.budgetMs) return { outcome: 'more' };
    const cursor = progress.cursor ?? { audience: 0 };
    const audienceId = campaign.audienceIds[cursor.audience] as string;
    const page = await deps.audiences.members(audienceId, {
      limit: PAGE_SIZE,
      ...(cursor.after ? { after: cursor.after } : {}),
    });
    const result = await sendPage(run, page.prospectIds, cursor.audience);
    if (result !== 'done') return halt(run, result);
    const next: StepCursor | 'done' = page.after
      ? { audience: cursor.audience, after: page.after }
      : cursor.audience + 1 < campaign.audienceIds.length
        ? { audience: cursor.audience + 1 }
        : 'done';
    await deps.progress.checkpoint(campaignId, stepNo, next, deps.now().toISOString());
    const checked = await checkStillRunning(run);
    if (checked) return checked;
    progress = (await deps.progress.progress(campaignId, stepNo)) as StepProgress;
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

type Run = {
  deps: SendLettersDeps;
  courier: LetterCourier;
  campaign: Campaign;
  step: number;
  version: OfferVersion;
  /** Whether a person or a guard stopped the campaign meanwhile (read at most once a second). */
  halted: () => Promise<boolean>;
};

/** What stopped a page before all its members had a record. */
type PageResult = 'done' | 'account_refused' | 'released' | 'halted';

/** A pause, a cancel or another run takes effect within a second, in the middle of a page too. */
function stopWatch(deps: SendLettersDeps, campaign: Campaign): () => Promise<boolean> {
  let stopped = false;
  let readAt = deps.now().getTime();
  return async () => {
    if (stopped || deps.now().getTime() - readAt < 1000) return stopped;
    readAt = deps.now().getTime();
    const fresh = await deps.campaigns.get(campaign.campaignId);
    stopped = fresh?.status !== 'running' || fresh.run !== campaign.run;
    return stopped;
  };
}

/**
 * Sends one page: members with a record of this step are left as they are; the rest are screened, and each
 * gets its record: skipped with the reason, deferred to its sending window, or claimed and sent.
 * `audience` is the member's audience (a prospect met again on a later audience is skipped as repeated), or
 * `deferred` for recipients whose deferral has come due.
 */
async function sendPage(run: Run, prospectIds: string[], audience: number | 'deferred'): Promise<PageResult> {
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
  const first = async (record: SendRecord) =>
    audience === 'deferred'
      ? (await deps.progress.settle(key(record.prospectId), 'deferred', settlementOf(record), at)) ===
        'settled'
      : (await deps.progress.record(record)) === 'recorded';

  const prospects = await deps.prospects.byIds(todo);
  for (const id of todo.filter((id) => !prospects.has(id))) {
    await first({ ...key(id), status: 'skipped', reason: 'not_a_prospect', at, ...audienceOf(audience) });
  }
  // A follow-up goes to those who have not answered the campaign yet.
  const responded =
    step > 1 ? await deps.responses.responded(campaignId, [...prospects.keys()]) : new Set<string>();
  for (const id of responded) {
    await first({ ...key(id), status: 'skipped', reason: 'responded', at, ...audienceOf(audience) });
  }
  const found = todo.flatMap((id) => (responded.has(id) ? [] : (prospects.get(id) ?? [])));
  const screened = await screenRecipients(
    deps.suppression,
    { campaignId, step, policy: campaign.policy },
    found,
    now,
  );
  const offer = { offerId: run.version.offerId, version: run.version.version, hash: run.version.hash };
  const handle = async (i: number): Promise<Delivered | 'recorded' | 'halted'> => {
    const { prospectId, addressHash, decision } = screened[i] as (typeof screened)[number];
    const base = { ...key(prospectId), at, addressHash, ...audienceOf(audience) };
    if (decision.outcome === 'skip') {
      await first(
        decision.reason === 'quiet_hours'
          ? { ...base, status: 'deferred', retryAt: decision.retryAt }
          : { ...base, status: 'skipped', reason: decision.reason },
      );
      return 'recorded';
    }
    // Stopped meanwhile: this member gets no claim; the page is not checkpointed, a resume comes back to it.
    if (await run.halted()) return 'halted';
    if (!(await first({ ...base, status: 'claimed', offer }))) return 'recorded';
    const email = await composeLetter(deps, campaign, step, run.version, found[i] as Prospect, addressHash);
    return run.courier.deliver(key(prospectId), email);
  };
  const outcomes = await inLanes(
    screened.map((_, i) => () => handle(i)),
    IN_FLIGHT,
  );
  if (outcomes.includes('account_refused')) return 'account_refused';
  if (outcomes.includes('halted')) return 'halted';
  if (outcomes.includes('released')) return 'released';
  return 'done';
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
