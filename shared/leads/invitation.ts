import { errors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { Keys } from '../access/keys.ts';

/** Channels whose links carry an invitation: the bank sent the link, so the bank knows the channel. */
export const INVITATION_CHANNELS = ['letter', 'open_day', 'event', 'association'] as const;

/** What a signed invitation link says about the prospect who follows it. */
export const Invitation = z.strictObject({
  channel: z.enum(INVITATION_CHANNELS),
  campaignId: z.string().trim().min(1).max(100),
  /** The prospect the letter or invitation was addressed to, when it was addressed to one. */
  prospectId: z.string().trim().min(1).max(100).optional(),
  /** The campaign's step whose letter carried the link (a letter's response link only). */
  step: z.int().min(1).max(20).optional(),
});
export type Invitation = z.infer<typeof Invitation>;

/** Why an invitation was not believed; recorded on the lead, never shown to the prospect as an error. */
export const INVITATION_REFUSALS = ['expired', 'bad_signature', 'malformed'] as const;
export type InvitationRefusal = (typeof INVITATION_REFUSALS)[number];

const ISSUER = 'attract';
/** The token is good for this one purpose: a token signed for anything else is refused. */
const AUDIENCE = 'attract:lead-invitation';

/** Signs an invitation for a link (HS256 JWT), valid until `expiresAt`. */
export function signInvitation(
  keys: Keys,
  invitation: Invitation,
  times: { issuedAt: Date; expiresAt: Date },
): Promise<string> {
  const { channel, campaignId, prospectId, step } = Invitation.parse(invitation);
  return new SignJWT({
    channel,
    campaignId,
    ...(prospectId ? { prospectId } : {}),
    ...(step !== undefined ? { step } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(times.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(times.expiresAt.getTime() / 1000))
    .sign(keys.signingKey('invitation_link'));
}

/** Checks an invitation token's signature, purpose and expiry; what it says is believed only if all hold. */
export async function readInvitation(
  keys: Keys,
  token: string,
  now: Date,
): Promise<{ ok: true; invitation: Invitation } | { ok: false; reason: InvitationRefusal }> {
  try {
    const { payload } = await jwtVerify(token, keys.signingKey('invitation_link'), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp', 'iat'],
      currentDate: now,
    });
    const invitation = Invitation.safeParse({
      channel: payload.channel,
      campaignId: payload.campaignId,
      ...(payload.prospectId !== undefined ? { prospectId: payload.prospectId } : {}),
      ...(payload.step !== undefined ? { step: payload.step } : {}),
    });
    return invitation.success
      ? { ok: true, invitation: invitation.data }
      : { ok: false, reason: 'malformed' };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'malformed' };
    throw error;
  }
}

/** What a campaign manager asks for: the invitation, and for how many days its link holds (60 by default). */
export const InvitationRequest = Invitation.extend({
  validDays: z.int().min(1).max(365).default(60),
}).meta({ id: 'InvitationRequest', description: 'A link token for a letter, an open day or an event' });

export const IssuedInvitation = z
  .strictObject({
    invitation: z.string().meta({
      description: "Put it in the link's `invitation` parameter; the form sends it as `source.invitation`",
    }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'IssuedInvitation' });

/** Signs the link token a letter or invitation carries; a lead that comes with it is credited to its campaign. */
export async function issueInvitation(
  deps: { keys: Keys; now: () => Date },
  request: z.infer<typeof InvitationRequest>,
): Promise<z.infer<typeof IssuedInvitation>> {
  const { validDays, ...invitation } = request;
  const issuedAt = deps.now();
  const expiresAt = new Date(issuedAt.getTime() + validDays * 86_400_000);
  return {
    invitation: await signInvitation(deps.keys, invitation, { issuedAt, expiresAt }),
    expiresAt: expiresAt.toISOString(),
  };
}
