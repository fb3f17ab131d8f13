import { type Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IChainable,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
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
