import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { type TokenRefusal, tokenRefusal } from '../access/signed-token.ts';
import { isCanonicalCompactJws } from '../managers/decision-link.ts';

/**
 * The signed tokens of an open day's registration (docs/open-days.md): the link in each email that gives
 * the seat up or takes an offered one, and the check-in code shown at the door. HS256 JWTs signed with the
 * `open_day_registration` key, naming the open day, the address by its keyed hash and the registration,
 * so a link of a registration given up and made again opens nothing of the new one. The two uses have
 * their own audience: a manage link scanned at the door checks nobody in, and a code is no manage link.
 * They expire a week after the open day ends.
 */

export const REGISTRATION_TOKEN_USES = ['manage', 'check_in'] as const;
export type RegistrationTokenUse = (typeof REGISTRATION_TOKEN_USES)[number];

export type RegistrationRef = { openDayId: string; emailHash: string; registrationId: string };

const ISSUER = 'attract';
const audienceOf = (use: RegistrationTokenUse) => `attract:open-day-${use.replace('_', '-')}`;

/** How long after the open day's end its links still open (a late question, a check-in entered later). */
export const LINK_DAYS_AFTER_END = 7;

/** Short claims: the hash as 43 base64url characters rather than 64 hex, so a link and a code stay short. */
const Claims = z.object({ o: z.uuid(), a: z.string().regex(/^[A-Za-z0-9_-]{43}$/), r: z.uuid() });

export async function signRegistrationToken(
  keys: Keys,
  use: RegistrationTokenUse,
  ref: RegistrationRef,
  openDayEndsAt: string,
): Promise<string> {
  const expiresAt = Date.parse(openDayEndsAt) + LINK_DAYS_AFTER_END * 86_400_000;
  return new SignJWT({
    o: ref.openDayId,
    a: Buffer.from(ref.emailHash, 'hex').toString('base64url'),
    r: ref.registrationId,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(use))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(keys.signingKey('open_day_registration'));
}

/** Checks a token for one use: canonical spelling, signature, purpose, expiry, claims. */
export async function readRegistrationToken(
  keys: Keys,
  use: RegistrationTokenUse,
  token: string,
  now: Date,
): Promise<{ ok: true; ref: RegistrationRef } | { ok: false; reason: TokenRefusal }> {
  if (token.length > 1_000 || !isCanonicalCompactJws(token)) return { ok: false, reason: 'malformed' };
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('open_day_registration'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: audienceOf(use),
      currentDate: now,
    });
    const claims = Claims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    const { o, a, r } = claims.data;
    return {
      ok: true,
      ref: { openDayId: o, emailHash: Buffer.from(a, 'base64url').toString('hex'), registrationId: r },
    };
  } catch (error) {
    return { ok: false, reason: tokenRefusal(error) };
  }
}
