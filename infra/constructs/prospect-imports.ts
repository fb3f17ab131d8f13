import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  Choice,
  Condition,
  Fail,
  JsonPath,
  type StateMachine,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { IMPORTS_BUCKET_ARN_EXPORT } from '../stateful-stack.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { acknowledgeVersionInvoke, attractStateMachine } from './state-machine-tasks.ts';
import { grantTable } from './table-access.ts';

export interface ProspectImportsProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly bucket: IBucket;
  readonly operations: Operations;
}

/** How long one run of the import may take; it pauses at a checkpoint a minute before (run-prospect-import.ts). */
const RUN_TIMEOUT = Duration.minutes(5);
/** Files are under `imports/`, one object per import. */
const IMPORT_OBJECTS = 'imports/*';

/**
 * Imports of prospects (docs/prospects.md): the API that declares an import and presigns its upload, and
 * the ProspectImport job, a loop of bounded runs of the resumable import until it ends, whose failure is
 * recorded on the import.
 */
export class ProspectImports extends Construct {
  /** The API's function (`/v1/prospect-imports`). */
  readonly keepImports: AttractFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ProspectImportsProps) {
    super(scope, id);
    const { table, keySecret, bucket, operations } = props;
    const objects = bucket.arnForObjects(IMPORT_OBJECTS);
    const env = { [ENV.tableName]: table.tableName, [ENV.importsBucketName]: bucket.bucketName };

    const runFn = new AttractFunction(this, 'RunProspectImport', {
      entry: 'functions/prospects/run-prospect-import.ts',
      description:
        'ProspectImport: stream the file from S3 into the resumable import, pausing at a checkpoint',
      environment: env,
      timeout: RUN_TIMEOUT,
      memorySize: 1024,
    });
    // It reads and moves the import item, looks batches up and writes prospects and the report in batches.
    grantTable(runFn, table, ['GetItem', 'UpdateItem', 'BatchGetItem', 'BatchWriteItem']);
    readKeys(runFn, keySecret);
    runFn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    acknowledgeObjects(runFn, 'It reads the file of the import it runs; the key is the import id.');

    const failureFn = new AttractFunction(this, 'RecordImportFailure', {
      entry: 'functions/prospects/record-import-failure.ts',
      description: 'ProspectImport: record an import whose job failed',
      environment: { [ENV.tableName]: table.tableName },
    });
    grantTable(failureFn, table, ['UpdateItem']);

    // States live in their own scope: their ids are the state names, and may repeat the functions' ids.
    const flow = new Construct(this, 'Flow');
    const recordFailure = new LambdaInvoke(flow, 'RecordImportFailure', {
      lambdaFunction: failureFn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({
        importId: JsonPath.stringAt('$.importId'),
        error: JsonPath.stringAt('$.failure.Error'),
      }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(Duration.seconds(30)),
    });
    recordFailure.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
    });
    recordFailure.next(
      new Fail(flow, 'ImportFailed', { error: 'ProspectImportFailed', causePath: '$.failure.Cause' }),
    );

    const run = new LambdaInvoke(flow, 'RunImport', {
      lambdaFunction: runFn,
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ importId: JsonPath.stringAt('$.importId') }),
      resultPath: '$.run',
      taskTimeout: Timeout.duration(RUN_TIMEOUT.plus(Duration.seconds(30))),
    });
    // A run resumes from the last checkpoint, so any failure is retried before the import is marked failed.
    run.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(1),
      maxAttempts: 5,
      backoffRate: 2,
    });
    run.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });
    run.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });
    run.next(
      new Choice(flow, 'ImportEnded')
        .when(Condition.booleanEquals('$.run.done', true), new Succeed(flow, 'Ended'))
        .otherwise(run),
    );

    this.stateMachine = attractStateMachine(this, 'ProspectImport', {
      definition: run,
      // 200,000 rows take minutes; a day bounds a loop that never ends.
      timeout: Duration.days(1),
      operations,
      executions: 'ProspectImport jobs',
    });
    for (const fn of [runFn, failureFn]) acknowledgeVersionInvoke(this, fn);

    this.keepImports = new AttractFunction(this, 'KeepProspectImports', {
      entry: 'functions/prospects/keep-prospect-imports.ts',
      description:
        '/v1/prospect-imports: declare an import, presign its upload, start its job, read its report',
      environment: { ...env, [ENV.prospectImportStateMachineArn]: this.stateMachine.stateMachineArn },
    });
    // It declares the import (a conditional put), releases it (an update), reads it and pages its report.
    grantTable(this.keepImports, table, ['GetItem', 'PutItem', 'UpdateItem', 'Query']);
    // A presigned PUT is allowed only if its signer may put the object; HeadObject is s3:GetObject, and
    // s3:ListBucket makes a missing object a 404 rather than a 403.
    this.keepImports.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [objects] }),
    );
    this.keepImports.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    acknowledgeObjects(
      this.keepImports,
      'It presigns the upload of, and checks, the file of an import; the key is the import id.',
    );
    this.stateMachine.grantStartExecution(this.keepImports);
  }
}

/** Objects under `imports/`: the key of each is an import id, known only when the import is declared. */
function acknowledgeObjects(fn: AttractFunction, reason: string): void {
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${IMPORTS_BUCKET_ARN_EXPORT}/imports/*]`,
    reason,
  });
}
