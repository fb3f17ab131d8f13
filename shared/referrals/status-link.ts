import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { tokenRefusal } from '../access/signed-token.ts';
import { isCanonicalCompactJws } from '../managers/decision-link.ts';

/**
 * A referrer's link to the status of its referrals (docs/referrals.md): an HS256 JWT signed with the
 * `referral_status` key, naming the client and nothing else, valid for a year; no account needed. A forged
 * or expired token shows nothing, and the page never says which check failed.
 */
const ISSUER = 'attract';
const AUDIENCE = 'attract:referral-status';
export const STATUS_LINK_DAYS = 365;

const Payload = z.object({ c: z.string().min(1).max(100) });

export async function signStatusToken(keys: Keys, clientId: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ c: clientId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + STATUS_LINK_DAYS * 86_400)
    .sign(keys.signingKey('referral_status'));
}

/** The client a token names, or nothing: one canonical spelling, HS256 only, its purpose and expiry. */
export async function readStatusToken(keys: Keys, token: string, now: Date): Promise<string | undefined> {
  if (token.length > 1_000 || !isCanonicalCompactJws(token)) return undefined;
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('referral_status'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
    });
    const claims = Payload.safeParse(payload);
    return claims.success ? claims.data.c : undefined;
  } catch (error) {
    tokenRefusal(error);
    return undefined;
  }
}

/** `<apiUrl>/v1/referral-status/<token>`. */
export const statusUrl = (apiUrl: string, token: string): string =>
  `${apiUrl.replace(/\/+$/, '')}/v1/referral-status/${token}`;
