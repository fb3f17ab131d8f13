import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AudienceStore } from '#shared/adapters/audience-store.ts';
import { putAll } from '#shared/adapters/batch.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { keys as tableKeys } from '#shared/adapters/table.ts';
import { WALK_END, WALK_START } from '#shared/audiences/audience.ts';
import { freezeAudience, PAGE_LIMIT } from '#shared/audiences/freeze-audience.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { startAttractTable } from '../test/local/support/attract-table.ts';
import { aVariedProspect } from '../test/unit/support/audiences.ts';
import { keys } from '../test/unit/support/prospect-file.ts';

/**
 * How to walk every prospect once for an audience (docs/audiences.md, "Walking the prospects"), measured on
 * DynamoDB Local with the synthesized table: BENCH_PROSPECTS prospects (100,000 by default) stored by the
 * import's adapter, beside as many other items (an earlier audience's members: what a table accumulates).
 * 1. the sharded GSI4 walk the freezing job makes (pages of 99), 2. a parallel Scan of the table with a
 * FilterExpression on the PROSPECT# prefix (4 segments), 3. a whole freezing (walk, match, transactions).
 * Prints items/s and their ratios, measured in this one run.
 */
const PROSPECTS = Number(process.env.BENCH_PROSPECTS ?? 100_000);
const SEGMENTS = 4;

const table = await startAttractTable();
const { documentClient, tableName } = table;
const store = new AudienceStore(documentClient, tableName);
try {
  let started = performance.now();
  const prospects = new ProspectStore(documentClient, tableName);
  for (let n = 0; n < PROSPECTS; n += 1000) {
    const batch = Array.from({ length: Math.min(1000, PROSPECTS - n) }, (_, i) => aVariedProspect(n + i + 1));
    const others = batch.map((p) => ({
      ...tableKeys.audienceMember('earlier', p.prospectId),
      type: 'AudienceMember',
    }));
    await Promise.all([prospects.store(batch), putAll(documentClient, tableName, others)]);
  }
  console.log(`loaded ${PROSPECTS} prospects and ${PROSPECTS} other items in ${secondsSince(started)} s`);

  started = performance.now();
  let walked = 0;
  let pages = 0;
  for (let cursor = WALK_START; cursor !== WALK_END; pages++) {
    const page = await store.page(cursor, PAGE_LIMIT);
    walked += page.prospects.length;
    cursor = page.next;
  }
  const walk = rate(walked, started);
  console.log(
    `1. GSI4 walk, pages of ${PAGE_LIMIT}: ${walked} prospects in ${pages} queries, ${Math.round(walk)}/s`,
  );

  started = performance.now();
  let big = 0;
  for (let cursor = WALK_START; cursor !== WALK_END; ) {
    const page = await store.page(cursor, 1000);
    big += page.prospects.length;
    cursor = page.next;
  }
  const bigWalk = rate(big, started);
  console.log(`   the same walk in pages of 1,000: ${Math.round(bigWalk)}/s`);

  started = performance.now();
  const scanned = await Promise.all(Array.from({ length: SEGMENTS }, (_, segment) => scanSegment(segment)));
  const found = scanned.reduce((sum, s) => sum + s.found, 0);
  const read = scanned.reduce((sum, s) => sum + s.read, 0);
  const scan = rate(found, started);
  console.log(
    `2. parallel Scan, ${SEGMENTS} segments, FilterExpression PROSPECT#: ${found} prospects of ${read} items read, ${Math.round(scan)}/s`,
  );
  console.log(
    `   the Scan reads ${(read / found).toFixed(2)} items per prospect; its prospects/s are ${(scan / walk).toFixed(2)} of the walk's in pages of ${PAGE_LIMIT}, ${(scan / bigWalk).toFixed(2)} in pages of 1,000`,
  );

  const audienceId = 'bench';
  const at = new Date().toISOString();
  await store.create({
    audienceId,
    name: 'bench',
    filters: { sizeBand: ['medium', 'large'], score: { min: 30 } },
    status: 'draft',
    author: 'bench',
    createdAt: at,
    updatedAt: at,
  });
  await store.approve(audienceId, { by: 'bench', at, scoringVersion: scoringConfig.version });
  started = performance.now();
  const deps = {
    audiences: store,
    prospects: store,
    lastContacts: store,
    keys,
    scoring: scoringConfig,
    now: () => new Date(),
  };
  const frozen = await freezeAudience(deps, audienceId, () => true);
  const freeze = rate(frozen.examined, started);
  console.log(
    `3. freezing: ${frozen.examined} prospects examined, ${frozen.matched} members, ${Math.round(freeze)} prospects/s (${(freeze / walk).toFixed(2)} of the walk's)`,
  );
} finally {
  await table.stop();
}

async function scanSegment(segment: number) {
  let read = 0;
  let found = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: tableName,
        Segment: segment,
        TotalSegments: SEGMENTS,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': 'PROSPECT#' },
        ProjectionExpression: 'prospectId, company, contact, tags, marketingConsent',
        ExclusiveStartKey: start,
      }),
    );
    read += page.ScannedCount ?? 0;
    found += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return { read, found };
}

function rate(items: number, since: number) {
  return items / ((performance.now() - since) / 1000);
}

function secondsSince(since: number) {
  return ((performance.now() - since) / 1000).toFixed(1);
}
