import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
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
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { RUN_BUDGET_SECONDS } from '#shared/campaigns/send-letters.ts';
import { ENV } from '#shared/environment.ts';
import type { DeploymentConfig } from '../config.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { LetterSending } from './letter-sending.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { acknowledgeVersionInvoke, attractStateMachine, runLoop } from './state-machine-tasks.ts';
import { grantTable } from './table-access.ts';

export interface CampaignSendingProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly operations: Operations;
  readonly senderEmail: string;
  /** The letters' configuration set: SES reports each letter's events through it. */
  readonly sending: LetterSending;
  /** Where the campaign team is told a campaign paused itself or completed (`attract:campaignMailbox`). */
  readonly campaignTeam: Pick<DeploymentConfig, 'campaignMailbox' | 'campaignMailboxLanguage'>;
}

/**
 * Letter campaigns (docs/campaigns.md): the API that writes and steers them (KeepCampaigns), and the
 * LetterCampaign state machine, a loop over SendLetters runs: each run sends pages for about a minute and
 * says what next (more, wait until a time, or the campaign paused, cancelled or complete). States carry
 * the campaign id only; where the sending stands is in the table.
 */
export class CampaignSending extends Construct {
  readonly keepCampaigns: AttractFunction;
  readonly sendLetters: AttractFunction;
  /** Emails the campaign team how a run ended: the stack gives it the API's address. */
  readonly notifyCampaignTeam: AttractFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CampaignSendingProps) {
    super(scope, id);
    const { table, keySecret, operations, senderEmail, sending, campaignTeam } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };

    this.sendLetters = new AttractFunction(this, 'SendLetters', {
      entry: 'functions/campaigns/send-letters.ts',
      description: 'LetterCampaign: send pages of a step, each letter claimed before SES and recorded after',
      environment: { ...tableEnv, [ENV.senderEmail]: senderEmail },
      // A run works for RUN_BUDGET_SECONDS, then its letters in flight finish their backoffs.
      timeout: Duration.seconds(RUN_BUDGET_SECONDS * 3),
    });
    // It reads campaigns, offers, audiences' members, prospects, suppression and the cap's counters; it
    // records each letter with its counter in a transaction, takes from the account's bucket, and counts.
    grantTable(this.sendLetters, table, [
      'GetItem',
      'BatchGetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'ConditionCheckItem',
    ]);
    sendEmailAs(this.sendLetters, senderEmail);
    sending.grantSend(this.sendLetters);
    // The token bucket follows SES's own quota for the account.
    sending.grantReadQuota(this.sendLetters);
    // It signs each letter's unsubscribe link and keys the address's hash.
    readKeys(this.sendLetters, keySecret);

    this.notifyCampaignTeam = new AttractFunction(this, 'NotifyCampaignTeam', {
      entry: 'functions/campaigns/notify-campaign-team.ts',
      description:
        'LetterCampaign: email the campaign team why a campaign paused itself, or its closing summary',
      environment: {
        ...tableEnv,
        [ENV.senderEmail]: senderEmail,
        [ENV.campaignMailbox]: campaignTeam.campaignMailbox,
        [ENV.campaignMailboxLanguage]: campaignTeam.campaignMailboxLanguage,
      },
    });
    // It reads the campaign and its steps' progress, counts its responses (GSI1), and claims and records
    // its notice (updates); it sends as the sender identity only.
    grantTable(this.notifyCampaignTeam, table, ['GetItem', 'UpdateItem']);
    grantTable(this.notifyCampaignTeam, table, ['Query'], [MANAGERS_INDEX.name]);
    sendEmailAs(this.notifyCampaignTeam, senderEmail);
    acknowledgeVersionInvoke(this, this.notifyCampaignTeam);

    const flow = new Construct(this, 'Flow');
    const failed = new Fail(flow, 'SendingFailed', {
      error: 'LetterCampaignFailed',
      causePath: '$.failure.Cause',
    });
    const notTold = new Fail(flow, 'CampaignTeamNotTold', {
      error: 'CampaignTeamNotTold',
      causePath: '$.told.Cause',
    });
    // The team is told how the run ended, by ids only: the campaign and this execution (its run). The
    // notice is claimed once per run and status, so a retried task sends nothing twice.
    const tellTeam = (name: string, onFailure: Fail) => {
      const task = new LambdaInvoke(flow, name, {
        lambdaFunction: this.notifyCampaignTeam,
        payload: TaskInput.fromObject({
          campaignId: JsonPath.stringAt('$.campaignId'),
          execution: JsonPath.executionName,
        }),
        payloadResponseOnly: true,
        resultPath: '$.told',
        taskTimeout: Timeout.duration(Duration.seconds(30)),
      });
      task.addRetry({
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.seconds(1),
        maxAttempts: 5,
        backoffRate: 2,
      });
      task.addRetry({
        errors: ['States.ALL'],
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
      });
      // Still failing: the execution fails, and the failed-executions alarm reaches on-call.
      task.addCatch(onFailure, { errors: ['States.ALL'], resultPath: '$.told' });
      return task;
    };
    const recordFailure = new LambdaInvoke(flow, 'PauseFailedCampaign', {
      lambdaFunction: this.sendLetters,
      payload: TaskInput.fromObject({ campaignId: JsonPath.stringAt('$.campaignId'), failed: true }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(Duration.seconds(RUN_BUDGET_SECONDS * 3)),
    });
    recordFailure.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
    });
    // A failed run: the team is told it paused; the execution fails on the run's own cause either way.
    recordFailure.next(tellTeam('TellTeamSendingFailed', failed).next(failed));

    // A run is safe to repeat: it starts from what is recorded.
    const { run: send, whatNext } = runLoop(flow, 'SendLetters', {
      fn: this.sendLetters,
      idField: 'campaignId',
      timeout: Duration.seconds(RUN_BUDGET_SECONDS * 3),
      retry: { interval: Duration.seconds(2), maxAttempts: 3 },
      wait: { id: 'WaitForWindow', comment: "A follow-up's wait, or recipients' sending window" },
    });
    send.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });
    acknowledgeVersionInvoke(this, this.sendLetters);
    whatNext
      .when(
        Condition.stringEquals('$.run.outcome', 'paused'),
        tellTeam('TellTeamPaused', notTold).next(
          new Succeed(flow, 'Paused', {
            comment: 'Paused by a person or a guard; a resume starts the next run',
          }),
        ),
      )
      .when(
        Condition.stringEquals('$.run.outcome', 'cancelled'),
        new Succeed(flow, 'Cancelled', { comment: 'Cancelled: no further letter' }),
      )
      .otherwise(
        tellTeam('TellTeamCompleted', notTold).next(
          new Succeed(flow, 'Completed', { comment: 'Every step sent' }),
        ),
      );

    this.stateMachine = attractStateMachine(this, 'LetterCampaign', {
      definition: send,
      // Two steps, a follow-up's wait of at most 90 days, and the sending itself.
      timeout: Duration.days(200),
      operations,
      executions: 'LetterCampaign runs',
    });

    this.keepCampaigns = new AttractFunction(this, 'KeepCampaigns', {
      entry: 'functions/campaigns/keep-campaigns.ts',
      description: '/v1/campaigns: write, launch, pause, resume and cancel letter campaigns; their progress',
      environment: {
        ...tableEnv,
        [ENV.letterCampaignStateMachineArn]: this.stateMachine.stateMachineArn,
      },
    });
    // It reads campaigns, offers, audiences and progress, lists campaigns (GSI1), and changes a campaign
    // with one conditional write; then starts the run, named by the campaign and run number.
    grantTable(this.keepCampaigns, table, ['GetItem', 'PutItem', 'UpdateItem']);
    grantTable(this.keepCampaigns, table, ['Query'], [MANAGERS_INDEX.name]);
    this.stateMachine.grantStartExecution(this.keepCampaigns);
  }
}
