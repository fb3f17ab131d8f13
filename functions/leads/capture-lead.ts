import { clientAddressOf, trustedProxiesOf } from '#shared/access/client-address.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { letterResponseDeps } from '#shared/composition-letters.ts';
import { type ApiEvent, apiHandler, HttpError, parseJsonBody, reply } from '#shared/http/api.ts';
import { letterResponse } from '#shared/http/letter-response.ts';
import { offlineLead } from '#shared/http/offline-lead.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { captureLead } from '#shared/leads/capture-lead.ts';
import { logger, optionalSetting } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = letterResponseDeps(Keys.derive(await keyMaterial()));
const proxies = optionalSetting('trustedProxies');
const trustedProxies = proxies ? trustedProxiesOf(proxies) : undefined;
const clientOf = (event: ApiEvent) =>
  clientAddressOf(event.requestContext.http.sourceIp, event.headers['x-forwarded-for'], trustedProxies);

/**
 * POST /v1/leads (public): a web form's enquiry. 202 with the lead id; a later enquiry about the same
 * company answers its lead's id. /v1/letters/respond/{token}: a letter's "request a call", the same path;
 * POST /v1/offline-leads (campaign managers): a lead met offline, the same path again.
 */
export const handler = apiHandler(async (event) => {
  if (event.routeKey.includes('/v1/letters/respond/')) return letterResponse(deps, event, clientOf(event));
  if (event.routeKey === 'POST /v1/offline-leads') return offlineLead(deps, event);
  const answer = await captureLead(deps, {
    // The route decides the channel: this is the public web form.
    channel: 'web',
    body: parseJsonBody(event, 16 * 1024),
    clientAddress: clientOf(event),
    ...(event.headers['user-agent'] !== undefined ? { userAgent: event.headers['user-agent'] } : {}),
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
    case 'enquiry_limit_reached':
      throw new HttpError(
        429,
        'too_many_enquiries',
        'This company has sent many enquiries recently; the bank has them all and will be in touch',
      );
    case 'idempotency_conflict':
      throw new HttpError(
        409,
        'idempotency_conflict',
        'This Idempotency-Key was used for a different request',
      );
  }
});
