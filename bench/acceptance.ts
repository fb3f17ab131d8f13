import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_MANAGERS, demoEnquiry } from '#local/demo-data.ts';
import { signInLocally } from '#local/sign-in.ts';
import { spawnLocalRuntime } from '#local/spawn.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { keys } from '#shared/adapters/table.ts';
import type { Lead } from '#shared/leads/lead.ts';
import { ACCEPTANCE_SLAS } from '#shared/managers/acceptance-sla.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { drain } from './usage.ts';

/**
 * The acceptance loop under a burst (issue 7): BENCH_ACCEPTANCE_LEADS leads (1,000 by default) at once
 * over 20 personal managers, under the `burst` SLA (every wait 30 s), where 14 managers accept what they
 * are offered, 3 decline it and 3 stay silent. A robot answers for each manager from the emails in the
 * local mailbox, as the manager would from the links. Printed: offers per second, the share accepted and
 * accepted within the SLA, the spread of accepted leads over the accepting managers, the leads left to
 * the head of unit, and whether every hold that ended gave its capacity back.
 */
const LEADS = Number(process.env.BENCH_ACCEPTANCE_LEADS ?? 1000);
const CONCURRENCY = 50;
const ACCEPTING = 14;
const DECLINING = 3;
const SILENT = 3;
const DEADLINE_MS = 10 * 60_000;
type Behaviour = 'accepts' | 'declines' | 'silent';

