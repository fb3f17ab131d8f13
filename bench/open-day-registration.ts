import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { spawnLocalRuntime } from '#local/spawn.ts';
import { completeInn10 } from '#shared/leads/inn.ts';

/**
 * Open-day registrations (issue 9): BENCH_REGISTRATIONS (600) people register at concurrency 50 through the
 * public form for an open day of BENCH_SEATS seats (300), so half take a seat and half join the line, each
 * emailed at once. Printed: registrations/s against raw PutItem/s into the same DynamoDB Local at the same
 * concurrency, the latency, and whether the seats came out exact (seats taken = capacity, everyone else
 * in line, nobody lost).
 */
const CONCURRENCY = 50;
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 600);
const SEATS = Number(process.env.BENCH_SEATS ?? 300);
const RAW_WRITES = 1000;

export async function runOpenDayRegistrationBench(): Promise<void> {
  const runtime = await spawnLocalRuntime({ ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: runtime.urls.dynamodb }));
    const tableName = ((await ddb.send(new ListTablesCommand({}))).TableNames ?? [])[0] ?? '';

    // The raw service: PutItem of an item the size of a registration, straight into DynamoDB Local.
    const raw = await pool(RAW_WRITES, async () => {
      await ddb.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `BENCH#${randomUUID()}`,
            sk: 'RAW',
            contact: { name: 'Гость', email: 'guest@firm.example' },
          },
        }),
      );
    });

    const day = Date.now() + 7 * 86_400_000;
    const planned = await fetch(`${runtime.urls.api}/v1/open-days`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${runtime.tokens['anna.campaigns']}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        title: { ru: 'Бенч: день открытых дверей' },
        description: { ru: 'Бенч' },
        startsAt: new Date(day).toISOString(),
        endsAt: new Date(day + 3 * 3_600_000).toISOString(),
        timeZone: 'Europe/Moscow',
        venue: { kind: 'online', url: 'https://meet.bank.example/bench' },
        capacity: SEATS,
        registrationClosesAt: new Date(day - 86_400_000).toISOString(),
        hosts: ['pm-ivanova'],
      }),
    });
    const { openDayId } = (await planned.json()) as { openDayId: string };
    const statuses: string[] = [];
    const registered = await pool(REGISTRATIONS, async (i) => {
      const res = await fetch(`${runtime.urls.api}/v1/open-days/${openDayId}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i % 250}` },
        body: JSON.stringify({
          contact: { name: `Гость ${i}`, email: `guest${i}@bench.example` },
          company: { name: `ООО «Гость ${i}»`, inn: completeInn10(`77${String(i).padStart(7, '0')}`) },
          products: ['settlement_account'],
          consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
        }),
      });
      statuses.push(
        res.ok ? String(((await res.json()) as { status: string }).status) : `HTTP ${res.status}`,
      );
    });
    const read = await fetch(`${runtime.urls.api}/v1/open-days/${openDayId}`, {
      headers: { authorization: `Bearer ${runtime.tokens['irina.head']}` },
    });
    const openDay = (await read.json()) as { seatsTaken: number; waitlisted: number };
    const count = (s: string) => statuses.filter((x) => x === s).length;
    const exact =
      openDay.seatsTaken === Math.min(SEATS, REGISTRATIONS) &&
      openDay.seatsTaken + openDay.waitlisted === REGISTRATIONS &&
      count('confirmed') === openDay.seatsTaken &&
      count('waitlisted') === openDay.waitlisted;
    console.log(
      `open-day registrations: ${REGISTRATIONS} at concurrency ${CONCURRENCY} for ${SEATS} seats: ${registered.perSecond.toFixed(1)}/s (p50 ${registered.p50.toFixed(0)} ms, p99 ${registered.p99.toFixed(0)} ms), each emailed at once`,
    );
    console.log(
      `raw PutItem/s at concurrency ${CONCURRENCY}: ${raw.perSecond.toFixed(0)}; registrations/raw ${(registered.perSecond / raw.perSecond).toFixed(3)}`,
    );
    console.log(
      `seats: ${openDay.seatsTaken} taken, ${openDay.waitlisted} in line; answers ${count('confirmed')} confirmed, ${count('waitlisted')} waitlisted, ${REGISTRATIONS - count('confirmed') - count('waitlisted')} other: ${exact ? 'exact' : 'NOT EXACT'}`,
    );
  } finally {
    await runtime.stop();
  }
}

/** Runs `total` tasks at CONCURRENCY: the rate and the latency percentiles. */
async function pool(total: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: total / seconds, p50: at(0.5), p99: at(0.99) };
}

if (import.meta.url === `file://${process.argv[1]}`) await runOpenDayRegistrationBench();
