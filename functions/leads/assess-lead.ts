import { intakeDeps } from '#shared/composition-intake.ts';
import { screenLead } from '#shared/leads/intake.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = intakeDeps();

/** LeadIntake step: is the company already a client, and if not, score and class the lead. */
export const handler = workflowStep(LeadStepInput, ({ leadId }) => screenLead(deps, scoringConfig, leadId));
