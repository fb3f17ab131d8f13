import * as z from 'zod';
import {
  DecisionRecorded,
  HandAssigned,
  HandAssignmentBody,
  LeadDecisionBody,
  LeadOutcomeBody,
  OutcomeRecorded,
} from '../leads/decision-api.ts';
import { SlaBreachesPage, SlaBreachesQuery, UnitLoad } from '../leads/unit-overview.ts';
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

import { type ApiRoute, decisionPages, decisionPath, failure, html, leadPath } from './route-kit.ts';

/** The routes of the PM unit: the roster, the managers' answers and outcomes, the work lists, hand assignment. */
export const UNIT_ROUTES = {
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
      'The leads nobody holds, waiting for you: no manager fitted (`awaiting_manager`) or offered without an acceptance (`escalated`); and the leads whose workflow failed (`intake_failed`) until a new run resumes them (head of unit)',
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
  listUnitManagers: {
    method: 'GET',
    path: '/v1/unit/managers',
    access: 'staff',
    summary:
      "The unit's load now: each manager's open leads against capacity, presence, unanswered and overdue offers, pause after a timeout; most loaded first (head of unit)",
    function: 'readUnit',
    responses: {
      200: { description: 'Every manager of the roster', schema: UnitLoad },
      403: failure('Only the head of unit sees the unit'),
    },
  },
  listSlaBreaches: {
    method: 'GET',
    path: '/v1/unit/sla-breaches',
    access: 'staff',
    summary:
      'Acceptance SLAs not kept: offers whose time ran out, and acceptances after the due time, newest first (head of unit)',
    function: 'readUnit',
    request: { query: SlaBreachesQuery },
    responses: {
      200: { description: 'A page of breaches', schema: SlaBreachesPage },
      400: failure(
        'Invalid query parameters or a cursor no page handed out; `issues` name them as `query.*`',
      ),
      403: failure('Only the head of unit sees the unit'),
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
} as const satisfies Record<string, ApiRoute>;
