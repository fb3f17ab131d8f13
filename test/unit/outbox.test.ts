import { describe, expect, it } from 'vitest';
import { type OutboxDeps, startLeadIntake, sweepPendingIntake } from '#shared/leads/outbox.ts';
import { InMemoryBank, InMemoryStarter, testClock } from './support/in-memory.ts';
import { aLead, newLeadOf } from './support/ports-contract.ts';

async function outbox(leads: number, now = '2026-11-23T10:00:00.000Z') {
  const bank = new InMemoryBank();
  const starter = new InMemoryStarter();
  const clock = testClock(now);
  const ids: string[] = [];
  for (let i = 0; i < leads; i++) {
    const lead = aLead({
      receivedAt: new Date(Date.parse('2026-11-23T09:00:00.000Z') + i * 1000).toISOString(),
    });
    await bank.leads.capture(newLeadOf(lead));
    ids.push(lead.leadId);
  }
  const deps: OutboxDeps = { leads: bank.leads, starter, now: clock.now };
  return { bank, starter, deps, ids, clock };
}

describe('the outbox', () => {
  it('starts a lead once and confirms it, which takes it out of the pending intake', async () => {
    const { bank, starter, deps, ids } = await outbox(1);
    const [leadId = ''] = ids;
    expect(await startLeadIntake(deps, leadId)).toBe('started');
    expect(await startLeadIntake(deps, leadId)).toBe('already_started');
    expect([...starter.executions]).toEqual([leadId]);
    expect(bank.pending.has(leadId)).toBe(false);
  });

  it('sweeps every pending lead, across more than one page', async () => {
    const { bank, starter, deps, ids } = await outbox(25);
    expect(await sweepPendingIntake(deps, { graceMinutes: 2, batchSize: 10 })).toEqual({
      pending: 25,
      started: 25,
    });
    expect([...starter.executions].sort()).toEqual([...ids].sort());
    expect(bank.pending.size).toBe(0);
    expect(await sweepPendingIntake(deps, { graceMinutes: 2, batchSize: 10 })).toEqual({
      pending: 0,
      started: 0,
    });
  });

  it('leaves leads younger than the grace period to the stream, and counts an already started one as swept', async () => {
    // Received 09:00:00, :01 and :02; at 09:02:01.5 only the first two are past the 2-minute grace.
    const { starter, deps, ids } = await outbox(3, '2026-11-23T09:02:01.500Z');
    await starter.startLeadIntake(ids[0] ?? '');
    expect(await sweepPendingIntake(deps, { graceMinutes: 2, batchSize: 10 })).toEqual({
      pending: 2,
      started: 1,
    });
    expect(starter.executions.has(ids[2] ?? '')).toBe(false);
  });
});
