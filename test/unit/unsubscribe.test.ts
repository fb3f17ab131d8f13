import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import {
  addressHashOf,
  readUnsubscribeToken,
  signUnsubscribeToken,
  unsubscribeFooter,
  unsubscribeFor,
  unsubscribeHeaders,
  unsubscribeUrl,
} from '#shared/letters/unsubscribe.ts';
import { signDecisionLink } from '#shared/managers/decision-link.ts';
import { TEST_KEYS } from './support/capture.ts';

const ADDRESS = 'Olga.Petrova@Romashka.example ';
const request = {
  addressHash: addressHashOf(TEST_KEYS, ADDRESS),
  campaignId: '3f2b9c1e-5d1a-4c9e-9a57-0c1f2e3d4b5a',
  step: 1,
};
const API = 'https://api.attract.bank.example/';

/** A token of the unsubscribe key with the claims and purpose a test chooses, as an insider could sign. */
const signWithUnsubscribeKey = (claims: Record<string, unknown>, audience = 'attract:letter-unsubscribe') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('attract')
    .setAudience(audience)
    .sign(TEST_KEYS.signingKey('letter_unsubscribe'));

describe('unsubscribe tokens', () => {
  it('round-trips the address hash, campaign and step; the same request gives the same token', async () => {
    const token = await signUnsubscribeToken(TEST_KEYS, request);
    expect(await readUnsubscribeToken(TEST_KEYS, token)).toEqual({ ok: true, request });
    expect(await signUnsubscribeToken(TEST_KEYS, request)).toBe(token);
    // The address is named by the hash of its normalised form: any spelling of it is one address.
    expect(addressHashOf(TEST_KEYS, 'olga.petrova@romashka.example')).toBe(request.addressHash);
  });

  it('is compact, URL-safe, and holds neither the address nor its hex hash in clear', async () => {
    const token = await signUnsubscribeToken(TEST_KEYS, request);
    // About 270 characters with a UUID campaign id: one line in a header, folded by the mailer if needed.
    expect(token.length).toBeLessThan(300);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const payload = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString();
    expect(payload).not.toMatch(/olga|romashka/i);
    expect(payload).not.toContain(request.addressHash);
    expect(JSON.parse(payload)).not.toHaveProperty('exp');
  });

  it('refuses a token with any one character changed', async () => {
    const token = await signUnsubscribeToken(TEST_KEYS, request);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: token.length - 1 }),
        fc.constantFrom(...alphabet),
        async (i, c) => {
          fc.pre(token[i] !== c);
          const altered = token.slice(0, i) + c + token.slice(i + 1);
          const read = await readUnsubscribeToken(TEST_KEYS, altered);
          expect(read.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a token signed with another secret, or with another purpose key, as a bad signature', async () => {
    const foreign = await signUnsubscribeToken(
      Keys.derive('another-bank-key-material-0123456789abcdef'),
      request,
    );
    expect(await readUnsubscribeToken(TEST_KEYS, foreign)).toEqual({ ok: false, reason: 'bad_signature' });
    const { token: decision } = await signDecisionLink(TEST_KEYS, {
      leadId: 'lead-1',
      managerId: 'pm-1',
      assignmentId: 'asg-1',
      action: 'accept',
      now: new Date('2026-12-01T10:00:00Z'),
      validMinutes: 60,
    });
    expect(await readUnsubscribeToken(TEST_KEYS, decision)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an unsigned token, another purpose of the same key, and claims that are not ours', async () => {
    const payload = { a: Buffer.from(request.addressHash, 'hex').toString('base64url'), c: 'c-1', s: 1 };
    const unsigned = new UnsecuredJWT(payload).setIssuer('attract').setAudience('attract:letter-unsubscribe');
    expect(await readUnsubscribeToken(TEST_KEYS, unsigned.encode())).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(
      await readUnsubscribeToken(TEST_KEYS, await signWithUnsubscribeKey(payload, 'attract:other')),
    ).toEqual({
      ok: false,
      reason: 'wrong_purpose',
    });
    for (const claims of [
      { ...payload, a: 'short' },
      { ...payload, s: 0 },
      { c: 'c-1', s: 1 },
    ]) {
      expect(await readUnsubscribeToken(TEST_KEYS, await signWithUnsubscribeKey(claims))).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
    for (const junk of ['', 'abc', 'a.b.c', `${'x'.repeat(600)}.${'y'.repeat(600)}.z`]) {
      expect(await readUnsubscribeToken(TEST_KEYS, junk)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses to sign for an address in clear or a step out of range', async () => {
    await expect(signUnsubscribeToken(TEST_KEYS, { ...request, addressHash: ADDRESS })).rejects.toThrow();
    await expect(signUnsubscribeToken(TEST_KEYS, { ...request, step: 0 })).rejects.toThrow();
  });
});

describe('the RFC 8058 headers and the body link', () => {
  it('names one https URI in angle brackets and the one-click POST exactly as RFC 8058 spells it', async () => {
    const token = await signUnsubscribeToken(TEST_KEYS, request);
    const url = unsubscribeUrl(API, token);
    expect(url).toBe(`https://api.attract.bank.example/v1/unsubscribe/${token}`);
    expect(unsubscribeHeaders(url)).toEqual([
      { Name: 'List-Unsubscribe', Value: `<https://api.attract.bank.example/v1/unsubscribe/${token}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('refuses a plain http API except the local runtime on a loopback host', () => {
    expect(() => unsubscribeUrl('http://api.attract.bank.example', 't')).toThrow(RangeError);
    expect(() => unsubscribeUrl('ftp://api.attract.bank.example', 't')).toThrow(RangeError);
    expect(unsubscribeUrl('http://127.0.0.1:4010', 't')).toBe('http://127.0.0.1:4010/v1/unsubscribe/t');
    expect(unsubscribeUrl('http://localhost:4010/', 't')).toBe('http://localhost:4010/v1/unsubscribe/t');
  });

  it('puts the link in both bodies from the catalogs, in Russian by default and English when asked', async () => {
    const { url, headers, footer } = await unsubscribeFor(TEST_KEYS, API, request, 'ru');
    expect(headers[0]?.Value).toBe(`<${url}>`);
    expect(footer.text).toContain('Чтобы больше не получать писем банка');
    expect(footer.text).toContain(url);
    expect(footer.html).toContain(`<a href="${url}">отписаться от рассылки</a>`);
    const en = unsubscribeFooter('en', url);
    expect(en.text).toContain("To stop the bank's letters");
    // The template's own quote is escaped in HTML, the link is ours.
    expect(en.html).toBe(
      `<p>You received this letter as your company&#39;s representative. To stop the bank&#39;s letters with offers: <a href="${url}">unsubscribe</a></p>`,
    );
    expect(unsubscribeFooter('ru', 'https://x.example/?a=1&b="2"').html).toContain(
      'href="https://x.example/?a=1&amp;b=&quot;2&quot;"',
    );
  });
});
