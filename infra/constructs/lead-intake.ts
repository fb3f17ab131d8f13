import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  Choice,
  Condition,
  Fail,
  IntegrationPattern,
  JsonPath,
  type StateMachine,
  Succeed,
  TaskInput,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { acceptanceSlaNamed, longestAcceptanceDays } from '#shared/managers/acceptance-sla.ts';
import type { DeploymentConfig } from '../config.ts';
import { AttractFunction } from './attract-function.ts';
import { addOutbox } from './intake-outbox.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { acknowledgeVersionInvoke, attractStateMachine } from './state-machine-tasks.ts';
import { grantTable } from './table-access.ts';

export interface LeadIntakeProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly bus: IEventBus;
  readonly operations: Operations;
  readonly config: DeploymentConfig;
}

/**
 * The lead-intake context: capture and read over HTTP, the stream starter (outbox), and the LeadIntake
 * state machine: screen (existing client? else score and class) -> assign a personal manager -> notify.
 */
export class LeadIntake extends Construct {
  readonly captureLead: AttractFunction;
  readonly readLead: AttractFunction;
  readonly readLeadHistory: AttractFunction;
  readonly issueInvitation: AttractFunction;
  readonly listLeadReads: AttractFunction;
  /** Emails the manager with signed accept and decline links: the stack gives it the API's address. */
  readonly notifyManager: AttractFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: LeadIntakeProps) {
    super(scope, id);
    const { table, keySecret, bus, operations, config } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };
    const busEnv = { [ENV.eventBusName]: bus.eventBusName };

    this.captureLead = new AttractFunction(this, 'CaptureLead', {
      entry: 'functions/leads/capture-lead.ts',
      description:
        "POST /v1/leads and /v1/letters/respond/{token}: validates a web enquiry or a letter's response and stores it once",
      environment: {
        ...tableEnv,
        [ENV.leadRateLimitPerMinute]: String(config.leadRateLimitPerMinute),
        [ENV.duplicateWindowDays]: String(config.duplicateWindowDays),
        ...(config.trustedProxies ? { [ENV.trustedProxies]: config.trustedProxies } : {}),
      },
    });
    // Capture writes the lead, its claims and the rate window; it reads a claim back (and, for a letter's
    // response link, the prospect the link names), and never deletes.
    grantTable(this.captureLead, table, ['GetItem', 'PutItem', 'UpdateItem']);
    // It keys the hashes of personal data and checks signed invitations.
    readKeys(this.captureLead, keySecret);

    this.issueInvitation = new AttractFunction(this, 'IssueInvitation', {
      entry: 'functions/leads/issue-invitation.ts',
      description:
        'POST /v1/invitations: a signed link token for a letter, open day or event (campaign managers)',
    });
    readKeys(this.issueInvitation, keySecret);

    this.readLead = new AttractFunction(this, 'ReadLead', {
      entry: 'functions/leads/read-lead.ts',
      description: 'GET /v1/leads/{leadId}: status, class, score breakdown, manager and timeline',
      environment: tableEnv,
    });
    // Every staff read is recorded (an append-only audit entry) before the lead is shown.
    grantTable(this.readLead, table, ['Query', 'PutItem']);

    this.readLeadHistory = new AttractFunction(this, 'ReadLeadHistory', {
      entry: 'functions/leads/read-lead-history.ts',
      description: "GET /v1/leads/{leadId}/timeline and /enquiries: a lead's history a page at a time",
      environment: tableEnv,
    });
    grantTable(this.readLeadHistory, table, ['Query', 'PutItem']);

    this.listLeadReads = new AttractFunction(this, 'ListLeadReads', {
      entry: 'functions/leads/list-lead-reads.ts',
      description: 'GET /v1/leads/{leadId}/reads: who read the lead and when, for compliance officers',
      environment: tableEnv,
    });
    grantTable(this.listLeadReads, table, ['Query']);

    // A step reads the lead and records its outcome with the timeline entry (a transaction of updates and
    // puts); steps that announce a fact publish it on the bus.
    const step = (
      name: string,
      entry: string,
      description: string,
      access: { publishes: boolean; indexes?: string[]; env?: Record<string, string> },
    ) => {
      const fn = new AttractFunction(this, name, {
        entry,
        description,
        environment: { ...tableEnv, ...(access.publishes ? busEnv : {}), ...access.env },
      });
      grantTable(fn, table, ['GetItem', 'PutItem', 'UpdateItem']);
      if (access.indexes) grantTable(fn, table, ['Query'], access.indexes);
      if (access.publishes) bus.grantPutEventsTo(fn);
      return fn;
    };
    // One step reads the lead once for both questions: is it an existing client's, and if not, its score.
    const assessFn = step(
      'AssessLead',
      'functions/leads/assess-lead.ts',
      'LeadIntake: match an existing client by tax ID, else score and class the lead',
      { publishes: true },
    );
    const sla = acceptanceSlaNamed(config.acceptanceSla);
    const assignFn = step(
      'AssignManager',
      'functions/leads/assign-manager.ts',
      'LeadIntake: route to a personal manager, again after a decline or a timeout, or escalate',
      {
        publishes: true,
        indexes: [MANAGERS_INDEX.name],
        env: { [ENV.acceptanceSla]: config.acceptanceSla },
      },
    );
    const notifyFn = step(
      'NotifyManager',
      'functions/leads/notify-manager.ts',
      "LeadIntake: keep the acceptance wait's token, and email the personal manager",
      { publishes: false, env: { [ENV.senderEmail]: config.senderEmail } },
    );
    sendEmailAs(notifyFn, config.senderEmail);
    // It signs the accept and decline links with the decision-link key.
    readKeys(notifyFn, keySecret);
    this.notifyManager = notifyFn;
    const failureFn = step(
      'RecordIntakeFailure',
      'functions/leads/record-intake-failure.ts',
      'LeadIntake: mark a lead whose intake failed',
      { publishes: false },
    );

    // States live in their own scope: their ids are the state names, and may repeat the functions' ids.
    const flow = new Construct(this, 'Flow');
    const failed = new Fail(flow, 'IntakeFailed', {
      error: 'LeadIntakeFailed',
      causePath: '$.failure.Cause',
    });
    const recordFailure = new LambdaInvoke(flow, 'RecordIntakeFailure', {
      lambdaFunction: failureFn,
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(Duration.seconds(30)),
    });
    recordFailure.next(failed);
    acknowledgeVersionInvoke(this, failureFn);

    // Every step is idempotent, so any failure is retried before the lead is marked as failed.
    const task = (name: string, fn: AttractFunction, resultPath: string): TaskStateBase => {
      const t = new LambdaInvoke(flow, name, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        resultPath,
        taskTimeout: Timeout.duration(Duration.seconds(30)),
      });
      // CDK's LambdaInvoke already retries Lambda service errors; throttling and our own failures are added here.
      t.addRetry({
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.seconds(1),
        maxAttempts: 5,
        backoffRate: 2,
      });
      t.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 2, backoffRate: 2 });
      t.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });
      acknowledgeVersionInvoke(this, fn);
      return t;
    };

    const assess = task('AssessLead', assessFn, '$.screening');
    const assign = task('AssignPersonalManager', assignFn, '$.assignment');

    // The acceptance SLA: the manager is emailed and the execution waits, with a task token, for the
    // answer (DecideOnLead hands it back) or for the time the assignment was given (TimeoutSecondsPath).
    // Either way the lead goes back to AssignPersonalManager, which reads what is stored: accepted, or a
    // hold to end (a timeout) and the next manager to offer it to, or the head of unit after maxAttempts.
    const awaitManager = new LambdaInvoke(flow, 'AwaitManager', {
      lambdaFunction: notifyFn,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        leadId: JsonPath.stringAt('$.leadId'),
        assignmentId: JsonPath.stringAt('$.assignment.assignmentId'),
        managerId: JsonPath.stringAt('$.assignment.managerId'),
        taskToken: JsonPath.taskToken,
      }),
      resultPath: '$.decision',
      taskTimeout: Timeout.at('$.assignment.timeoutSeconds'),
    });
    acknowledgeVersionInvoke(this, notifyFn);
    // Decided before the wait was set up: nothing to retry, the decision is on the lead.
    awaitManager.addRetry({ errors: ['AcceptanceAlreadyDecided'], maxAttempts: 0 });
    awaitManager.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(1),
      maxAttempts: 5,
      backoffRate: 2,
    });
    // States.TaskFailed is every failure but the wait's own timeout, which must never be retried.
    awaitManager.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(2),
      maxAttempts: 2,
      backoffRate: 2,
    });
    awaitManager.addCatch(assign, {
      errors: ['States.Timeout', 'AcceptanceAlreadyDecided'],
      resultPath: '$.decision',
    });
    awaitManager.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });

    const accepted = new Succeed(flow, 'Accepted', { comment: 'The personal manager accepted the lead' });
    const handedOver = new Succeed(flow, 'ReassignedByHand', {
      comment:
        "The head of unit gave the lead to another manager; a run of its own awaits that manager's answer",
    });
    // An accept is stored before the execution is told, so it ends here; a decline goes on to the next manager.
    awaitManager.next(
      new Choice(flow, 'WasAccepted')
        .when(Condition.stringEquals('$.decision.outcome', 'accepted'), accepted)
        .when(Condition.stringEquals('$.decision.outcome', 'reassigned'), handedOver)
        .otherwise(assign),
    );
    const escalated = new Succeed(flow, 'Escalated', {
      comment:
        'Offered to the configured number of managers without an acceptance; the head of unit assigns it',
    });
    const nurtured = new Succeed(flow, 'Nurtured', {
      comment: 'Unqualified leads go to nurture, not to a manager',
    });
    const awaitingManager = new Succeed(flow, 'AwaitingManager', {
      comment: 'No manager fits or has capacity; the lead waits for the head of unit',
    });

    const definition = assess.next(
      new Choice(flow, 'IsForAManager')
        .when(Condition.isPresent('$.screening.existingClient.managerId'), assign)
        .when(Condition.stringEquals('$.screening.leadClass', 'unqualified'), nurtured)
        .otherwise(assign),
    );
    assign.next(
      new Choice(flow, 'WhatNext')
        .when(Condition.stringEquals('$.assignment.outcome', 'assigned'), awaitManager)
        .when(Condition.stringEquals('$.assignment.outcome', 'accepted'), accepted)
        .when(Condition.stringEquals('$.assignment.outcome', 'reassigned'), handedOver)
        .when(Condition.stringEquals('$.assignment.outcome', 'escalated'), escalated)
        .otherwise(awaitingManager),
    );

    this.stateMachine = attractStateMachine(this, 'LeadIntake', {
      definition,
      // Every manager's longest wait, one after another; a wait never outlasts its own timeout.
      timeout: Duration.days(longestAcceptanceDays(sla)),
      operations,
      executions: 'LeadIntake executions',
    });

    addOutbox(this, { table, stateMachine: this.stateMachine, operations, senderEmail: config.senderEmail });
  }
}
