import { describe, expect, it } from 'vitest';
import { assignByHand } from '#shared/leads/assign-by-hand.ts';
import { type AssignDeps, assignManager } from '#shared/leads/assign-manager.ts';
import { type DecisionDeps, decideOnLead } from '#shared/leads/decide-on-lead.ts';
import { recordOutcome } from '#shared/leads/record-outcome.ts';
import { acceptanceSla } from '#shared/managers/acceptance-sla.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import {
  InMemoryAnswers,
  InMemoryBank,
  InMemoryStarter,
  RecordedEvents,
  testClock,
} from './support/in-memory.ts';
import { aLead, aManager, newLeadOf } from './support/ports-contract.ts';

/** Three equal managers around the clock, a captured lead, and both steps' dependencies over one bank. */
async function unit(managers = 3) {
  const bank = new InMemoryBank();
  const events = new RecordedEvents();
  const answers = new InMemoryAnswers();
  const clock = testClock('2026-11-23T10:00:00.000Z');
  for (let i = 0; i < managers; i++) {
    await bank.putManager(aManager({ managerId: `pm-${i}`, workingHours: ROUND_THE_CLOCK }));
  }
  const lead = aLead({ company: { name: 'Romashka', inn: '7707083893', sizeBand: 'medium' } });
  await bank.leads.capture(newLeadOf(lead));
  const common = { leads: bank.leads, managers: bank.managers, events, now: clock.now };
  const assign: AssignDeps = { ...common, clients: bank.clients, routingPolicy, acceptanceSla };
  const decide: DecisionDeps = { ...common, answers };
  const holder = async () => (await bank.leads.get(lead.leadId))?.assignment;
  const load = async (managerId: string) => (await bank.managers.get(managerId))?.activeLeads;
  return { bank, events, answers, clock, lead, assign, decide, holder, load };
}

const pm = (managerId: string) => ({ managerId, userId: managerId });
const decline = { action: 'decline' as const, reasonCode: 'not_my_industry', note: 'Не наш профиль' };

