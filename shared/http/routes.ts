import * as z from 'zod';
import { LeadReadsPage, LeadReadsQuery } from '../access/lead-reads.ts';
import {
  DecisionRecorded,
  HandAssigned,
  HandAssignmentBody,
  LeadDecisionBody,
  LeadOutcomeBody,
  OutcomeRecorded,
} from '../leads/decision-api.ts';
import { InvitationRequest, IssuedInvitation } from '../leads/invitation.ts';
import { IDEMPOTENCY_KEY, PublishedLeadSubmission } from '../leads/lead-submission.ts';
import {
  HistoryQuery,
  LeadAccepted,
  LeadEnquiriesPage,
  LeadTimelinePage,
  LeadView,
} from '../leads/lead-view.ts';
import { MyLeadsQuery, WaitingLeadsQuery, WorkListPage } from '../leads/work-list-view.ts';
import {
  ImportSummary,
  ManagerView,
  managerPath,
  RosterChangesPage,
  RosterChangesQuery,
  RosterEntryBody,
  RosterView,
  SaveOutcome,
} from '../managers/roster-api.ts';
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
  'describeApi',
] as const;
export type RouteFunction = (typeof ROUTE_FUNCTIONS)[number];

/** One answer of a route's function: the body's schema and the headers it sets. */
export type Answer = {
  readonly description: string;
  readonly schema: z.ZodType;
  readonly headers?: z.ZodObject;
  /** The body's media type when it is not JSON. */
  readonly mediaType?: 'text/csv' | 'text/html';
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

const failure = (description: string, headers?: z.ZodObject): Answer => ({
  description,
  schema: ErrorBody,
  ...(headers ? { headers } : {}),
});

/** The document itself, as far as a client relies on it; the rest (open objects) is OpenAPI's to define. */
const ApiDescription = z
  .object({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.object({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ApiDescription', description: 'This OpenAPI 3.1 document' });

const leadPath = z.object({ leadId: z.uuid() });

/** A decision link's token: a compact JWT (base64url segments and dots). */
const decisionPath = z.object({ token: z.string().max(2048) });

/** A page for people, not a program: the body is HTML in the manager's language. */
const html = (description: string): Answer => ({ description, schema: z.string(), mediaType: 'text/html' });

/** What every decision link answers, as a page. */
const decisionPages = (ok: string) => ({
  200: html(ok),
  403: html('The link is forged, altered or expired'),
  404: html('No such lead, or not one this manager held'),
  409: html(
    'The lead is no longer waiting for this answer: accepted already, gone to another manager, or offered again since',
  ),
});

/** A page of a lead's history (`/v1/leads/{leadId}/<part>`), read and audited as the lead itself is. */
const historyRoute = <P extends string, S extends z.ZodType>(
  part: P,
  summary: string,
  page: { description: string; schema: S },
) =>
  ({
    method: 'GET',
    path: `/v1/leads/{leadId}/${part}`,
    access: 'staff',
    summary,
    function: 'readLeadHistory',
    request: { params: leadPath, query: HistoryQuery },
    responses: {
      200: page,
      400: failure('Invalid query parameters, or an `after` no earlier page handed out'),
      403: failure('The role may not read leads'),
      404: failure('No such lead, or (for a personal manager) not one assigned to them'),
    },
  }) as const;

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
  readLead: {
    method: 'GET',
    path: '/v1/leads/{leadId}',
    access: 'staff',
    summary: 'Read a lead: status, class, score breakdown, assigned manager, timeline',
    function: 'readLead',
    request: { params: leadPath },
    responses: {
      200: { description: 'The lead; the read is recorded before it is shown', schema: LeadView },
      403: failure('The role may not read leads'),
      404: failure('No such lead, or (for a personal manager) not one assigned to them'),
    },
  },
  readLeadTimeline: historyRoute('timeline', "A lead's history, a page at a time, oldest first", {
    description: 'A page of the history; the read is recorded',
    schema: LeadTimelinePage,
  }),
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
  listManagers: {
    method: 'GET',
    path: '/v1/managers',
    access: 'staff',
    summary: "The PM unit's roster: every personal manager with their load (head of unit)",
    function: 'keepRoster',
    responses: {
      200: { description: 'The roster', schema: RosterView },
      403: failure('Only the head of the unit keeps the roster'),
    },
  },
  readManager: {
    method: 'GET',
    path: '/v1/managers/{managerId}',
    access: 'staff',
    summary: 'One personal manager of the roster (head of unit)',
    function: 'keepRoster',
    request: { params: managerPath },
    responses: {
      200: { description: 'The manager', schema: ManagerView },
      403: failure('Only the head of the unit keeps the roster'),
      404: failure('No such manager'),
    },
  },
  saveManager: {
    method: 'PUT',
    path: '/v1/managers/{managerId}',
    access: 'staff',
    summary: 'Add a personal manager to the roster or change one; the change is audited (head of unit)',
    function: 'keepRoster',
    request: { params: managerPath, body: RosterEntryBody },
    responses: {
      200: { description: 'Stored, or equal to what was stored (`unchanged`)', schema: SaveOutcome },
      400: failure('Invalid fields, malformed JSON or a malformed manager id; `issues` name them'),
      403: failure('Only the head of the unit keeps the roster'),
      409: failure('The roster changed meanwhile; read it and try again'),
      413: failure('The body is over 64 KB'),
      415: failure('The body is not application/json'),
    },
  },
  importRoster: {
    method: 'POST',
    path: '/v1/roster-imports',
    access: 'staff',
    summary:
      'Add or change personal managers from a CSV file: every bad row is reported and nothing of such a file is stored (head of unit)',
    function: 'keepRoster',
    request: {
      body: z.string().meta({ description: 'The roster as CSV (docs/roster.md)' }),
      bodyType: 'text/csv',
    },
    responses: {
      200: {
        description: 'What the file changed; a manager equal to the stored one is `unchanged`',
        schema: ImportSummary,
      },
      400: failure('Bad rows: `issues` give each as `line <n>` with the column and the reason'),
      403: failure('Only the head of the unit keeps the roster'),
      409: failure('The roster changed meanwhile; import the file again'),
      413: failure('The file is over 1 MB'),
      415: failure('The body is not text/csv'),
    },
  },
  exportRoster: {
    method: 'GET',
    path: '/v1/roster-exports',
    access: 'staff',
    summary: 'The roster as a CSV file, to edit in Excel and import back (head of unit)',
    function: 'keepRoster',
    responses: {
      200: {
        description: 'Every manager of the roster, in the import format (docs/roster.md)',
        schema: z.string(),
        mediaType: 'text/csv',
      },
      403: failure('Only the head of the unit keeps the roster'),
    },
  },
  listRosterChanges: {
    method: 'GET',
    path: '/v1/managers/{managerId}/changes',
    access: 'staff',
    summary:
      "Who changed a manager's roster entry, when, from what to what; newest first (head of unit, compliance)",
    function: 'keepRoster',
    request: { params: managerPath, query: RosterChangesQuery },
    responses: {
      200: { description: 'A page of changes', schema: RosterChangesPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('Only the head of the unit and compliance officers see roster changes'),
      404: failure('Not a manager id'),
    },
  },
  decideOnLead: {
    method: 'POST',
    path: '/v1/leads/{leadId}/decision',
    access: 'staff',
    summary:
      'Accept a lead offered to you, or decline it with a reason: it then goes to the next manager (personal manager)',
    function: 'decideOnLead',
    request: { params: leadPath, body: LeadDecisionBody },
    responses: {
      200: { description: 'The decision is recorded', schema: DecisionRecorded },
      400: failure('Invalid fields or malformed JSON; `issues` name them'),
      403: failure('Only personal managers answer leads'),
      404: failure('No such lead, or not one offered to you'),
      409: failure(
        'The lead is no longer waiting for your answer: `decided` (accepted already), `reassigned` (it went to another manager) or `stale`',
      ),
    },
  },
  recordOutcome: {
    method: 'POST',
    path: '/v1/leads/{leadId}/outcome',
    access: 'staff',
    summary:
      'Record how an accepted lead ended: converted (products opened) or lost (a reason); your capacity is given back (personal manager)',
    function: 'decideOnLead',
    request: { params: leadPath, body: LeadOutcomeBody },
    responses: {
      200: { description: 'The outcome is recorded', schema: OutcomeRecorded },
      400: failure('Invalid fields or malformed JSON; `issues` name them'),
      403: failure('Only personal managers record outcomes'),
      404: failure('No such lead, or not one of yours'),
      409: failure(
        'Not yet accepted (`not_accepted`), the outcome is recorded already (`decided`), or the lead went to another manager (`reassigned`)',
      ),
    },
  },
  listMyLeads: {
    method: 'GET',
    path: '/v1/my-leads',
    access: 'staff',
    summary:
      'Your leads, one status or all, by status then time (the due time of an offer): your work list (personal manager)',
    function: 'listWork',
    request: { query: MyLeadsQuery },
    responses: {
      200: { description: 'A page of your leads', schema: WorkListPage },
      400: failure(
        'Invalid query parameters or a cursor no page handed out; `issues` name them as `query.*`',
      ),
      403: failure('Only personal managers have a work list'),
    },
  },
  listWaitingLeads: {
    method: 'GET',
    path: '/v1/unit/waiting-leads',
    access: 'staff',
    summary:
      'The leads nobody holds, waiting for you: no manager fitted (`awaiting_manager`) or offered without an acceptance (`escalated`) (head of unit)',
    function: 'listWork',
    request: { query: WaitingLeadsQuery },
    responses: {
      200: { description: 'A page of the waiting leads, oldest first within a status', schema: WorkListPage },
      400: failure(
        'Invalid query parameters or a cursor no page handed out; `issues` name them as `query.*`',
      ),
      403: failure('Only the head of unit sees the unit’s waiting leads'),
    },
  },
  assignByHand: {
    method: 'POST',
    path: '/v1/leads/{leadId}/assignment',
    access: 'staff',
    summary:
      'Give a lead to a manager by hand (head of unit): one nobody holds (awaiting a manager, or escalated), or one another manager holds with no outcome yet, which is taken from them; the new manager is emailed and must accept in time',
    function: 'assignByHand',
    request: { params: leadPath, body: HandAssignmentBody },
    responses: {
      200: { description: 'Assigned', schema: HandAssigned },
      400: failure(
        'Invalid fields, or a manager who is not in the roster or not active (`issues` at `managerId`)',
      ),
      403: failure('Only the head of unit assigns by hand'),
      404: failure('No such lead'),
      409: failure(
        'The manager named holds the lead already, or it is between two managers (`assigned`); its outcome is recorded (`decided`); it changed hands meanwhile (`stale`)',
      ),
    },
  },
  openDecisionLink: {
    method: 'GET',
    path: '/v1/decisions/{token}',
    access: 'public',
    summary:
      "The page an accept or decline link in a manager's email opens: the question and its button; opening it changes nothing",
    function: 'answerByLink',
    request: { params: decisionPath },
    responses: decisionPages('The question, with the button that answers it'),
  },
  answerByLink: {
    method: 'POST',
    path: '/v1/decisions/{token}',
    access: 'public',
    summary: 'The button of a decision link: accepts or declines the lead for the assignment the link names',
    function: 'answerByLink',
    request: {
      params: decisionPath,
      body: z
        .object({ reasonCode: z.string().optional(), note: z.string().max(2000).optional() })
        .meta({ description: 'A decline needs `reasonCode` from the configured list; `note` is optional' }),
      bodyType: 'application/x-www-form-urlencoded',
    },
    responses: {
      ...decisionPages('Done: the decision is recorded'),
      400: html('The form again: a decline needs a reason'),
      413: failure('The form is over 8 KB'),
      415: failure('The body is not a form (application/x-www-form-urlencoded)'),
    },
  },
  describeApi: {
    method: 'GET',
    path: '/openapi.json',
    access: 'public',
    summary: 'This description of the API',
    function: 'describeApi',
    responses: { 200: { description: 'The OpenAPI 3.1 document', schema: ApiDescription } },
  },
} as const satisfies Record<string, ApiRoute>;

export type OperationId = keyof typeof API_ROUTES;

/** The route table as a list, each route with its operation id. */
export const apiRoutes = (): (ApiRoute & { operationId: OperationId })[] =>
  Object.entries(API_ROUTES).map(([operationId, route]) => ({
    ...route,
    operationId: operationId as OperationId,
  }));
