import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { grantTable } from './table-access.ts';

export interface AdSpendProps {
  readonly table: ITable;
  /** Where a recorded cost is announced (CostRecorded). */
  readonly bus: IEventBus;
}

/**
 * Cost records and cost per lead (issue 9, item 5; issue 10, item 6; docs/web-forms.md): campaign managers
 * record costs (announced as CostRecorded), the report reads it beside the lead counters that CaptureLead keeps in its own transaction.
 */
export class AdSpend extends Construct {
  readonly keepAdSpend: AttractFunction;

  constructor(scope: Construct, id: string, props: AdSpendProps) {
    super(scope, id);
    const { table, bus } = props;
    this.keepAdSpend = new AttractFunction(this, 'KeepAdSpend', {
      entry: 'functions/campaigns/keep-ad-spend.ts',
      description:
        'PUT /v1/ad-spend and GET /v1/cost-per-lead: advertising spend and cost per lead by source',
      environment: { [ENV.tableName]: table.tableName, [ENV.eventBusName]: bus.eventBusName },
    });
    // A spend is one conditional Put; a report queries a month's spends and lead counters.
    grantTable(this.keepAdSpend, table, ['PutItem', 'Query']);
    // Each recorded cost is announced on the bus.
    bus.grantPutEventsTo(this.keepAdSpend);
  }
}
