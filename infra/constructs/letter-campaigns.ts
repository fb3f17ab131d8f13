import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { Audiences } from './audiences.ts';
import { LetterLinks } from './letter-links.ts';
import { LetterSending } from './letter-sending.ts';
import type { Operations } from './operations.ts';
import { ProspectImports } from './prospect-imports.ts';
import { grantTable } from './table-access.ts';

export interface LetterCampaignsProps {
  readonly table: ITable;
  /** The key that hashes addresses and signs letters' links. */
  readonly keySecret: ISecret;
  /** Where files of prospects are uploaded. */
  readonly importsBucket: IBucket;
  /** Dead-letter queues and alarms for the context's asynchronous edges. */
  readonly operations: Operations;
  /** Proxies in front of the API: an unsubscribe records the client's address as they saw it. */
  readonly trustedProxies?: string;
}

/**
 * The targeted-letters context (issue 8): the imports of prospects (docs/prospects.md), the offers,
 * written by campaign managers and approved by compliance officers (docs/offers.md), the audiences
 * (docs/audiences.md), the letters' links and SES's events (docs/letters.md). The campaigns that send
 * the letters are beside it (CampaignSending, docs/campaigns.md).
 */
export class LetterCampaigns extends Construct {
  readonly keepOffers: AttractFunction;
  readonly links: LetterLinks;
  /** The letters' configuration set and what SES says about letters after sending them. */
  readonly sending: LetterSending;
  readonly audiences: Audiences;
  readonly prospectImports: ProspectImports;

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
    this.links = new LetterLinks(this, 'Links', {
      table,
      keySecret,
      ...(props.trustedProxies ? { trustedProxies: props.trustedProxies } : {}),
    });
    this.audiences = new Audiences(this, 'Audiences', { table, keySecret, operations });
    this.prospectImports = new ProspectImports(this, 'ProspectImports', {
      ...props,
      bucket: props.importsBucket,
    });
  }
}
