import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { CompanyInfo, formatIssues } from '../leads/lead-submission.ts';
import type { Clients } from '../leads/ports.ts';
import { LOCALES } from '../templates/locale.ts';
import type { ReferralBook, ReferralCode, ReviewResult } from './ports.ts';
import {
  emailDomainOf,
  newReferralCode,
  REFERRAL_FLAGS,
  REFERRAL_STATUSES,
  REVIEW_DECISIONS,
  type Referral,
  referralLink,
  referralStatus,
} from './referral.ts';
import { signStatusToken, statusUrl } from './status-link.ts';

/**
 * The referral programme's staff side (issue 10, item 1; docs/referrals.md): a campaign manager gives an
 * existing client (a `CLIENT#<inn>` of the directory, the clients letters are screened against) its code
 * and link, reads it, takes it out of the programme, and lists its referrals; a compliance officer or a
 * campaign manager clears or confirms a flagged referral.
 */

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z]{2,63}$/, 'A domain such as sever.example');

export const IssueCodeBody = z
  .strictObject({
    clientInn: CompanyInfo.shape.inn,
    /** The other companies of the client's group: a prospect among them is flagged, not rewarded. */
    groupInns: z.array(CompanyInfo.shape.inn).max(50).optional(),
    /** The client's own email domain, when it is not the notices address's. */
    emailDomain: Domain.optional(),
    /**
     * Where the client's representative wants to be told that a referred company became a client, in which
     * language, and when they consented to it; without it, no email is ever sent.
     */
    notices: z
      .strictObject({ email: z.email().max(254), language: z.enum(LOCALES), consentedAt: z.iso.datetime() })
      .optional(),
  })
  .meta({ id: 'IssueReferralCode' });
export type IssueCodeBody = z.infer<typeof IssueCodeBody>;

export const ReviewBody = z
  .strictObject({ decision: z.enum(REVIEW_DECISIONS), note: z.string().trim().min(1).max(1000).optional() })
  .meta({ id: 'ReferralReview' });

export const ReferralCodeView = z
  .strictObject({
    code: z.string(),
    clientId: z.string(),
    clientName: z.string(),
    active: z.boolean(),
    issuedAt: z.string(),
    deactivatedAt: z.string().optional(),
    link: z.string().meta({ description: "The bank's landing page with the code in `ref`" }),
    statusLink: z.string().meta({ description: "The referrer's signed link to its referrals' statuses" }),
    groupInns: z.array(z.string()).optional(),
    emailDomain: z.string().optional(),
    notices: z
      .strictObject({ language: z.enum(LOCALES), consentedAt: z.string() })
      .optional()
      .meta({ description: 'The referrer consented to be told of conversions (its address is not shown)' }),
  })
  .meta({ id: 'ReferralCode' });
export type ReferralCodeView = z.infer<typeof ReferralCodeView>;

export const ReferralView = z
  .strictObject({
    leadId: z.string(),
    companyName: z.string(),
    referredAt: z.string(),
    status: z.enum(REFERRAL_STATUSES),
    flags: z.array(z.enum(REFERRAL_FLAGS)),
    rulesVersion: z.string(),
    review: z
      .strictObject({
        decision: z.enum(REVIEW_DECISIONS),
        by: z.string(),
        at: z.string(),
        note: z.string().optional(),
      })
      .optional(),
    disclosureAgreed: z.boolean(),
    convertedAt: z.string().optional(),
  })
  .meta({ id: 'Referral' });

export const ReferralsOfCode = z
  .strictObject({ code: ReferralCodeView, referrals: z.array(ReferralView) })
  .meta({ id: 'ReferralsOfCode' });

export type ProgrammeDeps = {
  book: ReferralBook;
  clients: Pick<Clients, 'findByInn'>;
  keys: Keys;
  now: () => Date;
  /** The bank's landing page (`attract:referralLandingPage`) and the API's address, for the two links. */
  landingPage: string;
  apiUrl: string;
  newCode?: () => string;
};

type Issues = { path: string; message: string }[];

export type IssueAnswer =
  | { kind: 'invalid'; issues: Issues }
  | { kind: 'not_a_client' }
  | { kind: 'issued' | 'existing'; code: ReferralCodeView };

