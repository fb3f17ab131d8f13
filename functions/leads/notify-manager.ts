import * as z from 'zod';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { notifyDeps } from '#shared/composition-notify.ts';
import { decisionLinksFor } from '#shared/leads/answer-by-link.ts';
import { awaitManager } from '#shared/leads/notify-manager.ts';
import { setting } from '#shared/runtime.ts';
import { LeadStepInput, workflowStep } from '#shared/workflow/step.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const keys = Keys.derive(await keyMaterial());
const apiUrl = setting('apiUrl');
const deps = {
  ...notifyDeps(),
  links: (leadId: string, assignment: Parameters<typeof decisionLinksFor>[3]) =>
    decisionLinksFor(keys, apiUrl, leadId, assignment, new Date()),
};

/** The assignment to wait on, its manager (an id, for the logs and fault injection), and the task token. */
const Input = LeadStepInput.extend({
  assignmentId: z.string().min(1),
  managerId: z.string().min(1),
  taskToken: z.string().min(1),
});

/**
 * LeadIntake's acceptance wait: keep the task token on the lead, then email the personal manager the lead,
 * its score breakdown and signed accept and decline links, once. The execution waits until the manager
 * answers or the time runs out.
 */
export const handler = workflowStep(Input, async ({ leadId, assignmentId, taskToken }) => {
  await awaitManager(deps, { leadId, assignmentId, taskToken });
});
