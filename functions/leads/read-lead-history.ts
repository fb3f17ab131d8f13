import { readLeadDeps } from '#shared/composition.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { apiHandler, HttpError, parseQuery, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { HistoryQuery } from '#shared/leads/lead-view.ts';
import { readLeadEnquiries, readLeadTimeline } from '#shared/leads/read-lead.ts';

const deps = readLeadDeps();

/**
 * GET /v1/leads/{leadId}/timeline and /enquiries (staff): a lead's history, a page at a time; the
 * timeline's texts in the language `Accept-Language` asks for.
 */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    const query = parseQuery(HistoryQuery, event);
    if (!/^[0-9a-f-]{36}$/i.test(leadId) || !event.staff)
      throw new HttpError(404, 'not_found', 'No such lead');
    const locale = preferredLocale(event.headers['accept-language']);
    const read = { viewer: event.staff, leadId, requestId: event.requestContext.requestId, locale };
    const enquiries = event.routeKey === `GET ${API_ROUTES.listLeadEnquiries.path}`;
    const page = enquiries
      ? await readLeadEnquiries(deps, read, query)
      : await readLeadTimeline(deps, read, query);
    // A manager asking for someone else's lead learns nothing about whether it exists.
    if (!page) throw new HttpError(404, 'not_found', 'No such lead');
    if ('kind' in page) {
      throw new HttpError(400, 'validation_failed', 'The page cursor is not one an earlier page handed out', {
        issues: [{ path: 'query.after', message: 'Must be a `next` value from an earlier page' }],
      });
    }
    return 'enquiries' in page
      ? reply(API_ROUTES.listLeadEnquiries, 200, page)
      : reply(API_ROUTES.readLeadTimeline, 200, page, { 'content-language': locale });
  },
  staffOnly(['head_of_unit', 'campaign_manager', 'compliance_officer', 'personal_manager']),
);
