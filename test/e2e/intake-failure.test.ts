import { randomUUID } from 'node:crypto';
import { ListStateMachinesCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { signInLocally } from '#local/sign-in.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import {
  api,
  call,
  clientAddress,
  directory,
  enquiry,
  eventually,
  executionsOf,
  finishedExecution,
  headToken,
  LEAD_INTAKE_NAME,
  mailbox,
  sfn,
} from './client.ts';

describe('a lead whose intake fails for good', () => {
  it('goes Catch -> RecordIntakeFailure -> IntakeFailed: the lead shows intake_failed with the error name only; a new run clears it and hands the lead over', async () => {
    // Prepare: an existing client's enquiry, and the manager notification failing every attempt the
    // workflow makes (the first and its two retries): an unhandled error in the function, injected.
    const managerId = `pm-client-${randomUUID()}`;
    const manager = aManager({ managerId, email: `${managerId}@bank.example` });
    await (await directory()).putManager(manager);
    const inn = completeInn10(`77${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
    await (await directory()).putClient({
      clientId: `client-${randomUUID()}`,
      inn,
      name: 'Client LLC',
      managerId,
    });
    const submission = enquiry();
    submission.company.inn = inn;
    // Aimed at this lead alone: the wait step's input names its manager, whom no other test's lead has.
    const fault = await fetch(`${api()}/__local/functions/NotifyManager/faults`, {
      method: 'POST',
      body: JSON.stringify({ count: 3, errorType: 'MailServiceDown', match: managerId }),
    });
    expect(fault.status).toBe(200);

    // Act
    const accepted = await call('POST', '/v1/leads', { body: submission, from: clientAddress() });
    expect(accepted.status).toBe(202);
    const { leadId } = accepted.body;
    const execution = await finishedExecution(leadId);

    // Assess: the execution failed through the failure path, and the lead says so without personal data.
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('LeadIntakeFailed');
    const failed = (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;
    expect(failed.status).toBe('intake_failed');
    expect(failed.failure).toEqual({ error: 'MailServiceDown', at: expect.any(String) });
    const failureEntry = failed.timeline.find((e: { kind: string }) => e.kind === 'intake_failed');
    expect(failureEntry.details).toEqual({ error: 'MailServiceDown' });
    const shown = JSON.stringify([failed.failure, failureEntry]);
    for (const personal of [submission.contact.email, submission.contact.phone, submission.contact.name]) {
      expect(shown).not.toContain(personal);
    }
    expect((await mailbox()).some((m) => m.html.includes(leadId))).toBe(false);
    // The head of unit sees it among the failed leads; its manager's list no longer shows it as offered.
    const listed = async (path: string, token: string) =>
      (await call('GET', path, { token })).body.leads.map((l: { leadId: string }) => l.leadId);
    const managerToken = await signInLocally(api(), headToken(), {
      username: managerId,
      groups: ['personal_manager'],
      managerId,
    });
    expect(await listed('/v1/unit/waiting-leads?status=intake_failed&limit=100', headToken())).toContain(
      leadId,
    );
    expect(await listed('/v1/my-leads', managerToken)).not.toContain(leadId);

    // The mail service is back; an engineer runs the lead again under a new execution name.
    const { stateMachines = [] } = await sfn().send(new ListStateMachinesCommand({}));
    const machine = stateMachines.find((m) => m.name?.includes(LEAD_INTAKE_NAME));
    const rerun = await sfn().send(
      new StartExecutionCommand({
        stateMachineArn: machine?.stateMachineArn,
        name: `${leadId}-rerun-1`,
        input: JSON.stringify({ leadId }),
      }),
    );
    // The rerun emails the manager and waits for the answer.
    const resumed = await eventually(async () => {
      const lead = (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;
      return lead.timeline.some((e: { kind: string }) => e.kind === 'manager_notified') ? lead : undefined;
    }, 'the rerun to notify the manager');
    const [rerunning] = await executionsOf(`${leadId}-rerun-1`);
    expect([rerunning?.executionArn, rerunning?.status]).toEqual([rerun.executionArn, 'RUNNING']);
    expect(resumed.status).toBe('handed_to_client_manager');
    expect(resumed.failure).toBeNull();
    expect(resumed.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'received',
      'existing_client_matched',
      'assigned',
      'intake_failed',
      'intake_resumed',
      'manager_notified',
    ]);
    const emails = await eventually(async () => {
      const found = (await mailbox()).filter((m) => m.html.includes(leadId));
      return found.length ? found : undefined;
    }, 'the manager email after the rerun');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.to).toContain(manager.email);
    // Resumed, it is back on its manager's list under its status, and off the head of unit's.
    expect(await listed('/v1/unit/waiting-leads?status=intake_failed&limit=100', headToken())).not.toContain(
      leadId,
    );
    expect(await listed('/v1/my-leads?status=handed_to_client_manager', managerToken)).toContain(leadId);
  });
});
