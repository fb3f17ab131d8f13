import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { aManager } from '../unit/support/ports-contract.ts';
import { call, clientAddress, directory, enquiry, headToken, leadAtRest } from './client.ts';
import { enquiryFrom, unitOf } from './regions.ts';

describe('capacity is exact under concurrent routing', () => {
  it('gives a PM with one free slot exactly one of 50 leads routed at once; the others go to the next candidate', async () => {
    // Prepare: two PMs of region 97 at work round the clock: "one-slot" has one free unit and is preferred
    // (every product the lead asks for), so every routing tries them first; "roomy" has room for all.
    const oneSlot = aManager({
      managerId: `pm-one-slot-${randomUUID().slice(0, 8)}`,
      regions: ['97'],
      capacity: 1,
      products: ['settlement_account', 'payroll', 'credit'],
      workingHours: ROUND_THE_CLOCK,
    });
    const roomy = aManager({
      managerId: `pm-roomy-${randomUUID().slice(0, 8)}`,
      regions: ['97'],
      capacity: 1000,
      products: [],
      workingHours: ROUND_THE_CLOCK,
    });
    for (const m of [oneSlot, roomy]) await (await directory()).putManager(m);
    const leadFrom97 = () =>
      enquiry({
        company: {
          name: `Region97 ${randomUUID().slice(0, 8)} LLC`,
          inn: completeInn10(`97${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`),
          sizeBand: 'medium',
          industry: 'manufacturing',
        },
      });

    // Act: 50 submissions at once, each from its own client.
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        call('POST', '/v1/leads', { body: leadFrom97(), from: clientAddress() }),
      ),
    );
    const leadIds = replies.map((r) => r.body.leadId as string);
    await Promise.all(leadIds.map((id) => leadAtRest(id)));

    // Assess: exactly one lead went to the one free slot, every other to the next candidate (no demo PM
    // takes a manufacturer from every region), none left waiting.
    const managers = await Promise.all(
      leadIds.map(
        async (id) =>
          (await call('GET', `/v1/leads/${id}`, { token: headToken() })).body.assignedManager?.managerId,
      ),
    );
    expect(managers.filter((m) => m === oneSlot.managerId)).toHaveLength(1);
    expect(managers.filter((m) => m === roomy.managerId)).toHaveLength(49);
    const load = async (id: string) => (await (await directory()).get(id))?.activeLeads;
    expect([await load(oneSlot.managerId), await load(roomy.managerId)]).toEqual([1, 49]);
  });

  it('lets equal PMs take turns when leads are routed at once: 20 leads over 5 PMs, 4 each', async () => {
    const unit = await unitOf('81', 5);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', '/v1/leads', { body: enquiryFrom('81'), from: clientAddress() }),
      ),
    );
    await Promise.all(replies.map((r) => leadAtRest(r.body.leadId as string)));

    const loads = await Promise.all(
      unit.map(async (m) => (await (await directory()).get(m.managerId))?.activeLeads),
    );
    expect(loads).toEqual([4, 4, 4, 4, 4]);
  });
});