export async function issueReferralCode(
  deps: ProgrammeDeps,
  by: string,
  body: unknown,
): Promise<IssueAnswer> {
  const parsed = IssueCodeBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const { clientInn, groupInns, emailDomain, notices } = parsed.data;
  const client = await deps.clients.findByInn(clientInn);
  if (!client) return { kind: 'not_a_client' };
  const at = deps.now().toISOString();
  const domain = emailDomain ?? (notices ? emailDomainOf(notices.email) : undefined);
  const code: ReferralCode = {
    code: (deps.newCode ?? newReferralCode)(),
    clientId: client.clientId,
    inn: client.inn,
    managerId: client.managerId,
    name: client.name,
    active: true,
    issuedAt: at,
    issuedBy: by,
    ...(groupInns?.length ? { groupInns: groupInns.filter((inn) => inn !== clientInn) } : {}),
    ...(domain ? { emailDomain: domain } : {}),
    ...(notices ? { notices: { ...notices, recordedBy: by } } : {}),
  };
  const { outcome, code: kept } = await deps.book.issue(code);
  return { kind: outcome, code: await codeView(deps, kept) };
}

export async function readReferralCode(deps: ProgrammeDeps, code: string) {
  const kept = await deps.book.byCode(code);
  return kept ? codeView(deps, kept) : undefined;
}

export async function deactivateReferralCode(deps: ProgrammeDeps, by: string, code: string) {
  const kept = await deps.book.deactivate(code, by, deps.now().toISOString());
  return kept ? codeView(deps, kept) : undefined;
}

export async function referralsOfCode(deps: ProgrammeDeps, code: string) {
  const kept = await deps.book.byCode(code);
  if (!kept) return undefined;
  const referrals = await deps.book.referralsOf(kept.clientId);
  return { code: await codeView(deps, kept), referrals: referrals.map(referralView) };
}

export type ReviewAnswer =
  | { kind: 'invalid'; issues: Issues }
  | { kind: Exclude<ReviewResult, 'reviewed'> }
  | { kind: 'reviewed'; referral: z.infer<typeof ReferralView> };

/** A reviewer's word on a flagged referral of the code, once; the code's own client only. */
export async function reviewReferral(
  deps: ProgrammeDeps,
  by: string,
  code: string,
  leadId: string,
  body: unknown,
): Promise<ReviewAnswer> {
  const parsed = ReviewBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: formatIssues(parsed.error) };
  const kept = await deps.book.byCode(code);
  if (!kept) return { kind: 'not_found' };
  const { decision, note } = parsed.data;
  const review = { decision, by, at: deps.now().toISOString(), ...(note ? { note } : {}) };
  const result = await deps.book.review(kept.clientId, leadId, review);
  if (result !== 'reviewed') return { kind: result };
  const referral = await deps.book.referral(kept.clientId, leadId);
  if (!referral) return { kind: 'not_found' };
  return { kind: 'reviewed', referral: referralView(referral) };
}

async function codeView(deps: ProgrammeDeps, code: ReferralCode): Promise<ReferralCodeView> {
  const token = await signStatusToken(deps.keys, code.clientId, deps.now());
  return {
    code: code.code,
    clientId: code.clientId,
    clientName: code.name,
    active: code.active,
    issuedAt: code.issuedAt,
    ...(code.deactivatedAt ? { deactivatedAt: code.deactivatedAt } : {}),
    link: referralLink(deps.landingPage, code.code),
    statusLink: statusUrl(deps.apiUrl, token),
    ...(code.groupInns ? { groupInns: code.groupInns } : {}),
    ...(code.emailDomain ? { emailDomain: code.emailDomain } : {}),
    ...(code.notices
      ? { notices: { language: code.notices.language, consentedAt: code.notices.consentedAt } }
      : {}),
  };
}

export const referralView = (referral: Referral): z.infer<typeof ReferralView> => ({
  leadId: referral.leadId,
  companyName: referral.companyName,
  referredAt: referral.referredAt,
  status: referralStatus(referral),
  flags: referral.flags,
  rulesVersion: referral.rulesVersion,
  ...(referral.review ? { review: referral.review } : {}),
  disclosureAgreed: referral.disclosureAgreed,
  ...(referral.convertedAt ? { convertedAt: referral.convertedAt } : {}),
});
