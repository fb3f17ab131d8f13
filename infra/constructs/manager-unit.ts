import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { grantTable } from './table-access.ts';

export interface ManagerUnitProps {
  readonly table: ITable;
  readonly bus: IEventBus;
}

/** The PM unit context: the roster of personal managers, kept by the head of the unit, and their answers to leads. */
export class ManagerUnit extends Construct {
  readonly keepRoster: AttractFunction;
  readonly decideOnLead: AttractFunction;

  constructor(scope: Construct, id: string, props: ManagerUnitProps) {
    super(scope, id);
    const { table, bus } = props;
    this.keepRoster = new AttractFunction(this, 'KeepRoster', {
      entry: 'functions/managers/keep-roster.ts',
      description: '/v1/managers and /v1/roster-imports: the PM roster, every change audited',
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads managers by key, lists them on the managers index, reads the audit, and writes a change
    // with its audit entry in one transaction (an update of the manager, a put of the entry).
    grantTable(this.keepRoster, table, ['GetItem', 'Query', 'UpdateItem', 'PutItem']);
    grantTable(this.keepRoster, table, ['Query'], [MANAGERS_INDEX.name]);

    this.decideOnLead = new AttractFunction(this, 'DecideOnLead', {
      entry: 'functions/managers/decide-on-lead.ts',
      description: 'POST /v1/leads/{leadId}/decision: a personal manager accepts or declines a lead',
      environment: { [ENV.tableName]: table.tableName, [ENV.eventBusName]: bus.eventBusName },
    });
    // It reads the lead and the manager, and writes the decision with its timeline entry (and, on a
    // decline, the manager's load) in one transaction of updates and a put.
    grantTable(this.decideOnLead, table, ['GetItem', 'UpdateItem', 'PutItem']);
    bus.grantPutEventsTo(this.decideOnLead);
    // The waiting execution is told the answer with its task token; failing or heartbeating it is not its
    // business. IAM knows no resource for SendTaskSuccess (the token names the task), so the grant is on *.
    this.decideOnLead.addToRolePolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }),
    );
    Validations.of(this.decideOnLead).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'states:SendTaskSuccess has no resource-level permissions (the task token names the task); the action is the only one granted on *.',
    });
  }
}
