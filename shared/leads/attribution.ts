import type { Keys } from '../access/keys.ts';
import { dayOf, emailDomainOf, type ReferralFlag } from '../referrals/referral.ts';
import { type ReferralRules, referralRules } from '../referrals/rules.ts';
import { type InvitationRefusal, readInvitation } from './invitation.ts';
import type { Channel, LeadSubmission } from './lead-submission.ts';
import type { Referrer, Referrers } from './ports.ts';

/** A claim the form carried that the bank did not believe, and why. Kept on the lead for the record. */
export type IgnoredClaim =
  | { claim: 'invitation'; reason: InvitationRefusal }
  | { claim: 'referral_code'; reason: ReferralRefusal };

/**
 * Why a referral code was not believed: nobody's code, a client out of the programme, the company's own
 * code, or a company that came with a valid code before (the first valid code wins within the window).
 */
export const REFERRAL_REFUSALS = [
  'unknown_code',
  'inactive_referrer',
  'self_referral',
  'already_referred',
] as const;
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
  /**
   * The existing client whose referral code the prospect came with; `flags` when the attribution rules
   * hold the referral for review (it still routes, it is not rewarded until a reviewer clears it).
   */
  referral?: { code: string; clientId: string; managerId: string; flags?: ReferralFlag[] };
  utm?: NonNullable<LeadSubmission['source']['utm']>;
  /** Where the visitor came from, and the bank's page the form sat on: origin and path only, for analytics. */
  referrer?: string;
  landingPage?: string;
  ignored?: IgnoredClaim[];
};

export type AttributionDeps = {
  keys: Keys;
  referrers: Referrers;
  now: () => Date;
  /** The programme's rules (shared/referrals/config); tests tune them. */
  referralRules?: ReferralRules;
};

type Submission = Pick<LeadSubmission, 'source' | 'company' | 'contact'>;

/**
 * Attributes a submission from server-side facts only: the route's channel, then a signed invitation
 * (letter, open day, event), then a referral code that resolves to an active client other than the
 * company itself. A claim that does not hold is ignored with its reason, never an error to the prospect.
 */
export async function attribute(
  deps: AttributionDeps,
  routeChannel: Channel,
  submission: Submission,
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
    const judged = await judgeCode(deps, source.referralCode, submission);
    if ('refusal' in judged) ignored.push({ claim: 'referral_code', reason: judged.refusal });
    else {
      const { code, clientId, managerId } = judged.referrer;
      attribution.referral = {
        code,
        clientId,
        managerId,
        ...(judged.flags.length ? { flags: judged.flags } : {}),
      };
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

/**
 * The attribution rules (docs/referrals.md): a code is believed or refused with a reason; a believed one
 * may carry flags for review: the prospect is of the referrer's company group, shares its email domain,
 * or the code brought more leads today than the rules allow.
 */
async function judgeCode(
  deps: AttributionDeps,
  code: string,
  submission: Submission,
): Promise<{ refusal: ReferralRefusal } | { referrer: Referrer; flags: ReferralFlag[] }> {
  const rules = deps.referralRules ?? referralRules;
  const referrer = await deps.referrers.byCode(code);
  if (!referrer) return { refusal: 'unknown_code' };
  if (!referrer.active) return { refusal: 'inactive_referrer' };
  const { inn } = submission.company;
  if (referrer.inn === inn) return { refusal: 'self_referral' };
  const now = deps.now().toISOString();
  const [first, today] = await Promise.all([
    deps.referrers.firstReferralOf(deps.keys.hash('inn', inn), now),
    deps.referrers.leadsOnDay(referrer.code, dayOf(now)),
  ]);
  if (first) return { refusal: 'already_referred' };
  const flags: ReferralFlag[] = [];
  if (rules.flagSameGroup && referrer.groupInns?.includes(inn)) flags.push('same_group');
  if (today >= rules.farming.maxLeadsPerCodePerDay) flags.push('code_farming');
  const domain = emailDomainOf(submission.contact.email);
  if (rules.flagSameEmailDomain && referrer.emailDomain === domain) flags.push('same_email_domain');
  return { referrer, flags };
}
