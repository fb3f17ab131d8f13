import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunctionConstruct } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { CONFIGURATION_SET_TAG, SES_DETAIL_TYPES, SES_EVENT_SOURCE } from '#events/ses-events.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { grantTable } from './table-access.ts';

/** The configuration set's name: fixed, so a sender, an alarm or an engineer can name it. */
export const LETTER_CONFIGURATION_SET = 'attract-letters';

/** What SES publishes about letters: every sending event the campaigns and deliverability need. */
export const LETTER_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.DELIVERY_DELAY,
  EmailSendingEvent.OPEN,
  EmailSendingEvent.CLICK,
  EmailSendingEvent.RENDERING_FAILURE,
];

export interface LetterSendingProps {
  readonly table: ITable;
  /** The key that hashes addresses: the suppression list is keyed by the address's keyed hash. */
  readonly keySecret: ISecret;
  /** Dead-letter queues and alarms for the events' asynchronous edges. */
  readonly operations: Operations;
}

/**
 * How letters leave and what SES says about them after (issue 8, item 7; docs/letters.md, "Deliverability
 * events"): the letters' configuration set (reputation metrics, TLS required) publishes every sending event
 * to the account's default bus, where SES's EventBridge destination must publish; a rule hands this set's
 * events to RecordLetterEvent, which suppresses hard bounces and complaints. Senders join with grantSend.
 */
export class LetterSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly recordLetterEvent: AttractFunction;

  constructor(scope: Construct, id: string, props: LetterSendingProps) {
    super(scope, id);
    const { table, keySecret, operations } = props;
    this.configurationSet = new ConfigurationSet(this, 'Letters', {
      configurationSetName: LETTER_CONFIGURATION_SET,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    // SES publishes to the default bus only; the Attract bus carries the bank's own events.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: LETTER_EVENTS,
    });

    const fn = new AttractFunction(this, 'RecordLetterEvent', {
      entry: 'functions/letters/record-letter-event.ts',
      description:
        "Bus rule on SES's letter events: suppress hard bounces and complaints; the campaign's records, counters and guard",
      environment: { [ENV.tableName]: table.tableName },
    });
    // It hashes addresses with the bank's key and marks them on the suppression list (one update each);
    // it settles or marks the letter's record with its step's counter (a read, then a transaction of a put
    // or updates), and reads the campaign and its progress to pause it when the guard trips.
    readKeys(fn, keySecret);
    grantTable(fn, table, ['GetItem', 'PutItem', 'UpdateItem']);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(
        operations.deadLetterQueue('RecordLetterEventFailures', 'Letter events that failed to be recorded'),
      ),
    });
    new Rule(this, 'LetterEventsToRecord', {
      description: "SES's sending events for letters sent with the letters' configuration set",
      eventPattern: {
        source: [SES_EVENT_SOURCE],
        detailType: SES_DETAIL_TYPES,
        detail: { mail: { tags: { [CONFIGURATION_SET_TAG]: [LETTER_CONFIGURATION_SET] } } },
      },
      targets: [
        new LambdaFunction(fn, {
          deadLetterQueue: operations.deadLetterQueue(
            'RecordLetterEventDlq',
            'SES letter events that could not reach RecordLetterEvent',
          ),
          retryAttempts: 8,
        }),
      ],
    });
    this.recordLetterEvent = fn;
  }

  /**
   * Lets a sender send with the letters' configuration set: its name in ATTRACT_LETTER_CONFIGURATION_SET and
   * ses:SendEmail on the set, which SES requires besides the identity (sendEmailAs) for such a send.
   */
  grantSend(fn: LambdaFunctionConstruct): void {
    fn.addEnvironment(ENV.letterConfigurationSet, this.configurationSet.configurationSetName);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
  }

  /** Lets a function read the account's sending quota (GetAccount), which the senders' token bucket follows. */
  grantReadQuota(fn: LambdaFunctionConstruct): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetAccount has no resource-level permissions; it reads the sending quota only.',
    });
  }
}
