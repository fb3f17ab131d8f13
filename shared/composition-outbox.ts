import { StepFunctionsStarter } from './adapters/workflow-starter.ts';
import { sfnClient } from './clients/sfn.ts';
import { leads } from './composition.ts';
import type { OutboxDeps } from './leads/outbox.ts';
import { setting } from './runtime.ts';

/** Starting the intake workflow for captured leads: the table, and Step Functions. */
export const outboxDeps = (): OutboxDeps => ({
  leads: leads(),
  starter: new StepFunctionsStarter(sfnClient(), setting('leadIntakeStateMachineArn')),
  now: () => new Date(),
});
