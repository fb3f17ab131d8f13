import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import { grantTable } from './table-access.ts';

export interface LetterLinksProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
}

/**
 * The links in a campaign's letter that need a function of their own (docs/letters.md, "The routes"):
 * unsubscribing. "Request a call" is served by CaptureLead, the web form's own capture path.
 */
export class LetterLinks extends Construct {
  readonly unsubscribe: AttractFunction;

  constructor(scope: Construct, id: string, props: LetterLinksProps) {
    super(scope, id);
    const { table, keySecret } = props;
    this.unsubscribe = new AttractFunction(this, 'Unsubscribe', {
      entry: 'functions/letters/unsubscribe.ts',
      description: "GET and POST /v1/unsubscribe/{token}: a letter's one-click unsubscribe and its page",
      environment: { [ENV.tableName]: table.tableName },
    });
    // It only marks the token's address on the suppression list: one conditional UpdateItem.
    grantTable(this.unsubscribe, table, ['UpdateItem']);
    // Tokens are checked with the key they were signed with.
    readKeys(this.unsubscribe, keySecret);
  }
}
