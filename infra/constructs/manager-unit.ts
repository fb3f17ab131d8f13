import { Duration, Validations } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LEAD_EVENT_SOURCE } from '#events/lead-events.ts';
import { MANAGERS_INDEX, WORK_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import type { DeploymentConfig } from '../config.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { grantTable } from './table-access.ts';

export interface ManagerUnitProps {
  readonly table: ITable;
  readonly bus: IEventBus;
  readonly keySecret: ISecret;
  /** The LeadIntake state machine: a lead given by hand starts a run of it that awaits the answer. */
  readonly leadIntake: IStateMachine;
  /** The acceptance SLA configuration the deployment chose (`attract:acceptanceSla`). */
  readonly acceptanceSla: string;
  /** Dead-letter queues and alarms for the unit's asynchronous edges. */
  readonly operations: Operations;
  /** Where the head of unit's alerts go (`attract:unitMailbox`), from whom, and when the waiting list is an alarm. */
  readonly unitAlerts: Pick<
    DeploymentConfig,
    'senderEmail' | 'unitMailbox' | 'unitMailboxLanguage' | 'waitingLeadsAlarmPerHour'
  >;
}

/** The PM unit context: the roster of personal managers, kept by the head of the unit, and their answers to leads. */
export class ManagerUnit extends Construct {
  readonly keepRoster: AttractFunction;
  readonly decideOnLead: AttractFunction;
  readonly answerByLink: AttractFunction;
  readonly assignByHand: AttractFunction;
  readonly listWork: AttractFunction;
  readonly readUnit: AttractFunction;
  /** Emails the PM unit's mailbox when a lead waits for the head of unit: the stack gives it the API's address. */
  readonly notifyHeadOfUnit: AttractFunction;

  constructor(scope: Construct, id: string, props: ManagerUnitProps) {
    super(scope, id);
    const { table, bus, keySecret, leadIntake, acceptanceSla } = props;
    this.keepRoster = new AttractFunction(this, 'KeepRoster', {
      entry: 'functions/managers/keep-roster.ts',
      description: '/v1/managers and /v1/roster-imports: the PM roster, every change audited',
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads managers by key, lists them on the managers index, reads the audit, and writes a change
    // with its audit entry in one transaction (an update of the manager, a put of the entry).
    grantTable(this.keepRoster, table, ['GetItem', 'Query', 'UpdateItem', 'PutItem']);
    grantTable(this.keepRoster, table, ['Query'], [MANAGERS_INDEX.name]);

    // A manager's answer, from the signed-in API or from a signed link in their email: both read the lead
    // and the manager, write the decision with its timeline entry (and, on a decline, the manager's load)
    // in one transaction of updates and a put, publish it, and tell the waiting execution.
    const answering = (name: string, entry: string, description: string) => {
      const fn = new AttractFunction(this, name, {
        entry,
        description,
        environment: { [ENV.tableName]: table.tableName, [ENV.eventBusName]: bus.eventBusName },
      });
      grantTable(fn, table, ['GetItem', 'UpdateItem', 'PutItem']);
      bus.grantPutEventsTo(fn);
      // Failing or heartbeating the execution is not their business. IAM knows no resource for
      // SendTaskSuccess (the token names the task), so the grant is on *.
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'states:SendTaskSuccess has no resource-level permissions (the task token names the task); the action is the only one granted on *.',
      });
      return fn;
    };
    this.decideOnLead = answering(
      'DecideOnLead',
      'functions/managers/decide-on-lead.ts',
      'POST /v1/leads/{leadId}/decision: a personal manager accepts or declines a lead',
    );
    this.answerByLink = answering(
      'AnswerByLink',
      'functions/managers/answer-by-link.ts',
      "GET and POST /v1/decisions/{token}: the accept and decline links of a manager's email",
    );
    // The links are checked with the key they were signed with.
    readKeys(this.answerByLink, keySecret);

    this.assignByHand = new AttractFunction(this, 'AssignByHand', {
      entry: 'functions/managers/assign-by-hand.ts',
      description:
        'POST /v1/leads/{leadId}/assignment: the head of unit gives a lead to a manager, or to another',
      environment: {
        [ENV.tableName]: table.tableName,
        [ENV.acceptanceSla]: acceptanceSla,
        [ENV.leadIntakeStateMachineArn]: leadIntake.stateMachineArn,
      },
    });
    // It reads the lead and the manager, writes the assignment with its entry and the manager's load in
    // one transaction, and starts the run that awaits the manager's answer.
    grantTable(this.assignByHand, table, ['GetItem', 'UpdateItem', 'PutItem']);
    leadIntake.grantStartExecution(this.assignByHand);
    // A lead taken from a manager who has not answered yet: the run waiting for their answer is told.
    this.assignByHand.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }),
    );
    Validations.of(this.assignByHand).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'states:SendTaskSuccess has no resource-level permissions (the task token names the task); the action is the only one granted on *.',
    });

    this.listWork = new AttractFunction(this, 'ListWork', {
      entry: 'functions/managers/list-work.ts',
      description:
        "GET /v1/my-leads and /v1/unit/waiting-leads: a manager's work list, and the head of unit's",
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads the work-list index only: what a list shows, no contact details.
    grantTable(this.listWork, table, ['Query'], [WORK_INDEX.name]);

    this.readUnit = new AttractFunction(this, 'ReadUnit', {
      entry: 'functions/managers/read-unit.ts',
      description:
        "GET /v1/unit/managers and /v1/unit/sla-breaches: the head of unit's view of the load and the SLA",
      environment: { [ENV.tableName]: table.tableName },
    });
    // It lists the managers (their load is kept with them), and reads open offers and breaches on the
    // work-list index: no lead items, no contact details.
    grantTable(this.readUnit, table, ['Query'], [MANAGERS_INDEX.name, WORK_INDEX.name]);

    this.notifyHeadOfUnit = this.headOfUnitAlerts(props);
  }

  /**
   * The head of unit is told when a lead waits for them: a rule on the bus hands each LeadEscalated to
   * NotifyHeadOfUnit (asynchronously), which emails the unit's mailbox once per event. Delivery that fails
   * and a function that still fails after Lambda's retries each land in a dead-letter queue (an alarm);
   * so many escalations in an hour that the waiting list grows is an alarm too.
   */
  private headOfUnitAlerts(props: ManagerUnitProps): AttractFunction {
    const { table, bus, operations, unitAlerts } = props;
    const fn = new AttractFunction(this, 'NotifyHeadOfUnit', {
      entry: 'functions/managers/notify-head-of-unit.ts',
      description:
        "Bus rule on LeadEscalated: email the PM unit's mailbox that a lead waits for the head of unit",
      environment: {
        [ENV.tableName]: table.tableName,
        [ENV.senderEmail]: unitAlerts.senderEmail,
        [ENV.unitMailbox]: unitAlerts.unitMailbox,
        [ENV.unitMailboxLanguage]: unitAlerts.unitMailboxLanguage,
      },
    });
    // It reads the lead, claims the notice (an update), and records it sent with its timeline entry in one
    // transaction (an update and a put); it sends as the sender identity only.
    grantTable(fn, table, ['GetItem', 'UpdateItem', 'PutItem']);
    sendEmailAs(fn, unitAlerts.senderEmail);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(
        operations.deadLetterQueue('NotifyHeadOfUnitFailures', 'Head-of-unit alerts that failed'),
      ),
    });
    const escalations = new Rule(this, 'LeadEscalatedToHeadOfUnit', {
      eventBus: bus,
      eventPattern: { source: [LEAD_EVENT_SOURCE], detailType: ['LeadEscalated'] },
      targets: [
        new LambdaFunction(fn, {
          deadLetterQueue: operations.deadLetterQueue(
            'NotifyHeadOfUnitDlq',
            'LeadEscalated events that could not reach NotifyHeadOfUnit',
          ),
          retryAttempts: 8,
        }),
      ],
    });
    // A rule on a custom bus reports its metrics under both the bus's and the rule's name.
    const perHour = unitAlerts.waitingLeadsAlarmPerHour;
    operations.alarmAtLeast(
      'WaitingLeadsGrow',
      new Metric({
        namespace: 'AWS/Events',
        metricName: 'TriggeredRules',
        dimensionsMap: { EventBusName: bus.eventBusName, RuleName: escalations.ruleName },
        statistic: Stats.SUM,
        period: Duration.hours(1),
      }),
      perHour,
      `${perHour} or more leads escalated to the head of unit within an hour: the waiting list grows`,
    );
    return fn;
  }
}
