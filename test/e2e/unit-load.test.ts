import { describe, expect, it } from 'vitest';
import { call, headToken, tokens } from './client.ts';
import { leadFrom, unitOf } from './regions.ts';

type Row = {
  managerId: string;
  activeLeads: number;
  capacity: number;
  utilisation: number | null;
  openOffers: number;
  overdueOffers: number;
  nextDueAt: string | null;
  presence: string;
};

describe("the head of unit's view of the unit", () => {
  it("shows each manager's load against capacity and the offers they have not answered", async () => {
    const [pm] = await unitOf('80', 1);
    if (!pm) throw new Error('the unit has a manager');
    const lead = await leadFrom('80');
    expect(lead.assignedManager.managerId).toBe(pm.managerId);

    const unit = await call('GET', '/v1/unit/managers', { token: headToken() });
    expect(unit.status).toBe(200);
    const row = (unit.body.managers as Row[]).find((m) => m.managerId === pm.managerId);
    expect(row).toMatchObject({
      activeLeads: 1,
      capacity: pm.capacity,
      utilisation: Math.round((1 / pm.capacity) * 100) / 100,
      openOffers: 1,
      overdueOffers: 0,
      nextDueAt: lead.assignedManager.acceptance.dueAt,
      presence: 'working',
    });
    // Most loaded first, relative to capacity.
    const shares = (unit.body.managers as Row[]).map((m) => m.utilisation ?? 0);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));

    // Accepted, the lead is no longer an open offer; the load stays.
    await call('POST', `/v1/leads/${lead.leadId}/decision`, { token: pm.token, body: { action: 'accept' } });
    const after = await call('GET', '/v1/unit/managers', { token: headToken() });
    expect((after.body.managers as Row[]).find((m) => m.managerId === pm.managerId)).toMatchObject({
      activeLeads: 1,
      openOffers: 0,
      nextDueAt: null,
    });
  });

  it('is for the head of unit only', async () => {
    for (const user of ['pm-petrov', 'anna.campaigns', 'oleg.compliance']) {
      const token = tokens()[user] ?? '';
      expect((await call('GET', '/v1/unit/managers', { token })).status).toBe(403);
      expect((await call('GET', '/v1/unit/sla-breaches', { token })).status).toBe(403);
    }
    expect((await call('GET', '/v1/unit/managers')).status).toBe(401);
    const bad = await call('GET', '/v1/unit/sla-breaches?limit=0&after=x', { token: headToken() });
    expect(bad.status).toBe(400);
  });
});
