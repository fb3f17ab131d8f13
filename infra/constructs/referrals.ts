import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LEAD_EVENT_SOURCE } from '#events/lead-events.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import type { Operations } from './operations.ts';
import { sendEmailAs } from './ses-access.ts';
import { grantTable } from './table-access.ts';

export interface ReferralsProps {
  readonly table: ITable;
  /** The key that signs the referrer's status links. */
  readonly keySecret: ISecret;
  /** The bank's page a referral link opens (`attract:referralLandingPage`). */
  readonly landingPage: string;
  /** The bus whose LeadConverted events convert referrals, and the dead-letter queues of its rule. */
  readonly bus: IEventBus;
  readonly operations: Operations;
  /** The verified identity the referrer's email comes from. */
  readonly senderEmail: string;
}

/**
 * The referral programme (issue 10, items 1, 2, 4; docs/referrals.md): codes and links for campaign
 * managers, reviews of flagged referrals, and the referrer's status page by signed link. A referral itself
 * is written by CaptureLead, in the capture's transaction.
 */
export class Referrals extends Construct {
  readonly keepReferrals: AttractFunction;
  readonly statusLink: AttractFunction;
  readonly recordConversion: AttractFunction;

  constructor(scope: Construct, id: string, props: ReferralsProps) {
    super(scope, id);
    const { table, keySecret } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };
    this.keepReferrals = new AttractFunction(this, 'KeepReferrals', {
      entry: 'functions/referrals/keep-referrals.ts',
      description: "/v1/referral-codes: referral codes and links, a client's referrals and their review",
      environment: { ...tableEnv, [ENV.referralLandingPage]: props.landingPage },
    });
    // A code is issued in one transaction of two conditional Puts; a client and a code are read by key, a
    // deactivation and a review are conditional updates, a client's referrals one partition's query.
    grantTable(this.keepReferrals, table, ['GetItem', 'PutItem', 'UpdateItem', 'Query']);
    // It signs the status links it hands out.
    readKeys(this.keepReferrals, keySecret);

    this.statusLink = new AttractFunction(this, 'ReferralStatusLink', {
      entry: 'functions/referrals/referral-status-link.ts',
      description:
        "GET /v1/referral-status/{token}: a referrer's referrals and their statuses, by signed link",
      environment: tableEnv,
    });
    // It reads the client's code and queries its referrals; it writes nothing.
    grantTable(this.statusLink, table, ['GetItem', 'Query']);
    readKeys(this.statusLink, keySecret);
    this.recordConversion = this.conversions(props);
  }

  /**
   * A rule on the bus hands each LeadConverted to RecordReferralConversion (asynchronously), which converts
   * the lead's referral and tells the referrer once; failed deliveries and runs land in dead-letter queues.
   */
  private conversions(props: ReferralsProps): AttractFunction {
    const { table, keySecret, bus, operations, senderEmail } = props;
    const fn = new AttractFunction(this, 'RecordReferralConversion', {
      entry: 'functions/referrals/record-referral-conversion.ts',
      description:
        'Bus rule on LeadConverted: convert the referral, and email the referrer when both consented',
      environment: { [ENV.tableName]: table.tableName, [ENV.senderEmail]: senderEmail },
    });
    // It reads the lead, its referral and the code; converts the referral with its claim in one transaction
    // (an update and a put); claims the notice (an update) and records it sent with its entry (update, put).
    grantTable(fn, table, ['GetItem', 'UpdateItem', 'PutItem']);
    // It hashes the INN of the company's claim and signs the status link.
    readKeys(fn, keySecret);
    sendEmailAs(fn, senderEmail);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(
        operations.deadLetterQueue('RecordReferralConversionFailures', 'Referral conversions that failed'),
      ),
    });
    new Rule(this, 'LeadConvertedToReferral', {
      eventBus: bus,
      eventPattern: { source: [LEAD_EVENT_SOURCE], detailType: ['LeadConverted'] },
      targets: [
        new LambdaFunction(fn, {
          deadLetterQueue: operations.deadLetterQueue(
            'RecordReferralConversionDlq',
            'LeadConverted events that could not reach RecordReferralConversion',
          ),
          retryAttempts: 8,
        }),
      ],
    });
    return fn;
  }
}
