import * as z from 'zod';
import { LeadReadsQuery } from '#shared/access/lead-reads.ts';
import { leadReads } from '#shared/composition.ts';
import { apiHandler, HttpError, parseQuery, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';

const reads = leadReads();

/** GET /v1/leads/{leadId}/reads (compliance officers): who read the lead and when, newest first. */
export const handler = apiHandler(
  async (event) => {
    const leadId = z.uuid().safeParse(event.pathParameters?.leadId);
    if (!leadId.success) throw new HttpError(404, 'not_found', 'No such lead');
    const query = parseQuery(LeadReadsQuery, event);
    return reply(API_ROUTES.listLeadReads, 200, await reads.list(leadId.data, query));
  },
  staffOnly(['compliance_officer']),
);
