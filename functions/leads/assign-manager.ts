import * as z from 'zod';
import { intakeDeps } from '#shared/composition-intake.ts';
import { assignManager } from '#shared/leads/assign-manager.ts';
import { acceptanceSlaNamed } from '#shared/managers/acceptance-sla.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { setting } from '#shared/runtime.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = { ...intakeDeps(), routingPolicy, acceptanceSla: acceptanceSlaNamed(setting('acceptanceSla')) };

/**
 * The state as the step sees it: the screening, and on a later round the assignment the manager was
 * waiting on with what ended the wait (the manager's answer, or the wait's own `States.Timeout`).
 */
const Input = LeadStepInput.extend({
  screening: z.object({
    existingClient: z.object({ clientId: z.string(), managerId: z.string() }).optional(),
  }),
  assignment: z.object({ assignmentId: z.string().optional() }).optional(),
  decision: z.object({ Error: z.string().optional() }).optional(),
});

/** LeadIntake step: give the lead to a personal manager by the routing policy, and say why. */
export const handler = workflowStep(Input, ({ leadId, screening, assignment, decision }) =>
  assignManager(
    deps,
    leadId,
    screening.existingClient?.managerId,
    decision && assignment?.assignmentId
      ? { waitedOn: assignment.assignmentId, timedOut: decision.Error === 'States.Timeout' }
      : undefined,
  ),
);
