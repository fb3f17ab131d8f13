import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_CONSENT_TEXTS, demoEnquiry } from '#local/demo-data.ts';
import { ConsentTextInput, consentTextHash, consentTextOf } from '#shared/consents/consent-text.ts';
import { checkConsents, consentEvidence, USER_AGENT_LIMIT, userAgentOf } from '#shared/consents/evidence.ts';
import { withdrawConsent } from '#shared/consents/withdraw.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { captureDepsOf, TEST_KEYS } from './support/capture.ts';
import { InMemoryBank, testClock } from './support/in-memory.ts';
import { InMemoryConsents } from './support/in-memory-consents.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

const aText = (overrides: Record<string, unknown> = {}) => ({
  purpose: 'marketing',
  version: 'm-2026-02',
  texts: { ru: 'Я согласен получать письма банка.', en: "I agree to receive the bank's letters." },
  ...overrides,
});
const published = new Map(DEMO_CONSENT_TEXTS.map((t) => [t.version, t]));
const pathsOf = (input: unknown) => {
  const parsed = ConsentTextInput.safeParse(input);
  return parsed.success ? [] : formatIssues(parsed.error).map((i) => i.path);
};

describe('a consent text', () => {
  it('is one purpose, a version id and a Russian text, English optional', () => {
    expect(pathsOf(aText())).toEqual([]);
    expect(pathsOf(aText({ texts: { ru: 'Текст' } }))).toEqual([]);
    expect(pathsOf(aText({ texts: { en: 'Only English' } }))).toEqual(['texts.ru']);
    expect(pathsOf(aText({ version: 'PD 2026' }))).toEqual(['version']);
    expect(pathsOf(aText({ purpose: 'contact' }))).toEqual(['purpose']);
  });

  it('refuses a text that claims two purposes: the personal-data consent is a document of its own (152-FZ)', () => {
    const bundled = ConsentTextInput.safeParse(aText({ purpose: ['personal_data_processing', 'marketing'] }));
    expect(bundled.success).toBe(false);
    if (bundled.success) return;
    expect(formatIssues(bundled.error)).toEqual([
      { path: 'purpose', message: expect.stringContaining('exactly one purpose') },
    ]);
    // Nor can a second purpose ride along in a field of its own.
    expect(pathsOf(aText({ purposes: ['personal_data_processing'] }))).toEqual(['purposes']);
  });

  it('is hashed over its purpose, version and wording: the same text always has the same hash', () => {
    const made = consentTextOf(aText(), 'oleg', new Date('2026-02-01T00:00:00Z'));
    if (!made.ok) throw new Error('refused');
    expect(made.text.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(made.text).toMatchObject({ publishedBy: 'oleg', publishedAt: '2026-02-01T00:00:00.000Z' });
    // Key order does not matter; every word does, in either language, and so does the purpose.
    const reordered = {
      texts: { en: aText().texts.en, ru: aText().texts.ru },
      version: 'm-2026-02',
      purpose: 'marketing',
    } as const;
    expect(consentTextHash(reordered)).toBe(made.text.hash);
    expect(consentTextHash({ ...reordered, texts: { ...reordered.texts, en: 'Other words' } })).not.toBe(
      made.text.hash,
    );
    expect(consentTextHash({ ...reordered, purpose: 'partner_sharing' })).not.toBe(made.text.hash);
  });
});

describe("a form's consents", () => {
  it('must cite a published version of their own purpose, each refused at its path', () => {
    const consents = [
      { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-99' },
      { purpose: 'marketing', granted: false, textVersion: 'pd-2026-01' },
      { purpose: 'partner_sharing', granted: true, textVersion: 'ps-2026-01' },
    ] as const;
    expect(checkConsents(consents, published)).toEqual([
      { path: 'consents.0.textVersion', message: 'Unknown consent text version: pd-2026-99' },
      {
        path: 'consents.1.textVersion',
        message: 'Text version pd-2026-01 is for personal_data_processing, not marketing',
      },
    ]);
  });

  it('are kept as evidence, given and refused alike, with the hash, time, address, user agent and channel', () => {
    const emailHash = addressHashOf(TEST_KEYS, 'olga@romashka.example');
    const evidence = consentEvidence({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'marketing', granted: false, textVersion: 'm-2026-01' },
      ],
      published,
      emailHash,
      subject: { leadId: 'lead-1' },
      at: '2026-11-23T10:00:00.000Z',
      channel: 'web',
      client: { ip: '192.0.2.1', userAgent: userAgentOf(`Mozilla/5.0 ${'x'.repeat(1000)}`) },
    });
    expect(evidence).toEqual([
      expect.objectContaining({
        evidenceId: 'lead-1:personal_data_processing',
        emailHash,
        action: 'given',
        textVersion: 'pd-2026-01',
        textHash: published.get('pd-2026-01')?.hash,
        channel: 'web',
        subject: { leadId: 'lead-1' },
      }),
      expect.objectContaining({ action: 'refused', purpose: 'marketing', textVersion: 'm-2026-01' }),
    ]);
    expect(evidence[0]?.client.ip).toBe('192.0.2.1');
    expect(evidence[0]?.client.userAgent).toHaveLength(USER_AGENT_LIMIT);
  });

  it('refuse a web lead citing an unknown version with a 400 at the field, storing nothing', async () => {
    const bank = new InMemoryBank();
    const deps = captureDepsOf(bank, testClock());
    const body = demoEnquiry({
      consents: [
        { purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' },
        { purpose: 'marketing', granted: true, textVersion: 'm-1999-01' },
      ],
    });
    const answer = await captureLead(deps, { channel: 'web', body, clientAddress: '192.0.2.1' });
    expect(answer).toEqual({
      kind: 'invalid',
      issues: [{ path: 'consents.1.textVersion', message: 'Unknown consent text version: m-1999-01' }],
    });
    expect(bank.leadItems.size).toBe(0);
  });
});

describe('withdrawing a consent', () => {
  const setup = () => {
    const consents = new InMemoryConsents();
    const suppressions = new InMemorySuppression();
    const clock = testClock();
    const deps = { history: consents, suppressions, now: clock.now, newId: randomUUID };
    const emailHash = addressHashOf(TEST_KEYS, `olga.${randomUUID()}@romashka.example`);
    return { consents, suppressions, clock, deps, emailHash };
  };

  it('of marketing suppresses the address at once and records the withdrawal; a repeat records nothing new', async () => {
    const { deps, suppressions, consents, clock, emailHash } = setup();
    const request = {
      emailHash,
      scope: 'marketing',
      channel: 'compliance_officer',
      client: {},
      by: 'oleg',
    } as const;
    const first = await withdrawConsent(deps, request);
    expect(first).toMatchObject({ withdrawn: ['marketing'], alreadyWithdrawn: [], suppressed: true });
    const listed = await suppressions.find([emailHash]);
    expect(listed.get(emailHash)?.latest).toMatchObject({
      reason: 'unsubscribed',
      source: expect.stringMatching(/^consent_withdrawal#/),
    });
    clock.advance(60_000);
    expect(await withdrawConsent(deps, request)).toMatchObject({
      withdrawn: [],
      alreadyWithdrawn: ['marketing'],
    });
    const { entries } = await consents.history(emailHash, { limit: 10 });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'withdrawn',
        purpose: 'marketing',
        channel: 'compliance_officer',
        by: 'oleg',
      }),
    ]);
  });

  it('of personal-data processing alone is recorded and suppresses nothing', async () => {
    const { deps, suppressions, emailHash } = setup();
    const withdrawal = await withdrawConsent(deps, {
      emailHash,
      scope: 'personal_data_processing',
      channel: 'withdrawal_link',
      client: { ip: '192.0.2.7' },
    });
    expect(withdrawal).toMatchObject({ withdrawn: ['personal_data_processing'], suppressed: false });
    expect((await suppressions.find([emailHash])).size).toBe(0);
  });

  it('of everything withdraws each purpose once, a purpose given again since included', async () => {
    const { deps, consents, clock, emailHash } = setup();
    await withdrawConsent(deps, { emailHash, scope: 'marketing', channel: 'withdrawal_link', client: {} });
    clock.advance(1000);
    // The person gave marketing consent again on a later form.
    await consents.record(
      consentEvidence({
        consents: [{ purpose: 'marketing', granted: true, textVersion: 'm-2026-01' }],
        published,
        emailHash,
        subject: { leadId: 'lead-2' },
        at: clock.now().toISOString(),
        channel: 'web',
        client: {},
      }),
    );
    clock.advance(1000);
    const all = await withdrawConsent(deps, {
      emailHash,
      scope: 'all',
      channel: 'withdrawal_link',
      client: {},
    });
    expect(all.withdrawn.sort()).toEqual([
      'marketing',
      'partner_sharing',
      'personal_data_processing',
      'referrer_notice',
    ]);
    expect(all.suppressed).toBe(true);
  });
});
