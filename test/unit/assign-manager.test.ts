import { describe, expect, it } from 'vitest';
import { type AssignDeps, assignManager } from '#shared/leads/assign-manager.ts';
import type { Lead } from '#shared/leads/lead.ts';
import { acceptanceSla } from '#shared/managers/acceptance-sla.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { InMemoryBank, RecordedEvents, testClock } from './support/in-memory.ts';
import { anAssignment } from './support/managers.ts';
import { aLead, aManager, byRotation, newLeadOf } from './support/ports-contract.ts';

// Monday 23 November 2026, 13:00 in Moscow: the standard week's managers are at work.
const MONDAY_AT_ONE = '2026-11-23T10:00:00.000Z';

async function intake(
  lead: Lead = aLead({ company: { name: 'Romashka', inn: '7707083893', sizeBand: 'medium' } }),
) {
  const bank = new InMemoryBank();
  const events = new RecordedEvents();
  const clock = testClock(MONDAY_AT_ONE);
  const deps: AssignDeps = {
    leads: bank.leads,
    managers: bank.managers,
    clients: bank.clients,
    events,
    now: clock.now,
    routingPolicy,
    acceptanceSla,
  };
  await bank.leads.capture(newLeadOf(lead));
  return { bank, events, clock, deps, lead };
}

