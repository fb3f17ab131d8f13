import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PENDING_INTAKE_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction, type AttractFunctionProps } from './attract-function.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { grantTable } from './table-access.ts';

/**
 * What the table's stream and a schedule drive beside the LeadIntake state machine, in the lead-intake
 * construct's scope (so its resources keep their ids): the outbox that starts one execution per stored
 * lead, the sweeper behind it, and the email that tells a manager of a later enquiry.
 */
export function addOutbox(
  scope: Construct,
  props: { table: ITable; stateMachine: StateMachine; operations: Operations; senderEmail: string },
): void {
  const { table, stateMachine, operations, senderEmail } = props;
  const tableEnv = { [ENV.tableName]: table.tableName };
  // The outbox: every stored lead starts its workflow, named by leadId so a redelivery cannot start two.
  // Starter and sweeper both start executions and confirm the start on the lead.
  const outboxFunction = (name: string, props: Omit<AttractFunctionProps, 'environment'>) => {
    const fn = new AttractFunction(scope, name, {
      ...props,
      environment: { ...tableEnv, [ENV.leadIntakeStateMachineArn]: stateMachine.stateMachineArn },
    });
    stateMachine.grantStartExecution(fn);
    // Confirming a start takes the lead out of the pending-intake index.
    grantTable(fn, table, ['UpdateItem']);
    return fn;
  };
  const starter = outboxFunction('StartLeadIntake', {
    entry: 'functions/leads/start-lead-intake.ts',
    description: 'Table stream: start one LeadIntake execution per new lead',
  });
  const starterDlq = operations.deadLetterQueue(
    'LeadIntakeStarterDlq',
    'Leads whose workflow could not be started',
  );
  starter.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 25,
      bisectBatchOnError: true,
      retryAttempts: 10,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(starterDlq),
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { type: { S: FilterRule.isEqual('Lead') } } },
        }),
      ],
    }),
  );

  // A later enquiry on an assigned lead reaches its manager by email. The stream may deliver a record
  // more than once; the notice's claim sends the email once.
  const enquiryNotifier = new AttractFunction(scope, 'NotifyManagerOfEnquiry', {
    entry: 'functions/leads/notify-manager-of-enquiry.ts',
    description: 'Table stream: tell the personal manager of a later enquiry on their lead',
    environment: { ...tableEnv, [ENV.senderEmail]: senderEmail },
  });
  grantTable(enquiryNotifier, table, ['GetItem', 'PutItem', 'UpdateItem']);
  sendEmailAs(enquiryNotifier, senderEmail);
  enquiryNotifier.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      bisectBatchOnError: true,
      retryAttempts: 10,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(
        operations.deadLetterQueue('EnquiryNoticeDlq', 'Later enquiries whose manager could not be told'),
      ),
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { type: { S: FilterRule.isEqual('Enquiry') } } },
        }),
      ],
    }),
  );

  // The safety net behind the stream: every few minutes, start any lead whose start was never confirmed.
  const sweeper = outboxFunction('SweepPendingIntake', {
    entry: 'functions/leads/sweep-pending-intake.ts',
    description: 'Scheduled: start the LeadIntake of leads whose workflow start was never confirmed',
    // It drains every page of the pending index; each confirmed lead leaves it, so a cut-off sweep resumes.
    timeout: Duration.minutes(4),
  });
  grantTable(sweeper, table, ['Query'], [PENDING_INTAKE_INDEX.name]);
  // The schedule invokes asynchronously: a sweep that still fails after Lambda's retries lands here.
  sweeper.configureAsyncInvoke({
    retryAttempts: 2,
    onFailure: new SqsDestination(
      operations.deadLetterQueue('SweepPendingIntakeFailures', 'Pending-intake sweeps that failed'),
    ),
  });
  new Rule(scope, 'SweepPendingIntakeSchedule', {
    schedule: Schedule.rate(Duration.minutes(5)),
    targets: [
      new LambdaFunction(sweeper, {
        event: RuleTargetInput.fromObject({ graceMinutes: 2, batchSize: 100 }),
        deadLetterQueue: operations.deadLetterQueue(
          'SweepPendingIntakeDlq',
          'Pending-intake sweeps that could not run',
        ),
        retryAttempts: 4,
      }),
    ],
  });
}
