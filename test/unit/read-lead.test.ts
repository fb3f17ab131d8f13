import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import type { LeadRead, LeadReads } from '#shared/access/lead-reads.ts';
import type { StaffMember } from '#shared/access/roles.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { readLead } from '#shared/leads/read-lead.ts';
import { captureDepsOf, InMemoryBank, testClock } from './support/in-memory.ts';

/** Reads recorded in memory; `failing` makes the audit store refuse, as a throttled table would. */
class RecordedReads implements Pick<LeadReads, 'record'> {
  readonly reads: LeadRead[] = [];
  failing = false;
  async record(read: LeadRead): Promise<void> {
    if (this.failing) throw new Error('audit store unavailable');
    this.reads.push(structuredClone(read));
  }
}

async function aStoredLead() {
  const bank = new InMemoryBank();
  const clock = testClock();
  const answer = await captureLead(captureDepsOf(bank, clock), {
    channel: 'web',
    body: demoEnquiry(),
    clientAddress: '192.0.2.1',
  });
  if (answer.kind !== 'accepted') throw new Error('not stored');
  const reads = new RecordedReads();
  return { bank, clock, reads, leadId: answer.leadId, deps: { leads: bank.leads, reads, now: clock.now } };
}

const head: StaffMember = { userId: 'irina.head', roles: ['head_of_unit'] };
const otherManager: StaffMember = {
  userId: 'pm-petrov',
  roles: ['personal_manager'],
  managerId: 'pm-petrov',
};

describe('readLead: staff reads of personal data are audited', () => {
  it('records who read which lead and when before showing it', async () => {
    const { deps, reads, leadId, clock } = await aStoredLead();
    const view = await readLead(deps, head, leadId, 'request-1');
    expect(view?.leadId).toBe(leadId);
    expect(reads.reads).toEqual([
      {
        leadId,
        readerId: 'irina.head',
        roles: ['head_of_unit'],
        at: clock.now().toISOString(),
        requestId: 'request-1',
      },
    ]);
  });

  it('records nothing for a read that is refused, and shows nothing', async () => {
    const { deps, reads, leadId } = await aStoredLead();
    expect(await readLead(deps, otherManager, leadId, 'request-2')).toBeUndefined();
    expect(await readLead(deps, head, randomUUID(), 'request-3')).toBeUndefined();
    expect(reads.reads).toEqual([]);
  });

  it('shows nothing when the read cannot be recorded', async () => {
    const { deps, reads, leadId } = await aStoredLead();
    reads.failing = true;
    await expect(readLead(deps, head, leadId, 'request-4')).rejects.toThrow('audit store unavailable');
  });
});
