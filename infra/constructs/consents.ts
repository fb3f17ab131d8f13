import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import { grantTable } from './table-access.ts';

export interface ConsentsProps {
  readonly table: ITable;
  /** The key that hashes addresses and signs the withdrawal links. */
  readonly keySecret: ISecret;
  /** Proxies in front of the API, from whose `X-Forwarded-For` the client's address is read. */
  readonly trustedProxies?: string;
}

/**
 * Consents (issue 9, item 6; docs/consents.md): the consent texts, a person's history and withdrawals for
 * compliance officers, and the person's own withdrawal link. The evidence of a web form's consents is
 * written by CaptureLead, in the capture's transaction.
 */
export class Consents extends Construct {
  readonly keepConsents: AttractFunction;
  readonly withdrawalLink: AttractFunction;

  constructor(scope: Construct, id: string, props: ConsentsProps) {
    super(scope, id);
    const { table, keySecret } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };
    this.keepConsents = new AttractFunction(this, 'KeepConsents', {
      entry: 'functions/consents/keep-consents.ts',
      description: "/v1/consent-texts and /v1/consents: consent texts, withdrawals and a person's history",
      environment: tableEnv,
    });
    // Texts are put once and read by version; a history is one partition's query and its records are put
    // in a transaction; a withdrawal of marketing marks the suppression list (one conditional UpdateItem).
    grantTable(this.keepConsents, table, ['GetItem', 'PutItem', 'Query', 'UpdateItem']);
    // The texts' list, newest first.
    grantTable(this.keepConsents, table, ['Query'], [MANAGERS_INDEX.name]);
    // It hashes the person's email to find their history.
    readKeys(this.keepConsents, keySecret);

    this.withdrawalLink = new AttractFunction(this, 'WithdrawalLink', {
      entry: 'functions/consents/withdrawal-link.ts',
      description: "GET and POST /v1/consents/withdraw/{token}: a person's one-click withdrawal and its page",
      environment: {
        ...tableEnv,
        ...(props.trustedProxies ? { [ENV.trustedProxies]: props.trustedProxies } : {}),
      },
    });
    // It reads the person's history, puts the withdrawal's records and marks the suppression list.
    grantTable(this.withdrawalLink, table, ['Query', 'PutItem', 'UpdateItem']);
    // Tokens are checked with the key they were signed with.
    readKeys(this.withdrawalLink, keySecret);
  }
}
