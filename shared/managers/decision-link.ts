import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { tokenRefusal } from '../access/signed-token.ts';

/**
 * The accept and decline links in a PM's email about a lead (issue 7, item 5). Each link is an HS256 JWT
 * for one lead, one PM, one assignment of the lead to that PM and one action, signed with the
 * `manager_decision_link` key, which is derived from the key secret in Secrets Manager and so never in the
 * repository. This module signs and reads links; it records nothing. A link works once because an
 * assignment is decided once: the decision is a conditional write on the assignment the link names
 * (shared/leads/answer-by-link.ts), so of two concurrent clicks exactly one wins.
 */

export const DECISION_ACTIONS = ['accept', 'decline'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

const Id = z.string().trim().min(1).max(100);

/** What a link asks for, for whom and until when. */
export const DecisionLinkRequest = z.strictObject({
  leadId: Id,
  managerId: Id,
  /** The assignment the link answers; a lead reassigned, even back to this PM, has another one. */
  assignmentId: Id,
  action: z.enum(DECISION_ACTIONS),
  now: z.date(),
  /** Long enough to cover the acceptance SLA in working time (a weekend, a holiday run); a month at most. */
  validMinutes: z
    .int()
    .min(1)
    .max(31 * 24 * 60),
});
export type DecisionLinkRequest = z.infer<typeof DecisionLinkRequest>;

/** What a link that passed its signature, purpose and expiry says. */
export interface DecisionLinkClaims {
  leadId: string;
  managerId: string;
  assignmentId: string;
  action: DecisionAction;
  /** The link's own id (`jti`), recorded as who answered (`link:<id>`), so the timeline says which link did. */
  linkId: string;
  expiresAt: Date;
}

/** Why a token was not believed. */
export const DECISION_LINK_REFUSALS = ['malformed', 'bad_signature', 'expired', 'wrong_purpose'] as const;
export type DecisionLinkRefusal = (typeof DECISION_LINK_REFUSALS)[number];

const ISSUER = 'attract';
/** The token is good for this one purpose: a token of this key signed for anything else is refused. */
const AUDIENCE = 'attract:manager-decision';

/** The claims inside the token: short names, so the link in the email stays short. */
const Payload = z.object({
  sub: Id,
  lead: Id,
  asg: Id,
  act: z.enum(DECISION_ACTIONS),
  jti: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  exp: z.int(),
});

/**
 * Signs one link. The token is a compact JWT: base64url segments and dots, safe in a URL as it is, with
 * nothing in it that checking does not use (no `typ`, no `iat`): with UUIDs for the lead and the
 * assignment it stays under 400 characters. The link id is 128 random bits, so nobody can guess another
 * link's id to spend it.
 */
export async function signDecisionLink(
  keys: Keys,
  request: DecisionLinkRequest,
): Promise<{ token: string; expiresAt: Date; linkId: string }> {
  const { leadId, managerId, assignmentId, action, now, validMinutes } = DecisionLinkRequest.parse(request);
  // A JWT counts in whole seconds: the expiry given back is the one in the token, not a millisecond later.
  const expiresAt = new Date(Math.floor((now.getTime() + validMinutes * 60_000) / 1000) * 1000);
  const linkId = randomBytes(16).toString('base64url');
  const token = await new SignJWT({ lead: leadId, asg: assignmentId, act: action })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(managerId)
    .setJti(linkId)
    .setExpirationTime(expiresAt.getTime() / 1000)
    .sign(keys.signingKey('manager_decision_link'));
  return { token, expiresAt, linkId };
}

/**
 * Checks a link's token: its encoding, its signature (jose compares HMACs in constant time and accepts
 * HS256 only, so `alg: none` or another algorithm is refused), its purpose, then its expiry. An
 * invitation's token is signed with another key, so it fails as `bad_signature`; `wrong_purpose` is a
 * token this key signed for another audience or issuer.
 */
export async function readDecisionLink(
  keys: Keys,
  token: string,
  now: Date,
): Promise<{ ok: true; claims: DecisionLinkClaims } | { ok: false; reason: DecisionLinkRefusal }> {
  if (!isCanonicalCompactJws(token)) return { ok: false, reason: 'malformed' };
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('manager_decision_link'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp', 'jti', 'sub'],
      currentDate: now,
    });
    const claims = Payload.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    const { sub, lead, asg, act, jti, exp } = claims.data;
    return {
      ok: true,
      claims: {
        leadId: lead,
        managerId: sub,
        assignmentId: asg,
        action: act,
        linkId: jti,
        expiresAt: new Date(exp * 1000),
      },
    };
  } catch (error) {
    return { ok: false, reason: tokenRefusal(error) };
  }
}

/**
 * Base64url decoders ignore the spare low bits of a segment's last character, so the 43-character HS256
 * signature can be spelled four ways and jose accepts each (tried with jose 6). Such a twin carries the
 * same claims and link id, so it could not be spent twice, but a token is accepted in exactly one spelling:
 * what the bank signed is what it reads back.
 */
export function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split('.');
  return (
    segments.length === 3 &&
    segments.every(
      (segment) =>
        /^[A-Za-z0-9_-]+$/.test(segment) &&
        Buffer.from(segment, 'base64url').toString('base64url') === segment,
    )
  );
}
