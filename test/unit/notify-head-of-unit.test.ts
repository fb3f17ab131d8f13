import { describe, expect, it } from 'vitest';
import { leadEventId } from '#events/lead-events.ts';
import type { Escalation } from '#shared/leads/head-of-unit-email.ts';
import { type HeadOfUnitAlertDeps, notifyHeadOfUnit } from '#shared/leads/notify-head-of-unit.ts';
import { headOfUnitNotice } from '#shared/leads/ports.ts';
import { InMemoryBank, InMemoryMail, testClock } from './support/in-memory.ts';
import { anAssignment } from './support/managers.ts';
import { aLead, aManager, byRotation, newLeadOf } from './support/ports-contract.ts';

async function waiting() {
  const bank = new InMemoryBank();
  const mail = new InMemoryMail();
  const lead = aLead({ status: 'escalated' });
  await bank.leads.capture(newLeadOf(lead));
  const deps: HeadOfUnitAlertDeps = {
    leads: bank.leads,
    notifications: bank.notifications,
    mail,
    now: testClock().now,
    unitMailbox: { address: 'pm-unit@bank.example', language: 'ru' },
  };
  const escalation = (attempts: number): Escalation => ({
    eventId: leadEventId(lead.leadId, 'LeadEscalated', attempts),
    version: 1,
    leadId: lead.leadId,
    occurredAt: '2026-11-23T10:00:00.000Z',
    cause: 'attempts_exhausted',
    attempts,
  });
  return { bank, mail, lead, deps, escalation };
}

describe('notifyHeadOfUnit', () => {
  it('emails the unit mailbox once per event, and records it with a timeline entry', async () => {
    const { bank, mail, lead, deps, escalation } = await waiting();
    const event = escalation(3);
    expect(await notifyHeadOfUnit(deps, event)).toEqual({
      kind: 'sent',
      messageId: 'message-1',
      attempt: 1,
      possibleRepeat: false,
    });
    expect(mail.sent.map((e) => e.to)).toEqual(['pm-unit@bank.example']);
    expect(bank.notification(lead.leadId, headOfUnitNotice(event.eventId))).toMatchObject({ status: 'sent' });
    const entry = (await bank.leads.read(lead.leadId))?.timeline.find(
      (e) => e.kind === 'head_of_unit_notified',
    );
    expect(entry?.details).toMatchObject({
      eventId: event.eventId,
      cause: 'attempts_exhausted',
      attempts: 3,
    });

    // The same event again (EventBridge or Lambda redelivers): nothing more is sent.
    expect(await notifyHeadOfUnit(deps, event)).toEqual({ kind: 'already_sent', messageId: 'message-1' });
    expect(mail.sent).toHaveLength(1);
  });

  it('tells the unit again for a later escalation of the same lead (another event)', async () => {
    const { mail, deps, escalation } = await waiting();
    await notifyHeadOfUnit(deps, escalation(3));
    expect((await notifyHeadOfUnit(deps, escalation(4))).kind).toBe('sent');
    expect(mail.sent).toHaveLength(2);
  });

  it('sends nothing for a lead a manager holds by the time the event arrives', async () => {
    const { bank, mail, lead, deps, escalation } = await waiting();
    const manager = aManager();
    await bank.putManager(manager);
    const at = '2026-11-23T10:05:00.000Z';
    await bank.leads.assignIfUnassigned(lead.leadId, anAssignment(manager.managerId, { assignedAt: at }), {
      status: 'assigned',
      entry: { at, kind: 'assigned' },
      ...byRotation(manager.managerId),
    });
    expect(await notifyHeadOfUnit(deps, escalation(3))).toEqual({
      kind: 'no_longer_waiting',
      status: 'assigned',
    });
    expect(mail.sent).toHaveLength(0);
  });
});
