import { describe, expect, it } from 'vitest';
import type { Client } from '#shared/leads/ports.ts';
import {
  DEFAULT_SEND_POLICY,
  decideSend,
  type RecipientFacts,
  type SendPolicy,
  screenRecipients,
} from '#shared/letters/suppression.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import type { Prospect } from '#shared/prospects/prospect.ts';
import { TEST_KEYS } from './support/capture.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

// Tuesday 1 December 2026, 12:00 in Moscow (UTC+3): inside the default 09:00-20:00 window.
const NOON_MSK = new Date('2026-12-01T09:00:00.000Z');
const consent = { granted: true, source: 'web form 2026', date: '2026-05-01' };
const policy: SendPolicy = { ...DEFAULT_SEND_POLICY, frequencyCap: { letters: 2, windowDays: 30 } };
const SEND_KEY = 'campaign-1#1';

const facts = (overrides: Partial<RecipientFacts> = {}): RecipientFacts => ({
  recipient: { prospectId: 'p-1', timeZone: 'Europe/Moscow', marketingConsent: consent },
  sendKey: SEND_KEY,
  existingClient: false,
  sends: [],
  ...overrides,
});
const mark = (reason: 'unsubscribed' | 'hard_bounced' | 'complained', at = '2026-11-01T00:00:00.000Z') => ({
  reason,
  at,
});
const sent = (sendKey: string, at: string, prospectId = 'p-other') => ({ sendKey, at, prospectId });

describe('the send-time decision', () => {
  it('sends to a consenting prospect who is on no list, no client, under the cap, in sending hours', () => {
    expect(decideSend(facts(), policy, NOON_MSK)).toEqual({ outcome: 'send' });
  });

  it('skips an address on the suppression list with its latest reason', () => {
    for (const reason of ['unsubscribed', 'hard_bounced', 'complained'] as const) {
      const suppression = { addressHash: 'h', first: mark('unsubscribed'), latest: mark(reason) };
      expect(decideSend(facts({ suppression }), policy, NOON_MSK)).toEqual({ outcome: 'skip', reason });
    }
  });

  it('skips an existing client, and a prospect without consent only where consent is required', () => {
    expect(decideSend(facts({ existingClient: true }), policy, NOON_MSK)).toEqual({
      outcome: 'skip',
      reason: 'existing_client',
    });
    const withoutConsent = facts({
      recipient: { prospectId: 'p-1', timeZone: 'Europe/Moscow', marketingConsent: { granted: false } },
    });
    expect(decideSend(withoutConsent, policy, NOON_MSK)).toEqual({ outcome: 'skip', reason: 'no_consent' });
    expect(decideSend(withoutConsent, { ...policy, consentRequired: false }, NOON_MSK)).toEqual({
      outcome: 'send',
    });
  });

  it("skips the address when another prospect on the campaign's audiences had this step's letter", () => {
    const sends = [sent(SEND_KEY, '2026-12-01T08:00:00.000Z')];
    expect(decideSend(facts({ sends }), policy, NOON_MSK)).toEqual({
      outcome: 'skip',
      reason: 'already_sent_this_campaign',
    });
    // The recipient's own earlier count (a redelivered page) is the same letter: send, and not capped.
    const own = [
      sent(SEND_KEY, '2026-12-01T08:00:00.000Z', 'p-1'),
      sent('c-2#1', '2026-11-20T08:00:00.000Z'),
    ];
    expect(decideSend(facts({ sends: own }), policy, NOON_MSK)).toEqual({ outcome: 'send' });
    // Step 2 of the same campaign is another letter.
    expect(decideSend(facts({ sends, sendKey: 'campaign-1#2' }), policy, NOON_MSK)).toEqual({
      outcome: 'send',
    });
  });

  it('skips at the frequency cap over a rolling window; letters older than the window do not count', () => {
    const two = [sent('c-2#1', '2026-11-05T09:00:01.000Z'), sent('c-3#1', '2026-11-28T09:00:00.000Z')];
    expect(decideSend(facts({ sends: two }), policy, NOON_MSK)).toEqual({
      outcome: 'skip',
      reason: 'frequency_cap',
    });
    // 30 days and a second later the older letter has left the window.
    const later = new Date('2026-12-05T09:00:02.000Z');
    expect(decideSend(facts({ sends: two }), policy, later)).toEqual({ outcome: 'send' });
  });

  it("defers in quiet hours to the moment the recipient's window opens", () => {
    // 20:00 in Moscow is closed: the window opens at 09:00 next morning, Moscow time.
    expect(decideSend(facts(), policy, new Date('2026-12-01T17:00:00.000Z'))).toEqual({
      outcome: 'skip',
      reason: 'quiet_hours',
      retryAt: '2026-12-02T06:00:00.000Z',
    });
    // Noon in Moscow is 19:00 in Vladivostok (UTC+10): open; 15:00 in Moscow is 22:00 there: closed.
    const vladivostok = facts({
      recipient: { prospectId: 'p-1', timeZone: 'Asia/Vladivostok', marketingConsent: consent },
    });
    expect(decideSend(vladivostok, policy, NOON_MSK)).toEqual({ outcome: 'send' });
    expect(decideSend(vladivostok, policy, new Date('2026-12-01T12:00:00.000Z'))).toEqual({
      outcome: 'skip',
      reason: 'quiet_hours',
      retryAt: '2026-12-01T23:00:00.000Z',
    });
  });

  it('records a lasting reason before quiet hours, so a skipped recipient is not retried', () => {
    const night = new Date('2026-12-01T22:00:00.000Z');
    expect(decideSend(facts({ existingClient: true }), policy, night)).toEqual({
      outcome: 'skip',
      reason: 'existing_client',
    });
  });
});

