import { describe, expect, it } from 'vitest';
import type { Assignment, TimelineEntry } from '#shared/leads/lead.ts';
import { anAssignment, byRotation } from './managers.ts';
import { aLead, aManager, newLeadOf, type PortsUnderTest } from './ports-contract.ts';

const T0 = '2026-11-23T10:00:00.000Z';
const entry = (kind: TimelineEntry['kind']): TimelineEntry => ({ at: T0, kind });

/**
 * The acceptance part of the lead ports' contract (the wait's token, accept, the end of a hold, escalation),
 * kept by the in-memory ports and by the DynamoDB adapters alike.
 */
export function acceptanceContract(name: string, setup: () => PortsUnderTest) {
  describe(`the acceptance ports' contract: ${name}`, () => {
    /** A lead offered to a manager who has one other lead: their load is 2 once it is assigned. */
    async function offered() {
      const ports = setup();
      const manager = aManager({ activeLeads: 1 });
      await ports.putManager(manager);
      const lead = aLead();
      await ports.leads.capture(newLeadOf(lead));
      const assignment = anAssignment(manager.managerId);
      const step = {
        status: 'assigned' as const,
        entry: entry('assigned'),
        ...byRotation(manager.managerId),
      };
      expect(await ports.leads.assignIfUnassigned(lead.leadId, assignment, step)).toBe('assigned');
      const load = async () => (await ports.managers.get(manager.managerId))?.activeLeads;
      return { ports, lead, manager, assignment, load };
    }
    const other = (assignment: Assignment): Assignment => ({ ...assignment, assignmentId: 'another' });

    it('claims a unit only up to the load bound routing set, and says so apart from a full manager', async () => {
      const ports = setup();
      const manager = aManager({ capacity: 2 });
      await ports.putManager(manager);
      const [first, second, third] = [aLead(), aLead(), aLead()];
      for (const lead of [first, second, third]) await ports.leads.capture(newLeadOf(lead));
      const claim = (lead: typeof first, loadAtMost: number) => {
        const { routing, capacity } = byRotation(manager.managerId);
        return ports.leads.assignIfUnassigned(lead.leadId, anAssignment(manager.managerId), {
          status: 'assigned',
          entry: entry('assigned'),
          routing,
          capacity: { ...capacity, loadAtMost },
        });
      };
      // Read at load 0 with an equal peer: the first claim holds; one that read the same roster is outranked.
      expect(await claim(first, 0)).toBe('assigned');
      expect(await claim(second, 0)).toBe('outranked');
      expect((await ports.managers.get(manager.managerId))?.activeLeads).toBe(1);
      // Read again, the bound as it is now: the claim holds, and the manager is full.
      expect(await claim(second, 1)).toBe('assigned');
      expect(await claim(third, 5)).toBe('no_capacity');
      expect((await ports.managers.get(manager.managerId))?.activeLeads).toBe(2);
    });

    it('keeps the wait token only for the open assignment', async () => {
      const { ports, lead, assignment } = await offered();
      const wait = { assignmentId: assignment.assignmentId, taskToken: 'token-1' };
      expect(await ports.leads.awaitAcceptance(lead.leadId, wait)).toBe('waiting');
      expect((await ports.leads.get(lead.leadId))?.acceptanceWait).toEqual(wait);
      const stale = { assignmentId: 'another', taskToken: 'token-2' };
      expect(await ports.leads.awaitAcceptance(lead.leadId, stale)).toBe('decided');
      expect((await ports.leads.get(lead.leadId))?.acceptanceWait).toEqual(wait);
    });

    it('accepts the open assignment once; the hold stays, and nothing can end it', async () => {
      const { ports, lead, manager, assignment, load } = await offered();
      const acceptedAt = '2026-11-23T10:05:00.000Z';
      expect(
        await ports.leads.acceptAssignment(lead.leadId, other(assignment), acceptedAt, entry('accepted')),
      ).toBe('not_open');
      expect(await ports.leads.acceptAssignment(lead.leadId, assignment, acceptedAt, entry('accepted'))).toBe(
        'accepted',
      );
      expect(await ports.leads.acceptAssignment(lead.leadId, assignment, acceptedAt, entry('accepted'))).toBe(
        'not_open',
      );
      const exclusion = { managerId: manager.managerId, why: 'timed_out' as const };
      expect(
        await ports.leads.endHold(lead.leadId, assignment, exclusion, entry('acceptance_timed_out')),
      ).toBe('not_open');
      expect(await ports.leads.awaitAcceptance(lead.leadId, { ...assignment, taskToken: 't' })).toBe(
        'decided',
      );
      const stored = await ports.leads.get(lead.leadId);
      expect(stored).toMatchObject({ status: 'accepted', assignment: { acceptedAt } });
      expect(stored?.exclusions).toBeUndefined();
      expect(await load()).toBe(2);
      const kinds = (await ports.leads.read(lead.leadId))?.timeline.map((e) => e.kind);
      expect(kinds?.filter((k) => k === 'accepted')).toHaveLength(1);
    });

    it('ends a hold once: the assignment goes, the manager is excluded, and their unit comes back', async () => {
      const { ports, lead, manager, assignment, load } = await offered();
      expect(await load()).toBe(2);
      const exclusion = { managerId: manager.managerId, why: 'declined' as const };
      expect(await ports.leads.endHold(lead.leadId, other(assignment), exclusion, entry('declined'))).toBe(
        'not_open',
      );
      expect(await load()).toBe(2);
      expect(await ports.leads.endHold(lead.leadId, assignment, exclusion, entry('declined'))).toBe('ended');
      expect(await ports.leads.endHold(lead.leadId, assignment, exclusion, entry('declined'))).toBe(
        'not_open',
      );
      expect(await load()).toBe(1);
      const stored = await ports.leads.get(lead.leadId);
      expect(stored?.assignment).toBeUndefined();
      expect(stored?.status).toBe('reassigning');
      expect(stored?.exclusions).toEqual([exclusion]);
      // A second offer, ended too, adds to the exclusions; the first one's entry is kept beside it.
      const second = anAssignment(manager.managerId, { attempt: 2 });
      const step = {
        status: 'assigned' as const,
        entry: entry('assigned'),
        ...byRotation(manager.managerId),
      };
      expect(await ports.leads.assignIfUnassigned(lead.leadId, second, step)).toBe('assigned');
      const timedOut = { managerId: manager.managerId, why: 'timed_out' as const };
      expect(await ports.leads.endHold(lead.leadId, second, timedOut, entry('acceptance_timed_out'))).toBe(
        'ended',
      );
      expect((await ports.leads.get(lead.leadId))?.exclusions).toEqual([exclusion, timedOut]);
      // A timeout, not a decline, pauses the manager as long again as the time they had (an hour here).
      expect((await ports.managers.get(manager.managerId))?.pausedUntil).toBe('2026-11-23T11:00:00.000Z');
      const kinds = (await ports.leads.read(lead.leadId))?.timeline.map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['declined', 'acceptance_timed_out']));
    });

    it('records the outcome of an accepted lead once, giving the unit back with it', async () => {
      const { ports, lead, assignment, load } = await offered();
      const converted = { kind: 'converted' as const, products: ['credit' as const], at: T0, by: 'user-1' };
      expect(await ports.leads.recordOutcome(lead.leadId, assignment, converted, entry('converted'))).toBe(
        'not_open',
      );
      const acceptedAt = '2026-11-23T10:05:00.000Z';
      await ports.leads.acceptAssignment(lead.leadId, assignment, acceptedAt, entry('accepted'));
      expect(await ports.leads.recordOutcome(lead.leadId, assignment, converted, entry('converted'))).toBe(
        'recorded',
      );
      const lost = { kind: 'lost' as const, reasonCode: 'price', configVersion: 'v', at: T0, by: 'user-1' };
      expect(await ports.leads.recordOutcome(lead.leadId, assignment, lost, entry('lost'))).toBe('not_open');
      expect(await load()).toBe(1);
      const stored = await ports.leads.get(lead.leadId);
      expect(stored).toMatchObject({ status: 'converted', outcome: converted, assignment: { acceptedAt } });
    });

    it("adds a conversion to its lead's counter with the outcome, once, whatever the retries", async () => {
      const { ports, lead, assignment } = await offered();
      await ports.leads.acceptAssignment(lead.leadId, assignment, T0, entry('accepted'));
      const counter = { month: '2026-11', source: 'exhibition', medium: 'offline', campaign: lead.leadId };
      const converted = { kind: 'converted' as const, products: ['credit' as const], at: T0, by: 'user-1' };
      const record = () =>
        ports.leads.recordOutcome(lead.leadId, assignment, converted, entry('converted'), counter);
      expect(await record()).toBe('recorded');
      expect(await record()).toBe('not_open');
      const counts = await ports.spends.leadCountsOf('2026-11');
      expect(counts.filter((c) => c.campaign === lead.leadId)).toEqual([
        { ...counter, leads: 0, conversions: 1, leadCostsKopecks: 0 },
      ]);
    });

    it('moves a held lead to another manager once, offered or accepted, never after its outcome', async () => {
      const { ports, lead, manager, assignment, load } = await offered();
      const next = aManager({ managerId: 'pm-next', activeLeads: 0, capacity: 0 });
      await ports.putManager(next);
      const to = anAssignment(next.managerId, { attempt: 2, kind: 'by_head_of_unit' });
      expect(await ports.leads.reassign(lead.leadId, other(assignment), to, entry('assigned'))).toBe(
        'not_held',
      );
      expect(await ports.leads.reassign(lead.leadId, assignment, to, entry('assigned'))).toBe('reassigned');
      expect(await ports.leads.reassign(lead.leadId, assignment, to, entry('assigned'))).toBe('not_held');
      // The first manager's unit comes back; the second takes one though their capacity is 0: the head decided.
      expect(await load()).toBe(1);
      expect((await ports.managers.get(next.managerId))?.activeLeads).toBe(1);
      const stored = await ports.leads.get(lead.leadId);
      expect(stored).toMatchObject({ status: 'assigned', assignment: to });
      expect(stored?.exclusions).toEqual([{ managerId: manager.managerId, why: 'reassigned' }]);
      // Accepted by the second, it can move again; once its outcome is recorded, it cannot.
      await ports.leads.acceptAssignment(lead.leadId, to, T0, entry('accepted'));
      const third = anAssignment(manager.managerId, { attempt: 3, kind: 'by_head_of_unit' });
      const lost = { kind: 'lost' as const, reasonCode: 'price', configVersion: 'v', at: T0, by: 'user-1' };
      await ports.leads.recordOutcome(lead.leadId, { ...to, acceptedAt: T0 }, lost, entry('lost'));
      expect(await ports.leads.reassign(lead.leadId, to, third, entry('assigned'))).toBe('not_held');
      expect((await ports.managers.get(next.managerId))?.activeLeads).toBe(0);
    });

    it('escalates a lead nobody holds, and refuses while a manager holds it', async () => {
      const { ports, lead, assignment, manager } = await offered();
      expect(await ports.leads.markEscalated(lead.leadId, entry('escalated'), 1)).toBe('already_assigned');
      const exclusion = { managerId: manager.managerId, why: 'declined' as const };
      await ports.leads.endHold(lead.leadId, assignment, exclusion, entry('declined'));
      expect(await ports.leads.markEscalated(lead.leadId, entry('escalated'), 1)).toBe('recorded');
      expect((await ports.leads.get(lead.leadId))?.status).toBe('escalated');
    });
  });
}
