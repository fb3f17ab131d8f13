import { EventPublisher } from './adapters/event-publisher.ts';
import { StepFunctionsAnswers } from './adapters/workflow-answers.ts';
import { eventBridgeClient } from './clients/event-bridge.ts';
import { sfnClient } from './clients/sfn.ts';
import { directory, leads } from './composition.ts';
import type { DecisionDeps } from './leads/decide-on-lead.ts';
import { setting } from './runtime.ts';

/** Managers' answers to leads: the table, EventBridge for the facts, Step Functions for the waiting run. */
export const decisionDeps = (): DecisionDeps => ({
  leads: leads(),
  managers: directory(),
  events: new EventPublisher(eventBridgeClient(), setting('eventBusName')),
  answers: new StepFunctionsAnswers(sfnClient()),
  now: () => new Date(),
});
