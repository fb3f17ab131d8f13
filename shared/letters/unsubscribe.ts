import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { tokenRefusal } from '../access/signed-token.ts';
import { isCanonicalCompactJws } from '../managers/decision-link.ts';
import type { Locale } from '../templates/locale.ts';
import { escapeHtml, markup, templatesFor } from '../templates/render.ts';

/**
 * A letter's unsubscribe token (issue 8, item 6; docs/letters.md, "The token"). An HS256 JWT signed with the
 * `letter_unsubscribe` key, naming the recipient's address by its keyed hash (the `email` hash leads and
 * prospects use), the campaign and the step. The one-click POST reads the address's hash from the token
 * itself, so it suppresses the right address without a lookup table and without the address in clear in
 * the link. No expiry: RFC 8058 links must work for as long as the letter is in someone's mailbox. This
 * module signs and reads tokens and builds the headers and the body link; it records nothing.
 */

/** The keyed hash of an address, as the suppression list and the send counter are keyed (64 hex). */
export const addressHashOf = (keys: Keys, address: string): string =>
  keys.hash('email', address.trim().toLowerCase());

const Id = z.string().trim().min(1).max(100);

export const UnsubscribeRequest = z.strictObject({
  /** The address's keyed hash (addressHashOf), never the address. */
  addressHash: z.string().regex(/^[0-9a-f]{64}$/),
  campaignId: Id,
  step: z.int().min(1).max(20),
});
export type UnsubscribeRequest = z.infer<typeof UnsubscribeRequest>;

/** Why a token was not believed: a refused token changes nothing. */
export const UNSUBSCRIBE_REFUSALS = ['malformed', 'bad_signature', 'wrong_purpose'] as const;
export type UnsubscribeRefusal = (typeof UNSUBSCRIBE_REFUSALS)[number];

const ISSUER = 'attract';
const AUDIENCE = 'attract:letter-unsubscribe';

/** The claims: short names, the hash as 43 base64url characters rather than 64 hex, so the link stays short. */
const Payload = z.object({
  a: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  c: Id,
  s: z.int().min(1).max(20),
});

/** Signs one recipient's token for one step of one campaign: the same request always gives the same token. */
export async function signUnsubscribeToken(keys: Keys, request: UnsubscribeRequest): Promise<string> {
  const { addressHash, campaignId, step } = UnsubscribeRequest.parse(request);
  return new SignJWT({ a: Buffer.from(addressHash, 'hex').toString('base64url'), c: campaignId, s: step })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(keys.signingKey('letter_unsubscribe'));
}

/**
 * Checks a token: one canonical spelling, its signature (HS256 only, compared in constant time by jose),
 * its purpose, its claims. A token of another key (a decision link, an invitation) fails as `bad_signature`.
 */
export async function readUnsubscribeToken(
  keys: Keys,
  token: string,
): Promise<{ ok: true; request: UnsubscribeRequest } | { ok: false; reason: UnsubscribeRefusal }> {
  if (token.length > 1_000 || !isCanonicalCompactJws(token)) return { ok: false, reason: 'malformed' };
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('letter_unsubscribe'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const claims = Payload.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    const { a, c, s } = claims.data;
    const addressHash = Buffer.from(a, 'base64url').toString('hex');
    return { ok: true, request: { addressHash, campaignId: c, step: s } };
  } catch (error) {
    // The token carries no expiry: a claim of one is not ours.
    const reason = tokenRefusal(error);
    return { ok: false, reason: reason === 'expired' ? 'malformed' : reason };
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `<apiUrl>/v1/unsubscribe/<token>`. RFC 8058 wants an HTTPS URI: any other base is refused, except a
 * loopback host, which is the local runtime's API.
 */
export function unsubscribeUrl(apiUrl: string, token: string): string {
  const base = new URL(apiUrl);
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK.has(base.hostname))) {
    throw new RangeError('the unsubscribe link needs an https API URL');
  }
  return `${apiUrl.replace(/\/+$/, '')}/v1/unsubscribe/${token}`;
}

/** A header as SESv2 takes it in `Content.Simple.Headers`. */
export type MessageHeader = { Name: string; Value: string };

/**
 * The RFC 8058 pair: `List-Unsubscribe` with the one https URI in angle brackets (no mailto: a mailbox to
 * read is a second path to keep), and `List-Unsubscribe-Post` with exactly `List-Unsubscribe=One-Click`.
 */
export function unsubscribeHeaders(url: string): MessageHeader[] {
  return [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ];
}

/** The body's unsubscribe paragraph, from the template catalogs, in the letter's language. */
export function unsubscribeFooter(locale: Locale, url: string): { text: string; html: string } {
  const t = templatesFor(locale);
  const { unsubscribe, unsubscribeLink } = t.catalog.letterFooter;
  const link = markup(`<a href="${escapeHtml(url)}">${escapeHtml(unsubscribeLink)}</a>`);
  return { text: t.text(unsubscribe, { link: url }), html: `<p>${t.html(unsubscribe, { link })}</p>` };
}

/** Everything a send adds for unsubscribing: the headers and the body's paragraph. */
export async function unsubscribeFor(
  keys: Keys,
  apiUrl: string,
  request: UnsubscribeRequest,
  locale: Locale,
): Promise<{ url: string; headers: MessageHeader[]; footer: { text: string; html: string } }> {
  const url = unsubscribeUrl(apiUrl, await signUnsubscribeToken(keys, request));
  return { url, headers: unsubscribeHeaders(url), footer: unsubscribeFooter(locale, url) };
}
