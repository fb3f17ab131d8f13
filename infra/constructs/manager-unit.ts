import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { grantTable } from './table-access.ts';

export interface ManagerUnitProps {
  readonly table: ITable;
}

/** The PM unit context: the roster of personal managers, kept by the head of the unit. */
export class ManagerUnit extends Construct {
  readonly keepRoster: AttractFunction;

  constructor(scope: Construct, id: string, props: ManagerUnitProps) {
    super(scope, id);
    const { table } = props;
    this.keepRoster = new AttractFunction(this, 'KeepRoster', {
      entry: 'functions/managers/keep-roster.ts',
      description: '/v1/managers and /v1/roster-imports: the PM roster, every change audited',
      environment: { [ENV.tableName]: table.tableName },
    });
    // It reads managers by key, lists them on the managers index, reads the audit, and writes a change
    // with its audit entry in one transaction (an update of the manager, a put of the entry).
    grantTable(this.keepRoster, table, ['GetItem', 'Query', 'UpdateItem', 'PutItem']);
    grantTable(this.keepRoster, table, ['Query'], [MANAGERS_INDEX.name]);
  }
}
