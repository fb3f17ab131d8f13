import { decisionDeps } from '#shared/composition-decisions.ts';
import { apiHandler, HttpError, parseJsonBody, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { decideOnLead } from '#shared/leads/decide-on-lead.ts';
import { LeadDecisionBody } from '#shared/leads/decision-api.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';

const deps = decisionDeps();

const REFUSALS = {
  not_found: [404, 'No such lead'],
  reassigned: [409, 'The lead went to another manager after your decline or when your time ran out'],
  decided: [409, 'The lead was accepted already'],
  stale: [409, 'The lead has been offered again since'],
} as const;

/** POST /v1/leads/{leadId}/decision: a personal manager accepts or declines a lead offered to them. */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    const managerId = event.staff?.managerId;
    if (!managerId || !/^[0-9a-f-]{36}$/i.test(leadId)) throw new HttpError(404, 'not_found', 'No such lead');
    const body = LeadDecisionBody.safeParse(parseJsonBody(event, 8 * 1024));
    if (!body.success) {
      throw new HttpError(400, 'validation_failed', 'The decision has invalid fields', {
        issues: formatIssues(body.error),
      });
    }
    const outcome = await decideOnLead(
      deps,
      { managerId, userId: event.staff?.userId ?? '' },
      leadId,
      body.data,
    );
    if (!outcome.ok) {
      const [status, message] = REFUSALS[outcome.refusal];
      throw new HttpError(status, outcome.refusal, message);
    }
    const { leadId: id, status, decidedAt } = outcome;
    return reply(API_ROUTES.decideOnLead, 200, { leadId: id, status, decidedAt });
  },
  staffOnly(['personal_manager']),
);
