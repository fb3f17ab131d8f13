import { afterAll, beforeAll } from 'vitest';
import { AudienceStore } from '#shared/adapters/audience-store.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { audiencesContract } from '../unit/support/audiences-contract.ts';
import { startAttractTable } from './support/attract-table.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

// The contract the in-memory store keeps in test/unit, here kept by the DynamoDB adapter on DynamoDB Local:
// prospects stored by the import's own adapter, letters counted by the send counter's.
audiencesContract('DynamoDB adapter on DynamoDB Local', () => ({
  store: new AudienceStore(table.documentClient, table.tableName),
  storeProspects: (p) => new ProspectStore(table.documentClient, table.tableName).store(p),
  sendCounter: new SuppressionStore(table.documentClient, table.tableName),
}));
