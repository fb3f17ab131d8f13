import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import {
  call,
  clientAddress,
  directory,
  enquiry,
  finishedExecution,
  headToken,
  leadAtRest,
  managerToken,
  tokens,
} from './client.ts';

/** Managers of one region no demo PM covers, at work around the clock, each signed in. */
async function unitOf(region: string, count: number) {
  const managers = Array.from({ length: count }, (_, i) =>
    aManager({
      managerId: `pm-${region}-${i}-${randomUUID().slice(0, 8)}`,
      regions: [region],
      workingHours: ROUND_THE_CLOCK,
    }),
  );
  for (const m of managers) await (await directory()).putManager(m);
  const signedIn = await Promise.all(managers.map((m) => managerToken(m.managerId)));
  return managers.map((m, i) => ({ ...m, token: signedIn[i] ?? '' }));
}

/** A manufacturer's enquiry from the region, at rest: offered to one of the region's managers. */
async function offeredLead(region: string) {
  const submission = enquiry({
    company: {
      name: `Region${region} ${randomUUID().slice(0, 8)} LLC`,
      inn: completeInn10(`${region}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`),
      sizeBand: 'medium',
      industry: 'manufacturing',
    },
  });
  const { body } = await call('POST', '/v1/leads', { body: submission, from: clientAddress() });
  return leadAtRest(body.leadId);
}

const decide = (leadId: string, token: string, body: object) =>
  call('POST', `/v1/leads/${leadId}/decision`, { token, body });

const load = async (managerId: string) => (await (await directory()).get(managerId))?.activeLeads;

describe('the acceptance loop on the local runtime', () => {
  it('waits for the manager, who accepts once: the execution ends as Accepted', async () => {
    const [pm] = await unitOf('94', 1);
    const lead = await offeredLead('94');
    expect(lead.status).toBe('assigned');
    expect(lead.assignedManager).toMatchObject({ managerId: pm?.managerId, attempt: 1 });
    expect(Date.parse(lead.assignedManager.acceptance.dueAt)).toBeGreaterThan(Date.now());

    // Only that manager answers: a colleague learns nothing, other roles may not.
    expect((await decide(lead.leadId, tokens()['pm-petrov'] ?? '', { action: 'accept' })).status).toBe(404);
    expect((await decide(lead.leadId, headToken(), { action: 'accept' })).status).toBe(403);

    const accepted = await decide(lead.leadId, pm?.token ?? '', { action: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ leadId: lead.leadId, status: 'accepted' });

    const execution = await finishedExecution(lead.leadId);
    expect(execution.status).toBe('SUCCEEDED');
    const read = (await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() })).body;
    expect(read.status).toBe('accepted');
    expect(read.assignedManager.acceptedAt).toBe(accepted.body.decidedAt);
    expect(read.timeline.map((e: { kind: string }) => e.kind)).toContain('accepted');
    // The hold goes on: the lead is the manager's to work.
    expect(await load(pm?.managerId ?? '')).toBe(1);

    // Said twice, or changed afterwards: the lead is decided.
    const again = await decide(lead.leadId, pm?.token ?? '', { action: 'accept' });
    expect([again.status, again.body.error.code]).toEqual([409, 'decided']);
    const late = await decide(lead.leadId, pm?.token ?? '', { action: 'decline', reasonCode: 'other' });
    expect([late.status, late.body.error.code]).toEqual([409, 'decided']);
  });

  it('reassigns on each decline, never back to one who declined, gives the capacity back, and escalates', async () => {
    const unit = await unitOf('93', 3);
    const lead = await offeredLead('93');
    const byId = new Map(unit.map((m) => [m.managerId, m]));
    const declined: string[] = [];

    // A decline needs a reason from the configured list.
    const first = byId.get(lead.assignedManager.managerId);
    const unexplained = await decide(lead.leadId, first?.token ?? '', { action: 'decline' });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.issues.map((i: { path: string }) => i.path)).toContain('reasonCode');

    let current = lead;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const holder = byId.get(current.assignedManager.managerId);
      expect(current.assignedManager.attempt).toBe(attempt);
      expect(declined).not.toContain(holder?.managerId);
      expect(await load(holder?.managerId ?? '')).toBe(1);

      const answer = await decide(lead.leadId, holder?.token ?? '', {
        action: 'decline',
        reasonCode: 'not_my_industry',
        note: 'Мы не работаем с этой отраслью',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('reassigning');
      declined.push(holder?.managerId ?? '');
      expect(await load(holder?.managerId ?? '')).toBe(0);
      // One who declined cannot answer again: the lead is no longer theirs.
      const twice = await decide(lead.leadId, holder?.token ?? '', { action: 'accept' });
      expect([twice.status, twice.body.error.code]).toEqual([409, 'reassigned']);

      current = await leadAtRest(lead.leadId);
    }

    // Three offers without an acceptance: the head of unit takes it.
    expect(current.status).toBe('escalated');
    expect(current.assignedManager).toBeNull();
    expect((await finishedExecution(lead.leadId)).status).toBe('SUCCEEDED');
    const kinds = current.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'declined')).toHaveLength(3);
    expect(kinds.at(-1)).toBe('escalated');
    expect(new Set(declined).size).toBe(3);
  });

  it('of 50 concurrent accepts of one lead, exactly one succeeds', async () => {
    const [pm] = await unitOf('92', 1);
    const lead = await offeredLead('92');

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => decide(lead.leadId, pm?.token ?? '', { action: 'accept' })),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect((await finishedExecution(lead.leadId)).status).toBe('SUCCEEDED');
    const read = (await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() })).body;
    expect(read.timeline.filter((e: { kind: string }) => e.kind === 'accepted')).toHaveLength(1);
  });
});
