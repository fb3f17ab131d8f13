import * as z from 'zod';
import { LeadReadsPage, LeadReadsQuery } from '../access/lead-reads.ts';
import { InvitationRequest, IssuedInvitation } from '../leads/invitation.ts';
import { IDEMPOTENCY_KEY, PublishedLeadSubmission } from '../leads/lead-submission.ts';
import { LeadAccepted, LeadEnquiriesPage, LeadTimelinePage, LeadView } from '../leads/lead-view.ts';
import { OfflineLeadBody } from '../leads/offline-lead.ts';
import { AD_SPEND_ROUTES } from './ad-spend-routes.ts';
import { AUDIENCE_ROUTES } from './audience-routes.ts';
import { CAMPAIGN_ROUTES } from './campaign-routes.ts';
import { CONSENT_ROUTES } from './consent-routes.ts';
import { IMPORT_ROUTES } from './import-routes.ts';
import { LETTER_ROUTES } from './letter-routes.ts';
import { OFFER_ROUTES } from './offer-routes.ts';
import { OPEN_DAY_ROUTES } from './open-day-routes.ts';
import { REFERRAL_ROUTES } from './referral-routes.ts';
import {
  ApiDescription,
  type ApiRoute,
  failure,
  historyRoute,
  leadPath,
  readerLanguage,
  textLanguage,
} from './route-kit.ts';
import { UNIT_ROUTES } from './unit-routes.ts';

export type { Access, Answer, ApiRoute, RouteFunction } from './route-kit.ts';
export { ROUTE_FUNCTIONS } from './route-kit.ts';

/**
 * Every route of the Attract API, declared once: the CDK stack adds exactly these (public routes without
 * an authorizer, staff routes behind the JWT authorizer), the OpenAPI document is generated from them,
 * and handlers type their answers by them. The key is the operation id.
 */
