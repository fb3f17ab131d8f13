import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import { directory, finishedExecution } from './client.ts';
import { leadFrom } from './regions.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('routing on the local runtime', () => {
  it('passes over a PM on leave, gives the lead to one at work, and shows why on the lead', async () => {
    const away = aManager({
      managerId: `pm-away-${randomUUID().slice(0, 8)}`,
      regions: ['96'],
      workingHours: ROUND_THE_CLOCK,
      absences: [{ from: day(-2), to: day(3), reason: 'отпуск' }],
    });
    const here = aManager({
      managerId: `pm-here-${randomUUID().slice(0, 8)}`,
      regions: ['96'],
      workingHours: ROUND_THE_CLOCK,
      activeLeads: 3,
    });
    for (const m of [away, here]) await (await directory()).putManager(m);

    const lead = await leadFrom('96');

    expect(lead.assignedManager.managerId).toBe(here.managerId);
    expect(lead.routing).toMatchObject({
      rule: 'best_fit',
      managerId: here.managerId,
      ranked: [here.managerId],
    });
    expect(lead.routing.considered).toContainEqual({
      managerId: away.managerId,
      verdict: 'passed_over',
      reasons: ['absent'],
      load: '0/5',
    });
  });

  it("sends a lead nobody can take to the head of unit's queue, saying why of each PM", async () => {
    const full = aManager({
      managerId: `pm-full-${randomUUID().slice(0, 8)}`,
      regions: ['95'],
      workingHours: ROUND_THE_CLOCK,
      capacity: 2,
      activeLeads: 2,
    });
    const inactive = aManager({
      managerId: `pm-gone-${randomUUID().slice(0, 8)}`,
      regions: ['95'],
      workingHours: ROUND_THE_CLOCK,
      active: false,
    });
    for (const m of [full, inactive]) await (await directory()).putManager(m);

    const lead = await leadFrom('95');
    const { leadId } = lead;

    expect((await finishedExecution(leadId)).status).toBe('SUCCEEDED');
    expect(lead.status).toBe('awaiting_manager');
    expect(lead.assignedManager).toBeNull();
    expect(lead.routing.rule).toBe('unassigned');
    const why = Object.fromEntries(
      lead.routing.considered.map((c: { managerId: string; reasons: string[] }) => [c.managerId, c.reasons]),
    );
    expect([why[full.managerId], why[inactive.managerId]]).toEqual([['no_capacity'], ['inactive']]);
    expect(lead.timeline.map((e: { kind: string }) => e.kind)).toContain('awaiting_manager');
  });
});
