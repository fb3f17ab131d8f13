import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { Audiences } from './audiences.ts';
import { LetterLinks } from './letter-links.ts';
import { LetterSending } from './letter-sending.ts';
import type { Operations } from './operations.ts';
import { grantTable } from './table-access.ts';

export interface LetterCampaignsProps {
  readonly table: ITable;
  /** The key that hashes addresses and signs letters' links. */
  readonly keySecret: ISecret;
  /** Dead-letter queues and alarms for the context's asynchronous edges. */
  readonly operations: Operations;
}

/**
 * The targeted-letters context (issue 8): so far the offers, written by campaign managers and approved by
 * compliance officers (docs/offers.md), and the audiences (docs/audiences.md). Prospect imports and the
 * LetterCampaign state machine join it here.
 */
export class LetterCampaigns extends Construct {
  readonly keepOffers: AttractFunction;
  readonly links: LetterLinks;
  /** The letters' configuration set and what SES says about letters after sending them. */
  readonly sending: LetterSending;
  readonly audiences: Audiences;

  constructor(scope: Construct, id: string, props: LetterCampaignsProps) {
    super(scope, id);
    const { table, keySecret, operations } = props;
    this.sending = new LetterSending(this, 'Sending', props);
    this.keepOffers = new AttractFunction(this, 'KeepOffers', {
      entry: 'functions/offers/keep-offers.ts',
      description: '/v1/offers: offers and their versions, compliance decisions, previews, the audit trail',
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads an offer and its versions, pages the audit trail, and writes each change as one
    // transaction: puts of the offer, version and audit entry, an update of the offer's pointers, and a
    // condition check on the latest version.
    grantTable(this.keepOffers, table, ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem']);
    this.links = new LetterLinks(this, 'Links', { table, keySecret });
    this.audiences = new Audiences(this, 'Audiences', { table, keySecret, operations });
  }
}
