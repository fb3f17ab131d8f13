import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AdSpends } from '#shared/ad-spend/ports.ts';
import { addDays, type Enquiry, type Lead, type TimelineEntry } from '#shared/leads/lead.ts';
import type { Client, Clients, Leads, Managers, NewLead, Notifications } from '#shared/leads/ports.ts';
import type { PersonalManager } from '#shared/managers/roster.ts';
import { aManager, anAssignment, aRouting, byRotation } from './managers.ts';
import { newEnquiryOf } from './new-enquiry.ts';

export { aManager, aRouting, byRotation };

/** What a contract run needs: the ports under test, and a way to seed and inspect the directory. */
export type PortsUnderTest = {
  leads: Leads;
  /** The lead counters a conversion adds to (shared/ad-spend). */
  spends: AdSpends;
  managers: Managers;
  clients: Clients;
  notifications: Notifications;
  putManager: (manager: PersonalManager) => Promise<void>;
  putClient: (client: Client) => Promise<void>;
  /** The stored notification record, in the port's words. */
  notification: (
    leadId: string,
    managerId: string,
  ) => Promise<
    { status?: string; attempts?: number; messageId?: string; possibleRepeat?: boolean } | undefined
  >;
};

const T0 = '2026-11-23T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const entry = (kind: TimelineEntry['kind'], when = T0): TimelineEntry => ({ at: when, kind });

export function aLead(overrides: Partial<Lead> = {}): Lead {
  return {
    leadId: randomUUID(),
    status: 'received',
    receivedAt: T0,
    company: { name: 'Romashka LLC', inn: String(7_700_000_000 + Math.floor(Math.random() * 99_999_999)) },
    contact: { name: 'Olga', email: `olga.${randomUUID()}@romashka.example` },
    products: ['credit'],
    consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'v1' }],
    attribution: { channel: 'web' },
    regionCode: '77',
    ...overrides,
  };
}

/** A later enquiry about `lead` from another person at the company. */
export function anEnquiry(lead: Lead, receivedAt: string): Enquiry {
  return {
    enquiryId: randomUUID(),
    leadId: lead.leadId,
    receivedAt,
    company: lead.company,
    contact: { name: 'Ivan', email: `ivan.${randomUUID()}@romashka.example` },
    products: ['payroll'],
    message: 'Payroll for 40 people, please',
    consents: lead.consents,
    attribution: { channel: 'web' },
    matchedBy: ['inn'],
    signals: ['new_contact', 'new_message', 'other_products'],
  };
}

export function newLeadOf(lead: Lead, extra: Partial<NewLead> = {}): NewLead {
  return {
    lead,
    duplicateKeys: [
      { kind: 'email', value: lead.contact.email },
      { kind: 'inn', value: lead.company.inn },
    ],
    duplicateUntil: addDays(lead.receivedAt, 30),
    ...extra,
  };
}

