import { notifyDeps } from '#shared/composition-notify.ts';
import { notifyManager } from '#shared/leads/notify-manager.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = notifyDeps();

/** LeadIntake step: email the personal manager the lead and its score breakdown, once. */
export const handler = workflowStep(LeadStepInput, async ({ leadId }) => {
  await notifyManager(deps, leadId);
});
