import { spawn } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { keys as tableKeys } from '#shared/adapters/table.ts';
import { parseProspectImport } from '#shared/prospects/import-parser.ts';
import { importProspects } from '#shared/prospects/import-prospects.ts';
import { ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import { GENERATED_MAPPING, generatedCsv, innOf, keys } from '../test/unit/support/prospect-file.ts';

/**
 * `node --expose-gc bench/prospect-import.ts [rows] [rawItems]`: a generated CSV of 100,000 prospects (by
 * default), made as it is read in chunks, so what memory grows by is what the import holds, not the file.
 * 1. the parser alone: rows/s, peak heap (sampled every batch) and, with --expose-gc, the live heap;
 * 2. raw BatchWriteItem into DynamoDB Local (the synthesized table, spawned here, warmed first): prospect
 *    items of the same shape, 25 per call, one call at a time as the import makes them: items/s;
 * 3. the import (importProspects with the DynamoDB adapter) into the same table: rows/s, and its peak RSS;
 * 4. raw BatchWriteItem again (DynamoDB Local's JVM is warmer, its table fuller), and the import's rows/s
 *    as a share of the mean of 2 and 4.
 * Phases 1 and 3 each run in a fresh Node process of their own (this file, with BENCH_PHASE set), so the
 * peak RSS is theirs: not the CDK synthesis that made the table, nor the other phase's garbage.
 * Not part of `npm run bench`: the figures are in docs/prospects.md.
 */
const ROWS = Number(process.argv[2] ?? 100_000);
const RAW_ITEMS = Number(process.argv[3] ?? 20_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rss = () => process.memoryUsage().rss;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The generated file, counting its bytes as it is read. */
function countedFile(rows: number) {
  const counted = { bytes: 0 };
  const file = (async function* () {
    for await (const chunk of generatedCsv(rows)) {
      counted.bytes += chunk.length;
      yield chunk;
    }
  })();
  return { file, counted };
}

async function parseOnly(): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const rssBefore = rss();
  let peakHeap = before;
  /** With `--expose-gc`, the live heap after a collection every 400 batches: what parsing keeps, not garbage. */
  let peakLive = before;
  const { file, counted } = countedFile(ROWS);
  const started = performance.now();
  const parser = parseProspectImport(file, {
    format: 'csv',
    mapping: GENERATED_MAPPING,
    importId: 'bench',
    keys,
  });
  let batches = 0;
  for (let next = await parser.next(); ; next = await parser.next()) {
    if (next.done) {
      const seconds = (performance.now() - started) / 1000;
      const { rows, accepted, rejected } = next.value;
      console.log(
        `1. parser: ${rows} rows (${accepted} accepted, ${rejected} rejected) in ${batches} batches`,
      );
      console.log(
        `   file ${mb(counted.bytes)}, ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s`,
      );
      console.log(`   peak heap ${mb(peakHeap)} (${mb(peakHeap - before)} over the start)`);
      if (globalThis.gc)
        console.log(`   peak live heap ${mb(peakLive)} (${mb(peakLive - before)} over the start)`);
      console.log(`   peak RSS ${mb(peakRss())} (${mb(peakRss() - rssBefore)} over the start)`);
      return;
    }
    batches++;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if (globalThis.gc && batches % 400 === 0) {
      globalThis.gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    }
  }
}

const PHASE = process.env.BENCH_PHASE;

/** This file again in a fresh process, for one phase; its output is this run's. */
async function inChild(phase: string, env: Record<string, string> = {}): Promise<number | undefined> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, ...process.argv.slice(2)],
    {
      // The import phase answers its rows/s over the IPC channel.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env, BENCH_PHASE: phase },
    },
  );
  let answer: number | undefined;
  child.on('message', (message) => {
    answer = Number(message);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the ${phase} phase ended with ${code}`);
  return answer;
}

const LOCAL = { region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };

/** The import alone, in its own process: its rows/s, and this process's peak RSS. */
async function importOnly(endpoint: string, tableName: string): Promise<void> {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL, endpoint }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  globalThis.gc?.();
  const before = rss();
  const { file, counted } = countedFile(ROWS);
  const started = performance.now();
  const outcome = await importProspects(
    { imports: new ProspectStore(documentClient, tableName), keys, now: () => new Date() },
    file,
    { importId: `bench-${Date.now()}`, format: 'csv', mapping: GENERATED_MAPPING },
  );
  const seconds = (performance.now() - started) / 1000;
  const perSecond = outcome.counts.rows / seconds;
  console.log(
    `3. import into DynamoDB Local: ${JSON.stringify(outcome.counts)} (${outcome.status}), file ${mb(counted.bytes)}`,
  );
  console.log(`   ${seconds.toFixed(1)} s, ${Math.round(perSecond)} rows/s`);
  console.log(`   peak RSS ${mb(peakRss())} (${mb(peakRss() - before)} over the process's start)`);
  documentClient.destroy();
  process.send?.(perSecond);
}

/** Raw BatchWriteItem: one prospect's item under new ids, so each put is a new item of the import's size. */
async function rawWrites(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  items: number,
  first: number,
): Promise<number> {
  const template = toProspect(
    keys,
    ProspectFields.parse({
      company: { name: 'ООО "Компания 1"', inn: innOf(1), industry: 'trade' },
      contact: { name: 'Контакт 1', email: 'contact1@company1.ru' },
      tags: ['expo', '2026'],
      marketingConsent: { granted: true, source: 'форма на выставке', date: '2026-03-15' },
    }),
    { importId: 'raw', line: 2 },
  );
  let unprocessed = 0;
  const started = performance.now();
  for (let i = 0; i < items; i += 25) {
    const requests = Array.from({ length: Math.min(25, items - i) }, (_, j) => {
      const prospectId = (first + i + j).toString(16).padStart(32, 'f');
      const Item = { ...tableKeys.prospect(prospectId), type: 'Prospect', ...template, prospectId };
      return { PutRequest: { Item } };
    });
    const { UnprocessedItems } = await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    unprocessed += UnprocessedItems?.[tableName]?.length ?? 0;
  }
  const perSecond = items / ((performance.now() - started) / 1000);
  if (unprocessed > 0) throw new Error(`${unprocessed} items unprocessed: the raw figure would be wrong`);
  return perSecond;
}

if (PHASE === 'parse') await parseOnly();
else if (PHASE === 'import') {
  await importOnly(process.env.BENCH_ENDPOINT ?? '', process.env.BENCH_TABLE ?? '');
} else {
  await inChild('parse');
  // Loaded here only: the CDK synthesis behind it is no part of a phase's memory.
  const { startAttractTable } = await import('../test/local/support/attract-table.ts');
  const table = await startAttractTable();
  try {
    // DynamoDB Local's JVM speeds up as it warms: warm it first, and time raw writes before and after the import.
    const { documentClient, tableName } = table;
    await rawWrites(documentClient, tableName, RAW_ITEMS / 4, 0);
    const rawBefore = await rawWrites(documentClient, tableName, RAW_ITEMS, RAW_ITEMS);
    console.log(
      `2. raw BatchWriteItem: ${RAW_ITEMS} items, 25 per call, one call at a time: ${Math.round(rawBefore)} items/s`,
    );
    const importPerSecond = await inChild('import', {
      BENCH_ENDPOINT: table.process.endpoint,
      BENCH_TABLE: tableName,
    });
    const rawAfter = await rawWrites(documentClient, tableName, RAW_ITEMS, 2 * RAW_ITEMS);
    console.log(`4. raw BatchWriteItem again, after the import: ${Math.round(rawAfter)} items/s`);
    const ratio = (importPerSecond ?? Number.NaN) / ((rawBefore + rawAfter) / 2);
    console.log(
      `   the import's rows/s are ${ratio.toFixed(2)} of raw BatchWriteItem items/s (the mean of 2 and 4)`,
    );
  } finally {
    await table.stop();
  }
}
