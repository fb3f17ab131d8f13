import { randomInt } from 'node:crypto';
import type { Keys } from '../access/keys.ts';
import type { Lead } from '../leads/lead.ts';

/** Why a referral is held for review instead of being rewarded (docs/referrals.md). */
export const REFERRAL_FLAGS = ['same_group', 'code_farming', 'same_email_domain'] as const;
export type ReferralFlag = (typeof REFERRAL_FLAGS)[number];

/** A reviewer's word on a flagged referral: cleared (it counts) or confirmed (it never counts). */
export const REVIEW_DECISIONS = ['cleared', 'confirmed'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Where a referral stands: what a reward (issue 10, item 3) and the referrer's page read. */
export const REFERRAL_STATUSES = ['referred', 'flagged', 'rejected', 'converted'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * One referred lead: kept with the lead, in the capture's transaction, under its referrer; a reward is
 * keyed by it (the referrer's client id and the lead id, both on the lead's attribution).
 */
export type Referral = {
  leadId: string;
  clientId: string;
  code: string;
  /** The referred company's name, the only thing of it the referrer may see. */
  companyName: string;
  referredAt: string;
  rulesVersion: string;
  flags: ReferralFlag[];
  review?: { decision: ReviewDecision; by: string; at: string; note?: string };
  /** The referred company agreed that its referrer be told it became a client (consent `referrer_notice`). */
  disclosureAgreed: boolean;
  convertedAt?: string;
};

export function referralStatus(referral: Referral): ReferralStatus {
  if (referral.review?.decision === 'confirmed') return 'rejected';
  if (referral.flags.length > 0 && !referral.review) return 'flagged';
  return referral.convertedAt ? 'converted' : 'referred';
}

/**
 * Crockford's base32 without the look-alikes (no I, L, O, U): 10 symbols are 50 bits, read aloud or typed
 * from a printed letter without confusion, and not guessed by anyone sending forms at the rate limit.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new code, `XXXXX-XXXXX`. */
export function newReferralCode(random: (max: number) => number = randomInt): string {
  const symbols = Array.from({ length: 10 }, () => ALPHABET[random(ALPHABET.length)]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** The bank's landing page with the code in `ref`, which the embeddable form script reads (docs/web-forms.md). */
export function referralLink(landingPage: string, code: string): string {
  const url = new URL(landingPage);
  url.searchParams.set('ref', code);
  return url.toString();
}

/** The part of an email address after `@`, lower case. */
export const emailDomainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The UTC day a referral counts against its code's daily bound. */
export const dayOf = (at: string): string => at.slice(0, 10);

/**
 * What the capture writes with a referred lead, in its own transaction: the referral, the company's claim
 * on its first code (by the keyed hash of its INN, until the window ends) and the code's count of the day.
 */
export type ReferralWrite = { referral: Referral; innHash: string; claimUntil: string; day: string };

export function referralWriteOf(
  keys: Keys,
  lead: Lead,
  rules: { version: string; firstCodeWindowDays: number },
): ReferralWrite | undefined {
  const claimed = lead.attribution.referral;
  if (!claimed) return undefined;
  const referral: Referral = {
    leadId: lead.leadId,
    clientId: claimed.clientId,
    code: claimed.code,
    companyName: lead.company.name,
    referredAt: lead.receivedAt,
    rulesVersion: rules.version,
    flags: claimed.flags ?? [],
    disclosureAgreed: lead.consents.some((c) => c.purpose === 'referrer_notice' && c.granted),
  };
  const until = new Date(Date.parse(lead.receivedAt) + rules.firstCodeWindowDays * 86_400_000);
  return {
    referral,
    innHash: keys.hash('inn', lead.company.inn),
    claimUntil: until.toISOString(),
    day: dayOf(lead.receivedAt),
  };
}
