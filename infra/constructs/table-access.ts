import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { AttractFunction } from './attract-function.ts';

/**
 * DynamoDB actions on the table itself, or only on the named indexes, never the `index/*` wildcard of
 * grantReadWriteData: each function gets exactly the operations its adapters make.
 */
export function grantTable(fn: AttractFunction, table: ITable, actions: string[], indexes?: string[]): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources: indexes ? indexes.map((index) => `${table.tableArn}/index/${index}`) : [table.tableArn],
    }),
  );
}
