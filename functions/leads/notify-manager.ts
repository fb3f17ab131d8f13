import * as z from 'zod';
import { notifyDeps } from '#shared/composition-notify.ts';
import { awaitManager } from '#shared/leads/notify-manager.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

const deps = notifyDeps();

/** The assignment to wait on, its manager (an id, for the logs and fault injection), and the task token. */
const Input = LeadStepInput.extend({
  assignmentId: z.string().min(1),
  managerId: z.string().min(1),
  taskToken: z.string().min(1),
});

/**
 * LeadIntake's acceptance wait: keep the task token on the lead, then email the personal manager the lead
 * and its score breakdown, once. The execution waits until the manager answers or the time runs out.
 */
export const handler = workflowStep(Input, async ({ leadId, assignmentId, taskToken }) => {
  await awaitManager(deps, { leadId, assignmentId, taskToken });
});
