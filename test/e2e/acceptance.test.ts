import { describe, expect, it } from 'vitest';
import {
  call,
  directory,
  eventually,
  executionsOf,
  finishedExecution,
  headToken,
  leadAtRest,
  tokens,
} from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

const decide = (leadId: string, token: string, body: object) =>
  call('POST', `/v1/leads/${leadId}/decision`, { token, body });

const load = async (managerId: string) => (await (await directory()).get(managerId))?.activeLeads;

describe('the acceptance loop on the local runtime', () => {
  it('waits for the manager, who accepts once: the execution ends as Accepted', async () => {
    const [pm] = await unitOf('94', 1);
    const lead = await leadFrom('94');
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

  it('reassigns on each decline, never back to one who declined, gives the capacity back, escalates, and the head assigns by hand', async () => {
    const unit = await unitOf('93', 3);
    const lead = await leadFrom('93');
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
    // The head of unit's alert follows from the bus, whenever it lands: the intake itself ends escalated.
    expect(kinds.filter((k: string) => k !== 'head_of_unit_notified').at(-1)).toBe('escalated');
    expect(new Set(declined).size).toBe(3);

    // The head of unit gives it by hand (to one who declined: the head decides knowingly), and that
    // manager must accept in time as for any offer.
    const chosen = byId.get(declined[0] ?? '');
    const assign = (token: string, body: object) =>
      call('POST', `/v1/leads/${lead.leadId}/assignment`, { token, body });
    expect((await assign(chosen?.token ?? '', { managerId: chosen?.managerId })).status).toBe(403);
    const unknown = await assign(headToken(), { managerId: 'pm-nobody' });
    expect([unknown.status, unknown.body.error.issues[0].path]).toEqual([400, 'managerId']);
    const given = await assign(headToken(), { managerId: chosen?.managerId, note: 'Знает отрасль' });
    expect(given.status).toBe(200);
    expect((await assign(headToken(), { managerId: chosen?.managerId })).status).toBe(409);
    const byHand = await leadAtRest(lead.leadId);
    expect(byHand.assignedManager).toMatchObject({
      managerId: chosen?.managerId,
      kind: 'by_head_of_unit',
      attempt: 4,
    });
    expect(await load(chosen?.managerId ?? '')).toBe(1);
    expect((await decide(lead.leadId, chosen?.token ?? '', { action: 'accept' })).status).toBe(200);
    const [run] = await executionsOf(`${lead.leadId}-by-hand-4`);
    expect(run).toBeDefined();
    const ended = await eventually(async () => {
      const [again] = await executionsOf(`${lead.leadId}-by-hand-4`);
      return again?.status === 'RUNNING' ? undefined : again;
    }, 'the hand-assigned run to end');
    expect(ended.status).toBe('SUCCEEDED');
    expect((await call('GET', `/v1/leads/${lead.leadId}`, { token: headToken() })).body.status).toBe(
      'accepted',
    );
  });

  it('of 50 concurrent accepts of one lead, exactly one succeeds', async () => {
    const [pm] = await unitOf('92', 1);
    const lead = await leadFrom('92');

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

  it('gives capacity back with the outcome: after N leads through a capacity of N, lead N+1 is still assigned', async () => {
    const [pm] = await unitOf('87', 1);
    await (await directory()).putManager({ ...(pm as NonNullable<typeof pm>), capacity: 2, activeLeads: 0 });
    const token = pm?.token ?? '';
    const first = await leadFrom('87');
    const second = await leadFrom('87');
    for (const lead of [first, second]) {
      expect(lead.assignedManager.managerId).toBe(pm?.managerId);
      expect((await decide(lead.leadId, token, { action: 'accept' })).status).toBe(200);
    }
    expect(await load(pm?.managerId ?? '')).toBe(2);

    const outcome = (leadId: string, body: object) =>
      call('POST', `/v1/leads/${leadId}/outcome`, { token, body });
    const converted = await outcome(first.leadId, { outcome: 'converted', products: ['credit', 'payroll'] });
    expect([converted.status, converted.body.status]).toEqual([200, 'converted']);
    const lost = await outcome(second.leadId, { outcome: 'lost', reasonCode: 'price', note: 'Дорого' });
    expect([lost.status, lost.body.status]).toEqual([200, 'lost']);
    expect((await outcome(second.leadId, { outcome: 'lost', reasonCode: 'price' })).status).toBe(409);
    expect((await outcome(second.leadId, { outcome: 'won' })).status).toBe(400);
    expect(await load(pm?.managerId ?? '')).toBe(0);

    const third = await leadFrom('87');
    expect(third.status).toBe('assigned');
    expect(third.assignedManager.managerId).toBe(pm?.managerId);
    const read = (await call('GET', `/v1/leads/${first.leadId}`, { token: headToken() })).body;
    expect(read.outcome).toMatchObject({ kind: 'converted', products: ['credit', 'payroll'] });
  });
});