describe('screening a page of recipients', () => {
  const prospect = (n: number, email: string, inn = `77000000${String(n).padStart(2, '0')}`): Prospect => ({
    prospectId: `${String(n).padStart(2, '0')}`.repeat(16),
    company: { name: `Company ${n}`, inn, regionCode: '77' },
    contact: { name: `Contact ${n}`, email },
    language: 'ru',
    timeZone: 'Europe/Moscow',
    tags: [],
    marketingConsent: consent,
    source: { importId: 'import-1', line: n + 1 },
  });

  it('gives every recipient a decision, counts each letter that goes, and one letter per address', async () => {
    const store = new InMemorySuppression();
    const clients = new Map<string, Client>([
      ['7700000003', { clientId: 'cl-3', inn: '7700000003', name: 'Client', managerId: 'pm-1' }],
    ]);
    const deps = {
      keys: TEST_KEYS,
      suppressions: store,
      sendCounter: store,
      clients: {
        clientsAmong: async (inns: readonly string[]) => new Set(inns.filter((i) => clients.has(i))),
      },
    };
    await store.suppress(addressHashOf(TEST_KEYS, 'gone@b.example'), mark('unsubscribed'));
    const page = [
      prospect(1, 'anna@a.example'),
      prospect(2, 'gone@b.example'),
      prospect(3, 'boris@client.example', '7700000003'),
      // The same person on a second audience of the campaign, through another company's row.
      prospect(4, 'ANNA@a.example '),
      { ...prospect(5, 'no-consent@c.example'), marketingConsent: { granted: false } },
    ];
    const step = { campaignId: 'campaign-1', step: 1, policy };
    const screened = await screenRecipients(deps, step, page, NOON_MSK);
    expect(screened.map((s) => s.decision)).toEqual([
      { outcome: 'send' },
      { outcome: 'skip', reason: 'unsubscribed' },
      { outcome: 'skip', reason: 'existing_client' },
      { outcome: 'skip', reason: 'already_sent_this_campaign' },
      { outcome: 'skip', reason: 'no_consent' },
    ]);
    expect(screened[0]?.addressHash).toBe(addressHashOf(TEST_KEYS, 'anna@a.example'));
    // The page delivered again: the one letter counted stays one letter, and is still to send.
    const again = await screenRecipients(deps, step, page, NOON_MSK);
    expect(again.map((s) => s.decision)).toEqual(screened.map((s) => s.decision));
    expect(
      await store.sends(addressHashOf(TEST_KEYS, 'anna@a.example'), '2026-11-01T00:00:00.000Z'),
    ).toHaveLength(1);
    // Unsubscribed between two pages: the very next screening skips the address.
    await store.suppress(
      addressHashOf(TEST_KEYS, 'anna@a.example'),
      mark('unsubscribed', NOON_MSK.toISOString()),
    );
    const next = await screenRecipients(
      deps,
      { ...step, step: 2 },
      [prospect(1, 'anna@a.example')],
      NOON_MSK,
    );
    expect(next.map((s) => s.decision)).toEqual([{ outcome: 'skip', reason: 'unsubscribed' }]);
  });

  it('skips at the cap from the page read, in quiet hours too, and counts a letter the read decided', async () => {
    const store = new InMemorySuppression();
    const deps = {
      keys: TEST_KEYS,
      suppressions: store,
      sendCounter: store,
      clients: { clientsAmong: async () => new Set<string>() },
    };
    const capped = addressHashOf(TEST_KEYS, 'capped@a.example');
    for (const campaignId of ['c-2', 'c-3']) {
      const claim = { addressHash: capped, sendKey: `${campaignId}#1`, prospectId: 'p-other' };
      await store.claim({ ...claim, at: '2026-11-20T09:00:00.000Z', cap: 2, windowDays: 30 });
    }
    const page = [prospect(1, 'capped@a.example'), prospect(2, 'fresh@b.example')];
    const step = { campaignId: 'campaign-1', step: 1, policy };
    // 23:00 in Moscow: the capped address is skipped for good, not deferred to the morning.
    const night = new Date('2026-12-01T20:00:00.000Z');
    expect((await screenRecipients(deps, step, page, night)).map((s) => s.decision)).toEqual([
      { outcome: 'skip', reason: 'frequency_cap' },
      { outcome: 'skip', reason: 'quiet_hours', retryAt: '2026-12-02T06:00:00.000Z' },
    ]);
    expect((await screenRecipients(deps, step, page, NOON_MSK)).map((s) => s.decision)).toEqual([
      { outcome: 'skip', reason: 'frequency_cap' },
      { outcome: 'send' },
    ]);
    const fresh = addressHashOf(TEST_KEYS, 'fresh@b.example');
    expect(await store.sends(fresh, '2026-11-01T00:00:00.000Z')).toHaveLength(1);
    expect(await store.sends(capped, '2026-11-01T00:00:00.000Z')).toHaveLength(2);
  });
});
