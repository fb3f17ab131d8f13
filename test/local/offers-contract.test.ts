import { afterAll, beforeAll } from 'vitest';
import { OfferStore } from '#shared/adapters/offer-store.ts';
import { offersContract } from '../unit/support/offers-contract.ts';
import { startAttractTable } from './support/attract-table.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

// The contract the in-memory store keeps in test/unit, here kept by the DynamoDB adapter on DynamoDB Local.
offersContract(
  'DynamoDB adapter on DynamoDB Local',
  () => new OfferStore(table.documentClient, table.tableName),
);
