import * as z from 'zod';
import { HistoryQuery } from '../leads/lead-view.ts';
import { LOCALES } from '../templates/locale.ts';
import { ErrorBody } from './errors.ts';

/** Who may call a route: anyone, or staff whose token the gateway's JWT authorizer accepts. */
export type Access = 'public' | 'staff';

/** The functions that serve routes; the stateless stack maps each key to its construct. */
export const ROUTE_FUNCTIONS = [
  'captureLead',
  'readLead',
  'readLeadHistory',
  'issueInvitation',
  'listLeadReads',
  'keepRoster',
  'decideOnLead',
  'answerByLink',
  'assignByHand',
  'listWork',
  'readUnit',
  'keepOffers',
  'keepCampaigns',
  'unsubscribe',
  'keepAudiences',
  'keepProspectImports',
  'keepOpenDays',
  'openDayRegistrations',
  'keepConsents',
  'consentWithdrawalLink',
  'keepAdSpend',
  'keepReferrals',
  'referralStatusLink',
  'describeApi',
] as const;
export type RouteFunction = (typeof ROUTE_FUNCTIONS)[number];

/** One answer of a route's function: the body's schema and the headers it sets. */
export type Answer = {
  readonly description: string;
  readonly schema: z.ZodType;
  readonly headers?: z.ZodObject;
  /** The body's media type when it is not JSON. */
  readonly mediaType?: 'text/csv' | 'text/html' | 'text/javascript';
};

export type ApiRoute = {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: `/${string}`;
  readonly access: Access;
  readonly summary: string;
  readonly function: RouteFunction;
  readonly request?: {
    readonly params?: z.ZodObject;
    readonly query?: z.ZodObject;
    readonly headers?: z.ZodObject;
    readonly body?: z.ZodType;
    /** The body's media type when it is not JSON. */
    readonly bodyType?: 'text/csv' | 'application/x-www-form-urlencoded';
  };
  /** What the function answers, by status; API Gateway's own answers are added by the document (openapi.ts). */
  readonly responses: { readonly [status: number]: Answer };
};

export const failure = (description: string, headers?: z.ZodObject): Answer => ({
  description,
  schema: ErrorBody,
  ...(headers ? { headers } : {}),
});

/** The document itself, as far as a client relies on it; the rest (open objects) is OpenAPI's to define. */
export const ApiDescription = z
  .object({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.object({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ApiDescription', description: 'This OpenAPI 3.1 document' });

export const leadPath = z.object({ leadId: z.uuid() });

/** A decision link's token: a compact JWT (base64url segments and dots). */
export const decisionPath = z.object({ token: z.string().max(2048) });

/** Asks for the texts of an answer (a timeline's summaries) in the reader's language. */
export const readerLanguage = z.object({
  'accept-language': z.string().max(1024).optional().meta({
    description:
      'The language to read texts in, with q-values (`en`, `en-GB,en;q=0.9`): `ru` or `en`; Russian when absent or neither is accepted',
  }),
});

/** The language an answer's texts were rendered in. */
export const textLanguage = z.object({
  'content-language': z
    .enum(LOCALES)
    .meta({ description: 'The language of the texts, as chosen from `Accept-Language`' }),
});

/** A page for people, not a program: the body is HTML in the manager's language. */
export const html = (description: string): Answer => ({
  description,
  schema: z.string(),
  mediaType: 'text/html',
});

/** What every decision link answers, as a page. */
export const decisionPages = (ok: string) => ({
  200: html(ok),
  403: html('The link is forged, altered or expired'),
  404: html('No such lead, or not one this manager held'),
  409: html(
    'The lead is no longer waiting for this answer: accepted already, gone to another manager, or offered again since',
  ),
});

/** A page of a lead's history (`/v1/leads/{leadId}/<part>`), read and audited as the lead itself is. */
export const historyRoute = <P extends string, A extends Answer>(
  part: P,
  summary: string,
  page: A,
  headers?: z.ZodObject,
) =>
  ({
    method: 'GET',
    path: `/v1/leads/{leadId}/${part}`,
    access: 'staff',
    summary,
    function: 'readLeadHistory',
    request: { params: leadPath, query: HistoryQuery, ...(headers ? { headers } : {}) },
    responses: {
      200: page,
      400: failure('Invalid query parameters, or an `after` no earlier page handed out'),
      403: failure('The role may not read leads'),
      404: failure('No such lead, or (for a personal manager) not one assigned to them'),
    },
  }) as const;