/** The contract every implementation of the lead ports keeps: the in-memory one and the DynamoDB one. */
export function portsContract(name: string, setup: () => PortsUnderTest) {
  describe(`the lead ports' contract: ${name}`, () => {
    const stored = async (ports: PortsUnderTest, lead = aLead()) => {
      await ports.leads.capture(newLeadOf(lead));
      return lead;
    };
    const acquisition = (managerId: string) =>
      anAssignment(managerId, { segment: 'mid_market', assignedAt: T0 });

    it('stores a lead once: a repeat answers its holder, a known key a replay, another body under it a conflict', async () => {
      const ports = setup();
      const lead = aLead();
      const idempotency = { key: `key-${randomUUID()}`, fingerprint: 'body-1', until: at(60) };
      expect(await ports.leads.capture(newLeadOf(lead, { idempotency }))).toEqual({
        outcome: 'created',
        leadId: lead.leadId,
      });
      const again = aLead({ contact: lead.contact, receivedAt: at(1) });
      expect(await ports.leads.capture(newLeadOf(again))).toEqual({
        outcome: 'held',
        leadId: lead.leadId,
        matchedBy: ['email'],
      });
      expect(await ports.leads.capture(newLeadOf(aLead({ ...lead, leadId: randomUUID() })))).toEqual({
        outcome: 'held',
        leadId: lead.leadId,
        matchedBy: ['email', 'inn'],
      });
      expect(await ports.leads.capture(newLeadOf(aLead(), { idempotency }))).toEqual({
        outcome: 'replayed',
        leadId: lead.leadId,
      });
      expect(
        await ports.leads.capture(
          newLeadOf(aLead(), { idempotency: { ...idempotency, fingerprint: 'other' } }),
        ),
      ).toEqual({ outcome: 'idempotency_conflict' });
      expect(await ports.leads.get(again.leadId)).toBeUndefined();
      expect((await ports.leads.read(lead.leadId))?.touchCount).toBe(0);
    });

    it('keeps every later enquiry in full, in order, a page at a time, up to the limit', async () => {
      const ports = setup();
      const lead = await stored(ports);
      const enquiry = (minute: number) => anEnquiry(lead, at(minute));
      for (const minute of [1, 2, 3]) {
        const e = enquiry(minute);
        expect(await ports.leads.addEnquiry(newEnquiryOf(e, { limit: 3 }))).toEqual({
          outcome: 'added',
          leadId: lead.leadId,
        });
      }
      expect(await ports.leads.addEnquiry(newEnquiryOf(enquiry(4), { limit: 3 }))).toEqual({
        outcome: 'limit_reached',
        leadId: lead.leadId,
      });

      const first = await ports.leads.enquiries(lead.leadId, { size: 2 });
      expect(first.enquiries.map((e) => e.receivedAt)).toEqual([at(1), at(2)]);
      expect(first.after).toBeDefined();
      const rest = await ports.leads.enquiries(lead.leadId, {
        size: 2,
        ...(first.after ? { after: first.after } : {}),
      });
      expect(rest.enquiries.map((e) => e.receivedAt)).toEqual([at(3)]);
      // Stored in full, and nothing of the table's own (keys, item type) comes back with it.
      expect(Object.keys(rest.enquiries[0] ?? {}).sort()).toEqual(Object.keys(enquiry(0)).sort());
      expect((await ports.leads.read(lead.leadId))?.touchCount).toBe(3);
    });

    it('replays an enquiry under a known Idempotency-Key and refuses another body under it', async () => {
      const ports = setup();
      const lead = await stored(ports);
      const idempotency = { key: `key-${randomUUID()}`, fingerprint: 'enquiry-1', until: at(60) };
      const add = (fingerprint: string, minute: number) =>
        ports.leads.addEnquiry(
          newEnquiryOf(anEnquiry(lead, at(minute)), { idempotency: { ...idempotency, fingerprint } }),
        );
      expect(await add('enquiry-1', 1)).toEqual({ outcome: 'added', leadId: lead.leadId });
      expect(await add('enquiry-1', 2)).toEqual({ outcome: 'replayed', leadId: lead.leadId });
      expect(await add('other', 3)).toEqual({ outcome: 'idempotency_conflict' });
      expect((await ports.leads.enquiries(lead.leadId, { size: 10 })).enquiries).toHaveLength(1);
      // The replay moved nothing: the last touch is the first enquiry's.
      expect((await ports.leads.read(lead.leadId))?.lastTouch?.at).toBe(at(1));
    });

    it('takes a uniqueness claim again once its window has passed', async () => {
      const ports = setup();
      const first = await stored(ports);
      const later = aLead({ company: first.company, receivedAt: addDays(T0, 31) });
      expect(await ports.leads.capture(newLeadOf(later))).toEqual({
        outcome: 'created',
        leadId: later.leadId,
      });
    });

    it('assigns once, taking capacity in the same write, and refuses what would move the lead back', async () => {
      const ports = setup();
      const manager = aManager({ capacity: 1 });
      await ports.putManager(manager);
      const lead = await stored(ports);
      const step = {
        status: 'assigned' as const,
        entry: entry('assigned'),
        ...byRotation(manager.managerId),
      };
      expect(await ports.leads.assignIfUnassigned(lead.leadId, acquisition(manager.managerId), step)).toBe(
        'assigned',
      );
      expect(await ports.managers.get(manager.managerId)).toMatchObject({
        activeLeads: 1,
        lastAssignedAt: T0,
      });
      expect((await ports.leads.get(lead.leadId))?.routing).toEqual(aRouting(manager.managerId));
      // The lead's own refusal comes first, even when the manager is full too.
      expect(await ports.leads.assignIfUnassigned(lead.leadId, acquisition(manager.managerId), step)).toBe(
        'already_assigned',
      );
      expect((await ports.managers.get(manager.managerId))?.activeLeads).toBe(1);
      const assessment = {
        score: { total: 1, configVersion: 'v', breakdown: [] },
        leadClass: 'standard' as const,
      };
      expect(
        await ports.leads.recordAssessment(
          lead.leadId,
          { ...assessment, status: 'qualified' },
          entry('assessed'),
        ),
      ).toBe('already_assigned');
      expect(await ports.leads.markAwaitingManager(lead.leadId, entry('awaiting_manager'), aRouting())).toBe(
        'already_assigned',
      );
      const after = await ports.leads.get(lead.leadId);
      expect(after?.status).toBe('assigned');
      expect(after?.score).toBeUndefined();
    });

    it('answers no_capacity for a full, inactive or unknown manager, and writes nothing', async () => {
      const ports = setup();
      const full = aManager({ capacity: 1, activeLeads: 1 });
      const inactive = aManager({ active: false });
      await ports.putManager(full);
      await ports.putManager(inactive);
      const lead = await stored(ports);
      for (const managerId of [full.managerId, inactive.managerId, 'pm-nobody']) {
        const step = { status: 'assigned' as const, entry: entry('assigned'), ...byRotation(managerId) };
        expect(await ports.leads.assignIfUnassigned(lead.leadId, acquisition(managerId), step)).toBe(
          'no_capacity',
        );
      }
      expect((await ports.leads.get(lead.leadId))?.assignment).toBeUndefined();
      expect((await ports.managers.get(full.managerId))?.activeLeads).toBe(1);
      expect((await ports.leads.read(lead.leadId))?.timeline.map((e) => e.kind)).toEqual(['received']);
    });

    it("counts a client's own manager's hold beyond the limit, without moving their turn", async () => {
      const ports = setup();
      const owner = aManager({ capacity: 1, activeLeads: 1 });
      await ports.putManager(owner);
      const lead = await stored(ports);
      const step = {
        status: 'handed_to_client_manager' as const,
        entry: entry('assigned'),
        routing: aRouting(owner.managerId, 'existing_client'),
        capacity: { managerId: owner.managerId, withinLimit: false, turn: false },
      };
      const assignment = anAssignment(owner.managerId, { kind: 'existing_client', assignedAt: T0 });
      expect(await ports.leads.assignIfUnassigned(lead.leadId, assignment, step)).toBe('assigned');
      const after = await ports.managers.get(owner.managerId);
      expect([after?.activeLeads, after?.lastAssignedAt]).toEqual([2, undefined]);
    });

    it('records a failure once per run and clears it when a new run resumes the lead', async () => {
      const ports = setup();
      const lead = await stored(ports);
      const failure = { error: 'ManagerNotInDirectory', at: at(1) };
      expect(await ports.leads.recordIntakeFailure(lead.leadId, failure, entry('intake_failed', at(1)))).toBe(
        'recorded',
      );
      expect(
        await ports.leads.recordIntakeFailure(
          lead.leadId,
          { ...failure, at: at(2) },
          entry('intake_failed', at(2)),
        ),
      ).toBe('already_failed');
      expect(await ports.leads.get(lead.leadId)).toMatchObject({ status: 'intake_failed', failure });
      expect(
        await ports.leads.resumeAfterFailure(lead.leadId, 'received', entry('intake_resumed', at(3))),
      ).toBe('resumed');
      expect(
        await ports.leads.resumeAfterFailure(lead.leadId, 'received', entry('intake_resumed', at(4))),
      ).toBe('not_failed');
      const resumed = await ports.leads.get(lead.leadId);
      expect(resumed?.status).toBe('received');
      expect(resumed?.failure).toBeUndefined();
      // A second failure after the rerun keeps its own entry beside the first.
      await ports.leads.recordIntakeFailure(
        lead.leadId,
        { ...failure, at: at(5) },
        entry('intake_failed', at(5)),
      );
      expect((await ports.leads.read(lead.leadId))?.timeline.map((e) => e.kind)).toEqual([
        'received',
        'intake_failed',
        'intake_resumed',
        'intake_failed',
      ]);
    });

    it('refuses every step on a lead it does not hold', async () => {
      const ports = setup();
      const missing = randomUUID();
      await expect(
        ports.leads.recordIntakeFailure(missing, { error: 'X', at: T0 }, entry('intake_failed')),
      ).rejects.toThrow();
      await expect(
        ports.leads.markAwaitingManager(missing, entry('awaiting_manager'), aRouting()),
      ).rejects.toThrow();
      await expect(ports.leads.confirmIntakeStarted(missing)).rejects.toThrow();
      expect(await ports.leads.get(missing)).toBeUndefined();
    });

    it('pages through the pending intake oldest first, and a confirmed lead leaves it', async () => {
      const ports = setup();
      // Leads from a day nobody else uses, so other tests' leads stay out of this window.
      const day = `2020-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}T00:00:0`;
      const leads: Lead[] = [];
      for (let i = 0; i < 7; i++) leads.push(await stored(ports, aLead({ receivedAt: `${day}${i}.000Z` })));
      const before = `${day}9.000Z`;
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await ports.leads.pendingIntake(before, { size: 3, ...(after ? { after } : {}) });
        expect(page.leadIds.length).toBeLessThanOrEqual(3);
        seen.push(...page.leadIds);
        after = page.after;
      } while (after);
      const ours = seen.filter((id) => leads.some((l) => l.leadId === id));
      expect(ours).toEqual(leads.map((l) => l.leadId));
      await ports.leads.confirmIntakeStarted(leads[0]?.leadId ?? '');
      const first = await ports.leads.pendingIntake(before, { size: 100 });
      expect(first.leadIds).not.toContain(leads[0]?.leadId);
      expect(first.leadIds).toContain(leads[1]?.leadId);
    });

    it('claims a notification before the send, reopens an open claim, and never claims a sent one', async () => {
      const ports = setup();
      const lead = await stored(ports);
      const first = await ports.notifications.claim(lead.leadId, 'pm-1', at(1));
      expect(first).toMatchObject({ kind: 'claimed', attempt: 1 });
      const reopened = await ports.notifications.claim(lead.leadId, 'pm-1', at(2));
      expect(reopened).toMatchObject({ kind: 'claimed', attempt: 2 });
      if (first.kind !== 'claimed' || reopened.kind !== 'claimed') throw new Error('not claimed');
      expect(reopened.claimId).toBe(first.claimId);
      const sent = { claimId: first.claimId, attempt: 2, messageId: 'm-2', at: at(3) };
      expect(
        await ports.notifications.recordSent(
          lead.leadId,
          'pm-1',
          { ...sent, claimId: 'other' },
          entry('manager_notified'),
        ),
      ).toBe('already_recorded');
      expect(await ports.notifications.recordSent(lead.leadId, 'pm-1', sent, entry('manager_notified'))).toBe(
        'recorded',
      );
      expect(await ports.notifications.recordSent(lead.leadId, 'pm-1', sent, entry('manager_notified'))).toBe(
        'already_recorded',
      );
      expect(await ports.notifications.claim(lead.leadId, 'pm-1', at(4))).toEqual({
        kind: 'already_sent',
        messageId: 'm-2',
        attempt: 2,
      });
      expect(await ports.notification(lead.leadId, 'pm-1')).toMatchObject({
        status: 'sent',
        attempts: 2,
        messageId: 'm-2',
        possibleRepeat: true,
      });
      // Another manager's notification about the same lead is its own.
      expect(await ports.notifications.claim(lead.leadId, 'pm-2', at(5))).toMatchObject({
        kind: 'claimed',
        attempt: 1,
      });
      expect((await ports.leads.read(lead.leadId))?.timeline.map((e) => e.kind)).toEqual([
        'received',
        'manager_notified',
      ]);
    });

    it('finds managers and clients in the directory', async () => {
      const ports = setup();
      const manager = aManager();
      const client = {
        clientId: `c-${randomUUID()}`,
        inn: '7701000010',
        name: 'Client LLC',
        managerId: manager.managerId,
      };
      await ports.putManager(manager);
      await ports.putClient(client);
      expect(await ports.managers.get(manager.managerId)).toEqual(manager);
      expect((await ports.managers.list()).map((m) => m.managerId)).toContain(manager.managerId);
      expect(await ports.clients.findByInn(client.inn)).toEqual(client);
      expect(await ports.clients.findByInn('0000000000')).toBeUndefined();
      // A page's companies at once: an INN asked twice is one key.
      expect(await ports.clients.clientsAmong([client.inn, '0000000000', client.inn])).toEqual(
        new Set([client.inn]),
      );
      expect(await ports.clients.clientsAmong([])).toEqual(new Set());
    });
  });
}
