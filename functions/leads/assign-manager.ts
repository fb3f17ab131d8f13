import * as z from 'zod';
import { intakeDeps } from '#shared/composition-intake.ts';
import { assignManager } from '#shared/leads/assign-manager.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = { ...intakeDeps(), routingPolicy };

const Input = LeadStepInput.extend({
  screening: z.object({
    existingClient: z.object({ clientId: z.string(), managerId: z.string() }).optional(),
  }),
});

/** LeadIntake step: give the lead to a personal manager by the routing policy, and say why. */
export const handler = workflowStep(Input, ({ leadId, screening }) =>
  assignManager(deps, leadId, screening.existingClient?.managerId),
);
