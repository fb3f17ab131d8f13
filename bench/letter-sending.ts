import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { spawnLocalRuntime } from '#local/spawn.ts';
import { ProspectStore } from '#shared/adapters/prospect-store.ts';
import { keys } from '#shared/adapters/table.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import type { Prospect } from '#shared/prospects/prospect.ts';

/**
 * A letter campaign's sending rate (issue 8): a campaign configured at BENCH_SEND_RATE letters/s (R, 50 by
 * default) to BENCH_LETTERS prospects (R x 40), through the local SES account with a quota above R and
 * BENCH_THROTTLE_SHARE (10%) of its sends throttled. Printed: the achieved rate as a share of R (goal at
 * least 0.9) over the whole time from the launch, the steady rate once letters flow (the start, a state
 * machine and a cold function, is a fixed cost a short bench magnifies), the throttle-error share, and the
 * raw SendEmail/s the SES emulator takes in the same run.
 */
const RATE = Number(process.env.BENCH_SEND_RATE ?? 50);
// Forty seconds of sending: the launch (the state machine, the first cold start) is a small share of it.
const LETTERS = Number(process.env.BENCH_LETTERS ?? RATE * 40);
const THROTTLE_SHARE = Number(process.env.BENCH_THROTTLE_SHARE ?? 0.1);
const RAW_SENDS = 1000;

export async function runLetterSendingBench(): Promise<void> {
  const runtime = await spawnLocalRuntime({ ATTRACT_LOCAL_SES_MAX_SEND_RATE: String(RATE * 4) });
  try {
    const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: runtime.urls.dynamodb }));
    const tableName = ((await ddb.send(new ListTablesCommand({}))).TableNames ?? [])[0] ?? '';
    const token = runtime.tokens['anna.campaigns'] ?? '';
    const api = async (method: string, path: string, body?: unknown, as = token) => {
      const res = await fetch(`${runtime.urls.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json()) as Record<string, unknown> & { [k: string]: never };
    };

    // The raw service: SendEmail straight into the SES emulator, with no account, quota or IAM in front.
    const ses = new SESv2Client({ ...aws, endpoint: runtime.urls.mailbox, maxAttempts: 1 });
    const rawStarted = performance.now();
    let rawSent = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (rawSent < RAW_SENDS) {
          rawSent++;
          await ses
            .send(
              new SendEmailCommand({
                FromEmailAddress: 'letters@bank.example',
                Destination: { ToAddresses: [`raw${rawSent}@bench.example`] },
                Content: { Simple: { Subject: { Data: 'raw' }, Body: { Text: { Data: 'raw' } } } },
              }),
            )
            .catch(() => undefined);
        }
      }),
    );
    const rawRate = RAW_SENDS / ((performance.now() - rawStarted) / 1000);
    await fetch(`${runtime.urls.mailbox}/clear-store`, { method: 'POST' });

    // Prospects with consent, and a frozen audience of them, written as the import and freezing write them.
    const prospects: Prospect[] = Array.from({ length: LETTERS }, (_, i) => ({
      prospectId: randomUUID().replaceAll('-', ''),
      company: {
        name: `ООО «Бенч ${i}»`,
        inn: completeInn10(`77${String(i).padStart(7, '0')}`),
        regionCode: '77',
      },
      contact: { name: `Контакт ${i}`, email: `contact${i}@bench.example` },
      language: 'ru',
      timeZone: 'Europe/Moscow',
      tags: [],
      marketingConsent: { granted: true, source: 'бенч', date: '2026-01-01' },
      source: { importId: 'bench', line: i + 2 },
    }));
    await new ProspectStore(ddb, tableName).store(prospects);
    const audienceId = randomUUID();
    for (const p of prospects) {
      await ddb.send(
        new PutCommand({ TableName: tableName, Item: keys.audienceMember(audienceId, p.prospectId) }),
      );
    }
    await ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.audience(audienceId),
          type: 'Audience',
          name: 'Bench',
          status: 'frozen',
          count: LETTERS,
          frozenAt: new Date().toISOString(),
        },
      }),
    );
    const offer = await api('POST', '/v1/offers', {
      name: 'Бенч',
      content: { ru: { subject: '{company}', html: '<p>{contact}</p>', text: '{contact}' } },
    });
    await api(
      'POST',
      `/v1/offers/${offer.offerId}/versions/1/decision`,
      { outcome: 'approved', hash: offer.hash },
      runtime.tokens['oleg.compliance'],
    );
    const campaign = await api('POST', '/v1/campaigns', {
      name: 'Бенч',
      audienceIds: [audienceId],
      steps: [{ offerId: offer.offerId, version: 1 }],
      signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
      policy: {
        consentRequired: true,
        frequencyCap: { letters: 100, windowDays: 30 },
        sendingWindow: { from: '00:00', until: '23:59' },
      },
      sendRate: RATE,
      pauseAfterErrors: 10_000,
    });
    await fetch(`${runtime.urls.api}/__local/ses/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'throttle', share: THROTTLE_SHARE, seed: 42 }),
    });

    const started = performance.now();
    await api('POST', `/v1/campaigns/${campaign.campaignId}/launch`);
    let view: {
      status: string;
      progress: {
        sent: number;
        throttled: number;
        failed: number;
        open: number;
        skipped: Record<string, number>;
      }[];
    };
    // The first poll that saw a letter sent: what came before it is the start (the state machine, the
    // function's cold start, its first page), not sending.
    let firstSeen: { at: number; sent: number } | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      view = (await api('GET', `/v1/campaigns/${campaign.campaignId}`)) as unknown as typeof view;
      const sentSoFar = view.progress?.[0]?.sent ?? 0;
      if (!firstSeen && sentSoFar > 0) firstSeen = { at: performance.now(), sent: sentSoFar };
    } while (view.status === 'running');
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    const [step] = view.progress;
    const sent = step?.sent ?? 0;
    const throttled = step?.throttled ?? 0;
    const achieved = sent / seconds;
    const steady = firstSeen ? (sent - firstSeen.sent) / ((ended - firstSeen.at) / 1000) : 0;
    console.log(
      `letter campaign: ${sent} of ${LETTERS} sent in ${seconds.toFixed(1)} s at R = ${RATE}/s with ${THROTTLE_SHARE * 100}% of sends throttled (${view.status}, ${step?.failed ?? 0} failed, ${step?.open ?? 0} open, skipped ${JSON.stringify(step?.skipped ?? {})})`,
    );
    console.log(
      `achieved rate: ${achieved.toFixed(1)} letters/s = ${(achieved / RATE).toFixed(3)} of R (goal >= 0.9)`,
    );
    console.log(
      `steady rate, from the first letter seen (${firstSeen ? ((firstSeen.at - started) / 1000).toFixed(1) : '-'} s after the launch) to the end: ${steady.toFixed(1)} letters/s = ${(steady / RATE).toFixed(3)} of R`,
    );
    console.log(
      `throttle errors: ${throttled} = ${((throttled / Math.max(1, sent + throttled)) * 100).toFixed(1)}% of SendEmail calls`,
    );
    console.log(
      `raw SendEmail/s into the SES emulator (concurrency 20): ${rawRate.toFixed(0)}; campaign/raw ${(achieved / rawRate).toFixed(3)}`,
    );
  } finally {
    await runtime.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLetterSendingBench();
