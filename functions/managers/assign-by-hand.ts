import { handDeps } from '#shared/composition-outbox.ts';
import { apiHandler, HttpError, parseJsonBody, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { assignByHand } from '#shared/leads/assign-by-hand.ts';
import { HandAssignmentBody } from '#shared/leads/decision-api.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { acceptanceSlaNamed } from '#shared/managers/acceptance-sla.ts';
import { setting } from '#shared/runtime.ts';

const deps = handDeps(acceptanceSlaNamed(setting('acceptanceSla')));

/** POST /v1/leads/{leadId}/assignment (head of unit): a lead given to a manager, or to another, by hand. */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    if (!/^[0-9a-f-]{36}$/i.test(leadId)) throw new HttpError(404, 'not_found', 'No such lead');
    const body = HandAssignmentBody.safeParse(parseJsonBody(event, 8 * 1024));
    if (!body.success) {
      throw new HttpError(400, 'validation_failed', 'The assignment has invalid fields', {
        issues: formatIssues(body.error),
      });
    }
    const result = await assignByHand(deps, { userId: event.staff?.userId ?? '' }, leadId, body.data);
    if (result.ok) {
      const { ok: _ok, ...assigned } = result;
      return reply(API_ROUTES.assignByHand, 200, assigned);
    }
    switch (result.refusal) {
      case 'not_found':
        throw new HttpError(404, 'not_found', 'No such lead');
      case 'assigned':
        throw new HttpError(
          409,
          'assigned',
          'The manager holds the lead already, or it is between two managers',
        );
      case 'decided':
        throw new HttpError(409, 'decided', 'The outcome of the lead is recorded');
      case 'stale':
        throw new HttpError(409, 'stale', 'The lead changed hands meanwhile; look at it again');
      default:
        throw new HttpError(400, 'validation_failed', 'The manager cannot take the lead', {
          issues: [
            {
              path: 'managerId',
              message:
                result.refusal === 'unknown_manager'
                  ? 'No such manager in the roster'
                  : 'The manager is not active',
            },
          ],
        });
    }
  },
  staffOnly(['head_of_unit']),
);
