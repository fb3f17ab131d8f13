import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Condition, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { acknowledgeVersionInvoke, attractStateMachine, runLoop } from './state-machine-tasks.ts';
import { grantTable } from './table-access.ts';

/** A run works this long before it hands back to the state machine; the Lambda timeout is three times it. */
const RUN_SECONDS = 60;

export interface OpenDayRunProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly operations: Operations;
  readonly senderEmail: string;
  readonly duplicateWindowDays: number;
}

/**
 * The OpenDay state machine (docs/open-days.md): one execution per open day, named by its id, a loop over
 * RunOpenDay. Each run does what the open day's time calls for (reminders, then the attendees' leads and
 * the no-shows' follow-up) and says what next: more, wait until a time, or held/cancelled. States carry the
 * open day's id only; where it stands is on the open day.
 */
export class OpenDayRun extends Construct {
  readonly run: AttractFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: OpenDayRunProps) {
    super(scope, id);
    const { table, keySecret, operations, senderEmail } = props;
    this.run = new AttractFunction(this, 'RunOpenDay', {
      entry: 'functions/open-days/run-open-day.ts',
      description:
        'OpenDay: remind the confirmed; after the check-in, attendees become leads, no-shows get the follow-up',
      environment: {
        [ENV.tableName]: table.tableName,
        [ENV.senderEmail]: senderEmail,
        [ENV.duplicateWindowDays]: String(props.duplicateWindowDays),
      },
      timeout: Duration.seconds(RUN_SECONDS * 3),
    });
    // It reads the open day and pages its registrations, claims and records each email, keeps its progress
    // and each attendee's lead, and writes leads through the capture's transaction (Put, Update). The
    // no-shows' addresses are looked up on the suppression list a page at a time (BatchGetItem).
    grantTable(this.run, table, ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem']);
    readKeys(this.run, keySecret);
    sendEmailAs(this.run, senderEmail);

    const flow = new Construct(this, 'Flow');
    // A run is safe to repeat: each email is claimed, each lead captured under its registration's key.
    const { run, whatNext } = runLoop(flow, 'RunOpenDay', {
      fn: this.run,
      idField: 'openDayId',
      executionNameField: 'run',
      timeout: Duration.seconds(RUN_SECONDS * 3),
      retry: { interval: Duration.seconds(5), maxAttempts: 4 },
      wait: { id: 'WaitForItsTime', comment: "The reminder's time, or the end of the check-in" },
    });
    acknowledgeVersionInvoke(this, this.run);
    whatNext
      .when(
        Condition.stringEquals('$.run.outcome', 'cancelled'),
        new Succeed(flow, 'Cancelled', { comment: 'Cancelled: everyone registered was told by the cancel' }),
      )
      .when(
        Condition.stringEquals('$.run.outcome', 'superseded'),
        new Succeed(flow, 'Superseded', { comment: 'A change of its times started a newer run' }),
      )
      .otherwise(new Succeed(flow, 'Held', { comment: 'Attendees are leads, no-shows were written to' }));
    this.stateMachine = attractStateMachine(this, 'OpenDay', {
      definition: run,
      // An open day is planned at most a year ahead; its follow-up takes hours after it.
      timeout: Duration.days(400),
      operations,
      executions: 'OpenDay runs',
    });
  }
}
