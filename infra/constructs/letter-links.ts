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
  /** Proxies in front of the API, from whose `X-Forwarded-For` the client's address is read. */
  readonly trustedProxies?: string;
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
      environment: {
        [ENV.tableName]: table.tableName,
        ...(props.trustedProxies ? { [ENV.trustedProxies]: props.trustedProxies } : {}),
      },
    });
    // An unsubscribe is a withdrawal of marketing, as the withdrawal link's: it marks the suppression list
    // (one conditional UpdateItem), reads the person's consent history and puts the withdrawal's record.
    grantTable(this.unsubscribe, table, ['UpdateItem', 'Query', 'PutItem']);
    // Tokens are checked with the key they were signed with.
    readKeys(this.unsubscribe, keySecret);
  }
}
