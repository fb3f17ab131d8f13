import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';

/**
 * The accept and decline links in a PM's email about a lead (issue 7, item 5). Each link is an HS256 JWT
 * for one lead, one PM, one assignment of the lead to that PM and one action, signed with the
 * `manager_decision_link` key, which is derived from the key secret in Secrets Manager and so never in the
 * repository. This module signs, reads and judges links; it records nothing: the caller stores a used link
 * id in the same conditional write as the decision, which is what makes a link work once under races.
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
  /** The link's own id (`jti`), recorded when the link is used so that it works once. */
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
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    if (
      error instanceof errors.JWTClaimValidationFailed &&
      error.reason === 'check_failed' &&
      (error.claim === 'aud' || error.claim === 'iss')
    ) {
      return { ok: false, reason: 'wrong_purpose' };
    }
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'malformed' };
    throw error;
  }
}

/**
 * Base64url decoders ignore the spare low bits of a segment's last character, so the 43-character HS256
 * signature can be spelled four ways and jose accepts each (tried with jose 6). Such a twin carries the
 * same claims and link id, so it could not be spent twice, but a token is accepted in exactly one spelling:
 * what the bank signed is what it reads back.
 */
function isCanonicalCompactJws(token: string): boolean {
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

/** The assignment of the lead that still waits for its PM's answer, as the caller read it with the lead. */
export interface OpenAssignment {
  assignmentId: string;
  managerId: string;
}

export type DecisionLinkVerdict =
  | { allow: true }
  | { allow: false; status: 403; reason: 'not_your_lead' }
  | { allow: false; status: 409; reason: 'used' | 'stale' };

/**
 * What the API answers to a genuine link, decided from the lead as read (pure: the write that follows
 * must still be conditional on the same assignment and an unused link id, so that of two concurrent
 * clicks exactly one wins; this verdict is what the loser, and every later click, is told).
 *
 * - `currentAssignment`: the lead's assignment still awaiting an answer; absent once the lead was
 *   accepted, declined, escalated or left unassigned.
 * - `usedLinkIds`: the link ids already spent on this lead.
 * - `actor`: the signed-in PM, when the link is followed through the API rather than straight from the
 *   email.
 */
export function decisionLinkVerdict(
  claims: DecisionLinkClaims,
  context: {
    currentAssignment?: OpenAssignment;
    usedLinkIds: ReadonlySet<string>;
    actor?: { managerId: string };
  },
): DecisionLinkVerdict {
  // A PM acts on their own leads only: the link names the PM it was sent to, and a signed-in colleague is
  // not that PM (HTTP 403, the request is understood and refused for who makes it). Checked first, so a
  // colleague learns nothing of the lead's state from a 409.
  if (context.actor && context.actor.managerId !== claims.managerId) {
    return { allow: false, status: 403, reason: 'not_your_lead' };
  }
  // A link works once (issue 7: a reused link changes nothing). Step Functions takes one answer per task
  // token, and a second SendTaskSuccess on a closed task fails with TaskTimedOut; the second click is told
  // plainly that it conflicts with what was done (HTTP 409), and never reaches Step Functions.
  if (context.usedLinkIds.has(claims.linkId)) return { allow: false, status: 409, reason: 'used' };
  // A link answers the assignment it was sent for. Once the lead was reassigned (its task token timed out,
  // its capacity given back) or decided, an old link must not accept a lead another PM now holds, nor hand
  // back one twice; a reassignment to the same PM is a new assignment and sends new links.
  const current = context.currentAssignment;
  if (!current || current.assignmentId !== claims.assignmentId || current.managerId !== claims.managerId) {
    return { allow: false, status: 409, reason: 'stale' };
  }
  return { allow: true };
}
