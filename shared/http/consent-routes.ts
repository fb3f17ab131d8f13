import * as z from 'zod';
import {
  ConsentHistoryPage,
  ConsentHistoryQuery,
  ConsentTextsPage,
  ConsentTextsQuery,
  ConsentTextView,
  NewConsentTextBody,
  RecordedWithdrawal,
  textPath,
  WithdrawalBody,
} from '../consents/consent-api.ts';
import { type ApiRoute, failure, html, readerLanguage } from './route-kit.ts';

/** A withdrawal link's token: a compact JWT (base64url segments and dots). */
const withdrawalLinkPath = z.object({ token: z.string().max(2048) });

const withdrawalPages = (ok: string) => ({
  200: html(ok),
  403: html('The link is forged or altered: nothing is changed (the page does not say which check failed)'),
});

/**
 * Consents (docs/consents.md): the texts people consent to, their withdrawal and a person's history, for
 * compliance officers; and the signed link a person withdraws with, public (the token is the credential).
 */
export const CONSENT_ROUTES = {
  publishConsentText: {
    method: 'POST',
    path: '/v1/consent-texts',
    access: 'staff',
    summary:
      'Publish a version of a consent text for one purpose; immutable once published (compliance officer)',
    function: 'keepConsents',
    request: { body: NewConsentTextBody },
    responses: {
      201: { description: 'Published (the same text again answers what is stored)', schema: ConsentTextView },
      400: failure('Invalid fields (`purpose` naming more than one purpose among them); `issues` name them'),
      403: failure('Only compliance officers publish consent texts'),
      409: failure('`version_taken`: the version id names another text already'),
      413: failure('The body is over 64 KB'),
      415: failure('The body is not application/json'),
    },
  },
  listConsentTexts: {
    method: 'GET',
    path: '/v1/consent-texts',
    access: 'staff',
    summary: 'The published consent texts, newest first (compliance officer)',
    function: 'keepConsents',
    request: { query: ConsentTextsQuery },
    responses: {
      200: { description: 'A page of texts', schema: ConsentTextsPage },
      400: failure('Invalid query parameters, or an `after` no earlier page handed out'),
      403: failure('Only compliance officers read consent texts here'),
    },
  },
  readConsentText: {
    method: 'GET',
    path: '/v1/consent-texts/{version}',
    access: 'staff',
    summary: 'One published consent text with its hash (compliance officer)',
    function: 'keepConsents',
    request: { params: textPath },
    responses: {
      200: { description: 'The text', schema: ConsentTextView },
      403: failure('Only compliance officers read consent texts here'),
      404: failure('No such version'),
    },
  },
  withdrawConsent: {
    method: 'POST',
    path: '/v1/consents/withdrawals',
    access: 'staff',
    summary:
      "Withdraw a person's consent on their behalf, effective at once for sending (compliance officer)",
    function: 'keepConsents',
    request: { body: WithdrawalBody },
    responses: {
      200: { description: 'Recorded; a repeat records nothing new', schema: RecordedWithdrawal },
      400: failure('Invalid fields; `issues` name them'),
      403: failure('Only compliance officers record withdrawals'),
      413: failure('The body is over 4 KB'),
      415: failure('The body is not application/json'),
    },
  },
  readConsentHistory: {
    method: 'GET',
    path: '/v1/consents',
    access: 'staff',
    summary:
      "A person's consents given, refused and withdrawn, newest first, found by the email's keyed hash (compliance officer)",
    function: 'keepConsents',
    request: { query: ConsentHistoryQuery },
    responses: {
      200: { description: 'A page of the history', schema: ConsentHistoryPage },
      400: failure('Invalid query parameters (`query.email`), or an `after` no earlier page handed out'),
      403: failure("Only compliance officers read a person's consents"),
    },
  },
  openWithdrawalLink: {
    method: 'GET',
    path: '/v1/consents/withdraw/{token}',
    access: 'public',
    summary:
      "The page a person's link to withdraw a consent opens: it asks, with a button; opening it changes nothing",
    function: 'consentWithdrawalLink',
    request: { params: withdrawalLinkPath, headers: readerLanguage },
    responses: withdrawalPages("The question and its button, in the reader's language"),
  },
  withdrawByLink: {
    method: 'POST',
    path: '/v1/consents/withdraw/{token}',
    access: 'public',
    summary:
      'One-click withdrawal (the RFC 8058 body): withdrawn and recorded at once; marketing (or all) suppresses the address',
    function: 'consentWithdrawalLink',
    request: {
      params: withdrawalLinkPath,
      headers: readerLanguage,
      body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }).meta({
        description: "Exactly `List-Unsubscribe=One-Click`, as the page's button or a mail provider posts it",
      }),
      bodyType: 'application/x-www-form-urlencoded',
    },
    responses: {
      ...withdrawalPages('Done: withdrawn (a repeat says the same and records nothing new)'),
      400: html('The question again: the body lacked `List-Unsubscribe=One-Click`; nothing is changed'),
      413: failure('The form is over 8 KB'),
      415: failure('The body is not a form'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
