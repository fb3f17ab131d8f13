import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSENT_TEXTS, demoEnquiry, publishDemoConsentTexts } from '#local/demo-data.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { LeadStore } from '#shared/adapters/lead-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { SuppressionStore } from '#shared/adapters/suppression-store.ts';
import { consentTextOf } from '#shared/consents/consent-text.ts';
import { withdrawOnBehalf } from '#shared/consents/keep-consents.ts';
import { InvalidConsentCursor } from '#shared/consents/ports.ts';
import { type CaptureDeps, captureLead } from '#shared/leads/capture-lead.ts';
import { MAX_ENQUIRIES_PER_LEAD } from '#shared/leads/enquiry.ts';
import { DEFAULT_SEND_POLICY, screenRecipients } from '#shared/letters/suppression.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { startAttractTable } from './support/attract-table.ts';
import { aProspect, campaignKeys } from './support/campaign-world.ts';

let table: Awaited<ReturnType<typeof startAttractTable>>;
let consents: ConsentStore;
beforeAll(async () => {
  table = await startAttractTable();
  consents = new ConsentStore(table.documentClient, table.tableName);
  await publishDemoConsentTexts(consents);
});
afterAll(async () => {
  await table?.stop();
});

const keys = campaignKeys;
const captureDeps = (): CaptureDeps => ({
  leads: new LeadStore(table.documentClient, table.tableName),
  referrers: new Directory(table.documentClient, table.tableName),
  consentTexts: consents,
  keys,
  rateLimiter: new DynamoRateLimiter(table.documentClient, table.tableName, 1000),
  duplicateWindowDays: 30,
  now: () => new Date(),
  newId: randomUUID,
  enquiryLimit: MAX_ENQUIRIES_PER_LEAD,
});
const historyOf = async (email: string) =>
  (await consents.history(addressHashOf(keys, email), { limit: 100 })).entries;
const withConsents = (overrides: Record<string, unknown> = {}) =>
  demoEnquiry({
    consents: [
      { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
      { purpose: 'marketing', granted: false, textVersion: 'm-2026-01' },
    ],
    ...overrides,
  });

describe('consent evidence at capture, on DynamoDB Local', () => {
  it("is written in the lead's transaction: every consent given or refused, with hash, address and user agent", async () => {
    const body = withConsents();
    const answer = await captureLead(captureDeps(), {
      channel: 'web',
      body,
      clientAddress: '198.51.100.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });
    if (answer.kind !== 'accepted') throw new Error(`not accepted: ${answer.kind}`);
    const pd = DEMO_CONSENT_TEXTS.find((t) => t.version === 'pd-2026-01');
    const entries = await historyOf(body.contact.email);
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'given',
          purpose: 'personal_data_processing',
          textVersion: 'pd-2026-01',
          textHash: pd?.hash,
          channel: 'web',
          client: { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
          subject: { leadId: answer.leadId },
        }),
        expect.objectContaining({ action: 'refused', purpose: 'marketing', textVersion: 'm-2026-01' }),
      ]),
    );
    // The address is in the key only as its keyed hash.
    expect(JSON.stringify(entries)).not.toContain(body.contact.email);
  });

  it('is kept with a later enquiry on the lead holding the company, and with nothing when the write is refused', async () => {
    const deps = captureDeps();
    const first = withConsents();
    const a = await captureLead(deps, { channel: 'web', body: first, clientAddress: '198.51.100.8' });
    const second = withConsents({ company: first.company });
    const b = await captureLead(deps, { channel: 'web', body: second, clientAddress: '198.51.100.9' });
    if (a.kind !== 'accepted' || b.kind !== 'accepted') throw new Error('not accepted');
    expect(b).toMatchObject({ outcome: 'enquiry', leadId: a.leadId });
    const later = await historyOf(second.contact.email);
    expect(later).toHaveLength(2);
    expect(later[0]?.subject).toMatchObject({ leadId: a.leadId, enquiryId: expect.any(String) });

    // The same Idempotency-Key with another body: the capture's transaction is refused, and its evidence with it.
    const key = randomUUID();
    await captureLead(deps, {
      channel: 'web',
      body: withConsents(),
      clientAddress: '198.51.100.10',
      idempotencyKey: key,
    });
    const refused = withConsents();
    const conflict = await captureLead(deps, {
      channel: 'web',
      body: refused,
      clientAddress: '198.51.100.10',
      idempotencyKey: key,
    });
    expect(conflict).toEqual({ kind: 'idempotency_conflict' });
    expect(await historyOf(refused.contact.email)).toEqual([]);
  });

  it('refuses an unknown version, and one of another purpose, at the field', async () => {
    const body = withConsents({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'm-2026-01' },
        { purpose: 'partner_sharing', granted: true, textVersion: 'ps-2099-01' },
      ],
    });
    const answer = await captureLead(captureDeps(), { channel: 'web', body, clientAddress: '198.51.100.11' });
    expect(answer).toMatchObject({ kind: 'invalid' });
    if (answer.kind !== 'invalid') return;
    expect(answer.issues.map((i) => i.path)).toEqual(['consents.0.textVersion', 'consents.1.textVersion']);
  });
});