describe('the acceptance loop', () => {
  it('gives the manager the SLA due time, and an accept answers the waiting execution once', async () => {
    const { lead, assign, decide, answers, events, holder, clock } = await unit(1);
    const assigned = await assignManager(assign, lead.leadId, undefined);
    expect(assigned).toMatchObject({ outcome: 'assigned', managerId: 'pm-0' });
    // Round the clock, the due time is the class's minutes from now, and the wait lasts exactly that.
    const offered = await holder();
    expect(offered?.attempt).toBe(1);
    const wait = Date.parse(offered?.acceptance.dueAt ?? '') - clock.now().getTime();
    expect(assigned.outcome === 'assigned' && assigned.timeoutSeconds).toBe(wait / 1000);

    answers.waiting.add('token-1');
    await assign.leads.awaitAcceptance(lead.leadId, {
      assignmentId: offered?.assignmentId ?? '',
      taskToken: 'token-1',
    });
    clock.advance(60_000);
    const accepted = await decideOnLead(decide, pm('pm-0'), lead.leadId, { action: 'accept' });

    expect(accepted).toMatchObject({ ok: true, status: 'accepted' });
    expect(answers.answered).toEqual([{ taskToken: 'token-1', answer: { outcome: 'accepted' } }]);
    expect(events.of('LeadAccepted')).toEqual([
      expect.objectContaining({ managerId: 'pm-0', attempt: 1, withinSla: true, workingMinutesTaken: 1 }),
    ]);
    // The execution, back in the assignment step, ends as accepted; answering again changes nothing.
    expect(await assignManager(assign, lead.leadId, undefined)).toEqual({ outcome: 'accepted' });
    expect(await decideOnLead(decide, pm('pm-0'), lead.leadId, { action: 'accept' })).toEqual({
      ok: false,
      refusal: 'decided',
    });
  });

  it('tells a colleague nothing, and one who declined that the lead went on', async () => {
    const { lead, assign, decide } = await unit(2);
    await assignManager(assign, lead.leadId, undefined);
    const first = (await assign.leads.get(lead.leadId))?.assignment?.managerId ?? '';
    const colleague = first === 'pm-0' ? 'pm-1' : 'pm-0';
    expect(await decideOnLead(decide, pm(colleague), lead.leadId, { action: 'accept' })).toEqual({
      ok: false,
      refusal: 'not_found',
    });
    expect(await decideOnLead(decide, pm(first), 'no-such-lead', { action: 'accept' })).toEqual({
      ok: false,
      refusal: 'not_found',
    });
    expect(await decideOnLead(decide, pm(first), lead.leadId, decline)).toMatchObject({ ok: true });
    expect(await decideOnLead(decide, pm(first), lead.leadId, { action: 'accept' })).toEqual({
      ok: false,
      refusal: 'reassigned',
    });
  });

  it('reassigns after a decline and a timeout, never to the same manager, then escalates', async () => {
    const { lead, assign, decide, events, holder, load, clock } = await unit(3);
    const seen: string[] = [];

    // 1: declined. The unit comes back with the decline; the next step offers it to another manager.
    await assignManager(assign, lead.leadId, undefined);
    const first = await holder();
    seen.push(first?.managerId ?? '');
    await decideOnLead(decide, pm(seen[0] ?? ''), lead.leadId, decline);
    expect(await load(seen[0] ?? '')).toBe(0);
    expect(events.of('LeadDeclined')).toEqual([
      expect.objectContaining({ managerId: seen[0], attempt: 1, reasonCode: 'not_my_industry' }),
    ]);
    expect(JSON.stringify(events.of('LeadDeclined'))).not.toContain('Не наш профиль');

    // 2: the time runs out. The step ends the hold itself and offers the lead again.
    const second = await assignManager(assign, lead.leadId, undefined);
    const offered = await holder();
    expect(offered?.attempt).toBe(2);
    seen.push(offered?.managerId ?? '');
    expect(seen[1]).not.toBe(seen[0]);
    expect(events.of('LeadReassigned')).toEqual([
      expect.objectContaining({
        fromManagerId: seen[0],
        toManagerId: seen[1],
        cause: 'declined',
        attempt: 2,
      }),
    ]);
    clock.advance(((second.outcome === 'assigned' && second.timeoutSeconds) || 0) * 1000);
    await assignManager(assign, lead.leadId, undefined, {
      waitedOn: offered?.assignmentId ?? '',
      timedOut: true,
    });
    expect(await load(seen[1] ?? '')).toBe(0);
    const third = await holder();
    seen.push(third?.managerId ?? '');
    expect(new Set(seen).size).toBe(3);
    expect(events.of('LeadReassigned').at(-1)).toMatchObject({ cause: 'timed_out', attempt: 3 });

    // A timer for an assignment that is no longer open changes nothing.
    await assignManager(assign, lead.leadId, undefined, {
      waitedOn: offered?.assignmentId ?? '',
      timedOut: true,
    });
    expect((await holder())?.assignmentId).toBe(third?.assignmentId);

    // 3: declined too. Three offers: the head of unit takes the lead.
    await decideOnLead(decide, pm(seen[2] ?? ''), lead.leadId, decline);
    expect(await assignManager(assign, lead.leadId, undefined)).toEqual({ outcome: 'escalated' });
    expect((await assign.leads.get(lead.leadId))?.status).toBe('escalated');
    expect(events.of('LeadEscalated')).toEqual([
      expect.objectContaining({ attempts: 3, cause: 'attempts_exhausted' }),
    ]);
    for (const managerId of seen) expect(await load(managerId)).toBe(0);
  });

  it('hands over, not waits again, when a run comes back to a lead the head of unit gave to another manager', async () => {
    const { bank, lead, assign, answers, holder, clock } = await unit(2);
    await assignManager(assign, lead.leadId, undefined);
    const first = await holder();
    const other = first?.managerId === 'pm-0' ? 'pm-1' : 'pm-0';
    // The head of unit reassigns before the first run kept its token: nothing to tell, the run comes back
    // on its own (AcceptanceAlreadyDecided, or its timeout) and must not wait on the new manager too.
    const given = await assignByHand(
      { ...assign, workflows: new InMemoryStarter(), answers, now: clock.now },
      { userId: 'irina.head' },
      lead.leadId,
      { managerId: other },
    );
    expect(given).toMatchObject({ ok: true, reassignedFrom: first?.managerId });
    const back = { waitedOn: first?.assignmentId ?? '', timedOut: false };
    expect(await assignManager(assign, lead.leadId, undefined, back)).toEqual({ outcome: 'reassigned' });
    expect(await assignManager(assign, lead.leadId, undefined, { ...back, timedOut: true })).toEqual({
      outcome: 'reassigned',
    });
    // The new manager's own run, fresh, waits on their offer.
    expect(await assignManager(assign, lead.leadId, undefined)).toMatchObject({
      outcome: 'assigned',
      managerId: other,
    });
    expect((await bank.managers.get(first?.managerId ?? ''))?.activeLeads).toBe(0);
  });

  it('lets an accept that raced the timer win', async () => {
    const { lead, assign, decide, holder, load } = await unit(2);
    await assignManager(assign, lead.leadId, undefined);
    const offered = await holder();
    // The manager accepts as the wait times out: the answer finds the wait closed, the lead says accepted.
    await decideOnLead(decide, pm(offered?.managerId ?? ''), lead.leadId, { action: 'accept' });
    const after = await assignManager(assign, lead.leadId, undefined, {
      waitedOn: offered?.assignmentId ?? '',
      timedOut: true,
    });
    expect(after).toEqual({ outcome: 'accepted' });
    expect(await holder()).toMatchObject({ managerId: offered?.managerId, acceptedAt: expect.any(String) });
    expect(await load(offered?.managerId ?? '')).toBe(1);
  });

  it('gives the unit back when the manager records the outcome, and says what ended it', async () => {
    const { lead, assign, decide, events, load } = await unit(1);
    await assignManager(assign, lead.leadId, undefined);
    const manager = pm('pm-0');
    expect(
      await recordOutcome(decide, manager, lead.leadId, { outcome: 'converted', products: ['credit'] }),
    ).toEqual({
      ok: false,
      refusal: 'not_accepted',
    });
    await decideOnLead(decide, manager, lead.leadId, { action: 'accept' });
    expect(await load('pm-0')).toBe(1);
    const lost = { outcome: 'lost' as const, reasonCode: 'chose_competitor', note: 'Ушли в банк «Север»' };
    expect(await recordOutcome(decide, manager, lead.leadId, lost)).toMatchObject({
      ok: true,
      status: 'lost',
    });
    expect(await load('pm-0')).toBe(0);
    expect(await recordOutcome(decide, manager, lead.leadId, lost)).toEqual({
      ok: false,
      refusal: 'decided',
    });
    expect(events.of('LeadLost')).toEqual([
      expect.objectContaining({ managerId: 'pm-0', reasonCode: 'chose_competitor' }),
    ]);
    expect(JSON.stringify(events.of('LeadLost'))).not.toContain('Север');
    expect(await recordOutcome(decide, pm('pm-other'), lead.leadId, lost)).toEqual({
      ok: false,
      refusal: 'not_found',
    });
  });
});
