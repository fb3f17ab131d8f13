import type { Keys } from '../access/keys.ts';
import type { FrozenAudiences } from '../audiences/ports.ts';
import type { SuppressionDeps } from '../letters/suppression.ts';
import { type OfferDeps, versionForSending } from '../offers/keep-offers.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type { Campaign, StepCursor, StepProgress } from './campaign.ts';
import { type DeliveryDeps, LetterCourier } from './deliver-letter.ts';
import { guardDeliverability, progressOfSteps } from './deliverability.ts';
import type { CampaignResponses, Campaigns } from './ports.ts';
import {
  type PageResult,
  type PreparedPage,
  preparePage,
  type Run,
  sendPage,
  sendPrepared,
  stopWatch,
} from './send-page.ts';

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
 * The pass over the step's audiences, page by page from the stored cursor. Pages overlap: while one page
 * sends its letters, the page after it is read and screened, and its letters start before the first page's
 * last ones are answered, so the rate is not spent waiting between pages. Each page's cursor moves only once
 * it and every page before it have all their records, in order. Answers how the run ended, or the step's
 * progress once the pass is done.
 */
async function sendPass(
  run: Run,
  progress: StepProgress,
  startedAt: number,
): Promise<RunOutcome | StepProgress> {
  const { deps, campaign } = run;
  let cursor: StepCursor | 'done' = progress.cursor ?? { audience: 0 };
  const within = () => deps.now().getTime() - startedAt <= deps.budgetMs;
  /** Pages whose letters are under way, oldest first: two at most. */
  const sending: SendingPage[] = [];
  let reading: Promise<ReadPage> | undefined;
  try {
    for (;;) {
      if (!reading) {
        // Every page sent is finished first: at the end, at the budget, and before the next audience, whose
        // prospects met again must find this audience's records (a repeat).
        for (let page = sending.shift(); page; page = sending.shift()) {
          const ended = await finished(run, page);
          if (ended) return ended;
        }
        if (cursor === 'done' || !within()) break;
        reading = readPage(run, cursor);
      }
      const page = await reading;
      reading = undefined;
      sending.push({ audience: page.audience, next: page.next, result: sendPrepared(run, page.prepared) });
      cursor = page.next;
      if (cursor !== 'done' && cursor.audience === page.audience && within()) reading = readPage(run, cursor);
      if (sending.length > 1) {
        const ended = await finished(run, sending.shift() as SendingPage);
        if (ended) return ended;
      }
    }
  } finally {
    // Nothing is left in flight behind the run: the pages still sending, and the one being read, end first.
    await Promise.allSettled([...sending.map((page) => page.result), reading]);
  }
  if (cursor !== 'done') return { outcome: 'more' };
  return (await deps.progress.progress(campaign.campaignId, run.step)) as StepProgress;
}

/** A page read and screened, with its audience and the cursor past it. */
type ReadPage = { audience: number; next: StepCursor | 'done'; prepared: PreparedPage };

async function readPage(run: Run, cursor: StepCursor): Promise<ReadPage> {
  const { deps, campaign } = run;
  const audienceId = campaign.audienceIds[cursor.audience] as string;
  const page = await deps.audiences.members(audienceId, {
    limit: PAGE_SIZE,
    ...(cursor.after ? { after: cursor.after } : {}),
  });
  const next: StepCursor | 'done' = page.after
    ? { audience: cursor.audience, after: page.after }
    : cursor.audience + 1 < campaign.audienceIds.length
      ? { audience: cursor.audience + 1 }
      : 'done';
  return {
    audience: cursor.audience,
    next,
    prepared: await preparePage(run, page.prospectIds, cursor.audience),
  };
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