export async function runAcceptanceBench(): Promise<void> {
  const runtime = await spawnLocalRuntime({
    ATTRACT_ACCEPTANCE_SLA: 'burst',
    ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: runtime.urls.dynamodb }));
    const tableName = ((await ddb.send(new ListTablesCommand({}))).TableNames ?? [])[0] ?? '';
    const directory = new Directory(ddb, tableName);
    // Only the bench's managers take leads: the demo managers step aside.
    for (const demo of DEMO_MANAGERS) {
      const stored = await directory.get(demo.managerId);
      if (stored) await directory.putManager({ ...stored, active: false });
    }
    const behaviours: Behaviour[] = [
      ...Array<Behaviour>(ACCEPTING).fill('accepts'),
      ...Array<Behaviour>(DECLINING).fill('declines'),
      ...Array<Behaviour>(SILENT).fill('silent'),
    ];
    const managers = behaviours.map((behaviour, i) => ({
      managerId: `pm-burst-${String(i).padStart(2, '0')}`,
      email: `pm-burst-${String(i).padStart(2, '0')}@bank.example`,
      behaviour,
    }));
    for (const m of managers) {
      await directory.putManager({
        managerId: m.managerId,
        name: `Burst ${m.managerId}`,
        email: m.email,
        language: 'ru',
        segments: ['corporate', 'mid_market', 'small_business'],
        regions: ['*'],
        industries: ['*'],
        products: [],
        capacity: LEADS,
        weight: 1,
        workingHours: ROUND_THE_CLOCK,
        holidays: [],
        absences: [],
        activeLeads: 0,
        active: true,
      });
    }
    const head = runtime.tokens['irina.head'] ?? '';
    const tokens = new Map<string, string>();
    for (const m of managers) {
      tokens.set(
        m.email,
        await signInLocally(runtime.urls.api, head, {
          username: m.managerId,
          groups: ['personal_manager'],
          managerId: m.managerId,
        }),
      );
    }
    const byEmail = new Map(managers.map((m) => [m.email, m]));

    // The burst, and the managers' robot answering every email as it comes.
    const started = performance.now();
    const leadIds: string[] = [];
    let answered = 0;
    let stop = false;
    const robot = (async () => {
      let seen = 0;
      while (!stop) {
        const { emails } = (await (await fetch(`${runtime.urls.mailbox}/store`)).json()) as {
          emails: { destination: { to: string[] }; body: { text?: string } }[];
        };
        const fresh = emails.slice(seen);
        seen = emails.length;
        await Promise.all(
          fresh.map(async (email) => {
            const manager = byEmail.get(email.destination.to[0] ?? '');
            const leadId = leadOfLink(email.body.text ?? '');
            if (!manager || !leadId || manager.behaviour === 'silent') return;
            const body =
              manager.behaviour === 'accepts'
                ? { action: 'accept' }
                : { action: 'decline', reasonCode: 'not_my_industry' };
            await fetch(`${runtime.urls.api}/v1/leads/${leadId}/decision`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${tokens.get(manager.email)}`,
              },
              body: JSON.stringify(body),
            });
            answered += 1;
          }),
        );
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LEADS) {
          next += 1;
          const reply = await fetch(`${runtime.urls.api}/v1/leads`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(demoEnquiry()),
          });
          const { leadId } = (await reply.json()) as { leadId?: string };
          if (leadId) leadIds.push(leadId);
        }
      }),
    );
    const burstSeconds = (performance.now() - started) / 1000;
    const rested =
      (await drain(new SFNClient({ ...aws, endpoint: runtime.urls.stepFunctions }), DEADLINE_MS)) !==
      undefined;
    const totalSeconds = (performance.now() - started) / 1000;
    stop = true;
    await robot;

    // What became of each lead, read from the table.
    const leads: Lead[] = [];
    for (const leadId of leadIds) {
      const { Item } = await ddb.send(new GetCommand({ TableName: tableName, Key: keys.lead(leadId) }));
      if (Item) leads.push(Item as Lead);
    }
    const offers = leads.reduce((n, l) => n + (l.exclusions?.length ?? 0) + (l.assignment ? 1 : 0), 0);
    const accepted = leads.filter((l) => l.assignment?.acceptedAt);
    const inTime = accepted.filter(
      (l) => (l.assignment?.acceptedAt ?? '') <= (l.assignment?.acceptance.dueAt ?? ''),
    );
    const count = (status: string) => leads.filter((l) => l.status === status).length;
    const perAccepting = managers
      .filter((m) => m.behaviour === 'accepts')
      .map((m) => accepted.filter((l) => l.assignment?.managerId === m.managerId).length);
    const loads = await Promise.all(
      managers.map(async (m) => ({ ...m, load: (await directory.get(m.managerId))?.activeLeads ?? -1 })),
    );
    const idleHeld = loads.filter((m) => m.behaviour !== 'accepts').reduce((n, m) => n + m.load, 0);
    const heldByAccepting = loads.filter((m) => m.behaviour === 'accepts').reduce((n, m) => n + m.load, 0);
    const pct = (n: number) => `${((100 * n) / Math.max(1, leads.length)).toFixed(1)}%`;

    const sla = ACCEPTANCE_SLAS.burst;
    console.log(
      `acceptance burst: ${leads.length} leads over ${managers.length} managers (${ACCEPTING} accept, ${DECLINING} decline, ${SILENT} silent), SLA \`burst\` ${sla.workingMinutes.standard} s a wait, ${sla.maxAttempts} offers before the head of unit`,
    );
    console.log(
      `  burst ${burstSeconds.toFixed(1)} s; every run ended ${rested ? `after ${totalSeconds.toFixed(1)} s` : `NOT within ${DEADLINE_MS / 60_000} min`}; ${answered} answers by the managers' robot`,
    );
    console.log(
      `  offers made: ${offers} (${(offers / totalSeconds).toFixed(1)} per second, ${(offers / Math.max(1, leads.length)).toFixed(2)} per lead)`,
    );
    console.log(
      `  accepted: ${accepted.length} (${pct(accepted.length)}), within the SLA: ${inTime.length} (${pct(inTime.length)})`,
    );
    console.log(
      `  escalated to the head of unit: ${count('escalated')}; left unassigned (no manager left): ${count('awaiting_manager')}; other: ${leads.length - accepted.length - count('escalated') - count('awaiting_manager')}${otherwise(leads)}`,
    );
    console.log(
      `  accepted per accepting manager: max ${Math.max(...perAccepting)}, min ${Math.min(...perAccepting)} (max/min ${(Math.max(...perAccepting) / Math.max(1, Math.min(...perAccepting))).toFixed(2)})`,
    );
    console.log(
      `  capacity: declining and silent managers hold ${idleHeld} units at the end (0 expected); accepting managers hold ${heldByAccepting} for ${accepted.length} accepted leads`,
    );
  } finally {
    await runtime.stop();
  }
}

/** What became of the leads neither accepted nor waiting for the head of unit, by status (and error). */
function otherwise(leads: Lead[]): string {
  const tally = new Map<string, number>();
  for (const l of leads) {
    if (l.assignment?.acceptedAt || l.status === 'escalated' || l.status === 'awaiting_manager') continue;
    const key = l.failure ? `${l.status} ${l.failure.error}` : l.status;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return tally.size ? ` (${[...tally].map(([k, n]) => `${k}: ${n}`).join(', ')})` : '';
}

/** The lead an email's decision link names (the token's `lead` claim), whatever the email's language. */
function leadOfLink(text: string): string | undefined {
  const token = /\/v1\/decisions\/([\w-]+\.[\w-]+\.[\w-]+)/.exec(text)?.[1];
  if (!token) return undefined;
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    lead?: string;
  };
  return payload.lead;
}

if (import.meta.main) await runAcceptanceBench();
