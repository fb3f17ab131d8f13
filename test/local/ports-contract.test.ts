import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { AdSpendStore } from '#shared/adapters/ad-spend-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { NotificationStore } from '#shared/adapters/notification-store.ts';
import { keys } from '#shared/adapters/table.ts';
import { acceptanceContract } from '../unit/support/acceptance-contract.ts';
import { type PortsUnderTest, portsContract } from '../unit/support/ports-contract.ts';
import { touchContract } from '../unit/support/touch-contract.ts';
import { startAttractTable } from './support/attract-table.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

// The contract the in-memory ports keep in test/unit, here kept by the DynamoDB adapters on DynamoDB Local.
const setup = (): PortsUnderTest => {
  const { documentClient, tableName } = table;
  const directory = new Directory(documentClient, tableName);
  return {
    leads: new LeadStore(documentClient, tableName),
    spends: new AdSpendStore(documentClient, tableName),
    managers: directory,
    clients: directory,
    notifications: new NotificationStore(documentClient, tableName),
    putManager: (m) => directory.putManager(m),
    putClient: (c) => directory.putClient(c),
    notification: async (leadId, managerId) => {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.notification(leadId, managerId),
          ConsistentRead: true,
        }),
      );
      return Item;
    },
  };
};

portsContract('DynamoDB adapters on DynamoDB Local', setup);
touchContract('DynamoDB adapters on DynamoDB Local', setup);
acceptanceContract('DynamoDB adapters on DynamoDB Local', setup);
