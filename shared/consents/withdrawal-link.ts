import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { tokenRefusal } from '../access/signed-token.ts';
import { isCanonicalCompactJws } from '../managers/decision-link.ts';
import type { Locale } from '../templates/locale.ts';
import type { EvidenceClient } from './evidence.ts';
import {
  WITHDRAWAL_SCOPES,
  type Withdrawal,
  type WithdrawalScope,
  type WithdrawDeps,
  withdrawConsent,
} from './withdraw.ts';

/**
 * A person's signed link to withdraw a consent (docs/consents.md, "The link"), which any later email may
 * carry: an HS256 JWT signed with the `consent_withdrawal` key, naming the address by its keyed hash and
 * what is withdrawn. No expiry: a person may withdraw at any time, from any email they kept. Opening it
 * (GET) only asks, since mail scanners fetch links; the one-click POST (RFC 8058's body, so it can also be
 * a letter's `List-Unsubscribe`) withdraws at once. A forged token changes nothing, and the page never
 * says which check failed.
 */

export type WithdrawalLink = { emailHash: string; scope: WithdrawalScope };

const ISSUER = 'attract';
const AUDIENCE = 'attract:consent-withdrawal';

const Payload = z.object({ a: z.string().regex(/^[A-Za-z0-9_-]{43}$/), p: z.enum(WITHDRAWAL_SCOPES) });

/** Signs the link for one address and scope: the same request always gives the same token. */
export async function signWithdrawalToken(keys: Keys, link: WithdrawalLink): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(link.emailHash)) throw new RangeError('Not an address hash');
  return new SignJWT({ a: Buffer.from(link.emailHash, 'hex').toString('base64url'), p: link.scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(keys.signingKey('consent_withdrawal'));
}

/** Checks a token: one canonical spelling, the signature (HS256 only), its purpose and its claims. */
export async function readWithdrawalToken(keys: Keys, token: string): Promise<WithdrawalLink | undefined> {
  if (token.length > 1_000 || !isCanonicalCompactJws(token)) return undefined;
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('consent_withdrawal'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const claims = Payload.safeParse(payload);
    if (!claims.success) return undefined;
    return { emailHash: Buffer.from(claims.data.a, 'base64url').toString('hex'), scope: claims.data.p };
  } catch (error) {
    tokenRefusal(error);
    return undefined;
  }
}

/** `<apiUrl>/v1/consents/withdraw/<token>`. */
export const withdrawalUrl = (apiUrl: string, token: string): string =>
  `${apiUrl.replace(/\/+$/, '')}/v1/consents/withdraw/${token}`;

export type WithdrawalLinkDeps = WithdrawDeps & { keys: Keys };

/** What the link's page shows, in the reader's language (the token names none). */
export type WithdrawalPage =
  | { kind: 'question'; locale: Locale; scope: WithdrawalScope; oneClickMissing?: boolean }
  | { kind: 'done'; locale: Locale; scope: WithdrawalScope; withdrawal: Withdrawal }
  | { kind: 'refused'; locale: Locale };

/** GET: the question and its button, changing nothing; or that the link is not valid. */
export async function openWithdrawalLink(
  deps: Pick<WithdrawalLinkDeps, 'keys'>,
  token: string,
  locale: Locale,
): Promise<WithdrawalPage> {
  const link = await readWithdrawalToken(deps.keys, token);
  return link ? { kind: 'question', locale, scope: link.scope } : { kind: 'refused', locale };
}

/** POST with `List-Unsubscribe=One-Click`: withdrawn now; a repeat records nothing new. */
export async function withdrawByLink(
  deps: WithdrawalLinkDeps,
  token: string,
  request: { oneClick: boolean; client: EvidenceClient },
  locale: Locale,
): Promise<WithdrawalPage> {
  const link = await readWithdrawalToken(deps.keys, token);
  if (!link) return { kind: 'refused', locale };
  if (!request.oneClick) return { kind: 'question', locale, scope: link.scope, oneClickMissing: true };
  const withdrawal = await withdrawConsent(deps, {
    emailHash: link.emailHash,
    scope: link.scope,
    channel: 'withdrawal_link',
    client: request.client,
  });
  return { kind: 'done', locale, scope: link.scope, withdrawal };
}
