import { decisionDeps } from '#shared/composition-decisions.ts';
import { apiHandler, HttpError, parseJsonBody, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { decideOnLead } from '#shared/leads/decide-on-lead.ts';
import { LeadDecisionBody, LeadOutcomeBody } from '#shared/leads/decision-api.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { recordOutcome } from '#shared/leads/record-outcome.ts';

const deps = decisionDeps();

const REFUSALS = {
  not_found: [404, 'No such lead'],
  reassigned: [409, 'The lead went to another manager after your decline or when your time ran out'],
  decided: [409, 'The lead is decided already'],
  stale: [409, 'The lead has been offered again since'],
  not_accepted: [409, 'Accept the lead before recording its outcome'],
} as const;

/**
 * The lead's personal manager answers it (`POST /v1/leads/{leadId}/decision`: accept or decline) and,
 * once accepted, records how it ended (`POST /v1/leads/{leadId}/outcome`: converted or lost).
 */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    const managerId = event.staff?.managerId;
    if (!managerId || !/^[0-9a-f-]{36}$/i.test(leadId)) throw new HttpError(404, 'not_found', 'No such lead');
    const manager = { managerId, userId: event.staff?.userId ?? '' };
    if (event.routeKey === 'POST /v1/leads/{leadId}/outcome') {
      const body = valid(LeadOutcomeBody.safeParse(parseJsonBody(event, 8 * 1024)), 'outcome');
      const result = refusedOr(await recordOutcome(deps, manager, leadId, body));
      return reply(API_ROUTES.recordOutcome, 200, {
        leadId: result.leadId,
        status: result.status,
        recordedAt: result.recordedAt,
      });
    }
    const body = valid(LeadDecisionBody.safeParse(parseJsonBody(event, 8 * 1024)), 'decision');
    const result = refusedOr(await decideOnLead(deps, manager, leadId, body));
    return reply(API_ROUTES.decideOnLead, 200, {
      leadId: result.leadId,
      status: result.status,
      decidedAt: result.decidedAt,
    });
  },
  staffOnly(['personal_manager']),
);

function valid<T>(
  parsed: { success: true; data: T } | { success: false; error: Parameters<typeof formatIssues>[0] },
  what: string,
): T {
  if (parsed.success) return parsed.data;
  throw new HttpError(400, 'validation_failed', `The ${what} has invalid fields`, {
    issues: formatIssues(parsed.error),
  });
}

function refusedOr<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (result.ok) return result as Extract<T, { ok: true }>;
  const { refusal } = result as unknown as { refusal: keyof typeof REFUSALS };
  const [status, message] = REFUSALS[refusal];
  throw new HttpError(status, refusal, message);
}
