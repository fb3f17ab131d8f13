import * as z from 'zod';
import {
  IssueCodeBody,
  ReferralCodeView,
  ReferralsOfCode,
  ReferralView,
  ReviewBody,
} from '../referrals/programme.ts';
import { type ApiRoute, failure, html, readerLanguage } from './route-kit.ts';

const codePath = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) });
const referralPath = codePath.extend({ leadId: z.uuid() });
const statusLinkPath = z.object({ token: z.string().max(2048) });

/**
 * The referral programme (docs/referrals.md): campaign managers give existing clients their codes and links,
 * read and deactivate them, list a client's referrals; a compliance officer or campaign manager reviews a
 * flagged referral; a referrer reads its referrals' statuses by its signed link (public: the token is the
 * credential).
 */
export const REFERRAL_ROUTES = {
  issueReferralCode: {
    method: 'POST',
    path: '/v1/referral-codes',
    access: 'staff',
    summary:
      "Give an existing client its referral code and link; the client's code again if it has one (campaign manager)",
    function: 'keepReferrals',
    request: { body: IssueCodeBody },
    responses: {
      200: { description: 'The client had a code already: that one', schema: ReferralCodeView },
      201: { description: 'Issued', schema: ReferralCodeView },
      400: failure('Invalid fields; `issues` name them'),
      403: failure('Only campaign managers issue referral codes'),
      404: failure('`not_a_client`: no existing client has this INN'),
      413: failure('The body is over 8 KB'),
      415: failure('The body is not application/json'),
    },
  },
  readReferralCode: {
    method: 'GET',
    path: '/v1/referral-codes/{code}',
    access: 'staff',
    summary: 'A referral code: its client, whether it is active, its link and status link (campaign manager)',
    function: 'keepReferrals',
    request: { params: codePath },
    responses: {
      200: { description: 'The code', schema: ReferralCodeView },
      403: failure('Only campaign managers read referral codes'),
      404: failure('No such code'),
    },
  },
  deactivateReferralCode: {
    method: 'POST',
    path: '/v1/referral-codes/{code}/deactivate',
    access: 'staff',
    summary:
      'Take a code out of the programme: a lead with it later is attributed to nobody (campaign manager)',
    function: 'keepReferrals',
    request: { params: codePath },
    responses: {
      200: { description: 'Deactivated (a repeat keeps the first time)', schema: ReferralCodeView },
      403: failure('Only campaign managers deactivate referral codes'),
      404: failure('No such code'),
    },
  },
  listReferrals: {
    method: 'GET',
    path: '/v1/referral-codes/{code}/referrals',
    access: 'staff',
    summary:
      "The code's client's referrals, oldest first, with flags and reviews (campaign manager, compliance officer)",
    function: 'keepReferrals',
    request: { params: codePath },
    responses: {
      200: { description: 'The code and its referrals', schema: ReferralsOfCode },
      403: failure('Only campaign managers and compliance officers read referrals'),
      404: failure('No such code'),
    },
  },
  reviewReferral: {
    method: 'POST',
    path: '/v1/referral-codes/{code}/referrals/{leadId}/review',
    access: 'staff',
    summary:
      'Clear (it counts) or confirm (it never counts) the flags of a referral, once (compliance officer, campaign manager)',
    function: 'keepReferrals',
    request: { params: referralPath, body: ReviewBody },
    responses: {
      200: { description: 'Reviewed', schema: ReferralView },
      400: failure('Invalid fields; `issues` name them'),
      403: failure('Only compliance officers and campaign managers review referrals'),
      404: failure('No such code, or no referral of this lead under it'),
      409: failure('`not_flagged`: nothing to review; `already_reviewed`: reviewed before'),
      413: failure('The body is over 4 KB'),
      415: failure('The body is not application/json'),
    },
  },
  openReferralStatus: {
    method: 'GET',
    path: '/v1/referral-status/{token}',
    access: 'public',
    summary:
      "A referrer's page by its signed link: the referred companies' names and statuses, nothing else of them",
    function: 'referralStatusLink',
    request: { params: statusLinkPath, headers: readerLanguage },
    responses: {
      200: html("The referrals and their statuses, in the reader's language"),
      403: html('The link is forged, altered or expired (the page does not say which)'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
