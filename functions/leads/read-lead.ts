import { leads as leadStore } from '#shared/composition.ts';
import { apiHandler, HttpError, json, staffOnly } from '#shared/http/api.ts';
import { canReadLead, leadView } from '#shared/leads/lead-view.ts';

const leads = leadStore();
const NOT_FOUND = () => new HttpError(404, 'not_found', 'No such lead');

/** GET /v1/leads/{leadId} (staff): status, class, score breakdown, assigned manager and timeline. */
export const handler = apiHandler(
  async (event) => {
    const leadId = event.pathParameters?.leadId ?? '';
    const record = /^[0-9a-f-]{36}$/i.test(leadId) ? await leads.read(leadId) : undefined;
    if (!record) throw NOT_FOUND();
    // A manager asking for someone else's lead learns nothing about whether it exists.
    if (!event.staff || !canReadLead(event.staff, record)) throw NOT_FOUND();
    return json(200, leadView(record));
  },
  staffOnly(['head_of_unit', 'campaign_manager', 'compliance_officer', 'personal_manager']),
);
