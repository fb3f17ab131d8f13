import * as z from 'zod';
import { notifyCampaignTeam } from '#shared/campaigns/notify-campaign-team.ts';
import { campaignTeamDeps } from '#shared/composition-campaign-team.ts';
import { logger } from '#shared/runtime.ts';
import { workflowStep } from '#shared/workflow/step.ts';

const deps = campaignTeamDeps();

/** The ended run, by ids only: the campaign and the execution's name (`$$.Execution.Name`). */
const EndedRunInput = z.object({ campaignId: z.uuid(), execution: z.string().min(1).max(80) });

/**
 * LetterCampaign step, after a run ended paused or completed: the campaign team is emailed why it paused,
 * or the closing summary, once per run and status; a person's pause, a cancel or a resume sends nothing.
 */
export const handler = workflowStep(EndedRunInput, async (ended) => {
  const outcome = await notifyCampaignTeam(deps, ended);
  logger.info('Campaign team notice', { campaignId: ended.campaignId, outcome: outcome.kind });
  return { outcome: outcome.kind };
});
