import type { FrozenAudiences } from '../audiences/ports.ts';
import { formatIssues } from '../leads/lead-submission.ts';
import { DEFAULT_SEND_POLICY } from '../letters/suppression.ts';
import type { Offers } from '../offers/ports.ts';
import { type Campaign, type CampaignState, type CampaignStep, NewCampaignInput } from './campaign.ts';
import { progressOfSteps } from './deliverability.ts';
import type { CampaignProgress, CampaignResponses, Campaigns } from './ports.ts';

/**
 * The campaign manager's use cases: write a campaign, launch it, pause, resume or cancel it at any moment
 * (docs/campaigns.md). A launch fixes each step's approved version and its hash; only a frozen audience
 * can be written to; each run of the sending state machine is named by the campaign and its run number.
 */

export interface CampaignRuns {
  startRun(campaignId: string, run: number): Promise<'started' | 'already_started'>;
}

export type CampaignDeps = {
  campaigns: Campaigns;
  progress: CampaignProgress;
  responses: CampaignResponses;
  audiences: FrozenAudiences;
  offers: Offers;
  runs: CampaignRuns;
  now: () => Date;
  newId: () => string;
};

/** A field of the request the bank refuses, by its path. */
export type CampaignProblem = { path: string; message: string };

export class CampaignInvalid extends Error {
  override name = 'CampaignInvalid';
  readonly problems: CampaignProblem[];
  constructor(problems: CampaignProblem[]) {
    super(`The campaign is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.problems = problems;
  }
}

/** Why a campaign cannot do what was asked in the state it is in (answered 409 with the code). */
export const CAMPAIGN_REFUSALS = [
  'offer_not_approved',
  'audience_not_frozen',
  'not_a_draft',
  'not_running',
  'not_paused',
  'ended',
] as const;
export type CampaignRefusal = (typeof CAMPAIGN_REFUSALS)[number];

export class CampaignRefused extends Error {
  override name = 'CampaignRefused';
  readonly code: CampaignRefusal;
  readonly problems: CampaignProblem[];
  constructor(code: CampaignRefusal, message: string, problems: CampaignProblem[] = []) {
    super(message);
    this.code = code;
    this.problems = problems;
  }
}

export class CampaignNotFound extends Error {
  override name = 'CampaignNotFound';
}

export async function createCampaign(deps: CampaignDeps, author: string, input: unknown): Promise<Campaign> {
  const parsed = NewCampaignInput.safeParse(input);
  if (!parsed.success) throw new CampaignInvalid(formatIssues(parsed.error));
  const { steps, policy, ...rest } = parsed.data;
  const problems: CampaignProblem[] = [];
  for (const [i, step] of steps.entries()) {
    if (!(await deps.offers.version(step.offerId, step.version)))
      problems.push({ path: `steps.${i}.version`, message: 'no such offer version' });
  }
  if (problems.length) throw new CampaignInvalid(problems);
  const at = deps.now().toISOString();
  const campaign: Campaign = {
    campaignId: deps.newId(),
    ...rest,
    steps: steps.map((s, i): CampaignStep => ({ step: i + 1, ...s })),
    policy: policy ?? DEFAULT_SEND_POLICY,
    status: 'draft',
    run: 0,
    currentStep: 1,
    author,
    createdAt: at,
    updatedAt: at,
  };
  await deps.campaigns.create(campaign);
  return campaign;
}

/**
 * Launches a draft: every step's version must be its offer's approved one (its hash is fixed now and
 * checked at every send), every audience frozen. A launch retried after it took effect starts the same run.
 */
export async function launchCampaign(deps: CampaignDeps, campaignId: string): Promise<Campaign> {
  const campaign = await found(deps, campaignId);
  if (campaign.status === 'running' && campaign.run === 1 && campaign.launchedAt) {
    await deps.runs.startRun(campaignId, 1);
    return campaign;
  }
  if (campaign.status !== 'draft')
    throw new CampaignRefused('not_a_draft', 'The campaign was launched already');
  const unapproved: CampaignProblem[] = [];
  const steps: CampaignStep[] = [];
  for (const [i, step] of campaign.steps.entries()) {
    const approved = (await deps.offers.get(step.offerId))?.approved;
    if (approved?.version !== step.version)
      unapproved.push({ path: `steps.${i}.version`, message: 'this version of the offer is not approved' });
    else steps.push({ ...step, hash: approved.hash });
  }
  if (unapproved.length)
    throw new CampaignRefused('offer_not_approved', 'Only an approved version is sent', unapproved);
  const unfrozen: CampaignProblem[] = [];
  for (const [i, audienceId] of campaign.audienceIds.entries()) {
    if (!(await deps.audiences.frozen(audienceId)))
      unfrozen.push({ path: `audienceIds.${i}`, message: 'the audience is not frozen (approve it first)' });
  }
  if (unfrozen.length)
    throw new CampaignRefused('audience_not_frozen', 'Only a frozen audience is written to', unfrozen);
  const at = deps.now().toISOString();
  const launched = await deps.campaigns.transition(
    campaignId,
    { from: ['draft'], set: { status: 'running', run: 1, steps, launchedAt: at } },
    at,
  );
  if (typeof launched === 'string') return launchCampaign(deps, campaignId);
  await deps.runs.startRun(campaignId, 1);
  return launched;
}

/** Stops the sending at the next page; nothing already claimed is lost. */
export async function pauseCampaign(deps: CampaignDeps, campaignId: string, by: string): Promise<Campaign> {
  const at = deps.now().toISOString();
  const paused = await deps.campaigns.transition(
    campaignId,
    { from: ['running'], set: { status: 'paused', pause: { reason: 'by_manager', at, by } } },
    at,
  );
  return settled(deps, campaignId, paused, 'paused', 'not_running', 'Only a running campaign is paused');
}

/** Sends on from what was recorded, in a new run; a resume retried after it took effect starts the same run. */
export async function resumeCampaign(deps: CampaignDeps, campaignId: string): Promise<Campaign> {
  const campaign = await found(deps, campaignId);
  if (campaign.status === 'running') {
    await deps.runs.startRun(campaignId, campaign.run);
    return campaign;
  }
  if (campaign.status !== 'paused')
    throw new CampaignRefused('not_paused', 'Only a paused campaign is resumed');
  const at = deps.now().toISOString();
  const resumed = await deps.campaigns.transition(
    campaignId,
    {
      from: ['paused'],
      run: campaign.run,
      set: { status: 'running', run: campaign.run + 1, pause: undefined },
    },
    at,
  );
  if (typeof resumed === 'string') return resumeCampaign(deps, campaignId);
  await deps.runs.startRun(campaignId, resumed.run);
  return resumed;
}

export async function cancelCampaign(deps: CampaignDeps, campaignId: string): Promise<Campaign> {
  const at = deps.now().toISOString();
  const cancelled = await deps.campaigns.transition(
    campaignId,
    { from: ['draft', 'running', 'paused'], set: { status: 'cancelled', endedAt: at } },
    at,
  );
  return settled(deps, campaignId, cancelled, 'cancelled', 'ended', 'The campaign has ended');
}

/** The campaign and the progress of each step it has begun. */
export async function campaignView(
  deps: Pick<CampaignDeps, 'campaigns' | 'progress' | 'responses'>,
  campaignId: string,
): Promise<CampaignState> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new CampaignNotFound(campaignId);
  const [progress, responses] = await Promise.all([
    progressOfSteps(deps.progress, campaign),
    deps.responses.count(campaignId),
  ]);
  return { campaign, progress, responses };
}

async function found(deps: CampaignDeps, campaignId: string): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new CampaignNotFound(campaignId);
  return campaign;
}

/** The transition's result; a refused one explained by the state the campaign is in now. */
async function settled(
  deps: CampaignDeps,
  campaignId: string,
  result: Campaign | 'stale' | 'not_found',
  wanted: Campaign['status'],
  code: CampaignRefusal,
  message: string,
): Promise<Campaign> {
  if (result === 'not_found') throw new CampaignNotFound(campaignId);
  if (result !== 'stale') return result;
  const now = await found(deps, campaignId);
  if (now.status === wanted) return now;
  throw new CampaignRefused(code, message);
}
