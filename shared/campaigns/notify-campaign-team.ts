import { type NotifyDeps, type NotifyOutcome, sendClaimed } from '../leads/notify-manager.ts';
import type { CampaignStatus } from './campaign.ts';
import {
  type CampaignMailbox,
  campaignCompletedNotification,
  campaignPausedNotification,
} from './campaign-team-email.ts';
import { progressOfSteps } from './deliverability.ts';
import type { CampaignNotices, CampaignProgress, CampaignResponses, Campaigns } from './ports.ts';

export type CampaignTeamDeps = Pick<NotifyDeps, 'mail' | 'now'> & {
  campaigns: Pick<Campaigns, 'get'>;
  progress: CampaignProgress;
  responses: Pick<CampaignResponses, 'count'>;
  notices: CampaignNotices;
  campaignTeam: CampaignMailbox;
  /** The API's address, so the email's routes can be followed as they are; paths alone without it. */
  apiUrl?: string;
};

/** The LetterCampaign execution that ended, by its name: `<campaignId>-<run>`. */
export type EndedRun = { campaignId: string; execution: string };

export type CampaignTeamOutcome =
  | NotifyOutcome
  /** A campaign manager paused it, or someone cancelled it: they know already. */
  | { kind: 'paused_by_manager' }
  | { kind: 'cancelled' }
  /** It is not where this run left it (resumed meanwhile: another run sends, and will tell). */
  | { kind: 'moved_on'; status: CampaignStatus; run: number };

/** Which email about a campaign: one per run and the status it ended in. */
export const campaignTeamNotice = (run: number, status: 'paused' | 'completed'): string =>
  `CAMPAIGN_TEAM#${run}#${status.toUpperCase()}`;

/**
 * Tells the campaign team how a run of the campaign ended (issue 8, items 7 and 9): paused by a guard, with
 * the reason; or completed, with the closing summary. Once per (campaign, run, status): the notice is
 * claimed before the send (see `sendClaimed`), so a retried task finds it sent.
 */
export async function notifyCampaignTeam(
  deps: CampaignTeamDeps,
  ended: EndedRun,
): Promise<CampaignTeamOutcome> {
  const run = runOf(ended);
  const campaign = await deps.campaigns.get(ended.campaignId);
  if (!campaign) throw new Error(`No campaign ${ended.campaignId}`);
  if (campaign.status === 'cancelled') return { kind: 'cancelled' };
  const { status } = campaign;
  if (campaign.run !== run || (status !== 'paused' && status !== 'completed')) {
    return { kind: 'moved_on', status, run: campaign.run };
  }
  if (status === 'paused' && campaign.pause?.reason === 'by_manager') return { kind: 'paused_by_manager' };

  const [progress, responses] = await Promise.all([
    progressOfSteps(deps.progress, campaign),
    deps.responses.count(campaign.campaignId),
  ]);
  const state = { campaign, progress, responses };
  const notice = campaignTeamNotice(run, status);
  const options = { apiUrl: deps.apiUrl };
  return sendClaimed(
    deps,
    {
      claim: (at) => deps.notices.claim(campaign.campaignId, notice, at),
      recordSent: (sent) => deps.notices.recordSent(campaign.campaignId, notice, sent),
    },
    (mark) =>
      status === 'paused'
        ? campaignPausedNotification(state, deps.campaignTeam, { ...options, mark })
        : campaignCompletedNotification(state, deps.campaignTeam, { ...options, mark }),
  );
}

/** The run number from the execution's name; another name is a bug in the state machine's definition. */
function runOf({ campaignId, execution }: EndedRun): number {
  const prefix = `${campaignId}-`;
  const run = execution.startsWith(prefix) ? Number(execution.slice(prefix.length)) : Number.NaN;
  if (!Number.isInteger(run) || run < 1) {
    throw new Error(`Execution ${execution} is not a run of campaign ${campaignId}`);
  }
  return run;
}
