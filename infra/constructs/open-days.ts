import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MANAGERS_INDEX } from '#shared/adapters/table.ts';
import { ENV } from '#shared/environment.ts';
import type { DeploymentConfig } from '../config.ts';
import { AttractFunction } from './attract-function.ts';
import { readKeys } from './keys.ts';
import { grantTable } from './table-access.ts';

export interface OpenDaysProps {
  readonly table: ITable;
  readonly keySecret: ISecret;
  readonly config: Pick<DeploymentConfig, 'leadRateLimitPerMinute' | 'trustedProxies'>;
}

/**
 * Open days (docs/open-days.md): the staff API that plans and reads them (KeepOpenDays), and the public
 * side (OpenDayRegistrations): the registration form and the signed links of the registrant's emails.
 * Seats are taken and given back in transactions on the open day's item (docs/data-model.md).
 */
export class OpenDays extends Construct {
  readonly keepOpenDays: AttractFunction;
  readonly registrations: AttractFunction;

  constructor(scope: Construct, id: string, props: OpenDaysProps) {
    super(scope, id);
    const { table, keySecret, config } = props;
    const tableEnv = { [ENV.tableName]: table.tableName };

    this.keepOpenDays = new AttractFunction(this, 'KeepOpenDays', {
      entry: 'functions/open-days/keep-open-days.ts',
      description: '/v1/open-days: plan an open day (campaign managers), read and list them (staff)',
      environment: tableEnv,
    });
    // It reads the hosts from the directory and the open day, writes a new one, and lists them on GSI1.
    grantTable(this.keepOpenDays, table, ['GetItem', 'PutItem']);
    grantTable(this.keepOpenDays, table, ['Query'], [MANAGERS_INDEX.name]);

    this.registrations = new AttractFunction(this, 'OpenDayRegistrations', {
      entry: 'functions/open-days/registrations.ts',
      description:
        "POST /v1/open-days/{id}/registrations (public) and the registrant's signed links: seats, waitlist, offers",
      environment: {
        ...tableEnv,
        [ENV.leadRateLimitPerMinute]: String(config.leadRateLimitPerMinute),
        ...(config.trustedProxies ? { [ENV.trustedProxies]: config.trustedProxies } : {}),
      },
    });
    // Registrations, the seat ledger and the waitlist move in transactions (Put, Update, Delete); the
    // waitlist is read in order (Query); the rate window is an update.
    grantTable(this.registrations, table, ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query']);
    // It keys the address's hash and signs and checks the registration links.
    readKeys(this.registrations, keySecret);
  }
}