export const API_ROUTES = {
  submitLead: {
    method: 'POST',
    path: '/v1/leads',
    access: 'public',
    summary: "Submit a company's enquiry (public web form)",
    function: 'captureLead',
    request: {
      headers: z.object({
        'idempotency-key': z.string().regex(IDEMPOTENCY_KEY).optional().meta({
          description: 'Replays the first answer for 24 hours; the same key with another body is a 409',
        }),
      }),
      body: PublishedLeadSubmission,
    },
    responses: {
      202: {
        description: 'Accepted; a repeat of an earlier enquiry answers with the same leadId',
        schema: LeadAccepted,
      },
      400: failure('Invalid fields, malformed JSON or a malformed Idempotency-Key; `issues` name them'),
      409: failure('This Idempotency-Key was used for a different request'),
      413: failure('The body is over 16 KB'),
      415: failure('The body is not application/json'),
      429: failure(
        'Too many submissions from this client (`rate_limited`, with `retry-after`), or many recent enquiries about this company (`too_many_enquiries`: the bank has them all)',
        z.object({
          'retry-after': z
            .int()
            .min(1)
            .optional()
            .meta({ description: 'Seconds until this client may submit again' }),
        }),
      ),
    },
  },
  submitOfflineLead: {
    method: 'POST',
    path: '/v1/offline-leads',
    access: 'staff',
    summary:
      "Record a lead met offline (conference, exhibition, personal contact, association...): the web form's dedupe, scoring and routing (campaign manager)",
    function: 'captureLead',
    request: {
      headers: z.object({
        'idempotency-key': z.string().regex(IDEMPOTENCY_KEY).optional().meta({
          description: 'Replays the first answer for 24 hours; the same key with another body is a 409',
        }),
      }),
      body: OfflineLeadBody,
    },
    responses: {
      202: {
        description: 'Accepted; a company the bank already has a lead for gets an enquiry on it, its leadId',
        schema: LeadAccepted,
      },
      400: failure('Invalid fields (an unconfigured channel at `offline.channel`); `issues` name them'),
      403: failure('Only campaign managers record offline leads'),
      409: failure('This Idempotency-Key was used for a different request'),
      413: failure('The body is over 16 KB'),
      415: failure('The body is not application/json'),
      429: failure('Many recent enquiries about this company (`too_many_enquiries`: the bank has them all)'),
    },
  },
  readLead: {
    method: 'GET',
    path: '/v1/leads/{leadId}',
    access: 'staff',
    summary: 'Read a lead: status, class, score breakdown, assigned manager, timeline',
    function: 'readLead',
    request: { params: leadPath, headers: readerLanguage },
    responses: {
      200: {
        description:
          "The lead, its timeline in the reader's language; the read is recorded before it is shown",
        schema: LeadView,
        headers: textLanguage,
      },
      403: failure('The role may not read leads'),
      404: failure('No such lead, or (for a personal manager) not one assigned to them'),
    },
  },
  readLeadTimeline: historyRoute(
    'timeline',
    "A lead's history, a page at a time, oldest first",
    {
      description: "A page of the history in the reader's language; the read is recorded",
      schema: LeadTimelinePage,
      headers: textLanguage,
    },
    readerLanguage,
  ),
  listLeadEnquiries: historyRoute(
    'enquiries',
    "A lead's later enquiries in full (every contact who wrote, and what they asked), oldest first",
    { description: 'A page of enquiries; the read is recorded', schema: LeadEnquiriesPage },
  ),
  issueInvitation: {
    method: 'POST',
    path: '/v1/invitations',
    access: 'staff',
    summary: 'Sign the link token of a letter, open day or event, so its leads are credited to the campaign',
    function: 'issueInvitation',
    request: { body: InvitationRequest },
    responses: {
      201: { description: 'The signed token and when it expires', schema: IssuedInvitation },
      400: failure('Invalid fields or malformed JSON; `issues` name them'),
      403: failure('Only campaign managers issue invitation links'),
      413: failure('The body is over 4 KB'),
      415: failure('The body is not application/json'),
    },
  },
  listLeadReads: {
    method: 'GET',
    path: '/v1/leads/{leadId}/reads',
    access: 'staff',
    summary: 'Who read a lead and when, newest first (compliance officers)',
    function: 'listLeadReads',
    request: { params: leadPath, query: LeadReadsQuery },
    responses: {
      200: { description: 'A page of reads', schema: LeadReadsPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('Only compliance officers may see who read a lead'),
      404: failure('Not a lead id (an unknown lead has no reads: an empty page)'),
    },
  },
  ...UNIT_ROUTES,
  ...OFFER_ROUTES,
  ...CAMPAIGN_ROUTES,
  ...LETTER_ROUTES,
  ...AUDIENCE_ROUTES,
  ...IMPORT_ROUTES,
  ...OPEN_DAY_ROUTES,
  ...CONSENT_ROUTES,
  ...AD_SPEND_ROUTES,
  ...REFERRAL_ROUTES,
  describeApi: {
    method: 'GET',
    path: '/openapi.json',
    access: 'public',
    summary: 'This description of the API',
    function: 'describeApi',
    responses: { 200: { description: 'The OpenAPI 3.1 document', schema: ApiDescription } },
  },
  embedScript: {
    method: 'GET',
    path: '/v1/embed.js',
    access: 'public',
    summary:
      "The script the bank's site includes to post its forms here, with the page's UTM values, referrer and landing page (docs/web-forms.md)",
    function: 'describeApi',
    responses: {
      200: {
        description: 'The script (cached for 5 minutes)',
        schema: z.string(),
        mediaType: 'text/javascript',
      },
    },
  },
} as const satisfies Record<string, ApiRoute>;

export type OperationId = keyof typeof API_ROUTES;

/** The route table as a list, each route with its operation id. */
export const apiRoutes = (): (ApiRoute & { operationId: OperationId })[] =>
  Object.entries(API_ROUTES).map(([operationId, route]) => ({
    ...route,
    operationId: operationId as OperationId,
  }));
