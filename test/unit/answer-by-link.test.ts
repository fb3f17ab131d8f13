import { describe, expect, it } from 'vitest';
import { answerByLink, decisionLinksFor, openDecisionLink } from '#shared/leads/answer-by-link.ts';
import { assignManager } from '#shared/leads/assign-manager.ts';
import { renderDecisionPage } from '#shared/leads/decision-page.ts';
import { acceptanceSla } from '#shared/managers/acceptance-sla.ts';
import { ROUND_THE_CLOCK } from '#shared/managers/roster.ts';
import { routingPolicy } from '#shared/managers/routing-config.ts';
import { TEST_KEYS } from './support/capture.ts';
import { InMemoryAnswers, InMemoryBank, RecordedEvents, testClock } from './support/in-memory.ts';
import { aLead, aManager, newLeadOf } from './support/ports-contract.ts';

/** A lead offered to one manager, and the two links of the email about it. */
async function offered(language: 'ru' | 'en' = 'ru') {
  const bank = new InMemoryBank();
  const clock = testClock('2026-11-23T10:00:00.000Z');
  await bank.putManager(aManager({ managerId: 'pm-1', language, workingHours: ROUND_THE_CLOCK }));
  const lead = aLead({ company: { name: 'Ромашка <b>&</b>', inn: '7707083893', sizeBand: 'medium' } });
  await bank.leads.capture(newLeadOf(lead));
  const common = { leads: bank.leads, managers: bank.managers, events: new RecordedEvents(), now: clock.now };
  await assignManager(
    { ...common, clients: bank.clients, routingPolicy, acceptanceSla },
    lead.leadId,
    undefined,
  );
  const assignment = (await bank.leads.get(lead.leadId))?.assignment;
  if (!assignment) throw new Error('not assigned');
  const links = await decisionLinksFor(
    TEST_KEYS,
    'https://api.bank.example/',
    lead.leadId,
    assignment,
    clock.now(),
  );
  const token = (link: string) => link.split('/').at(-1) ?? '';
  const deps = { ...common, answers: new InMemoryAnswers(), keys: TEST_KEYS };
  return { bank, clock, lead, deps, accept: token(links.accept), decline: token(links.decline), links };
}

describe('decision links', () => {
  it('point at this API, and open a page in the manager language with every value escaped', async () => {
    const { deps, accept, links } = await offered('en');
    expect(links.accept).toMatch(/^https:\/\/api\.bank\.example\/v1\/decisions\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const page = renderDecisionPage(await openDecisionLink(deps, accept));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('Accept the lead Ромашка &lt;b&gt;&amp;&lt;/b&gt;?');
    expect(page.html).not.toContain('<b>&</b>');
  });

  it('offer the configured reasons on the decline page, and ask again without one', async () => {
    const { deps, decline } = await offered();
    const form = renderDecisionPage(await openDecisionLink(deps, decline));
    expect(form.html).toContain('value="not_my_region"');
    expect(form.html).toContain('Не мой регион');
    const again = renderDecisionPage(await answerByLink(deps, decline, { reasonCode: 'bored' }));
    expect(again.status).toBe(400);
    expect(again.html).toContain('Выберите причину отказа.');
  });

  it('refuse an expired link, and change nothing', async () => {
    const { deps, accept, clock, bank, lead } = await offered();
    clock.advance(32 * 24 * 3_600_000);
    const page = await answerByLink(deps, accept, {});
    expect(page).toEqual({ kind: 'refused', locale: 'ru', status: 403, reason: 'expired' });
    expect((await bank.leads.get(lead.leadId))?.status).toBe('assigned');
  });

  it('answer once: the second press of either link is a conflict', async () => {
    const { deps, accept, decline } = await offered();
    expect(await answerByLink(deps, accept, {})).toMatchObject({ kind: 'done', action: 'accept' });
    expect(await answerByLink(deps, accept, {})).toMatchObject({ status: 409, reason: 'decided' });
    expect(await answerByLink(deps, decline, { reasonCode: 'other' })).toMatchObject({
      status: 409,
      reason: 'decided',
    });
  });
});
