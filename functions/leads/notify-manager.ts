import { intakeDeps, mailer } from '#shared/composition.ts';
import { notifyManager } from '#shared/leads/intake.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = { ...intakeDeps(), mailer: mailer() };

/** LeadIntake step: email the personal manager the lead and its score breakdown. */
export const handler = workflowStep(LeadStepInput, ({ leadId }) => notifyManager(deps, leadId));
