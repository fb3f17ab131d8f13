import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import {
  openWithdrawalLink,
  readWithdrawalToken,
  signWithdrawalToken,
  withdrawalUrl,
  withdrawByLink,
} from '#shared/consents/withdrawal-link.ts';
import { renderWithdrawalPage } from '#shared/consents/withdrawal-page.ts';
import { addressHashOf, signUnsubscribeToken } from '#shared/letters/unsubscribe.ts';
import { TEST_KEYS } from './support/capture.ts';
import { testClock } from './support/in-memory.ts';
import { InMemoryConsents } from './support/in-memory-consents.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

const emailHash = addressHashOf(TEST_KEYS, 'olga@romashka.example');

function linkDeps() {
  const history = new InMemoryConsents();
  const suppressions = new InMemorySuppression();
  return {
    deps: { keys: TEST_KEYS, history, suppressions, now: testClock().now, newId: randomUUID },
    history,
    suppressions,
  };
}

describe("a person's withdrawal link", () => {
  it('names the address by its hash and what is withdrawn, and only our key and purpose sign it', async () => {
    const token = await signWithdrawalToken(TEST_KEYS, { emailHash, scope: 'marketing' });
    expect(token).not.toContain('olga');
    expect(await readWithdrawalToken(TEST_KEYS, token)).toEqual({ emailHash, scope: 'marketing' });
    expect(withdrawalUrl('https://api.bank.example/', token)).toBe(
      `https://api.bank.example/v1/consents/withdraw/${token}`,
    );
    const otherSecret = Keys.derive('another-secret-of-at-least-32-characters!');
    expect(await readWithdrawalToken(otherSecret, token)).toBeUndefined();
    // A letter's unsubscribe token is signed with another key: it withdraws nothing here.
    const unsubscribe = await signUnsubscribeToken(TEST_KEYS, {
      addressHash: emailHash,
      campaignId: 'c',
      step: 1,
    });
    expect(await readWithdrawalToken(TEST_KEYS, unsubscribe)).toBeUndefined();
    expect(await readWithdrawalToken(TEST_KEYS, `${token}x`)).toBeUndefined();
  });

  it('asks on GET, changing nothing; withdraws on the one-click POST, once however often it is pressed', async () => {
    const { deps, history, suppressions } = linkDeps();
    const token = await signWithdrawalToken(TEST_KEYS, { emailHash, scope: 'marketing' });
    const asked = await openWithdrawalLink(deps, token, 'ru');
    expect(asked).toEqual({ kind: 'question', locale: 'ru', scope: 'marketing' });
    expect(renderWithdrawalPage(asked)).toMatchObject({
      status: 200,
      html: expect.stringContaining('One-Click'),
    });
    expect(history.records.size).toBe(0);

    const noClick = await withdrawByLink(deps, token, { oneClick: false, client: {} }, 'en');
    expect(renderWithdrawalPage(noClick).status).toBe(400);
    expect(suppressions.list.size).toBe(0);

    const client = { ip: '192.0.2.8', userAgent: 'Mozilla/5.0' };
    const done = await withdrawByLink(deps, token, { oneClick: true, client }, 'en');
    expect(done).toMatchObject({ kind: 'done', withdrawal: { withdrawn: ['marketing'], suppressed: true } });
    expect(renderWithdrawalPage(done)).toMatchObject({
      status: 200,
      html: expect.stringContaining('withdrawn'),
    });
    expect(suppressions.list.has(emailHash)).toBe(true);
    await withdrawByLink(deps, token, { oneClick: true, client }, 'en');
    const { entries } = await history.history(emailHash, { limit: 10 });
    expect(entries).toEqual([
      expect.objectContaining({ action: 'withdrawn', channel: 'withdrawal_link', client }),
    ]);
  });

  it('refuses a forged token with a page that says only that the link is not valid', async () => {
    const { deps, suppressions } = linkDeps();
    const page = await withdrawByLink(deps, 'a.b.c', { oneClick: true, client: {} }, 'ru');
    expect(renderWithdrawalPage(page)).toMatchObject({
      status: 403,
      html: expect.stringContaining('недействительна'),
    });
    expect(suppressions.list.size).toBe(0);
  });

  it('tells a person who withdrew personal-data consent that the bank will write about their data', async () => {
    const { deps } = linkDeps();
    const token = await signWithdrawalToken(TEST_KEYS, { emailHash, scope: 'all' });
    const done = await withdrawByLink(deps, token, { oneClick: true, client: {} }, 'ru');
    expect(renderWithdrawalPage(done).html).toContain('персональных данных');
  });
});
