import { describe, expect, it } from 'vitest';
import { NOTIFICATION_HEADER, POSSIBLE_REPEAT } from '#shared/leads/manager-email.ts';
import { type NotifyDeps, notifyManager } from '#shared/leads/notify-manager.ts';
import type { Mail } from '#shared/leads/ports.ts';
import { assignmentNotice } from '#shared/leads/ports.ts';
import { InMemoryBank, InMemoryMail, testClock } from './support/in-memory.ts';
import { anAssignment } from './support/managers.ts';
import { aLead, aManager, byRotation, newLeadOf } from './support/ports-contract.ts';

/** The process dies right after the mail provider accepted the email: before anything is recorded. */
class CrashAfterSend extends Error {}
const crashingAfterSend = (mail: Mail): Mail => ({
  send: async (email) => {
    await mail.send(email);
    throw new CrashAfterSend('crashed after the send');
  },
});

async function notify(options: { assigned?: boolean } = {}) {
  const bank = new InMemoryBank();
  const mail = new InMemoryMail();
  const manager = aManager();
  await bank.putManager(manager);
  const lead = aLead();
  await bank.leads.capture(newLeadOf(lead));
  const at = '2026-11-23T10:00:00.000Z';
  const assignment = anAssignment(manager.managerId, { assignedAt: at });
  const notice = assignmentNotice(manager.managerId, assignment.assignmentId);
  if (options.assigned ?? true) {
    await bank.leads.assignIfUnassigned(lead.leadId, assignment, {
      status: 'assigned',
      entry: { at, kind: 'assigned' },
      ...byRotation(manager.managerId),
    });
  }
  const deps: NotifyDeps = {
    leads: bank.leads,
    managers: bank.managers,
    notifications: bank.notifications,
    mail,
    now: testClock().now,
  };
  return { bank, mail, manager, lead, deps, notice };
}

describe('notifyManager', () => {
  it('emails the manager once, tagged with its claim, and records the message id with the timeline entry', async () => {
    const { bank, mail, manager, lead, deps, notice } = await notify();
    const outcome = await notifyManager(deps, lead.leadId);
    expect(outcome).toEqual({ kind: 'sent', messageId: 'message-1', attempt: 1, possibleRepeat: false });
    expect(mail.sent).toHaveLength(1);
    const [email] = mail.sent;
    expect(email?.to).toBe(manager.email);
    expect(email?.subject).not.toContain(POSSIBLE_REPEAT.ru.subject);
    const claimId = email?.headers?.[NOTIFICATION_HEADER];
    expect(claimId).toMatch(/^[0-9a-f-]{36}$/);
    expect(email?.tags).toEqual({ notification: claimId });
    expect(bank.notification(lead.leadId, notice)).toMatchObject({
      status: 'sent',
      messageId: 'message-1',
      claimId,
      possibleRepeat: false,
    });

    // Run again (a Step Functions retry): the record says sent, so nothing is sent.
    expect(await notifyManager(deps, lead.leadId)).toEqual({ kind: 'already_sent', messageId: 'message-1' });
    expect(mail.sent).toHaveLength(1);
  });

  it('after a crash between the send and the record, sends again marked as a possible repeat under the same claim', async () => {
    const { bank, mail, lead, deps, notice } = await notify();
    await expect(notifyManager({ ...deps, mail: crashingAfterSend(mail) }, lead.leadId)).rejects.toThrow(
      CrashAfterSend,
    );
    expect(bank.notification(lead.leadId, notice)).toMatchObject({
      status: 'sending',
      attempts: 1,
    });

    const retried = await notifyManager(deps, lead.leadId);

    expect(retried).toEqual({ kind: 'sent', messageId: 'message-2', attempt: 2, possibleRepeat: true });
    const [first, second] = mail.sent;
    expect(mail.sent).toHaveLength(2);
    expect(second?.headers?.[NOTIFICATION_HEADER]).toBe(first?.headers?.[NOTIFICATION_HEADER]);
    expect(second?.subject.startsWith(POSSIBLE_REPEAT.ru.subject)).toBe(true);
    expect(second?.text.startsWith(POSSIBLE_REPEAT.ru.text)).toBe(true);
    expect(first?.subject).not.toContain(POSSIBLE_REPEAT.ru.subject);
    expect(bank.notification(lead.leadId, notice)).toMatchObject({
      status: 'sent',
      attempts: 2,
      messageId: 'message-2',
      possibleRepeat: true,
    });
    const entry = (await bank.leads.read(lead.leadId))?.timeline.find((e) => e.kind === 'manager_notified');
    expect(entry?.details).toMatchObject({ attempt: 2, possibleRepeat: true, messageId: 'message-2' });

    await notifyManager(deps, lead.leadId);
    expect(mail.sent).toHaveLength(2);
  });

  it('fails with ManagerNotInDirectory when the manager left the directory, leaving no claim open', async () => {
    const { bank, mail, manager, lead, deps, notice } = await notify();
    bank.managerItems.delete(manager.managerId);
    await expect(notifyManager(deps, lead.leadId)).rejects.toMatchObject({ name: 'ManagerNotInDirectory' });
    expect(bank.notification(lead.leadId, notice)).toBeUndefined();
    expect(mail.sent).toHaveLength(0);
  });

  it('fails with NoManagerToNotify for a lead nobody was assigned', async () => {
    const { lead, deps, mail } = await notify({ assigned: false });
    await expect(notifyManager(deps, lead.leadId)).rejects.toMatchObject({ name: 'NoManagerToNotify' });
    expect(mail.sent).toHaveLength(0);
  });
});
