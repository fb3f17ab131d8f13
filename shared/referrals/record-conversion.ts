import type { Keys } from '../access/keys.ts';
import { type NotifyDeps, type NotifyOutcome, sendOnce } from '../leads/notify-manager.ts';
import type { Leads } from '../leads/ports.ts';
import type { ReferralBook } from './ports.ts';
import { referralStatus } from './referral.ts';
import { referrerEmail } from './referrer-email.ts';
import { signStatusToken, statusUrl } from './status-link.ts';

export type ConversionDeps = Pick<NotifyDeps, 'notifications' | 'mail' | 'now'> & {
  leads: Pick<Leads, 'get'>;
  book: Pick<ReferralBook, 'referral' | 'byCode' | 'recordConversion'>;
  keys: Keys;
  apiUrl: string;
};

export type ConversionOutcome =
  | { kind: 'not_referred' }
  | { kind: 'not_told'; why: 'held_for_review' | 'not_agreed' | 'no_consent' }
  | NotifyOutcome;

/**
 * A referred company became a client (a LeadConverted event): its referral is converted and its claim on
 * the code made permanent, once whatever the redeliveries; the referrer is emailed, once, only when both
 * consented (its representative to be told, the company to its referrer being told) and no flag holds it.
 */
export async function recordReferralConversion(
  deps: ConversionDeps,
  converted: { leadId: string; occurredAt: string },
): Promise<ConversionOutcome> {
  const lead = await deps.leads.get(converted.leadId);
  const claimed = lead?.attribution.referral;
  const referral = lead && claimed ? await deps.book.referral(claimed.clientId, lead.leadId) : undefined;
  if (!lead || !referral) return { kind: 'not_referred' };
  await deps.book.recordConversion(
    referral,
    deps.keys.hash('inn', lead.company.inn),
    referral.convertedAt ?? converted.occurredAt,
  );
  if (referralStatus({ ...referral, convertedAt: converted.occurredAt }) !== 'converted') {
    return { kind: 'not_told', why: 'held_for_review' };
  }
  if (!referral.disclosureAgreed) return { kind: 'not_told', why: 'not_agreed' };
  const code = await deps.book.byCode(referral.code);
  const notices = code?.notices;
  if (!code || !notices) return { kind: 'not_told', why: 'no_consent' };
  const statusLink = statusUrl(deps.apiUrl, await signStatusToken(deps.keys, code.clientId, deps.now()));
  const { clientId } = code;
  return sendOnce(
    deps,
    lead.leadId,
    `REFERRER#${clientId}`,
    (mark) =>
      referrerEmail(notices, { clientName: code.name, companyName: referral.companyName, statusLink }, mark),
    (sent) => ({ at: sent.at, kind: 'referrer_notified', details: { clientId, ...sent.record } }),
  );
}
