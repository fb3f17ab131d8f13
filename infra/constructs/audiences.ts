import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  Choice,
  Condition,
  Fail,
  JsonPath,
  type StateMachine,
  Succeed,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MANAGERS_INDEX, PROSPECTS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { acknowledgeVersionInvoke, attractStateMachine } from './state-machine-tasks.ts';
import { grantTable } from './table-access.ts';

export interface AudiencesProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly operations: Operations;
}

/**
 * Audiences of targeted letters (docs/audiences.md): the API that writes, previews and approves them, and
 * the AudienceFreezing state machine an approval starts: a loop over a Lambda that walks the prospects a
 * page at a time from the checkpoint kept in the audience, until the audience is frozen.
 */
export class Audiences extends Construct {
  readonly keepAudiences: AttractFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: AudiencesProps) {
    super(scope, id);
    const { table, keySecret, operations } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };

    const freezeFn = new AttractFunction(this, 'FreezeAudience', {
      entry: 'functions/audiences/freeze-audience.ts',
      description: 'AudienceFreezing: walk pages of prospects, keep each page of members with the checkpoint',
      environment: tableEnv,
      timeout: Duration.seconds(60),
    });
    // The audience's item and the transaction of members with its checkpoint (Update and Puts), the
    // walk of prospects on GSI4, and the latest letters (BatchGetItem) for the last-contacted filter.
    grantTable(freezeFn, table, ['GetItem', 'UpdateItem', 'PutItem', 'BatchGetItem']);
    grantTable(freezeFn, table, ['Query'], [PROSPECTS_INDEX.name]);
    readKeys(freezeFn, keySecret);

    const failureFn = new AttractFunction(this, 'RecordFreezingFailure', {
      entry: 'functions/audiences/record-freezing-failure.ts',
      description: 'AudienceFreezing: mark an audience whose freezing failed',
      environment: tableEnv,
    });
    grantTable(failureFn, table, ['UpdateItem']);

    const flow = new Construct(this, 'Flow');
    const recordFailure = new LambdaInvoke(flow, 'RecordFreezingFailure', {
      lambdaFunction: failureFn,
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(Duration.seconds(30)),
    });
    recordFailure.next(
      new Fail(flow, 'FreezingFailed', { error: 'AudienceFreezingFailed', causePath: '$.failure.Cause' }),
    );
    acknowledgeVersionInvoke(this, failureFn);

    const freezePage = new LambdaInvoke(flow, 'FreezePages', {
      lambdaFunction: freezeFn,
      payloadResponseOnly: true,
      resultPath: '$.freezing',
      taskTimeout: Timeout.duration(Duration.seconds(90)),
    });
    acknowledgeVersionInvoke(this, freezeFn);
    // A missing audience or a scoring changed since approval will not mend with a retry.
    freezePage.addRetry({ errors: ['AudienceNotFound', 'ScoringChanged'], maxAttempts: 0 });
    freezePage.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(1),
      maxAttempts: 5,
      backoffRate: 2,
    });
    // A crash or a timeout resumes from the checkpoint: a page is kept once whatever is retried.
    freezePage.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
    });
    freezePage.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });

    const definition = freezePage.next(
      new Choice(flow, 'IsFrozen')
        .when(
          Condition.stringEquals('$.freezing.status', 'frozen'),
          new Succeed(flow, 'Frozen', { comment: 'Every prospect walked once; the members are final' }),
        )
        .when(Condition.stringEquals('$.freezing.status', 'freezing'), freezePage)
        .otherwise(
          new Succeed(flow, 'NotFreezing', { comment: 'The audience is not freezing: nothing to do' }),
        ),
    );

    this.stateMachine = attractStateMachine(this, 'AudienceFreezing', {
      definition,
      timeout: Duration.hours(6),
      operations,
      executions: 'AudienceFreezing executions',
    });

    this.keepAudiences = new AttractFunction(this, 'KeepAudiences', {
      entry: 'functions/audiences/keep-audiences.ts',
      description: '/v1/audiences: draft audiences, previews, approval that starts the freezing, members',
      environment: { ...tableEnv, [ENV.audienceFreezingStateMachineArn]: this.stateMachine.stateMachineArn },
    });
    // Audiences and their members (Get, Put, Update, Query), the list on GSI1, the preview's walk on GSI4
    // and its latest letters (BatchGetItem), and the start of a freezing run.
    grantTable(this.keepAudiences, table, ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem']);
    grantTable(this.keepAudiences, table, ['Query'], [MANAGERS_INDEX.name, PROSPECTS_INDEX.name]);
    readKeys(this.keepAudiences, keySecret);
    this.stateMachine.grantStartExecution(this.keepAudiences);
  }
}
