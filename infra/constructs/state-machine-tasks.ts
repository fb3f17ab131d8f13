import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  type IChainable,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { AttractFunction } from './attract-function.ts';
import type { Operations } from './operations.ts';

/** Step Functions' Lambda integration grants invoke on `<function>:*` (its versions and aliases). */
export function acknowledgeVersionInvoke(scope: Construct, fn: AttractFunction): void {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason:
      'The state machine may invoke the step function and its published versions; the wildcard is only the version qualifier.',
  });
}

export type AttractStateMachineProps = {
  readonly definition: IChainable;
  /** The longest an execution may take: a loop that never ends is stopped here. */
  readonly timeout: Duration;
  readonly operations: Operations;
  /** What an execution is, in the alarms' words: `LeadIntake executions`. */
  readonly executions: string;
};

/**
 * A Standard state machine as every workflow here has it: traced, logged without its execution data
 * (states carry ids, but errors may quote what they read), and alarmed on failed and timed-out executions
 * (`<name>Failures`, `<name>Timeouts`). Its construct ids are `<name>StateMachine` and `<name>Logs`.
 */
export function attractStateMachine(
  scope: Construct,
  name: string,
  props: AttractStateMachineProps,
): StateMachine {
  const machine = new StateMachine(scope, `${name}StateMachine`, {
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(scope, `${name}Logs`, {
        retention: RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
      level: LogLevel.ALL,
      includeExecutionData: false,
    },
  });
  Validations.of(machine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Tracing and execution logs: the X-Ray and CloudWatch Logs delivery actions take no narrower resource.',
  });
  props.operations.alarmOnAny(`${name}Failures`, machine.metricFailed(), `${props.executions} failed`);
  props.operations.alarmOnAny(`${name}Timeouts`, machine.metricTimedOut(), `${props.executions} timed out`);
  return machine;
}

export type RunLoopProps = {
  /** The run's function: it answers `{outcome: 'more' | 'wait' | ..., until?}` into `$.run`. */
  readonly fn: AttractFunction;
  /** The id in the state machine's input the run is given, e.g. `campaignId`. */
  readonly idField: string;
  /** Where the run is also given its execution's name, to know whether it is still the current run. */
  readonly executionNameField?: string;
  /** How long one invocation may take. */
  readonly timeout: Duration;
  /** The retries of a failed run (safe to repeat: a run starts from what is recorded). */
  readonly retry: { interval: Duration; maxAttempts: number };
  /** The Wait state's id and comment: what a `wait` outcome waits for. */
  readonly wait: { id: string; comment: string };
};

/**
 * A loop over one run function, as the LetterCampaign and OpenDay state machines are: the run task
 * (`<id>`), then `WhatNext`: `more` runs again, `wait` waits until `$.run.until` and runs again. The caller
 * adds the endings to the answered Choice (and any catch to the task). States carry the id only.
 */
export function runLoop(
  flow: Construct,
  id: string,
  props: RunLoopProps,
): { run: LambdaInvoke; whatNext: Choice } {
  const run = new LambdaInvoke(flow, id, {
    lambdaFunction: props.fn,
    payload: TaskInput.fromObject({
      [props.idField]: JsonPath.stringAt(`$.${props.idField}`),
      ...(props.executionNameField ? { [props.executionNameField]: JsonPath.executionName } : {}),
    }),
    payloadResponseOnly: true,
    resultPath: '$.run',
    taskTimeout: Timeout.duration(props.timeout),
  });
  run.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(1),
    maxAttempts: 5,
    backoffRate: 2,
  });
  run.addRetry({ errors: ['States.ALL'], ...props.retry, backoffRate: 2 });
  const wait = new Wait(flow, props.wait.id, {
    comment: props.wait.comment,
    time: WaitTime.timestampPath('$.run.until'),
  });
  wait.next(run);
  const whatNext = new Choice(flow, 'WhatNext')
    .when(Condition.stringEquals('$.run.outcome', 'more'), run)
    .when(Condition.stringEquals('$.run.outcome', 'wait'), wait);
  run.next(whatNext);
  return { run, whatNext };
}
