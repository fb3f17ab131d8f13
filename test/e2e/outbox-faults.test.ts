import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  call,
  clientAddress,
  enquiry,
  eventually,
  executionsOf,
  finishedExecution,
  mailbox,
} from './client.ts';

// Faults are injected into the local Step Functions service: only to make StartExecution fail, never to
// stand in for the thing under test (the starter, the stream mapping and the workflow run for real).
const faults = (body?: object) =>
  fetch(`${inject('stepFunctions')}/__faults`, {
    method: body ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

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

    // Assess: one execution, named by the lead, succeeded, and the manager got one email.
    expect((await finishedExecution(body.leadId)).status).toBe('SUCCEEDED');
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

    expect((await finishedExecution(body.leadId)).status).toBe('SUCCEEDED');
    expect(await executionsOf(body.leadId)).toHaveLength(1);
    const used = (await (await fetch(`${inject('stepFunctions')}/__faults`)).json()) as { faults: unknown[] };
    expect(used.faults).toEqual([]);
  });
});
