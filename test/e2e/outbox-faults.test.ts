import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  call,
  clientAddress,
  enquiry,
  eventually,
  executionsOf,
  leadAtRest,
  mailbox,
  tokens,
} from './client.ts';

// Faults are injected into the local Step Functions service: only to make StartExecution fail, never to
// stand in for the thing under test (the starter, the stream mapping and the workflow run for real).
const faults = (body?: object) =>
  fetch(`${inject('stepFunctions')}/__faults`, {
    method: body ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const faultsUsedUp = () =>
  eventually(async () => {
    const { faults: left } = (await (await fetch(`${inject('stepFunctions')}/__faults`)).json()) as {
      faults: unknown[];
    };
    return left.length === 0 ? true : undefined;
  }, 'every injected fault to be used');

describe('the outbox: a stored lead always reaches its workflow', () => {
  afterEach(async () => {
    await faults();
  });

  it('starts exactly one execution when StartExecution fails twice, once after starting it', async () => {
    // Prepare: the first call starts the execution but its answer is lost; the second fails outright.
    expect((await faults({ operation: 'StartExecution', mode: 'fail_after', count: 1 })).ok).toBe(true);
    expect((await faults({ operation: 'StartExecution', mode: 'fail_before', count: 1 })).ok).toBe(true);

    // Act
    const { status, body } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });
    expect(status).toBe(202);

    // Assess: one execution, named by the lead, waits for the manager, who got one email.
    await faultsUsedUp();
    expect((await leadAtRest(body.leadId)).status).toBe('assigned');
    expect(await executionsOf(body.leadId)).toHaveLength(1);
    const emails = await eventually(async () => {
      const found = (await mailbox()).filter((m) => m.html.includes(body.leadId));
      return found.length ? found : undefined;
    }, 'the manager email');
    expect(emails).toHaveLength(1);
  });

  it('redelivers from the stream when StartExecution keeps failing past the SDK retries', async () => {
    // Prepare: the SDK tries three times per call; four failures make the starter report the record as
    // failed, so only the stream mapping's retry of that record can start the workflow.
    expect((await faults({ operation: 'StartExecution', mode: 'fail_after', count: 1 })).ok).toBe(true);
    expect((await faults({ operation: 'StartExecution', mode: 'fail_before', count: 3 })).ok).toBe(true);

    const { body } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });

    // The execution started by the first attempt may finish while the starter still retries: wait for
    // every injected fault to be used before counting executions.
    await faultsUsedUp();
    expect((await leadAtRest(body.leadId)).status).toBe('assigned');
    expect(await executionsOf(body.leadId)).toHaveLength(1);
  });

  it('dead-letters the stream record when StartExecution keeps failing; the sweeper starts the lead once the service recovers', async () => {
    const deadLetters = async () =>
      Object.entries((await call('GET', '/__local/dead-letters')).body as Record<string, unknown[]>)
        .filter(([queue]) => queue.includes('StarterDlq'))
        .flatMap(([, messages]) => messages);
    const before = (await deadLetters()).length;
    expect((await faults({ operation: 'StartExecution', mode: 'fail_before', count: 1000 })).ok).toBe(true);

    const { body } = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });

    const letters = await eventually(
      async () => {
        const found = await deadLetters();
        return found.length > before ? found : undefined;
      },
      'the on-failure record',
      60_000,
    );
    expect(JSON.stringify(letters.at(-1))).toMatch(/DDBStreamBatchInfo|shardId|startSequenceNumber/);
    expect(await executionsOf(body.leadId)).toHaveLength(0);
    const lead = await call('GET', `/v1/leads/${body.leadId}`, { token: tokens()['irina.head'] });
    expect(lead.body.status).toBe('received');

    // The service recovers; the pending-intake sweeper (run now, as after an incident) starts the workflow.
    await faults();
    const { body: functions } = await call('GET', '/__local/functions');
    const sweeper = (functions as { name: string; entry: string }[]).find((f) =>
      f.entry.endsWith('sweep-pending-intake.ts'),
    );
    const swept = await call('POST', `/__local/functions/${sweeper?.name}/invoke`, {
      body: { graceMinutes: 0 },
    });
    expect(swept.body.started).toBeGreaterThanOrEqual(1);
    expect((await leadAtRest(body.leadId)).status).toBe('assigned');
    const delivered = await eventually(
      async () => (await mailbox()).find((m) => m.html.includes(body.leadId)),
      'the manager email after the sweep',
    );
    expect(delivered.subject).toMatch(/^(Новый лид|A new lead for you): /);
    // Swept once, the lead is no longer pending: a second sweep starts nothing for it. (Other test files
    // run beside this one, so the sweep may start their fresh leads: count this lead's executions.)
    const again = await call('POST', `/__local/functions/${sweeper?.name}/invoke`, {
      body: { graceMinutes: 0 },
    });
    expect(again.status).toBe(200);
    expect(await executionsOf(body.leadId)).toHaveLength(1);
  });
});
