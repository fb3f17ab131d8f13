import { intakeDeps } from '#shared/composition-intake.ts';
import { enrichLead } from '#shared/leads/intake.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = intakeDeps();

/** LeadIntake step: is the company already a client? */
export const handler = workflowStep(LeadStepInput, ({ leadId }) => enrichLead(deps, leadId));
