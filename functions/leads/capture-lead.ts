import { captureDeps } from '#shared/composition.ts';
import { apiHandler, HttpError, jsonBody, reply } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { logger } from '#shared/runtime.ts';

const deps = captureDeps();

/** POST /v1/leads (public): a web form's enquiry. 202 with the lead id, the same id for a duplicate. */
export const handler = apiHandler(
  async (event) => {
    const answer = await captureLead(deps, {
      body: event.jsonBody,
      clientAddress: event.requestContext.http.sourceIp,
      ...(event.headers['idempotency-key'] !== undefined
        ? { idempotencyKey: event.headers['idempotency-key'] }
        : {}),
    });
    switch (answer.kind) {
      case 'accepted':
        logger.info('Lead submission accepted', { leadId: answer.leadId, outcome: answer.outcome });
        return reply(API_ROUTES.submitLead, 202, { leadId: answer.leadId });
      case 'invalid':
        throw new HttpError(400, 'validation_failed', 'The enquiry has invalid fields', {
          issues: answer.issues,
        });
      case 'rate_limited':
        throw new HttpError(429, 'rate_limited', 'Too many submissions; try again shortly', {
          headers: { 'retry-after': String(answer.retryAfterSeconds) },
        });
      case 'idempotency_conflict':
        throw new HttpError(
          409,
          'idempotency_conflict',
          'This Idempotency-Key was used for a different request',
        );
    }
  },
  jsonBody(16 * 1024),
);
