import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ConsentEvidence, USER_AGENT_LIMIT } from '#shared/consents/evidence.ts';
import { signInvitation } from '#shared/leads/invitation.ts';
import { renderResponsePage, renderUnsubscribePage } from '#shared/letters/letter-pages.ts';
import { openLetterResponse, type ResponseForm, respondToLetter } from '#shared/letters/respond-to-letter.ts';
import { letterResponseLink, readLetterResponse, responseFooter } from '#shared/letters/response-link.ts';
import { addressHashOf, signUnsubscribeToken } from '#shared/letters/unsubscribe.ts';
import { openUnsubscribeLink, unsubscribeByLink } from '#shared/letters/unsubscribe-link.ts';
import { type Prospect, ProspectFields, toProspect } from '#shared/prospects/prospect.ts';
import { captureDepsOf, TEST_KEYS } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';
import { InMemoryConsents } from './support/in-memory-consents.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

const CAMPAIGN = '3f2b9c1e-5d1a-4c9e-9a57-0c1f2e3d4b5a';
const API = 'https://api.attract.bank.example/';
const DAY = 86_400_000;

function aProspect(language: 'ru' | 'en' = 'ru'): Prospect {
  const fields = ProspectFields.parse({
    company: {
      name: 'Ромашка <script>"&"</script>',
      inn: '7707083893',
      sizeBand: 'medium',
      industry: 'trade',
    },
    contact: { name: 'Ольга Петрова', email: 'Olga@Romashka.example', phone: '+74951234567' },
    language,
  });
  return toProspect(TEST_KEYS, fields, { importId: 'imp-1', line: 2 });
}

/** A prospect the letter went to, the capture path over the in-memory bank, and the letter's link. */
async function lettered(language: 'ru' | 'en' = 'ru') {
  const bank = new InMemoryBank();
  const clock = testClock();
  const prospect = aProspect(language);
  const deps = {
    ...captureDepsOf(bank, clock),
    prospects: { get: async (id: string) => (id === prospect.prospectId ? prospect : undefined) },
  };
  const recipient = { campaignId: CAMPAIGN, prospectId: prospect.prospectId, step: 2 };
  const link = await letterResponseLink(TEST_KEYS, API, recipient, clock.now());
  return { bank, clock, prospect, deps, link, token: link.split('/').at(-1) ?? '' };
}

const filled = (changes: Partial<ResponseForm> = {}): ResponseForm => ({
  companyName: 'Ромашка',
  inn: '7707083893',
  contactName: 'Ольга Петрова',
  email: 'olga@romashka.example',
  phone: '+74951234567',
  products: ['payroll', 'credit'],
  message: 'Позвоните после обеда',
  consent: true,
  ...changes,
});
const from = { clientAddress: '203.0.113.7', readerLocale: 'ru' as const };

