import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { grantTable } from './table-access.ts';

export interface AdSpendProps {
  readonly table: ITable;
}

/**
 * Advertising spend and cost per lead (issue 9, item 5; docs/web-forms.md): campaign managers record
 * spend, the report reads it beside the lead counters that CaptureLead keeps in its own transaction.
 */
export class AdSpend extends Construct {
  readonly keepAdSpend: AttractFunction;

  constructor(scope: Construct, id: string, props: AdSpendProps) {
    super(scope, id);
    const { table } = props;
    this.keepAdSpend = new AttractFunction(this, 'KeepAdSpend', {
      entry: 'functions/campaigns/keep-ad-spend.ts',
      description:
        'PUT /v1/ad-spend and GET /v1/cost-per-lead: advertising spend and cost per lead by source',
      environment: { [ENV.tableName]: table.tableName },
    });
    // A spend is one conditional Put; a report queries a month's spends and lead counters.
    grantTable(this.keepAdSpend, table, ['PutItem', 'Query']);
  }
}
