import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Client, Clients, Managers, Referrer, Referrers } from '../leads/ports.ts';
import type { PersonalManager } from '../managers/roster.ts';
import { getAll } from './batch.ts';
import { epochSeconds, keys, MANAGERS_INDEX, TableAdapter, withoutKeys } from './table.ts';

export type { Client } from '../leads/ports.ts';

/** The PM unit's directory: personal managers with skills and capacity, existing clients and their referral codes. */
export class Directory extends TableAdapter implements Managers, Clients, Referrers {
  async findByInn(inn: string): Promise<Client | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.client(inn) }),
    );
    return Item ? withoutKeys<Client>(Item) : undefined;
  }

  async clientsAmong(inns: readonly string[]): Promise<Set<string>> {
    // BatchGetItem refuses a key asked twice: two prospects of one company share an INN.
    const unique = [...new Set(inns)];
    const items = await getAll(
      this.client,
      this.tableName,
      unique.map((inn) => keys.client(inn)),
      ['inn'],
    );
    return new Set(items.map((item) => String(item.inn)));
  }

  async byCode(code: string): Promise<Referrer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.referralCode(code) }),
    );
    return Item ? withoutKeys<Referrer>(Item) : undefined;
  }

  async firstReferralOf(
    innHash: string,
    at: string,
  ): Promise<{ leadId: string; clientId: string } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.referredCompany(innHash), ConsistentRead: true }),
    );
    // A converted referral's claim has no end; any other ends with its window.
    if (!Item || (Item.expiresAt !== undefined && Number(Item.expiresAt) < epochSeconds(at)))
      return undefined;
    return { leadId: String(Item.leadId), clientId: String(Item.clientId) };
  }

  async leadsOnDay(code: string, day: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.referralDay(code, day) }),
    );
    return Number(Item?.leads ?? 0);
  }

  async get(managerId: string): Promise<PersonalManager | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.manager(managerId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<PersonalManager>(Item) : undefined;
  }

  /** All managers of the unit (tens, not thousands); capacity is re-checked by the conditional write. */
  async list(): Promise<PersonalManager[]> {
    const items = await this.queryAll({
      IndexName: MANAGERS_INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': MANAGERS_INDEX.pk },
    });
    return items.map((item) => withoutKeys<PersonalManager>(item));
  }

  /** Adds or replaces a manager (seeding and the head of unit's tools). */
  async putManager(manager: PersonalManager): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.manager(manager.managerId),
          type: 'PersonalManager',
          gsi1pk: MANAGERS_INDEX.pk,
          gsi1sk: manager.managerId,
          ...manager,
        },
      }),
    );
  }

  /** Gives a client a referral code, or changes whether it is in the programme (seeding, the programme's tools). */
  async putReferralCode(referrer: Referrer): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.referralCode(referrer.code), type: 'ReferralCode', ...referrer },
      }),
    );
  }

  async putClient(client: Client): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.client(client.inn), type: 'Client', ...client },
      }),
    );
  }
}
