import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { type StartedRuntime, spawnLocalRuntime } from '#local/spawn.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ACCEPTANCE_SLAS } from '#shared/managers/acceptance-sla.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import { eventually } from './client.ts';

/**
 * The timeout branch needs time to run out, so this file has a runtime of its own under the `drill`
 * acceptance SLA (the standard numbers as seconds), started as `npm start` starts it; the shared runtime
 * keeps the standard SLA, where no test's wait ever ends by itself.
 */
let runtime: StartedRuntime;
let directory: Directory;
const localAws = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

beforeAll(async () => {
  runtime = await spawnLocalRuntime({ ATTRACT_ACCEPTANCE_SLA: 'drill' });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...localAws, endpoint: runtime.urls.dynamodb }),
  );
  const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
  directory = new Directory(dynamo, TableNames.find((n) => n.includes('AttractTable')) ?? '');
});
afterAll(async () => {
  await runtime?.stop();
});

const readLead = async (leadId: string) => {
  const res = await fetch(`${runtime.urls.api}/v1/leads/${leadId}`, {
    headers: { authorization: `Bearer ${runtime.tokens['irina.head']}` },
  });
  return res.json() as Promise<{
    status: string;
    assignedManager: { managerId: string; attempt: number } | null;
    timeline: { kind: string; details?: { managerId?: string } }[];
  }>;
};

async function finished(leadId: string) {
  const sfn = new SFNClient({ ...localAws, endpoint: runtime.urls.stepFunctions });
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  const stateMachineArn = stateMachines.find((m) => m.name?.includes('LeadIntake'))?.stateMachineArn;
  return eventually(
    async () => {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      const execution = executions.find((e) => e.name === leadId);
      if (!execution || execution.status === 'RUNNING') return undefined;
      return sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    },
    `the execution of ${leadId} to end`,
    90_000,
  );
}

describe('acceptance timeouts on the local runtime (drill SLA)', () => {
  it('passes a lead nobody answers to the next manager each time the wait runs out, then to the head of unit', async () => {
    const drill = ACCEPTANCE_SLAS.drill;
    const unit = Array.from({ length: drill.maxAttempts }, (_, i) =>
      aManager({
        managerId: `pm-silent-${i}-${randomUUID().slice(0, 8)}`,
        regions: ['91'],
        workingHours: ROUND_THE_CLOCK,
      }),
    );
    for (const m of unit) await directory.putManager(m);
    const submission = demoEnquiry({
      company: {
        name: `Silent ${randomUUID().slice(0, 8)} LLC`,
        inn: completeInn10(`91${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`),
        sizeBand: 'medium',
        industry: 'manufacturing',
      },
    });
    const submitted = await fetch(`${runtime.urls.api}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(submission),
    });
    const { leadId } = (await submitted.json()) as { leadId: string };

    const execution = await finished(leadId);

    expect(execution.status).toBe('SUCCEEDED');
    const lead = await readLead(leadId);
    expect(lead.status).toBe('escalated');
    expect(lead.assignedManager).toBeNull();
    const timedOut = lead.timeline.filter((e) => e.kind === 'acceptance_timed_out');
    expect(timedOut.map((e) => e.details?.managerId).sort()).toEqual(unit.map((m) => m.managerId).sort());
    expect(lead.timeline.filter((e) => e.kind === 'manager_notified')).toHaveLength(drill.maxAttempts);
    // The head of unit's alert follows from the bus, whenever it lands: the intake itself ends escalated.
    expect(lead.timeline.filter((e) => e.kind !== 'head_of_unit_notified').at(-1)?.kind).toBe('escalated');
    // Every hold ended with its timeout: no manager keeps a unit for a lead that left them.
    for (const m of unit) expect((await directory.get(m.managerId))?.activeLeads).toBe(0);

    // The head of unit sees each timeout among the SLA breaches, newest first, a page at a time.
    const breaches: { leadId: string; managerId: string; kind: string; attempt: number }[] = [];
    let next: string | null = null;
    do {
      const page = await fetch(
        `${runtime.urls.api}/v1/unit/sla-breaches?limit=1${next ? `&after=${next}` : ''}`,
        { headers: { authorization: `Bearer ${runtime.tokens['irina.head']}` } },
      );
      expect(page.status).toBe(200);
      const body = (await page.json()) as { breaches: typeof breaches; next: string | null };
      breaches.push(...body.breaches);
      next = body.next;
    } while (next);
    const ours = breaches.filter((b) => b.leadId === leadId);
    expect(ours.map((b) => [b.kind, b.attempt])).toEqual([
      ['timed_out', 3],
      ['timed_out', 2],
      ['timed_out', 1],
    ]);
    expect(ours.map((b) => b.managerId).sort()).toEqual(unit.map((m) => m.managerId).sort());
    const forged = await fetch(`${runtime.urls.api}/v1/unit/sla-breaches?after=bm90LWEtY3Vyc29y`, {
      headers: { authorization: `Bearer ${runtime.tokens['irina.head']}` },
    });
    expect(forged.status).toBe(400);
  });
});
