import * as z from 'zod';
import { leads } from '#shared/composition.ts';
import { recordIntakeFailure } from '#shared/leads/intake.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

// It records on the lead and publishes nothing, so it needs (and is given) no event bus.
const deps = { leads: leads(), now: () => new Date() };

// Only the error name is kept: a cause may quote the lead's personal data.
const Input = LeadStepInput.extend({ failure: z.object({ Error: z.string() }).loose() });

/** LeadIntake failure path: mark the lead so people see it needs attention. */
export const handler = workflowStep(Input, ({ leadId, failure }) =>
  recordIntakeFailure(deps, leadId, failure.Error),
);
