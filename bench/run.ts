import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { demoEnquiry } from '#local/demo-data.ts';
import { signInLocally } from '#local/sign-in.ts';
import { spawnLocalRuntime } from '#local/spawn.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { runAcceptanceBench } from './acceptance.ts';
import { BUNDLE_GOAL_BYTES, formatBytes, measureBundleSizesQuietly } from './bundle-sizes.ts';
import { cpuPer, formatCpu, sampleCpu } from './cpu.ts';
import { runLetterSendingBench } from './letter-sending.ts';
import { runOpenDayRegistrationBench } from './open-day-registration.ts';
import { describeUsage, drain, stateTransitionsPerLead, usage } from './usage.ts';

/**
 * `npm run bench`: lead intake against the raw service it stands on, measured in one run on one machine.
 * 1. raw PutItem/s into the same DynamoDB Local at concurrency 50, and the raw writes one capture makes;
 * 2. accepted leads/s through POST /v1/leads at concurrency 50, with p50/p99 latency;
 * 3. p95 time from submit to the personal manager's email in the local mailbox (every lead of the load
 *    phase accepted by its manager first, so each workflow runs to its end and is counted whole);
 * 4. each function's minified bundle as `cdk deploy` builds it, and the largest against the 1 MB goal;
 * 5. CPU time per lead, capture to acceptance, by part: what isolating the functions costs, whatever the neighbours do;
 * 6. (bench/acceptance.ts) the acceptance loop under a burst of 1,000 leads over 20 managers;
 * 7. (bench/letter-sending.ts) a letter campaign's achieved rate against its configured rate, SES throttling;
 * 8. (bench/open-day-registration.ts) open-day registrations/s against raw PutItem/s, and the seats exact.
 */
const CONCURRENCY = 50;
const RAW_WRITES = Number(process.env.BENCH_RAW_WRITES ?? 2000);
const LEADS = Number(process.env.BENCH_LEADS ?? 600);
const TRACED_LEADS = Number(process.env.BENCH_TRACED_LEADS ?? 60);

