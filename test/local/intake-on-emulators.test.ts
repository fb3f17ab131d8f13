import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type LocalProcess, startSesLocal } from '#local/processes.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { Mailer } from '#shared/adapters/mailer.ts';
import { NotificationStore } from '#shared/adapters/notification-store.ts';
import { keys } from '#shared/adapters/table.ts';
import { NOTIFICATION_HEADER, POSSIBLE_REPEAT } from '#shared/leads/manager-email.ts';
import { type NotifyDeps, notifyManager } from '#shared/leads/notify-manager.ts';
import { sweepPendingIntake } from '#shared/leads/outbox.ts';
import type { Mail } from '#shared/leads/ports.ts';
import { assignmentNotice } from '#shared/leads/ports.ts';
import { InMemoryStarter } from '../unit/support/in-memory.ts';
import { anAssignment } from '../unit/support/managers.ts';
import { aLead, aManager, byRotation, newLeadOf } from '../unit/support/ports-contract.ts';
import { LOCAL_AWS, startAttractTable } from './support/attract-table.ts';

type StoredEmail = {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { text?: string };
  headers?: { name: string; value: string }[];
};

let table: Awaited<ReturnType<typeof startAttractTable>>;
let ses: LocalProcess;
beforeAll(async () => {
  [table, ses] = await Promise.all([startAttractTable(), startSesLocal({ port: await freePort() })]);
});
afterAll(async () => {
  await Promise.all([table?.stop(), ses?.stop()]);
});

const mailbox = async () =>
  ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: StoredEmail[] }).emails;

describe('the manager email on DynamoDB Local and the SES v2 emulator', () => {
  it('is sent again, marked as a possible repeat under the same claim, after a crash between the send and the record; never a third time', async () => {
    // Prepare: a lead assigned to a manager, with the real adapters.
    const { documentClient, tableName } = table;
    const leads = new LeadStore(documentClient, tableName);
    const directory = new Directory(documentClient, tableName);
    const manager = aManager({ email: `pm.${randomUUID()}@bank.example` });
    await directory.putManager(manager);
    const lead = aLead();
    await leads.capture(newLeadOf(lead));
    const at = new Date().toISOString();
    const assignment = anAssignment(manager.managerId, { assignedAt: at });
    await leads.assignIfUnassigned(lead.leadId, assignment, {
      status: 'assigned',
      entry: { at, kind: 'assigned' },
      ...byRotation(manager.managerId),
    });
    const mail = new Mailer(
      new SESv2Client({ ...LOCAL_AWS, endpoint: ses.endpoint }),
      'attract@bank.example',
    );
    const deps: NotifyDeps = {
      leads,
      managers: directory,
      notifications: new NotificationStore(documentClient, tableName),
      mail,
      now: () => new Date(),
    };
    // Fault injection: the function dies right after SES accepted the email, before the record.
    const crashing: Mail = {
      send: async (email) => {
        await mail.send(email);
        throw new Error('Runtime.ExitError: the function died after the send');
      },
    };
    const ours = async () => (await mailbox()).filter((m) => m.destination.to.includes(manager.email));

    // Act: the crashed attempt, then the retry.
    await expect(notifyManager({ ...deps, mail: crashing }, lead.leadId)).rejects.toThrow(
      /died after the send/,
    );
    const retried = await notifyManager(deps, lead.leadId);

    // Assess: two emails carrying one claim id, the second marked; the record says sent, attempt 2, repeat.
    const emails = await ours();
    expect(emails).toHaveLength(2);
    const claimIds = emails.map((m) => m.headers?.find((h) => h.name === NOTIFICATION_HEADER)?.value);
    expect(claimIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(claimIds[1]).toBe(claimIds[0]);
    expect(emails[0]?.subject).not.toContain(POSSIBLE_REPEAT.ru.subject);
    expect(emails[1]?.subject.startsWith(POSSIBLE_REPEAT.ru.subject)).toBe(true);
    expect(emails[1]?.body.text?.startsWith(POSSIBLE_REPEAT.ru.text)).toBe(true);
    expect(retried).toEqual({
      kind: 'sent',
      messageId: emails[1]?.messageId,
      attempt: 2,
      possibleRepeat: true,
    });
    const { Item: record } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.notification(lead.leadId, assignmentNotice(manager.managerId, assignment.assignmentId)),
        ConsistentRead: true,
      }),
    );
    expect(record).toMatchObject({
      status: 'sent',
      claimId: claimIds[0],
      attempts: 2,
      sentAttempt: 2,
      possibleRepeat: true,
      messageId: emails[1]?.messageId,
    });
    const entry = (await leads.read(lead.leadId))?.timeline.find((e) => e.kind === 'manager_notified');
    expect(entry?.details).toMatchObject({
      attempt: 2,
      possibleRepeat: true,
      messageId: emails[1]?.messageId,
    });

    // A third run finds the send recorded and sends nothing.
    expect(await notifyManager(deps, lead.leadId)).toMatchObject({ kind: 'already_sent' });
    expect(await ours()).toHaveLength(2);
  });
});

describe('the pending-intake sweeper on DynamoDB Local', () => {
  it('pages through every pending lead, more than one page of them', async () => {
    const { documentClient, tableName } = table;
    const leads = new LeadStore(documentClient, tableName);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const lead = aLead({
        receivedAt: new Date(Date.parse('2021-03-01T00:00:00.000Z') + i * 1000).toISOString(),
      });
      await leads.capture(newLeadOf(lead));
      ids.push(lead.leadId);
    }
    const starter = new InMemoryStarter();
    const deps = { leads, starter, now: () => new Date('2021-03-01T01:00:00.000Z') };

    const swept = await sweepPendingIntake(deps, { graceMinutes: 2, batchSize: 5 });

    expect(swept).toEqual({ pending: 23, started: 23 });
    expect([...starter.executions].sort()).toEqual([...ids].sort());
    expect(await leads.pendingIntake('2021-03-01T01:00:00.000Z', { size: 100 })).toEqual({ leadIds: [] });
  });
});