describe("a letter's response link", () => {
  it('is a letter invitation for the campaign, prospect and step under this API, good for 90 days', async () => {
    const { link, token, clock, prospect } = await lettered();
    expect(link).toMatch(
      /^https:\/\/api\.attract\.bank\.example\/v1\/letters\/respond\/[\w-]+\.[\w-]+\.[\w-]+$/,
    );
    const response = { campaignId: CAMPAIGN, prospectId: prospect.prospectId, step: 2 };
    expect(await readLetterResponse(TEST_KEYS, token, new Date(clock.now().getTime() + 89 * DAY))).toEqual({
      ok: true,
      response,
    });
    expect(await readLetterResponse(TEST_KEYS, token, new Date(clock.now().getTime() + 91 * DAY))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses an altered token, an open day invitation and an invitation addressed to nobody', async () => {
    const { token, clock } = await lettered();
    const [header, , signature] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ channel: 'letter', campaignId: 'other' })).toString(
      'base64url',
    );
    const times = { issuedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + DAY) };
    const openDay = await signInvitation(
      TEST_KEYS,
      { channel: 'open_day', campaignId: CAMPAIGN, prospectId: 'p1' },
      times,
    );
    const unaddressed = await signInvitation(TEST_KEYS, { channel: 'letter', campaignId: CAMPAIGN }, times);
    for (const bad of [`${header}.${raised}.${signature}`, openDay, unaddressed, 'x'.repeat(3000)]) {
      expect(await readLetterResponse(TEST_KEYS, bad, clock.now())).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it("is offered in the letter's body in both languages, the URL escaped in HTML", () => {
    const url = `${API}v1/letters/respond/a.b.c?x=1&y="2"`;
    const ru = responseFooter('ru', url);
    expect(ru.text).toBe(`Чтобы обсудить предложение, закажите звонок менеджера: ${url}`);
    expect(ru.html).toContain(
      '<a href="https://api.attract.bank.example/v1/letters/respond/a.b.c?x=1&amp;y=&quot;2&quot;">заказать звонок</a>',
    );
    expect(responseFooter('en', url).text).toBe(
      `To talk about the offer, request a call from a manager: ${url}`,
    );
  });

  it("opens a form prefilled from the prospect, in the letter's language, every value escaped", async () => {
    const { deps, token, prospect } = await lettered('en');
    const page = await openLetterResponse(deps, token, 'ru');
    expect(page).toMatchObject({
      kind: 'form',
      locale: 'en',
      form: { inn: '7707083893', email: 'olga@romashka.example' },
    });
    const { status, html } = renderResponsePage(page);
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Request a call from a manager');
    expect(html).toContain('value="Ромашка &lt;script&gt;&quot;&amp;&quot;&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="+74951234567"');
    expect(html).toContain('name="products" value="payroll"');
    // The page's own unsubscribe link is the letter's token for this address and step.
    const unsubscribe = await signUnsubscribeToken(TEST_KEYS, {
      addressHash: addressHashOf(TEST_KEYS, prospect.contact.email),
      campaignId: CAMPAIGN,
      step: 2,
    });
    expect(html).toContain(`href="../../unsubscribe/${unsubscribe}"`);
  });

  it('shows a bad or expired link in the reader language, with nothing personal', async () => {
    const { deps, token, clock } = await lettered();
    const forged = renderResponsePage(await openLetterResponse(deps, `${token}x`, 'en'));
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('This link is not valid. Please use the form on the bank&#39;s website.');
    clock.advance(91 * DAY);
    const expired = renderResponsePage(await openLetterResponse(deps, token, 'ru'));
    expect(expired.status).toBe(403);
    expect(expired.html).toContain('Срок действия ссылки истёк');
    expect(expired.html).not.toContain('Ромашка');
  });

  it('makes a lead through the capture path, credited to the letter, its campaign and prospect', async () => {
    const { deps, token, bank, prospect } = await lettered();
    const done = await respondToLetter(deps, token, filled(), from);
    expect(renderResponsePage(done)).toMatchObject({ status: 200 });
    const [lead] = [...bank.leadItems.values()];
    expect(lead?.attribution).toEqual({
      channel: 'letter',
      campaignId: CAMPAIGN,
      prospectId: prospect.prospectId,
    });
    // The company's facts come from the record; what the prospect typed wins for the rest.
    expect(lead?.company).toEqual({
      name: 'Ромашка',
      inn: '7707083893',
      sizeBand: 'medium',
      industry: 'trade',
    });
    expect(lead?.products).toEqual(['payroll', 'credit']);
    expect(lead?.consents).toEqual([
      { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-letter-2026-01' },
    ]);
    // A second press is grouped on the first lead as every repeat is.
    expect(await respondToLetter(deps, token, filled({ message: 'Ещё раз' }), from)).toEqual({
      kind: 'done',
      locale: 'ru',
    });
    expect(bank.leadItems.size).toBe(1);
    expect(bank.enquiryItems.get(lead?.leadId ?? '')).toHaveLength(1);
  });

  it("keeps the consent's evidence with the client's address and user agent, as the web form's", async () => {
    const { deps, token } = await lettered();
    const kept: ConsentEvidence[] = [];
    const leads = deps.leads;
    const observed = {
      ...deps,
      leads: Object.assign(Object.create(leads), {
        capture: (newLead: Parameters<typeof leads.capture>[0]) => {
          kept.push(...(newLead.evidence ?? []));
          return leads.capture(newLead);
        },
      }),
    };
    const userAgent = `Mozilla/5.0 (Letter) ${'x'.repeat(300)}`;
    await respondToLetter(observed, token, filled(), { ...from, userAgent });
    expect(kept).toEqual([
      expect.objectContaining({
        action: 'given',
        purpose: 'personal_data_processing',
        textVersion: 'pd-letter-2026-01',
        channel: 'letter',
        client: { ip: from.clientAddress, userAgent: userAgent.slice(0, USER_AGENT_LIMIT) },
      }),
    ]);
  });

  it('shows the form again with the fields at fault, keeping what was typed, and stores nothing', async () => {
    const { deps, token, bank } = await lettered();
    const page = await respondToLetter(
      deps,
      token,
      filled({ inn: '7707083890', consent: false, products: [], message: '<b>срочно</b>' }),
      from,
    );
    const { status, html } = renderResponsePage(page);
    expect(status).toBe(400);
    expect(html).toContain('data-path="company.inn"');
    expect(html).toContain('data-path="consents"');
    expect(html).toContain('data-path="products"');
    expect(html).toContain('Проверьте поле «ИНН».');
    expect(html).toContain('Проверьте поле «Согласие на обработку персональных данных».');
    expect(html).toContain('name="inn" value="7707083890"');
    expect(html).toContain('&lt;b&gt;срочно&lt;/b&gt;</textarea>');
    expect(bank.leadItems.size).toBe(0);
  });

  it('refuses a forged token before anything is captured', async () => {
    const { deps, token, bank } = await lettered();
    const page = await respondToLetter(deps, `${token.slice(0, -2)}AA`, filled(), from);
    expect(page).toEqual({ kind: 'refused', locale: 'ru', reason: 'invalid' });
    expect(bank.leadItems.size).toBe(0);
  });
});

describe("a letter's unsubscribe link", () => {
  const addressHash = addressHashOf(TEST_KEYS, 'olga@romashka.example');
  async function linked() {
    const clock = testClock();
    const suppressions = new InMemorySuppression();
    const history = new InMemoryConsents();
    const token = await signUnsubscribeToken(TEST_KEYS, { addressHash, campaignId: CAMPAIGN, step: 1 });
    const deps = { keys: TEST_KEYS, history, suppressions, now: clock.now, newId: randomUUID };
    return { deps, suppressions, history, token, clock };
  }
  const client = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (letter)' };

  it('asks first on GET, in the reader language, changing nothing', async () => {
    const { deps, suppressions, token } = await linked();
    const page = renderUnsubscribePage(await openUnsubscribeLink(deps, token, 'en'));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(renderUnsubscribePage(await openUnsubscribeLink(deps, token, 'ru')).html).toContain('Отписаться');
    expect(suppressions.list.size).toBe(0);
  });

  it('suppresses the address at once on the one-click POST, marked with the campaign and step; a repeat is fine', async () => {
    const { deps, suppressions, token, clock } = await linked();
    const done = renderUnsubscribePage(
      await unsubscribeByLink(deps, token, { oneClick: true, client }, 'ru'),
    );
    expect(done.status).toBe(200);
    expect(done.html).toContain('Банк больше не будет писать вам');
    const first = { reason: 'unsubscribed', at: clock.now().toISOString(), source: `${CAMPAIGN}#1` };
    expect(suppressions.list.get(addressHash)).toEqual({ addressHash, first, latest: first });
    clock.advance(60_000);
    expect(await unsubscribeByLink(deps, token, { oneClick: true, client }, 'ru')).toEqual({
      kind: 'done',
      locale: 'ru',
    });
    expect(suppressions.list.get(addressHash)?.first).toEqual(first);
  });

  it("records the withdrawal of marketing in the person's history, naming the letter, once however often it is pressed", async () => {
    const { deps, history, token, clock } = await linked();
    const at = clock.now().toISOString();
    await unsubscribeByLink(deps, token, { oneClick: true, client }, 'en');
    clock.advance(60_000);
    await unsubscribeByLink(deps, token, { oneClick: true, client: { ip: '198.51.100.1' } }, 'ru');
    const { entries } = await history.history(addressHash, { limit: 10 });
    expect(entries).toEqual([
      {
        evidenceId: expect.stringMatching(/:marketing$/),
        emailHash: addressHash,
        action: 'withdrawn',
        purpose: 'marketing',
        at,
        channel: 'letter_unsubscribe',
        client,
        subject: { campaignId: CAMPAIGN, step: 1 },
      },
    ]);
  });

  it('changes nothing for a forged or altered token, or a POST without One-Click', async () => {
    const { deps, suppressions, history, token } = await linked();
    const [header, , signature] = token.split('.');
    const other = Buffer.from(JSON.stringify({ a: 'A'.repeat(43), c: CAMPAIGN, s: 1 })).toString('base64url');
    for (const bad of [`${header}.${other}.${signature}`, `${token.slice(0, -2)}AA`, 'not-a-token']) {
      const page = renderUnsubscribePage(
        await unsubscribeByLink(deps, bad, { oneClick: true, client }, 'ru'),
      );
      expect(page.status).toBe(403);
      expect(page.html).toContain('Ссылка недействительна.');
    }
    const asked = renderUnsubscribePage(
      await unsubscribeByLink(deps, token, { oneClick: false, client }, 'ru'),
    );
    expect(asked.status).toBe(400);
    expect(suppressions.list.size).toBe(0);
    expect(history.records.size).toBe(0);
  });
});
