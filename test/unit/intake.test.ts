import { describe, expect, it } from 'vitest';
import { assignManager } from '#shared/leads/assign-manager.ts';
import {
  assessLead,
  enrichLead,
  type IntakeDeps,
  recordIntakeFailure,
  screenLead,
  statusFromFacts,
} from '#shared/leads/intake.ts';
import type { Lead } from '#shared/leads/lead.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { acceptanceSla } from '#shared/managers/acceptance-sla.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { InMemoryBank, RecordedEvents, testClock } from './support/in-memory.ts';
import { anAssignment } from './support/managers.ts';
import { aLead, aManager, newLeadOf } from './support/ports-contract.ts';

async function intake(
  lead: Lead = aLead({ company: { name: 'Romashka', inn: '7707083893', sizeBand: 'medium' } }),
) {
  const bank = new InMemoryBank();
  const events = new RecordedEvents();
  const clock = testClock();
  const deps: IntakeDeps = {
    leads: bank.leads,
    managers: bank.managers,
    clients: bank.clients,
    events,
    now: clock.now,
  };
  await bank.leads.capture(newLeadOf(lead));
  return { bank, events, clock, deps, lead };
}

/** The lead as stored now: the steps take it as their one read gave it. */
async function storedLead(bank: InMemoryBank, leadId: string): Promise<Lead> {
  const lead = await bank.leads.get(leadId);
  if (!lead) throw new Error(`lead ${leadId} not stored`);
  return lead;
}

describe('screenLead', () => {
  it("reads the lead once; an existing client's lead is not scored, another is scored and classed", async () => {
    const { bank, deps, events, lead } = await intake();
    await bank.putClient({ clientId: 'c-1', inn: lead.company.inn, name: 'Client', managerId: 'pm-own' });
    const other = aLead({ company: { name: 'Vasilek', inn: '5001001008', sizeBand: 'large' } });
    await bank.leads.capture(newLeadOf(other));
    let reads = 0;
    const get = bank.leads.get.bind(bank.leads);
    const counted = {
      ...deps,
      leads: Object.assign(Object.create(bank.leads), {
        get: (id: string) => {
          reads += 1;
          return get(id);
        },
      }),
    };

    const client = await screenLead(counted, scoringConfig, lead.leadId);
    const prospect = await screenLead(counted, scoringConfig, other.leadId);

    expect(client).toEqual({ regionCode: '77', existingClient: { clientId: 'c-1', managerId: 'pm-own' } });
    expect(prospect).toMatchObject({
      regionCode: other.regionCode,
      leadClass: expect.any(String),
      total: expect.any(Number),
    });
    expect(reads).toBe(2);
    expect(events.of('LeadScored').map((e) => e.leadId)).toEqual([other.leadId]);
    expect(events.of('LeadCaptured')).toHaveLength(2);
  });
});

describe('enrichLead', () => {
  it('matches an existing client by INN, records it, and announces the captured lead', async () => {
    const { bank, deps, events, lead } = await intake();
    await bank.putClient({ clientId: 'c-1', inn: lead.company.inn, name: 'Client', managerId: 'pm-own' });
    expect(await enrichLead(deps, await storedLead(bank, lead.leadId))).toEqual({
      regionCode: '77',
      existingClient: { clientId: 'c-1', managerId: 'pm-own' },
    });
    expect((await bank.leads.get(lead.leadId))?.existingClient).toEqual({
      clientId: 'c-1',
      managerId: 'pm-own',
    });
    expect(events.of('LeadCaptured')).toEqual([expect.objectContaining({ existingClient: true })]);
  });

  it('takes back a lead whose earlier run failed: the failure is cleared and kept in the timeline', async () => {
    const { bank, deps, lead, clock } = await intake();
    await bank.putManager(aManager({ segments: ['mid_market'] }));
    await assessLead(deps, scoringConfig, await storedLead(bank, lead.leadId));
    await recordIntakeFailure(deps, lead.leadId, 'ManagerNotInDirectory');
    clock.advance(60_000);

    await enrichLead(deps, await storedLead(bank, lead.leadId));

    const resumed = await bank.leads.get(lead.leadId);
    expect(resumed?.status).toBe('qualified');
    expect(resumed?.failure).toBeUndefined();
    const timeline = (await bank.leads.read(lead.leadId))?.timeline ?? [];
    expect(timeline.map((e) => e.kind)).toEqual(['received', 'assessed', 'intake_failed', 'intake_resumed']);
    expect(timeline.at(-1)?.details).toMatchObject({ failure: { error: 'ManagerNotInDirectory' } });
  });

  it('leaves a lead that is not failed as it is', async () => {
    const { bank, deps, lead } = await intake();
    await enrichLead(deps, await storedLead(bank, lead.leadId));
    expect((await bank.leads.read(lead.leadId))?.timeline.map((e) => e.kind)).toEqual(['received']);
  });
});

