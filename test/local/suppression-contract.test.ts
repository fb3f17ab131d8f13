import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { anAddressHash, suppressionContract } from '../unit/support/suppression-contract.ts';
import { startAttractTable } from './support/attract-table.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

// The contract the in-memory store keeps in test/unit, here kept by the DynamoDB adapter on DynamoDB Local.
suppressionContract(
  'DynamoDB adapter on DynamoDB Local',
  () => new SuppressionStore(table.documentClient, table.tableName),
);

describe('the suppression list under throttling', () => {
  it('asks again for the keys BatchGetItem leaves unprocessed until every one is answered', async () => {
    const real = new SuppressionStore(table.documentClient, table.tableName);
    const hashes = Array.from({ length: 120 }, anAddressHash);
    await Promise.all(
      hashes.map((h) => real.suppress(h, { reason: 'unsubscribed', at: '2026-12-01T10:00:00.000Z' })),
    );
    // DynamoDB Local never throttles: this client hands back all but the first 10 keys of each request as
    // unprocessed, as DynamoDB does under throttling, after reading the 10 from the real table.
    let requests = 0;
    const throttled = {
      send: async (command: BatchGetCommand) => {
        requests++;
        const request = command.input.RequestItems?.[table.tableName];
        const keys = request?.Keys ?? [];
        const answered = await table.documentClient.send(
          new BatchGetCommand({
            RequestItems: { [table.tableName]: { ...request, Keys: keys.slice(0, 10) } },
          }),
        );
        const rest = keys.slice(10);
        return {
          Responses: answered.Responses,
          UnprocessedKeys: rest.length ? { [table.tableName]: { ...request, Keys: rest } } : {},
        };
      },
    } as unknown as DynamoDBDocumentClient;
    const found = await new SuppressionStore(throttled, table.tableName).find(hashes);
    expect(found.size).toBe(120);
    // 100 keys in 10 rounds of 10, then 20 in 2.
    expect(requests).toBe(12);
  });
});
