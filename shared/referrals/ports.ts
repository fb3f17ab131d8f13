import type { Referrer } from '../leads/ports.ts';
import type { Locale } from '../templates/locale.ts';
import type { Referral, ReviewDecision } from './referral.ts';

/**
 * A client's code in the programme, as kept: the referrer the capture reads, with the client's name, who
 * issued it and when, whether it was taken out of the programme, and where the client's representative
 * wants to be told of a referred company's conversion (only when they consented to it).
 */
export type ReferralCode = Referrer & {
  name: string;
  issuedAt: string;
  issuedBy: string;
  deactivatedAt?: string;
  deactivatedBy?: string;
  notices?: { email: string; language: Locale; consentedAt: string; recordedBy: string };
};

export type IssueResult = { outcome: 'issued' | 'existing'; code: ReferralCode };

export type ReviewResult = 'reviewed' | 'not_found' | 'not_flagged' | 'already_reviewed';

/** The programme's storage: codes (one per client), and each referred lead under its referrer. */
export interface ReferralBook {
  /** Gives a client its code, unless it has one: then that one (issued once per client, whatever the retries). */
  issue(code: ReferralCode): Promise<IssueResult>;
  codeOfClient(clientId: string): Promise<ReferralCode | undefined>;
  byCode(code: string): Promise<ReferralCode | undefined>;
  /** Takes a code out of the programme; a later lead with it is attributed to nobody (`inactive_referrer`). */
  deactivate(code: string, by: string, at: string): Promise<ReferralCode | undefined>;
  referralsOf(clientId: string): Promise<Referral[]>;
  referral(clientId: string, leadId: string): Promise<Referral | undefined>;
  /** A reviewer's word on a flagged referral, once. */
  review(
    clientId: string,
    leadId: string,
    review: { decision: ReviewDecision; by: string; at: string; note?: string },
  ): Promise<ReviewResult>;
  /**
   * The referred company became a client: the referral is converted and the company's claim on its first
   * code never ends, so a code it comes with later counts for nobody. `already` on a retry.
   */
  recordConversion(referral: Referral, innHash: string, at: string): Promise<'converted' | 'already'>;
}
