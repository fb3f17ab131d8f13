import type { Keys } from '../access/keys.ts';
import { type InvitationRefusal, readInvitation } from './invitation.ts';
import type { Channel, LeadSubmission } from './lead-submission.ts';
import type { Referrers } from './ports.ts';

/** A claim the form carried that the bank did not believe, and why. Kept on the lead for the record. */
export type IgnoredClaim =
  | { claim: 'invitation'; reason: InvitationRefusal }
  | { claim: 'referral_code'; reason: ReferralRefusal };

/** Why a referral code was not believed. */
export const REFERRAL_REFUSALS = ['unknown_code', 'inactive_referrer', 'self_referral'] as const;
export type ReferralRefusal = (typeof REFERRAL_REFUSALS)[number];

/**
 * How the lead reached the bank, as the bank established it. The channel and campaign come from the
 * route and from what the bank itself signed or issued; UTM values are kept as the form sent them, for
 * analytics only: nothing the bank decides reads them.
 */
export type Attribution = {
  channel: Channel;
  campaignId?: string;
  /** The prospect a signed letter or invitation was addressed to. */
  prospectId?: string;
  /** The existing client whose referral code the prospect came with. */
  referral?: { code: string; clientId: string; managerId: string };
  utm?: NonNullable<LeadSubmission['source']['utm']>;
  /** Where the visitor came from, and the bank's page the form sat on: origin and path only, for analytics. */
  referrer?: string;
  landingPage?: string;
  ignored?: IgnoredClaim[];
};

export type AttributionDeps = { keys: Keys; referrers: Referrers; now: () => Date };

/**
 * Attributes a submission from server-side facts only: the route's channel, then a signed invitation
 * (letter, open day, event), then a referral code that resolves to an active client other than the
 * company itself. A claim that does not hold is ignored with its reason, never an error to the prospect.
 */
export async function attribute(
  deps: AttributionDeps,
  routeChannel: Channel,
  submission: Pick<LeadSubmission, 'source' | 'company'>,
): Promise<Attribution> {
  const { source } = submission;
  const ignored: IgnoredClaim[] = [];
  const attribution: Attribution = {
    channel: routeChannel,
    ...(source.utm ? { utm: source.utm } : {}),
    ...(source.referrer ? { referrer: source.referrer } : {}),
    ...(source.landingPage ? { landingPage: source.landingPage } : {}),
  };

  if (source.referralCode) {
    const referrer = await deps.referrers.byCode(source.referralCode);
    if (!referrer) ignored.push({ claim: 'referral_code', reason: 'unknown_code' });
    else if (!referrer.active) ignored.push({ claim: 'referral_code', reason: 'inactive_referrer' });
    else if (referrer.inn === submission.company.inn)
      ignored.push({ claim: 'referral_code', reason: 'self_referral' });
    else {
      const { code, clientId, managerId } = referrer;
      attribution.referral = { code, clientId, managerId };
      attribution.channel = 'referral';
    }
  }
  // A signed invitation names the channel the bank reached the prospect through: it wins over a code.
  if (source.invitation) {
    const read = await readInvitation(deps.keys, source.invitation, deps.now());
    if (read.ok) {
      const { channel, campaignId, prospectId } = read.invitation;
      Object.assign(attribution, { channel, campaignId }, prospectId ? { prospectId } : {});
    } else ignored.push({ claim: 'invitation', reason: read.reason });
  }
  return ignored.length ? { ...attribution, ignored } : attribution;
}
