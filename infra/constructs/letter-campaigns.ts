import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import type { Operations } from './operations.ts';
import { ProspectImports } from './prospect-imports.ts';
import { grantTable } from './table-access.ts';

export interface LetterCampaignsProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  /** Where files of prospects are uploaded. */
  readonly importsBucket: IBucket;
  readonly operations: Operations;
}

/**
 * The targeted-letters context (issue 8): the imports of prospects (docs/prospects.md) and the offers,
 * written by campaign managers and approved by compliance officers (docs/offers.md). Audiences and the
 * LetterCampaign state machine join it here.
 */
export class LetterCampaigns extends Construct {
  readonly keepOffers: AttractFunction;
  readonly prospectImports: ProspectImports;

  constructor(scope: Construct, id: string, props: LetterCampaignsProps) {
    super(scope, id);
    const { table } = props;
    this.keepOffers = new AttractFunction(this, 'KeepOffers', {
      entry: 'functions/offers/keep-offers.ts',
      description: '/v1/offers: offers and their versions, compliance decisions, previews, the audit trail',
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads an offer and its versions, pages the audit trail, and writes each change as one
    // transaction: puts of the offer, version and audit entry, an update of the offer's pointers, and a
    // condition check on the latest version.
    grantTable(this.keepOffers, table, ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem']);
    this.prospectImports = new ProspectImports(this, 'ProspectImports', {
      ...props,
      bucket: props.importsBucket,
    });
  }
}
