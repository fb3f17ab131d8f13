import { readLeadDeps } from '#shared/composition.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { apiHandler, HttpError, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { readLead } from '#shared/leads/read-lead.ts';

const deps = readLeadDeps();

/**
 * GET /v1/leads/{leadId} (staff): status, class, score breakdown, assigned manager and timeline, its
 * texts in the language `Accept-Language` asks for.
 */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    const locale = preferredLocale(event.headers['accept-language']);
    const view =
      /^[0-9a-f-]{36}$/i.test(leadId) && event.staff
        ? await readLead(deps, {
            viewer: event.staff,
            leadId,
            requestId: event.requestContext.requestId,
            locale,
          })
        : undefined;
    // A manager asking for someone else's lead learns nothing about whether it exists.
    if (!view) throw new HttpError(404, 'not_found', 'No such lead');
    return reply(API_ROUTES.readLead, 200, view, { 'content-language': locale });
  },
  staffOnly(['head_of_unit', 'campaign_manager', 'compliance_officer', 'personal_manager']),
);
