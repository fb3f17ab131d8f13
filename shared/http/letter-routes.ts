import * as z from 'zod';
import { PRODUCTS } from '../leads/lead-submission.ts';
import { type ApiRoute, failure, html, readerLanguage } from './route-kit.ts';

/** A letter link's token: a compact JWT (base64url segments and dots). */
const letterLinkPath = z.object({ token: z.string().max(2048) });

const formBody = 'application/x-www-form-urlencoded' as const;

const unsubscribePages = (ok: string) => ({
  200: html(ok),
  403: html('The link is forged or altered: nothing is changed (the page does not say which check failed)'),
});

const responsePages = (ok: string) => ({
  200: html(ok),
  403: html("The link is forged, altered, expired or not a letter's: a page pointing to the public form"),
});

/**
 * The links in a campaign's letter (docs/letters.md, "The routes"): unsubscribing (RFC 8058 one-click, and
 * the body's link, which asks first) and "request a call", which makes a lead through the web form's own
 * capture path. Public: the signed token in the path is the credential.
 */
export const LETTER_ROUTES = {
  openUnsubscribeLink: {
    method: 'GET',
    path: '/v1/unsubscribe/{token}',
    access: 'public',
    summary:
      "The page a letter's unsubscribe link opens: it asks, with a button that posts the one-click form; opening it changes nothing",
    function: 'unsubscribe',
    request: { params: letterLinkPath, headers: readerLanguage },
    responses: unsubscribePages("The question and its button, in the reader's language"),
  },
  unsubscribe: {
    method: 'POST',
    path: '/v1/unsubscribe/{token}',
    access: 'public',
    summary:
      "One-click unsubscribe (RFC 8058): a withdrawal of marketing consent, at once, no confirmation asked: the letter's address goes on the suppression list and the withdrawal into the person's consent history",
    function: 'unsubscribe',
    request: {
      params: letterLinkPath,
      headers: readerLanguage,
      body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }).meta({
        description:
          'Exactly `List-Unsubscribe=One-Click`, as a mail provider posts it; `multipart/form-data` is read too (RFC 8058 prefers it)',
      }),
      bodyType: formBody,
    },
    responses: {
      ...unsubscribePages(
        'Done: the address is unsubscribed (a repeat says the same and records nothing new)',
      ),
      400: html('The question again: the body lacked `List-Unsubscribe=One-Click`; nothing is changed'),
      413: failure('The form is over 8 KB'),
      415: failure('The body is not a form'),
    },
  },
  openLetterResponse: {
    method: 'GET',
    path: '/v1/letters/respond/{token}',
    access: 'public',
    summary:
      'The page a letter\'s "request a call" link opens: a form prefilled from the prospect the token names; opening it changes nothing',
    function: 'captureLead',
    request: { params: letterLinkPath, headers: readerLanguage },
    responses: responsePages("The form, in the letter's language"),
  },
  respondToLetter: {
    method: 'POST',
    path: '/v1/letters/respond/{token}',
    access: 'public',
    summary:
      "The form of a letter's response link: a lead (or an enquiry on the lead holding the company) credited to the letter's campaign",
    function: 'captureLead',
    request: {
      params: letterLinkPath,
      headers: readerLanguage,
      body: z
        .object({
          companyName: z.string(),
          inn: z.string(),
          contactName: z.string(),
          email: z.string(),
          phone: z.string().optional(),
          products: z.array(z.enum(PRODUCTS)),
          message: z.string().max(4000).optional(),
          consent: z.literal('on').optional(),
        })
        .meta({
          description:
            'The fields of the web form (docs/letters.md): `products` repeated for each product ticked; `consent=on` to personal data processing is required',
        }),
      bodyType: formBody,
    },
    responses: {
      ...responsePages('Thank you: the request is received'),
      400: html('The form again with the fields at fault, each named by its path (`data-path`)'),
      413: failure('The form is over 16 KB'),
      415: failure('The body is not application/x-www-form-urlencoded'),
      429: {
        ...html('Too many submissions from this client, or many recent enquiries about this company'),
        headers: z.object({
          'retry-after': z
            .int()
            .min(1)
            .optional()
            .meta({ description: 'Seconds until this client may submit again' }),
        }),
      },
    },
  },
} as const satisfies Record<string, ApiRoute>;
