import { CostReportQuery, spendView } from '#shared/ad-spend/ad-spend.ts';
import { costPerLead, recordSpend } from '#shared/ad-spend/keep-ad-spend.ts';
import { adSpendDeps } from '#shared/composition-ad-spend.ts';
import {
  apiHandler,
  HttpError,
  parseJsonBody,
  parseQuery,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { logger } from '#shared/runtime.ts';

const deps = adSpendDeps();

/**
 * Advertising spend and cost per lead (docs/web-forms.md): `PUT /v1/ad-spend` for campaign managers,
 * `GET /v1/cost-per-lead` for them and the head of unit.
 */
export const handler = apiHandler(
  async (event) => {
    if (event.routeKey === 'PUT /v1/ad-spend') {
      requireRole(event, 'campaign_manager', 'Only campaign managers record spend');
      const answer = await recordSpend(deps, event.staff?.userId ?? '', parseJsonBody(event, 4 * 1024));
      if (answer.kind === 'invalid') {
        throw new HttpError(400, 'validation_failed', 'The spend has invalid fields', {
          issues: answer.issues,
        });
      }
      logger.info('Ad spend recorded', { month: answer.spend.month, action: answer.action });
      return reply(API_ROUTES.recordAdSpend, 200, { spend: spendView(answer.spend), action: answer.action });
    }
    const query = parseQuery(CostReportQuery, event);
    const rows = await costPerLead(deps, query);
    return reply(API_ROUTES.readCostPerLead, 200, { from: query.from, to: query.to, rows });
  },
  staffOnly(['campaign_manager', 'head_of_unit']),
);