describe('statusFromFacts', () => {
  it('derives where a lead stands from what is stored about it', () => {
    const assignedAt = '2026-11-23T10:00:00.000Z';
    expect(statusFromFacts(aLead())).toBe('received');
    expect(statusFromFacts(aLead({ leadClass: 'unqualified' }))).toBe('nurture');
    expect(statusFromFacts(aLead({ leadClass: 'key' }))).toBe('qualified');
    expect(statusFromFacts(aLead({ assignment: anAssignment('m', { assignedAt }) }))).toBe('assigned');
    expect(
      statusFromFacts(aLead({ assignment: anAssignment('m', { kind: 'existing_client', assignedAt }) })),
    ).toBe('handed_to_client_manager');
    const accepted = anAssignment('m', { assignedAt, acceptedAt: assignedAt });
    expect(statusFromFacts(aLead({ assignment: accepted }))).toBe('accepted');
    const lost = { kind: 'lost' as const, reasonCode: 'price', configVersion: 'v', at: assignedAt, by: 'u' };
    expect(statusFromFacts(aLead({ assignment: accepted, outcome: lost }))).toBe('lost');
  });
});

describe('assessLead', () => {
  it('stores the score with its breakdown and publishes what it stored', async () => {
    const { bank, deps, events, lead } = await intake();
    const assessment = await assessLead(deps, scoringConfig, await storedLead(bank, lead.leadId));
    const stored = await bank.leads.get(lead.leadId);
    expect(stored?.score?.total).toBe(assessment.total);
    expect(stored?.leadClass).toBe(assessment.leadClass);
    expect(events.of('LeadScored')).toEqual([
      expect.objectContaining({ total: assessment.total, leadClass: assessment.leadClass }),
    ]);
  });

  it('is refused once a manager has the lead: nothing rewritten, nothing published', async () => {
    const { bank, deps, events, lead } = await intake();
    await bank.putManager(aManager({ managerId: 'pm-own' }));
    await assignManager({ ...deps, routingPolicy, acceptanceSla }, lead.leadId, 'pm-own');
    const before = await bank.leads.get(lead.leadId);

    await assessLead(deps, scoringConfig, await storedLead(bank, lead.leadId));

    expect(events.of('LeadScored')).toEqual([]);
    expect(await bank.leads.get(lead.leadId)).toEqual(before);
    expect((await bank.leads.read(lead.leadId))?.timeline.map((e) => e.kind)).not.toContain('assessed');
  });
});

describe('recordIntakeFailure', () => {
  it('marks the lead failed with the error name only, once for a retried step', async () => {
    const { bank, deps, lead, clock } = await intake();
    expect(await recordIntakeFailure(deps, lead.leadId, 'States.TaskFailed')).toBe('recorded');
    clock.advance(1000);
    expect(await recordIntakeFailure(deps, lead.leadId, 'States.TaskFailed')).toBe('already_failed');
    const record = await bank.leads.read(lead.leadId);
    expect(record?.lead).toMatchObject({ status: 'intake_failed', failure: { error: 'States.TaskFailed' } });
    expect(record?.timeline.map((e) => e.kind)).toEqual(['received', 'intake_failed']);
    expect(JSON.stringify(record?.timeline)).not.toContain(lead.contact.email);
  });
});

describe('enrichLead, run again', () => {
  it('keeps a stored client match as it was: its entry keeps the time the match was made', async () => {
    const { bank, deps, lead, clock } = await intake();
    await bank.putClient({ clientId: 'c-1', inn: lead.company.inn, name: 'Client', managerId: 'pm-own' });
    await enrichLead(deps, await storedLead(bank, lead.leadId));
    const first = (await bank.leads.read(lead.leadId))?.timeline.at(-1);
    clock.advance(60_000);
    await enrichLead(deps, await storedLead(bank, lead.leadId));
    expect((await bank.leads.read(lead.leadId))?.timeline.at(-1)).toEqual(first);
  });
});
