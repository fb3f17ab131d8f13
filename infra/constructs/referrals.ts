import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import { grantTable } from './table-access.ts';

export interface ReferralsProps {
  readonly table: ITable;
  /** The key that signs the referrer's status links. */
  readonly keySecret: ISecret;
  /** The bank's page a referral link opens (`attract:referralLandingPage`). */
  readonly landingPage: string;
}

/**
 * The referral programme (issue 10, items 1, 2, 4; docs/referrals.md): codes and links for campaign
 * managers, reviews of flagged referrals, and the referrer's status page by signed link. A referral itself
 * is written by CaptureLead, in the capture's transaction.
 */
export class Referrals extends Construct {
  readonly keepReferrals: AttractFunction;
  readonly statusLink: AttractFunction;

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
  }
}
