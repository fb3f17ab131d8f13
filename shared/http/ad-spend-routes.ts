import { CostReport, CostReportQuery, RecordedSpend, SpendBody } from '../ad-spend/ad-spend.ts';
import { type ApiRoute, failure } from './route-kit.ts';

/**
 * Advertising spend and cost per lead (docs/web-forms.md): campaign managers record what each source
 * cost in a month; they and the head of unit read spend, leads and cost per lead by source and month.
 */
export const AD_SPEND_ROUTES = {
  recordAdSpend: {
    method: 'PUT',
    path: '/v1/ad-spend',
    access: 'staff',
    summary:
      "Set a source's (medium's, campaign's) cost in a month: a UTM source's advertising, an offline channel's event, a referral reward; the same key again replaces the amount (campaign manager)",
    function: 'keepAdSpend',
    request: { body: SpendBody },
    responses: {
      200: { description: 'Recorded; the same amount again records nothing new', schema: RecordedSpend },
      400: failure('Invalid fields; `issues` name them'),
      403: failure('Only campaign managers record spend'),
      413: failure('The body is over 4 KB'),
      415: failure('The body is not application/json'),
    },
  },
  readCostPerLead: {
    method: 'GET',
    path: '/v1/cost-per-lead',
    access: 'staff',
    summary:
      'Spend, new leads, conversions, cost per lead and per converted client by source (UTM or offline channel) and month, at most 12 months (campaign manager, head of unit)',
    function: 'keepAdSpend',
    request: { query: CostReportQuery },
    responses: {
      200: { description: 'The report, month by month', schema: CostReport },
      400: failure('Invalid query parameters (`query.from`, `query.to`)'),
      403: failure('Only campaign managers and heads of unit read cost per lead'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
