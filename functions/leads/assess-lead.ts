import { intakeDeps } from '#shared/composition-intake.ts';
import { assessLead } from '#shared/leads/intake.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = intakeDeps();

/** LeadIntake step: score with an explainable breakdown and class the lead. */
export const handler = workflowStep(LeadStepInput, ({ leadId }) => assessLead(deps, scoringConfig, leadId));
