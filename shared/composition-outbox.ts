import { StepFunctionsAnswers } from './adapters/workflow-answers.ts';
import { leadIntakes, NamedExecutions } from './adapters/workflow-starter.ts';
import { sfnClient } from './clients/sfn.ts';
import { directory, leads } from './composition.ts';
import type { HandDeps } from './leads/assign-by-hand.ts';
import type { OutboxDeps } from './leads/outbox.ts';
import type { AcceptanceSlaConfig } from './managers/acceptance-sla.ts';
import { setting } from './runtime.ts';

/** Starting the intake workflow for captured leads: the table, and Step Functions. */
export const outboxDeps = (): OutboxDeps => ({
  leads: leads(),
  starter: leadIntakes(new NamedExecutions(sfnClient(), setting('leadIntakeStateMachineArn'))),
  now: () => new Date(),
});

/** The head of unit's hand assignments: the table, and Step Functions for the run that awaits the answer. */
export const handDeps = (acceptanceSla: AcceptanceSlaConfig): HandDeps => ({
  leads: leads(),
  managers: directory(),
  workflows: leadIntakes(new NamedExecutions(sfnClient(), setting('leadIntakeStateMachineArn'))),
  answers: new StepFunctionsAnswers(sfnClient()),
  acceptanceSla,
  now: () => new Date(),
});
