import { type CaptureDeps, captureLead } from '../leads/capture-lead.ts';
import type { FieldIssue } from '../leads/lead-submission.ts';
import type { Prospect } from '../prospects/prospect.ts';
import type { Locale } from '../templates/locale.ts';
import type { LetterProspects } from './ports.ts';
import { type LetterResponse, readLetterResponse } from './response-link.ts';
import { addressHashOf, signUnsubscribeToken } from './unsubscribe.ts';

/**
 * A letter's "request a call" link (docs/letters.md, "The response link"). Opening it (GET) shows a form
 * prefilled from the prospect the signed token names, changing nothing. Sending the form (POST) makes a
 * lead through the web form's own capture path, with the token as the submission's invitation: attribution
 * gives channel `letter`, the campaign and the prospect; repeats are grouped as every repeat is.
 */
export type ResponseDeps = CaptureDeps & { prospects: LetterProspects };

/** The version of the consent text the page shows (the catalogs' `letterResponse.consent`). */
export const RESPONSE_CONSENT_VERSION = 'pd-letter-2026-01';

/** The form's fields, as the page shows them and the browser posts them back. */
export type ResponseForm = {
  companyName: string;
  inn: string;
  contactName: string;
  email: string;
  phone: string;
  products: string[];
  message: string;
  consent: boolean;
};

export type ResponsePage =
  | {
      kind: 'form';
      locale: Locale;
      form: ResponseForm;
      /** Field paths of the submission the capture refused, e.g. `company.inn`. */
      issues?: FieldIssue[];
      /** The prospect's unsubscribe token for the letter's step, for the page's own unsubscribe link. */
      unsubscribeToken?: string;
    }
  | { kind: 'done'; locale: Locale }
  | { kind: 'refused'; locale: Locale; reason: 'invalid' | 'expired' }
  | { kind: 'busy'; locale: Locale; reason: 'rate_limited' | 'enquiry_limit'; retryAfterSeconds?: number };

type Opened = { response: LetterResponse; prospect: Prospect | undefined; locale: Locale } | ResponsePage;

async function open(deps: ResponseDeps, token: string, readerLocale: Locale): Promise<Opened> {
  const read = await readLetterResponse(deps.keys, token, deps.now());
  // A bad token names nobody: the page is in the reader's language and shows nothing personal.
  if (!read.ok) return { kind: 'refused', locale: readerLocale, reason: read.reason };
  const prospect = await deps.prospects.get(read.response.prospectId);
  // The letter was written in the prospect's language: its page continues in it.
  return { response: read.response, prospect, locale: prospect?.language ?? readerLocale };
}

const prefilled = (p: Prospect | undefined): ResponseForm => ({
  companyName: p?.company.name ?? '',
  inn: p?.company.inn ?? '',
  contactName: p?.contact.name ?? '',
  email: p?.contact.email ?? '',
  phone: p?.contact.phone ?? '',
  products: [],
  message: '',
  consent: false,
});

async function unsubscribeTokenOf(
  deps: ResponseDeps,
  response: LetterResponse,
  prospect: Prospect | undefined,
): Promise<{ unsubscribeToken?: string }> {
  if (!prospect || response.step === undefined) return {};
  const addressHash = addressHashOf(deps.keys, prospect.contact.email);
  const request = { addressHash, campaignId: response.campaignId, step: response.step };
  return { unsubscribeToken: await signUnsubscribeToken(deps.keys, request) };
}

/** GET: the form, prefilled from the prospect (an unknown one: empty), or why there is none. */
export async function openLetterResponse(
  deps: ResponseDeps,
  token: string,
  readerLocale: Locale,
): Promise<ResponsePage> {
  const opened = await open(deps, token, readerLocale);
  if ('kind' in opened) return opened;
  const { response, prospect, locale } = opened;
  return {
    kind: 'form',
    locale,
    form: prefilled(prospect),
    ...(await unsubscribeTokenOf(deps, response, prospect)),
  };
}

/** The submission the web form would have sent: what the prospect typed, the company's facts from the record. */
function submissionOf(form: ResponseForm, prospect: Prospect | undefined, token: string) {
  const known = prospect?.company;
  const optional = (value: string) => (value.trim() === '' ? undefined : value);
  return {
    company: {
      name: form.companyName,
      inn: form.inn,
      ...(known?.sizeBand ? { sizeBand: known.sizeBand } : {}),
      ...(known?.industry ? { industry: known.industry } : {}),
      ...(known?.website ? { website: known.website } : {}),
    },
    contact: { name: form.contactName, email: form.email, phone: optional(form.phone) },
    products: form.products,
    message: optional(form.message),
    consents: [
      {
        purpose: 'personal_data_processing',
        granted: form.consent,
        textVersion: RESPONSE_CONSENT_VERSION,
      },
    ],
    source: { invitation: token },
  };
}

/** POST: the prospect sent the form: a lead (or an enquiry on the lead that holds the company), or the form again. */
export async function respondToLetter(
  deps: ResponseDeps,
  token: string,
  form: ResponseForm,
  /** The browser's `User-Agent` is kept (truncated) with the evidence of the consent, as the web form's. */
  request: { clientAddress: string; readerLocale: Locale; userAgent?: string },
): Promise<ResponsePage> {
  const opened = await open(deps, token, request.readerLocale);
  if ('kind' in opened) return opened;
  const { response, prospect, locale } = opened;
  const answer = await captureLead(deps, {
    // The route is the letter's; the token then names the campaign and the prospect.
    channel: 'letter',
    body: submissionOf(form, prospect, token),
    clientAddress: request.clientAddress,
    ...(request.userAgent !== undefined ? { userAgent: request.userAgent } : {}),
  });
  switch (answer.kind) {
    case 'accepted':
      return { kind: 'done', locale };
    case 'invalid':
      return {
        kind: 'form',
        locale,
        form,
        issues: answer.issues,
        ...(await unsubscribeTokenOf(deps, response, prospect)),
      };
    case 'rate_limited':
      return { kind: 'busy', locale, reason: 'rate_limited', retryAfterSeconds: answer.retryAfterSeconds };
    case 'enquiry_limit_reached':
      return { kind: 'busy', locale, reason: 'enquiry_limit' };
    case 'idempotency_conflict':
      throw new Error('A letter response carries no Idempotency-Key');
  }
}