// Bundled first, so esbuild's CPU does not overlap the timed phases.
const bundles = measureBundleSizesQuietly();
const runtime = await spawnLocalRuntime({ ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: '1000000' });
try {
  const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: runtime.urls.dynamodb }));
  const { TableNames = [] } = await ddb.send(new ListTablesCommand({}));
  const tableName = TableNames[0] ?? '';
  // Managers with room for every lead the bench sends, so routing never runs out of capacity.
  await new Directory(ddb, tableName).putManager({
    managerId: 'pm-bench',
    name: 'Bench Manager',
    email: 'bench.manager@bank.example',
    language: 'ru',
    segments: ['corporate', 'mid_market', 'small_business'],
    regions: ['*'],
    industries: ['*'],
    products: [],
    capacity: 1_000_000,
    weight: 1,
    // At work around the clock, so the bench routes alike whenever it runs.
    workingHours: ROUND_THE_CLOCK,
    holidays: [],
    absences: [],
    activeLeads: 0,
    active: true,
  });

  const raw = await pool(RAW_WRITES, CONCURRENCY, async (i) => {
    await ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `BENCH#${i}`, sk: 'RAW', type: 'Bench', n: i, at: Date.now() },
      }),
    );
  });

  // The writes one capture makes (rate window + lead with its two uniqueness claims), issued directly.
  const rawCapture = await pool(RAW_WRITES / 2, CONCURRENCY, async (i) => {
    const id = randomUUID();
    await ddb.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `BENCHRATE#${i}`, sk: 'WINDOW' },
        UpdateExpression: 'ADD hits :one',
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': 1000 },
      }),
    );
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: ['LEAD', 'EMAIL', 'INN'].map((kind) => ({
          Put: {
            TableName: tableName,
            Item: { pk: `BENCH${kind}#${id}`, sk: 'RAW', type: 'Bench' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      }),
    );
  });

  const submit = (body: object) =>
    fetch(`${runtime.urls.api}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { leadId?: string } }));

  let rejected = 0;
  const submitted: string[] = [];
  const usageBefore = await usage(runtime.urls.api);
  const cpuBefore = sampleCpu();
  const leads = await pool(LEADS, CONCURRENCY, async () => {
    const reply = await submit(demoEnquiry());
    if (reply.status !== 202) rejected += 1;
    if (reply.body.leadId) submitted.push(reply.body.leadId);
  });

  // The manager accepts every lead once its email is in, so each workflow runs to its end (Accepted);
  // then the path to the mailbox is timed on a quiet runtime.
  const notifiedAfter = await untilEmails(runtime.urls.mailbox, submitted.length);
  const pmToken = await signInLocally(runtime.urls.api, runtime.tokens['irina.head'] ?? '', {
    username: 'pm-bench',
    groups: ['personal_manager'],
    managerId: 'pm-bench',
  });
  let notAccepted = 0;
  await pool(submitted.length, CONCURRENCY, async (i) => {
    const res = await fetch(`${runtime.urls.api}/v1/leads/${submitted[i]}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pmToken}` },
      body: JSON.stringify({ action: 'accept' }),
    });
    if (res.status !== 200) notAccepted += 1;
  });
  // A lead whose accept was refused waits on its acceptance deadline (hours): the drain waits two minutes.
  const drained = await drain(new SFNClient({ ...aws, endpoint: runtime.urls.stepFunctions }), 120_000);
  const cpuPerLead = cpuPer(cpuBefore, sampleCpu(), LEADS);
  const usageAfter = await usage(runtime.urls.api);
  const sfn = new SFNClient({ ...aws, endpoint: runtime.urls.stepFunctions });
  const transitions = await stateTransitionsPerLead(sfn, 50);
  const emails = ((await (await fetch(`${runtime.urls.mailbox}/store`)).json()) as { emails: unknown[] })
    .emails.length;
  await fetch(`${runtime.urls.mailbox}/clear-store`, { method: 'POST' });
  const sentAt = new Map<string, number>();
  const arrivedAfter = new Map<string, number>();
  const watcher = watchMailbox(runtime.urls.mailbox, sentAt, arrivedAfter);
  await pool(TRACED_LEADS, 5, async () => {
    const started = Date.now();
    const reply = await submit(demoEnquiry());
    if (reply.body.leadId) sentAt.set(reply.body.leadId, started);
  });
  const deadline = Date.now() + 120_000;
  while (arrivedAfter.size < sentAt.size && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  watcher.stop();
  const toEmail = [...arrivedAfter.values()].sort((a, b) => a - b);

  const rawRate = RAW_WRITES / raw.seconds;
  const leadRate = LEADS / leads.seconds;
  console.log(
    `(${notifiedAfter.toFixed(1)} s after the load phase until every manager email was in; every lead then accepted by its manager, ${notAccepted} refused, and ${drained === undefined ? 'executions still running after 120 s' : `${drained.toFixed(1)} s until every LeadIntake execution had ended`})`,
  );
  console.log(`raw PutItem/s (concurrency ${CONCURRENCY}, ${RAW_WRITES} writes): ${rawRate.toFixed(0)}`);
  console.log(
    `accepted leads/s via POST /v1/leads (concurrency ${CONCURRENCY}, ${LEADS} leads, ${rejected} not 202): ${leadRate.toFixed(0)}`,
  );
  console.log(`ratio leads/s : PutItem/s: ${(leadRate / rawRate).toFixed(3)}`);
  const rawCaptureRate = RAW_WRITES / 2 / rawCapture.seconds;
  console.log(
    `raw capture-equivalent writes/s (UpdateItem + 3-item TransactWriteItems, concurrency ${CONCURRENCY}): ${rawCaptureRate.toFixed(0)}; ratio leads/s : that: ${(leadRate / rawCaptureRate).toFixed(3)}`,
  );
  console.log(
    `POST /v1/leads latency p50 ${pct(leads.latencies, 50)} ms, p99 ${pct(leads.latencies, 99)} ms`,
  );
  console.log(`raw PutItem latency p50 ${pct(raw.latencies, 50)} ms, p99 ${pct(raw.latencies, 99)} ms`);
  console.log(
    `submit to manager email (${toEmail.length}/${sentAt.size} leads, concurrency 5): p50 ${pct(toEmail, 50)} ms, p95 ${pct(toEmail, 95)} ms`,
  );
  console.log(`CPU per lead, capture to acceptance (${LEADS} leads): ${formatCpu(cpuPerLead)}`);
  for (const line of describeUsage(usageBefore, usageAfter, LEADS, transitions, emails, {
    memoryGb: 0.5,
    secondsPerInvocation: 0.1,
  }))
    console.log(line);
  console.log('bundle sizes (minified index.mjs, as cdk deploy bundles them):');
  for (const b of bundles) console.log(`  ${b.entry}: ${formatBytes(b.bytes)}`);
  const [largest] = bundles;
  if (largest) {
    const verdict = largest.bytes < BUNDLE_GOAL_BYTES ? 'met' : 'MISSED';
    console.log(
      `largest bundle: ${largest.entry} ${formatBytes(largest.bytes)} (goal under ${formatBytes(BUNDLE_GOAL_BYTES)}: ${verdict})`,
    );
  }
} finally {
  await runtime.stop();
}

// The acceptance loop under a burst, on a runtime of its own (the `burst` acceptance SLA).
await runAcceptanceBench();
await runLetterSendingBench();
await runOpenDayRegistrationBench();

/** Runs `total` tasks with at most `concurrency` in flight; returns wall time and per-task latencies. */
async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

function pct(sorted: number[], p: number): string {
  if (!sorted.length) return 'n/a';
  return (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0).toFixed(0);
}

/** Polls the local mailbox and notes when each traced lead's email shows up. */
function watchMailbox(mailbox: string, sentAt: Map<string, number>, arrivedAfter: Map<string, number>) {
  let running = true;
  const loop = async () => {
    while (running) {
      const store = (await (await fetch(`${mailbox}/store`)).json()) as {
        emails: { body: { html?: string } }[];
      };
      const now = Date.now();
      for (const [leadId, started] of sentAt) {
        if (!arrivedAfter.has(leadId) && store.emails.some((e) => e.body.html?.includes(leadId))) {
          arrivedAfter.set(leadId, now - started);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const done = loop();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

/** Waits until the local mailbox holds `count` emails; returns the seconds it took. */
async function untilEmails(mailbox: string, count: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { emails } = (await (await fetch(`${mailbox}/store`)).json()) as { emails: unknown[] };
    if (emails.length >= count) return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 200));
  }
}
