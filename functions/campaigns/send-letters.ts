import * as z from 'zod';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { pauseFailedRun, sendLetters } from '#shared/campaigns/send-letters.ts';
import { sendLettersDeps } from '#shared/composition-campaigns.ts';
import { workflowStep } from '#shared/workflow/step.ts';

const deps = sendLettersDeps(Keys.derive(await keyMaterial()));

const RunInput = z.object({ campaignId: z.uuid(), failed: z.literal(true).optional() });

/** LetterCampaign step: one run of sending; or, after a run failed for good, the campaign paused. */
export const handler = workflowStep(RunInput, ({ campaignId, failed }) =>
  failed ? pauseFailedRun(deps, campaignId) : sendLetters(deps, campaignId),
);
