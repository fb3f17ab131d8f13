import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { call, directory, eventually, executionsOf, finishedExecution, headToken, sfn } from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

const reassign = (leadId: string, token: string, body: object) =>
  call('POST', `/v1/leads/${leadId}/assignment`, { token, body });
const decide = (leadId: string, token: string, body: object) =>
  call('POST', `/v1/leads/${leadId}/decision`, { token, body });
const load = async (managerId: string) => (await (await directory()).get(managerId))?.activeLeads;
const read = async (leadId: string) =>
  (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;

/** The run a hand assignment started, once it has emailed its manager (or ended). */
async function handRunAtRest(name: string, leadId: string) {
  return eventually(async () => {
    const [run] = await executionsOf(name);
    if (!run) return undefined;
    const lead = await read(leadId);
    const notified = lead.timeline.filter((e: { kind: string }) => e.kind === 'manager_notified').length;
    return run.status !== 'RUNNING' || notified >= lead.assignedManager.attempt ? lead : undefined;
  }, `run ${name} at rest`);
}

/** The name of the state an execution ended in. */
async function endState(executionArn: string | undefined): Promise<string | undefined> {
  const { events = [] } = await sfn().send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 20 }),
  );
  return events.find((e) => e.type === 'SucceedStateExited')?.stateExitedEventDetails?.name;
}

describe('the head of unit reassigns a lead a manager holds', () => {
  it("takes an offer nobody answered from its manager: the waiting run ends, the new manager's run awaits them", async () => {
    const unit = await unitOf('84', 2);
    const lead = await leadFrom('84');
    const first = unit.find((m) => m.managerId === lead.assignedManager.managerId);
    const second = unit.find((m) => m !== first);
    if (!first || !second) throw new Error('the unit has two managers');

    // Only the head of unit reassigns; not to the manager who holds the lead.
    expect((await reassign(lead.leadId, first.token, { managerId: second.managerId })).status).toBe(403);
    const same = await reassign(lead.leadId, headToken(), { managerId: first.managerId });
    expect([same.status, same.body.error.code]).toEqual([409, 'assigned']);

    const moved = await reassign(lead.leadId, headToken(), {
      managerId: second.managerId,
      note: 'В отпуске',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ managerId: second.managerId, reassignedFrom: first.managerId });
    expect([await load(first.managerId), await load(second.managerId)]).toEqual([0, 1]);

    // The run that waited for the first manager ends in its own state; the first manager's answer is late.
    const waited = await finishedExecution(lead.leadId);
    expect(waited.status).toBe('SUCCEEDED');
    expect(await endState(waited.executionArn)).toBe('ReassignedByHand');
    const late = await decide(lead.leadId, first.token, { action: 'accept' });
    expect([late.status, late.body.error.code]).toEqual([409, 'reassigned']);

    const given = await handRunAtRest(`${lead.leadId}-by-hand-2`, lead.leadId);
    expect(given.status).toBe('assigned');
    expect(given.assignedManager).toMatchObject({ managerId: second.managerId, attempt: 2 });
    const entry = given.timeline.find(
      (e: { kind: string; details?: { attempt?: number } }) =>
        e.kind === 'assigned' && e.details?.attempt === 2,
    );
    expect(entry.details).toMatchObject({ fromManagerId: first.managerId, by: 'irina.head', byHand: true });

    expect((await decide(lead.leadId, second.token, { action: 'accept' })).status).toBe(200);
    const [run] = await executionsOf(`${lead.leadId}-by-hand-2`);
    const ended = await eventually(async () => {
      const d = await sfn().send(new DescribeExecutionCommand({ executionArn: run?.executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    }, 'the hand-assigned run to end');
    expect(ended.status).toBe('SUCCEEDED');
    expect((await read(lead.leadId)).status).toBe('accepted');
    expect([await load(first.managerId), await load(second.managerId)]).toEqual([0, 1]);
  });

  it('moves an accepted lead to another manager with its capacity, and never a lead whose outcome is recorded', async () => {
    const unit = await unitOf('83', 2);
    const lead = await leadFrom('83');
    const first = unit.find((m) => m.managerId === lead.assignedManager.managerId);
    const second = unit.find((m) => m !== first);
    if (!first || !second) throw new Error('the unit has two managers');
    expect((await decide(lead.leadId, first.token, { action: 'accept' })).status).toBe(200);
    expect((await finishedExecution(lead.leadId)).status).toBe('SUCCEEDED');

    const moved = await reassign(lead.leadId, headToken(), { managerId: second.managerId });
    expect(moved.status).toBe(200);
    expect([await load(first.managerId), await load(second.managerId)]).toEqual([0, 1]);
    // The first manager no longer sees it among their leads; the second has it to accept.
    const mine = await call('GET', '/v1/my-leads', { token: first.token });
    expect(mine.body.leads.map((l: { leadId: string }) => l.leadId)).not.toContain(lead.leadId);
    await handRunAtRest(`${lead.leadId}-by-hand-2`, lead.leadId);
    expect((await decide(lead.leadId, second.token, { action: 'accept' })).status).toBe(200);

    const outcome = await call('POST', `/v1/leads/${lead.leadId}/outcome`, {
      token: second.token,
      body: { outcome: 'converted', products: ['credit'] },
    });
    expect(outcome.status).toBe(200);
    const after = await reassign(lead.leadId, headToken(), { managerId: first.managerId });
    expect([after.status, after.body.error.code]).toEqual([409, 'decided']);
    expect([await load(first.managerId), await load(second.managerId)]).toEqual([0, 0]);
  });
});
