import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backoff, UnprocessedAfterRetries } from '#shared/adapters/batch.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { importProspects } from '#shared/prospects/import-prospects.ts';
import { GENERATED_MAPPING, generatedCsv, generatedRow, keys } from '../unit/support/prospect-file.ts';
import { type ProspectsUnderTest, prospectsContract } from '../unit/support/prospects-contract.ts';
import { startAttractTable } from './support/attract-table.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
beforeAll(async () => {
  table = await startAttractTable();
});
afterAll(async () => {
  await table?.stop();
});

/** Short waits, so a test of the bound does not sleep for seconds; the rounds are as in production. */
const QUICK: Backoff = { attempts: 4, baseMs: 1, capMs: 5 };

// The contract the in-memory store keeps in test/unit, here kept by the DynamoDB adapter on DynamoDB Local.
prospectsContract('DynamoDB adapter on DynamoDB Local', (): ProspectsUnderTest => {
  const directory = new Directory(table.documentClient, table.tableName);
  return {
    imports: new ProspectStore(table.documentClient, table.tableName, QUICK),
    putClient: (c) => directory.putClient(c),
  };
});

type Fault = 'half' | 'all' | 'none';

/**
 * The table's client, except that BatchWriteItem serves only part of what it is sent, as DynamoDB does
 * when throttled: 'half' writes the first half (rounded up) and answers the rest as UnprocessedItems, 'all' writes
 * nothing. Every other command, and every write the plan lets through, reaches DynamoDB Local.
 */
function withUnprocessedWrites(client: DynamoDBDocumentClient, plan: (call: number) => Fault) {
  const seen = { calls: 0, unprocessed: 0 };
  const send = async (command: unknown) => {
    if (!(command instanceof BatchWriteCommand)) return client.send(command as never);
    seen.calls++;
    const fault = plan(seen.calls);
    const [tableName, requests = []] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
    if (fault === 'none' || !tableName) return client.send(command);
    const served = fault === 'half' ? requests.slice(0, Math.ceil(requests.length / 2)) : [];
    const left = requests.slice(served.length);
    if (served.length > 0)
      await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: served } }));
    seen.unprocessed += left.length;
    return { UnprocessedItems: left.length > 0 ? { [tableName]: left } : {}, $metadata: {} };
  };
  const faulty = new Proxy(client, {
    get: (target, name, receiver) => (name === 'send' ? send : Reflect.get(target, name, receiver)),
  });
  return { client: faulty, seen };
}

/** 80 rows, every 10th with a broken email: 8 rejected, 72 stored. */
const row = (tag: string) => (n: number) => {
  const cells = generatedRow(n);
  cells[4] = n % 10 === 0 ? 'not-an-email' : `c${n}.${tag}@firm${n}.ru`;
  return cells;
};
const EXPECTED = { rows: 80, created: 72, known: 0, rejected: 8 };

describe('an import on DynamoDB Local when BatchWriteItem leaves items unprocessed', () => {
  const run = (client: DynamoDBDocumentClient, importId: string, tag: string, backoff = QUICK) =>
    importProspects(
      { imports: new ProspectStore(client, table.tableName, backoff), keys, now: () => new Date() },
      generatedCsv(80, row(tag)),
      { importId, format: 'csv', mapping: GENERATED_MAPPING },
    );

  it('retries the unprocessed items until every one is written', async () => {
    const importId = `unprocessed-${Date.now()}`;
    // The first six calls serve half of what they are sent: some puts go round four or five times.
    const { client, seen } = withUnprocessedWrites(table.documentClient, (call) =>
      call <= 6 ? 'half' : 'none',
    );
    const outcome = await run(client, importId, importId, { ...QUICK, attempts: 8 });
    expect(outcome).toMatchObject({ status: 'finished', counts: EXPECTED });
    expect(seen.unprocessed).toBeGreaterThan(0);

    const store = new ProspectStore(table.documentClient, table.tableName);
    const again = await importProspects(
      { imports: store, keys, now: () => new Date() },
      generatedCsv(80, row(importId)),
      { importId: `${importId}-again`, format: 'csv', mapping: GENERATED_MAPPING },
    );
    // A second import of the same file finds every prospect the first stored.
    expect(again.counts).toEqual({ rows: 80, created: 0, known: 72, rejected: 8 });
    const report = await store.rejections(importId, { limit: 100 });
    expect(report.rows.map((r) => r.line)).toEqual([11, 21, 31, 41, 51, 61, 71, 81]);
  });

  it('gives up after a bounded number of tries without moving the checkpoint, and a later run resumes', async () => {
    const importId = `stuck-${Date.now()}`;
    const { client, seen } = withUnprocessedWrites(table.documentClient, () => 'all');
    await expect(run(client, importId, importId)).rejects.toBeInstanceOf(UnprocessedAfterRetries);
    // The first batch's two writes (its prospects, its rejected rows) tried `attempts` times each, no more.
    expect(seen.calls).toBe(2 * QUICK.attempts);
    const store = new ProspectStore(table.documentClient, table.tableName);
    expect(await store.importState(importId)).toMatchObject({ status: 'running', line: 0 });

    const outcome = await run(table.documentClient, importId, importId);
    expect(outcome).toMatchObject({ status: 'finished', counts: EXPECTED, resumedAfter: 0 });
  });
});