describe('assignManager', () => {
  it("hands an existing client's enquiry to its own manager whatever their load, and counts the hold", async () => {
    const { bank, deps, events, lead } = await intake();
    const own = aManager({ capacity: 0 });
    await bank.putManager(own);

    const result = await assignManager(deps, lead.leadId, own.managerId);

    expect(result).toMatchObject({ outcome: 'assigned', managerId: own.managerId });
    expect(await bank.leads.get(lead.leadId)).toMatchObject({
      status: 'handed_to_client_manager',
      assignment: { kind: 'existing_client', managerId: own.managerId },
      routing: { rule: 'existing_client', managerId: own.managerId, policyVersion: routingPolicy.version },
    });
    const after = await bank.managers.get(own.managerId);
    expect([after?.activeLeads, after?.lastAssignedAt]).toEqual([1, undefined]);
    expect(events.of('LeadAssigned')).toEqual([
      expect.objectContaining({ assignmentKind: 'existing_client' }),
    ]);
  });

  it('routes to the least loaded fitting manager, takes a unit and their turn, and stores why', async () => {
    const { bank, deps, lead } = await intake();
    const busy = aManager({ managerId: 'pm-busy', activeLeads: 3, capacity: 5 });
    const free = aManager({ managerId: 'pm-free', activeLeads: 1, capacity: 5 });
    const elsewhere = aManager({ managerId: 'pm-elsewhere', regions: ['78'] });
    for (const m of [busy, free, elsewhere]) await bank.putManager(m);

    expect(await assignManager(deps, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: 'pm-free',
    });

    expect(await bank.managers.get('pm-free')).toMatchObject({
      activeLeads: 2,
      lastAssignedAt: MONDAY_AT_ONE,
    });
    expect((await bank.managers.get('pm-busy'))?.activeLeads).toBe(3);
    const { routing } = (await bank.leads.get(lead.leadId)) ?? {};
    expect(routing).toMatchObject({ rule: 'best_fit', ranked: ['pm-free', 'pm-busy'], managerId: 'pm-free' });
    expect(routing?.considered).toContainEqual({
      managerId: 'pm-elsewhere',
      verdict: 'passed_over',
      reasons: ['region'],
      load: '0/5',
    });
  });

  it('moves on to the next manager when another lead took the last unit since the roster was read', async () => {
    const { bank, deps, lead } = await intake();
    await bank.putManager(aManager({ managerId: 'pm-a', capacity: 1 }));
    await bank.putManager(aManager({ managerId: 'pm-b', capacity: 2, activeLeads: 1 }));
    const rival = aLead();
    await bank.leads.capture(newLeadOf(rival));
    // Fault injection: the rival takes pm-a's last unit between the read of the roster and the write.
    const racing: AssignDeps = {
      ...deps,
      managers: {
        ...bank.managers,
        list: async () => {
          const snapshot = await bank.managers.list();
          await bank.leads.assignIfUnassigned(
            rival.leadId,
            anAssignment('pm-a', { assignedAt: MONDAY_AT_ONE }),
            {
              status: 'assigned',
              entry: { at: MONDAY_AT_ONE, kind: 'assigned' },
              ...byRotation('pm-a'),
            },
          );
          return snapshot;
        },
      },
    };

    expect(await assignManager(racing, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: 'pm-b',
    });

    expect((await bank.managers.get('pm-a'))?.activeLeads).toBe(1);
    expect((await bank.managers.get('pm-b'))?.activeLeads).toBe(2);
    expect((await bank.leads.get(lead.leadId))?.routing).toMatchObject({ managerId: 'pm-b', full: ['pm-a'] });
  });

  it('lets equal managers take turns when routings run at once, all reading the same roster', async () => {
    const { bank, deps } = await intake();
    const unit = ['pm-a', 'pm-b', 'pm-c', 'pm-d'].map((managerId) => aManager({ managerId, capacity: 5 }));
    for (const m of unit) await bank.putManager(m);
    const leads = Array.from({ length: 8 }, (_, i) =>
      aLead({ company: { name: `Romashka ${i}`, inn: `77070838${10 + i}`, sizeBand: 'medium' } }),
    );
    for (const lead of leads) await bank.leads.capture(newLeadOf(lead));
    // Each routing reads the roster before any writes: without the turn as read, all would pick pm-a.
    let tick = Date.parse(MONDAY_AT_ONE);
    const ticking = { ...deps, now: () => new Date(tick++) };

    const results = await Promise.all(leads.map((lead) => assignManager(ticking, lead.leadId, undefined)));

    expect(results.every((r) => r.outcome === 'assigned')).toBe(true);
    const loads = await Promise.all(
      unit.map(async (m) => (await bank.managers.get(m.managerId))?.activeLeads),
    );
    expect(loads).toEqual([2, 2, 2, 2]);
  });

  it('fills the least loaded manager in a burst only up to the next one, then all take turns', async () => {
    const { bank, deps } = await intake();
    const unit = [
      aManager({ managerId: 'pm-light', capacity: 10, activeLeads: 0 }),
      aManager({ managerId: 'pm-busy-1', capacity: 10, activeLeads: 2 }),
      aManager({ managerId: 'pm-busy-2', capacity: 10, activeLeads: 2 }),
    ];
    for (const m of unit) await bank.putManager(m);
    const leads = Array.from({ length: 7 }, (_, i) =>
      aLead({ company: { name: `Lilia ${i}`, inn: `77070839${10 + i}`, sizeBand: 'medium' } }),
    );
    for (const lead of leads) await bank.leads.capture(newLeadOf(lead));
    let tick = Date.parse(MONDAY_AT_ONE);
    const ticking = { ...deps, now: () => new Date(tick++) };

    await Promise.all(leads.map((lead) => assignManager(ticking, lead.leadId, undefined)));

    const loads = await Promise.all(
      unit.map(async (m) => (await bank.managers.get(m.managerId))?.activeLeads),
    );
    expect(loads.reduce((a = 0, b = 0) => a + b, 0)).toBe(11);
    expect(Math.max(...(loads as number[])) - Math.min(...(loads as number[]))).toBeLessThanOrEqual(1);
  });

  it('leaves the lead awaiting a manager when none fits, says why of each, and tells the head of unit', async () => {
    const { bank, deps, events, lead } = await intake();
    await bank.putManager(aManager({ managerId: 'pm-north', regions: ['78'] }));
    await bank.putManager(aManager({ managerId: 'pm-full', activeLeads: 5, capacity: 5 }));
    await bank.putManager(
      aManager({ managerId: 'pm-away', absences: [{ from: '2026-11-20', to: '2026-11-27' }] }),
    );

    expect(await assignManager(deps, lead.leadId, undefined)).toEqual({ outcome: 'unassigned' });

    const stored = await bank.leads.get(lead.leadId);
    expect(stored?.status).toBe('awaiting_manager');
    expect(stored?.routing?.rule).toBe('unassigned');
    expect(stored?.routing?.considered.map((c) => [c.managerId, c.reasons])).toEqual([
      ['pm-away', ['absent']],
      ['pm-full', ['no_capacity']],
      ['pm-north', ['region']],
    ]);
    expect(events.of('LeadAssigned')).toEqual([]);
    expect(events.of('LeadEscalated')).toEqual([
      expect.objectContaining({ leadId: lead.leadId, cause: 'no_manager', attempts: 0 }),
    ]);
  });

  it("offers a referred lead to the referring client's manager first", async () => {
    const referred = aLead({
      company: { name: 'Romashka', inn: '7707083893', sizeBand: 'medium' },
      attribution: {
        channel: 'referral',
        referral: { code: 'SEVER-2026', clientId: 'c-1', managerId: 'pm-ref' },
      },
    });
    const { bank, deps, lead } = await intake(referred);
    await bank.putManager(aManager({ managerId: 'pm-ref', activeLeads: 4 }));
    await bank.putManager(aManager({ managerId: 'pm-idle' }));

    expect(await assignManager(deps, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: 'pm-ref',
    });
    expect((await bank.leads.get(lead.leadId))?.routing?.rule).toBe('referrer_manager');
  });

  it('gives a lead that comes on Saturday to a manager whose next shift takes it, and says so', async () => {
    const { bank, deps, clock, lead } = await intake();
    clock.advance(5 * 24 * 3_600_000); // Saturday 28 November, 13:00 in Moscow
    await bank.putManager(aManager({ managerId: 'pm-a' }));

    expect(await assignManager(deps, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: 'pm-a',
    });
    expect((await bank.leads.get(lead.leadId))?.routing).toMatchObject({
      rule: 'best_fit',
      outsideHours: true,
    });
  });

  it('run again, announces the stored assignment and takes no second unit', async () => {
    const { bank, deps, events, lead } = await intake();
    await bank.putManager(aManager({ managerId: 'pm-a' }));
    await assignManager(deps, lead.leadId, undefined);

    expect(await assignManager(deps, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: 'pm-a',
    });

    expect((await bank.managers.get('pm-a'))?.activeLeads).toBe(1);
    const announced = events.of('LeadAssigned');
    expect(announced).toHaveLength(2);
    expect(announced[1]).toEqual(announced[0]);
  });
});
