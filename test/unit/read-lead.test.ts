import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import type { LeadRead, LeadReads } from '#shared/access/lead-reads.ts';
import type { StaffMember } from '#shared/access/roles.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { readLead, readLeadEnquiries, readLeadTimeline } from '#shared/leads/read-lead.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';

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
    const view = await readLead(deps, { viewer: head, leadId: leadId, requestId: 'request-1' });
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
    expect(
      await readLead(deps, { viewer: otherManager, leadId: leadId, requestId: 'request-2' }),
    ).toBeUndefined();
    expect(
      await readLead(deps, { viewer: head, leadId: randomUUID(), requestId: 'request-3' }),
    ).toBeUndefined();
    expect(reads.reads).toEqual([]);
  });

  it('shows nothing when the read cannot be recorded', async () => {
    const { deps, reads, leadId } = await aStoredLead();
    reads.failing = true;
    await expect(readLead(deps, { viewer: head, leadId: leadId, requestId: 'request-4' })).rejects.toThrow(
      'audit store unavailable',
    );
  });
});

describe("a lead's history, a page at a time", () => {
  it('pages the timeline and the later enquiries, recording each read, and refuses a made-up cursor', async () => {
    const { bank, clock, deps, reads, leadId } = await aStoredLead();
    const stored = await bank.leads.get(leadId);
    if (!stored) throw new Error('not stored');
    const capture = captureDepsOf(bank, clock);
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await captureLead(capture, {
        channel: 'web',
        body: demoEnquiry({ company: stored.company }),
        clientAddress: `192.0.2.${10 + i}`,
      });
    }
    const read = { viewer: head, leadId, requestId: 'request-5' };
    const first = await readLeadTimeline(deps, read, { limit: 2 });
    if (!first || 'kind' in first) throw new Error('no page');
    expect(first.entries.map((e) => e.kind)).toEqual(['received', 'touch']);
    const rest = await readLeadTimeline(deps, read, {
      limit: 10,
      ...(first.next ? { after: first.next } : {}),
    });
    expect(rest && !('kind' in rest) && rest.entries.map((e) => e.kind)).toEqual(['touch', 'touch']);

    const enquiries = await readLeadEnquiries(deps, read, { limit: 2 });
    if (!enquiries || 'kind' in enquiries) throw new Error('no page');
    expect(enquiries.enquiries).toHaveLength(2);
    expect(enquiries.next).toBeDefined();
    expect(await readLeadEnquiries(deps, read, { limit: 2, after: 'made-up' })).toEqual({
      kind: 'bad_cursor',
    });
    expect(reads.reads).toHaveLength(4);
  });

  it("shows another manager's lead history to nobody else, and records nothing", async () => {
    const { deps, reads, leadId } = await aStoredLead();
    const read = { viewer: otherManager, leadId, requestId: 'request-6' };
    expect(await readLeadTimeline(deps, read, { limit: 10 })).toBeUndefined();
    expect(await readLeadEnquiries(deps, read, { limit: 10 })).toBeUndefined();
    expect(reads.reads).toEqual([]);
  });
});
