import { describe, expect, it } from 'vitest';
import { call, headToken, tokens } from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

type Page = {
  leads: { leadId: string; status: string; assignedManager: { acceptance: { dueAt: string } } | null }[];
  next: string | null;
};

/** Every page of a list, followed through its cursors. */
async function wholeList(path: string, token: string): Promise<Page['leads']> {
  const leads: Page['leads'] = [];
  let next: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const reply = await call('GET', `${path}${separator}limit=100${next ? `&after=${next}` : ''}`, { token });
    expect(reply.status).toBe(200);
    leads.push(...(reply.body as Page).leads);
    next = (reply.body as Page).next;
  } while (next);
  return leads;
}

describe('work lists', () => {
  it("shows a manager their own leads by status, and nobody else's", async () => {
    const [pm] = await unitOf('86', 1);
    const token = pm?.token ?? '';
    const lead = await leadFrom('86');

    const offered = await wholeList('/v1/my-leads?status=assigned', token);
    expect(offered.map((l) => l.leadId)).toEqual([lead.leadId]);
    expect(offered[0]?.assignedManager?.acceptance.dueAt).toBe(lead.assignedManager.acceptance.dueAt);
    expect(JSON.stringify(offered)).not.toContain(lead.contact.email);

    await call('POST', `/v1/leads/${lead.leadId}/decision`, { token, body: { action: 'accept' } });
    expect((await wholeList('/v1/my-leads?status=assigned', token)).map((l) => l.leadId)).toEqual([]);
    expect((await wholeList('/v1/my-leads', token)).map((l) => [l.leadId, l.status])).toEqual([
      [lead.leadId, 'accepted'],
    ]);
    const colleague = await wholeList('/v1/my-leads', tokens()['pm-petrov'] ?? '');
    expect(colleague.map((l) => l.leadId)).not.toContain(lead.leadId);

    // Each list is its role's.
    expect((await call('GET', '/v1/my-leads', { token: headToken() })).status).toBe(403);
    expect((await call('GET', '/v1/unit/waiting-leads', { token })).status).toBe(403);
    const unknown = await call('GET', '/v1/my-leads?status=nurture', { token });
    expect([unknown.status, unknown.body.error.issues[0].path]).toEqual([400, 'query.status']);
  });

  it('shows the head of unit the leads nobody holds, a page at a time', async () => {
    // Nobody covers region 85: the lead waits for the head of unit.
    const lead = await leadFrom('85');
    expect(lead.status).toBe('awaiting_manager');

    const waiting = await wholeList('/v1/unit/waiting-leads?status=awaiting_manager', headToken());
    expect(waiting.find((l) => l.leadId === lead.leadId)).toMatchObject({ status: 'awaiting_manager' });
    expect(waiting.every((l) => l.status === 'awaiting_manager')).toBe(true);

    const first = await call('GET', '/v1/unit/waiting-leads?limit=1', { token: headToken() });
    expect(first.body.leads).toHaveLength(1);
    expect(first.body.next).toEqual(expect.any(String));
    const altered = await call('GET', '/v1/unit/waiting-leads?after=not-a-cursor', { token: headToken() });
    expect([altered.status, altered.body.error.issues[0].path]).toEqual([400, 'query.after']);
  });
});