describe('consent texts on DynamoDB Local', () => {
  it('are published once: the same text again is the same answer, other words under its id are refused', async () => {
    const version = `m-${randomUUID().slice(0, 8)}`;
    const made = consentTextOf(
      { purpose: 'marketing', version, texts: { ru: 'Письма' } },
      'oleg',
      new Date(),
    );
    if (!made.ok) throw new Error('refused');
    expect(await consents.publish(made.text)).toEqual({ outcome: 'published', text: made.text });
    const retried = { ...made.text, publishedAt: new Date(Date.now() + 1000).toISOString() };
    expect(await consents.publish(retried)).toEqual({ outcome: 'published', text: made.text });
    const other = consentTextOf(
      { purpose: 'marketing', version, texts: { ru: 'Другое' } },
      'oleg',
      new Date(),
    );
    if (!other.ok) throw new Error('refused');
    expect(await consents.publish(other.text)).toEqual({ outcome: 'exists' });

    const firstPage = await consents.list({ limit: 1 });
    expect(firstPage.texts[0]?.version).toBe(version);
    const rest = await consents.list({ limit: 100, ...(firstPage.next ? { after: firstPage.next } : {}) });
    expect(rest.texts.map((t) => t.version)).toEqual(expect.arrayContaining(['pd-2026-01', 'm-2026-01']));
    await expect(consents.list({ limit: 1, after: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(
      InvalidConsentCursor,
    );
  });
});

describe('a withdrawal on DynamoDB Local', () => {
  it("suppresses the address for the very next send: the letters' screening skips it", async () => {
    const email = `olga.${randomUUID()}@firm.example`;
    const prospect = aProspect(4242, {}, email);
    const suppressions = new SuppressionStore(table.documentClient, table.tableName);
    const deps = {
      texts: consents,
      history: consents,
      suppressions,
      keys,
      now: () => new Date(),
      newId: randomUUID,
    };
    const screeningDeps = {
      keys,
      suppressions,
      sendCounter: suppressions,
      clients: new Directory(table.documentClient, table.tableName),
    };
    const step = {
      campaignId: randomUUID(),
      step: 1,
      policy: { ...DEFAULT_SEND_POLICY, sendingWindow: { from: '00:00', until: '23:59' } },
    };

    const withdrawal = await withdrawOnBehalf(deps, 'oleg', { email, purpose: 'marketing' });
    expect(withdrawal).toMatchObject({ withdrawn: ['marketing'], suppressed: true });
    const [screened] = await screenRecipients(screeningDeps, step, [prospect], new Date());
    expect(screened?.decision).toEqual({ outcome: 'skip', reason: 'unsubscribed' });
    expect(await historyOf(email)).toEqual([
      expect.objectContaining({
        action: 'withdrawn',
        purpose: 'marketing',
        channel: 'compliance_officer',
        by: 'oleg',
      }),
    ]);
  });
});
