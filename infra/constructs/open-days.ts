import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MANAGERS_INDEX, PENDING_INTAKE_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import type { DeploymentConfig } from '../config.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import { OpenDayRun } from './open-day-run.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { grantTable } from './table-access.ts';

export interface OpenDaysProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly config: Pick<
    DeploymentConfig,
    'leadRateLimitPerMinute' | 'trustedProxies' | 'senderEmail' | 'duplicateWindowDays'
  >;
  readonly operations: Operations;
}

/**
 * Open days (docs/open-days.md): the staff API that plans and reads them (KeepOpenDays), and the public
 * side (OpenDayRegistrations): the registration form and the signed links of the registrant's emails.
 * Seats are taken and given back in transactions on the open day's item (docs/data-model.md). Each change
 * of a registration owes its registrant an email, sent at once; SweepOpenDays, every minute, sends any
 * left owed and passes unanswered offers on.
 */
export class OpenDays extends Construct {
  readonly keepOpenDays: AttractFunction;
  readonly registrations: AttractFunction;
  /** They send registrants emails whose links lead back to the API: the stack gives them its address. */
  readonly sweep: AttractFunction;
  readonly openDayRun: OpenDayRun;

  constructor(scope: Construct, id: string, props: OpenDaysProps) {
    super(scope, id);
    const { table, keySecret, config, operations } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };
    const mailEnv = { ...tableEnv, [ENV.senderEmail]: config.senderEmail };
    this.openDayRun = new OpenDayRun(this, 'Run', {
      table,
      keySecret,
      operations,
      senderEmail: config.senderEmail,
      duplicateWindowDays: config.duplicateWindowDays,
    });
    const runEnv = { [ENV.openDayStateMachineArn]: this.openDayRun.stateMachine.stateMachineArn };

    this.keepOpenDays = new AttractFunction(this, 'KeepOpenDays', {
      entry: 'functions/open-days/keep-open-days.ts',
      description:
        '/v1/open-days: plan an open day (campaign managers), read and list them (staff), check people in at the door',
      environment: { ...tableEnv, ...runEnv },
    });
    // It reads the hosts from the directory and the open day, writes a new one, and lists them on GSI1;
    // at the door it reads an open day's registrations (Query of its partition) and checks people in
    // (a transaction of two updates: the registration's mark and the open day's count). It starts the open
    // day's run (named by its id) and marks it started.
    grantTable(this.keepOpenDays, table, ['GetItem', 'PutItem', 'UpdateItem', 'Query']);
    grantTable(this.keepOpenDays, table, ['Query'], [MANAGERS_INDEX.name]);
    this.openDayRun.stateMachine.grantStartExecution(this.keepOpenDays);
    // It checks the signed check-in codes of the confirmation emails.
    readKeys(this.keepOpenDays, keySecret);

    this.registrations = new AttractFunction(this, 'OpenDayRegistrations', {
      entry: 'functions/open-days/registrations.ts',
      description:
        "POST /v1/open-days/{id}/registrations (public) and the registrant's signed links: seats, waitlist, offers",
      environment: {
        ...mailEnv,
        [ENV.leadRateLimitPerMinute]: String(config.leadRateLimitPerMinute),
        ...(config.trustedProxies ? { [ENV.trustedProxies]: config.trustedProxies } : {}),
      },
    });
    // Registrations, the seat ledger and the waitlist move in transactions (Put, Update, Delete); the
    // waitlist is read in order (Query); the rate window and the emails' claims are updates; the hosts'
    // names come from the directory.
    const registrationWrites = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'];
    grantTable(this.registrations, table, registrationWrites);
    // It keys the address's hash, signs and checks the registration links, and emails the registrant.
    readKeys(this.registrations, keySecret);
    sendEmailAs(this.registrations, config.senderEmail);

    this.sweep = new AttractFunction(this, 'SweepOpenDays', {
      entry: 'functions/open-days/sweep-open-days.ts',
      description:
        'Scheduled: pass unanswered seat offers on; tell registrants of open days changed; send the emails still owed',
      environment: { ...mailEnv, ...runEnv },
      timeout: Duration.minutes(1),
    });
    grantTable(this.sweep, table, registrationWrites);
    // Offers by their end (GSI1), registrations that owe an email (GSI2).
    grantTable(this.sweep, table, ['Query'], [MANAGERS_INDEX.name, PENDING_INTAKE_INDEX.name]);
    // Open days whose run was never confirmed started are started by the sweep.
    this.openDayRun.stateMachine.grantStartExecution(this.sweep);
    readKeys(this.sweep, keySecret);
    sendEmailAs(this.sweep, config.senderEmail);
    this.sweep.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(
        operations.deadLetterQueue('SweepOpenDaysFailures', 'Open-day sweeps that failed'),
      ),
    });
    new Rule(this, 'SweepOpenDaysSchedule', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new LambdaFunction(this.sweep, {
          deadLetterQueue: operations.deadLetterQueue(
            'SweepOpenDaysDlq',
            'Open-day sweeps that could not run',
          ),
          retryAttempts: 4,
        }),
      ],
    });
  }
}
