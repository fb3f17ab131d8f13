import { describe, expect, it } from 'vitest';
import { demoEnquiry } from '#local/demo-data.ts';
import { costPerLead, recordSpend } from '#shared/ad-spend/keep-ad-spend.ts';
import { type AssignDeps, assignManager } from '#shared/leads/assign-manager.ts';
import { captureOfflineLead } from '#shared/leads/capture-offline-lead.ts';
import { type DecisionDeps, decideOnLead } from '#shared/leads/decide-on-lead.ts';
import { recordOutcome } from '#shared/leads/record-outcome.ts';
import { acceptanceSla } from '#shared/managers/acceptance-sla.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { captureDepsOf } from './support/capture.ts';
import { InMemoryAnswers, InMemoryBank, RecordedEvents, testClock } from './support/in-memory.ts';
import { InMemoryAdSpends, RecordedCostEvents } from './support/in-memory-ad-spend.ts';
import { aManager } from './support/ports-contract.ts';

/** Leads met at one exhibition, each taken by a manager who records how it ended. */
async function exhibition() {
  const bank = new InMemoryBank();
  const clock = testClock('2026-11-23T10:00:00.000Z');
  const events = new RecordedEvents();
  for (let i = 0; i < 3; i++) {
    await bank.putManager(aManager({ managerId: `pm-${i}`, regions: ['77'], workingHours: ROUND_THE_CLOCK }));
  }
  const common = { leads: bank.leads, managers: bank.managers, events, now: clock.now };
  const assign: AssignDeps = { ...common, clients: bank.clients, routingPolicy, acceptanceSla };
  const decide: DecisionDeps = { ...common, answers: new InMemoryAnswers() };
  const capture = captureDepsOf(bank, clock);
  /** A lead met there, assigned and accepted: its manager's id and its lead id. */
  const met = async () => {
    const { source: _web, ...enquiry } = demoEnquiry();
    const answer = await captureOfflineLead(capture, {
      by: 'anna-sub',
      body: {
        ...enquiry,
        consentRecord: { form: 'signed_paper', documentRef: 'СГЛ-1' },
        // Each company's own cost: the meeting room booked for it.
        offline: { channel: 'exhibition', sourceName: 'Иннопром-2026', costKopecks: 10_000_00 },
      },
    });
    if (answer.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(answer)}`);
    const assigned = await assignManager(assign, answer.leadId, undefined);
    if (assigned.outcome !== 'assigned') throw new Error(`not assigned: ${JSON.stringify(assigned)}`);
    const manager = { managerId: assigned.managerId, userId: assigned.managerId };
    await decideOnLead(decide, manager, answer.leadId, { action: 'accept' });
    return { leadId: answer.leadId, manager };
  };
  const spends = { spends: new InMemoryAdSpends(bank), events: new RecordedCostEvents(), now: clock.now };
  return { bank, decide, met, spends };
}

describe('cost per lead and per converted client, across channels', () => {
  it("reports the leads' own costs alone where no spend was recorded", async () => {
    const { met, spends } = await exhibition();
    await met();
    await met();
    expect(await costPerLead(spends, { from: '2026-11', to: '2026-11' })).toEqual([
      expect.objectContaining({
        source: 'exhibition',
        spendKopecks: null,
        leads: 2,
        leadCostsKopecks: 20_000_00,
        costPerLeadKopecks: 10_000_00,
        conversions: 0,
        costPerConversionKopecks: null,
      }),
    ]);
  });

  it("counts a conversion once, on the counter its lead was counted on, in the outcome's write", async () => {
    const { decide, met, spends } = await exhibition();
    const [won, lost, open] = [await met(), await met(), await met()];
    const converted = { outcome: 'converted' as const, products: ['payroll' as const] };
    expect(await recordOutcome(decide, won.manager, won.leadId, converted)).toMatchObject({ ok: true });
    // A retried outcome is refused: nothing is counted twice.
    expect(await recordOutcome(decide, won.manager, won.leadId, converted)).toMatchObject({ ok: false });
    await recordOutcome(decide, lost.manager, lost.leadId, { outcome: 'lost', reasonCode: 'price' });
    expect(open.leadId).toBeTruthy();

    expect(await spends.spends.leadCountsOf('2026-11')).toEqual([
      {
        month: '2026-11',
        source: 'exhibition',
        medium: 'offline',
        campaign: 'иннопром-2026',
        leads: 3,
        conversions: 1,
        leadCostsKopecks: 30_000_00,
      },
    ]);
    // The stand's cost, recorded under the event: cost per lead and per converted client.
    const stand = {
      month: '2026-11',
      source: 'exhibition',
      medium: 'offline',
      campaign: 'Иннопром-2026',
      kind: 'event',
      amountKopecks: 90_000_00,
    };
    expect(await recordSpend(spends, 'anna', stand)).toMatchObject({ action: 'created' });
    // Announced by its key's hash, kind and channel: never the event's name, which stays in the table.
    expect(spends.events.published).toEqual([
      {
        type: 'CostRecorded',
        detail: expect.objectContaining({
          kind: 'event',
          offlineChannel: 'exhibition',
          amountKopecks: 90_000_00,
        }),
      },
    ]);
    expect(JSON.stringify(spends.events.published)).not.toMatch(/иннопром/i);
    expect(await costPerLead(spends, { from: '2026-11', to: '2026-11', source: 'exhibition' })).toEqual([
      {
        month: '2026-11',
        source: 'exhibition',
        medium: 'offline',
        campaign: 'иннопром-2026',
        kind: 'event',
        spendKopecks: 90_000_00,
        leads: 3,
        leadCostsKopecks: 30_000_00,
        // The stand and the rooms: 120,000 roubles over three leads, and over the one client they made.
        costPerLeadKopecks: 40_000_00,
        conversions: 1,
        costPerConversionKopecks: 120_000_00,
      },
    ]);
  });
});
