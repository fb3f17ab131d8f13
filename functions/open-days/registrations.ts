import { clientAddressOf, trustedProxiesOf } from '#shared/access/client-address.ts';
import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { registrationDeps } from '#shared/composition-open-days.ts';
import { preferredLocale } from '#shared/http/accept-language.ts';
import { type ApiEvent, apiHandler, HttpError, parseJsonBody, pathOf, reply } from '#shared/http/api.ts';
import { openDayPage } from '#shared/http/open-day-page.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { openDayPath, registrationTokenPath } from '#shared/open-days/open-day-api.ts';
import {
  giveUpByLink,
  type LinkAnswer,
  registerForOpenDay,
  takeOfferByLink,
} from '#shared/open-days/register.ts';
import { logger, optionalSetting } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = registrationDeps(Keys.derive(await keyMaterial()));
const proxies = optionalSetting('trustedProxies');
const trustedProxies = proxies ? trustedProxiesOf(proxies) : undefined;
const clientOf = (event: ApiEvent) =>
  clientAddressOf(event.requestContext.http.sourceIp, event.headers['x-forwarded-for'], trustedProxies);

/**
 * The public side of open days: POST /v1/open-days/{openDayId}/registrations (the form), the page the
 * registrant's email links open, /v1/open-day-registrations/{token} (GET shows, POST acts), and the same
 * links for programs, /v1/open-day-registrations/{token}/give-up and /take.
 */
export const handler = apiHandler(async (event) => {
  if (event.routeKey.endsWith('/v1/open-day-registrations/{token}')) return openDayPage(deps, event);
  if (event.routeKey.startsWith('POST /v1/open-day-registrations/')) return byLink(event);
  const { openDayId } = pathOf(openDayPath, event, 'No such open day');
  const answer = await registerForOpenDay(deps, {
    openDayId,
    body: parseJsonBody(event, 16 * 1024),
    clientAddress: clientOf(event),
    readerLocale: preferredLocale(event.headers['accept-language']),
    ...(event.headers['user-agent'] ? { userAgent: event.headers['user-agent'] } : {}),
  });
  switch (answer.kind) {
    case 'registered': {
      const { registrationId, status } = answer;
      logger.info('Open day registration', { openDayId, registrationId, status, outcome: answer.outcome });
      return reply(API_ROUTES.registerForOpenDay, answer.outcome === 'created' ? 201 : 200, {
        registrationId,
        status,
      });
    }
    case 'invalid':
      throw new HttpError(400, 'validation_failed', 'The registration has invalid fields', {
        issues: answer.issues,
      });
    case 'rate_limited':
      throw new HttpError(429, 'rate_limited', 'Too many submissions; try again shortly', {
        headers: { 'retry-after': String(answer.retryAfterSeconds) },
      });
    case 'closed':
      throw new HttpError(409, 'registration_closed', 'Registration for this open day has closed');
    case 'not_found':
      throw new HttpError(404, 'not_found', 'No such open day');
  }
});

async function byLink(event: ApiEvent) {
  const { token } = pathOf(registrationTokenPath, event, 'No such registration link');
  const giveUp = event.routeKey.endsWith('/give-up');
  const answer: LinkAnswer = giveUp ? await giveUpByLink(deps, token) : await takeOfferByLink(deps, token);
  switch (answer.kind) {
    case 'given_up':
    case 'taken': {
      const { registrationId, status } = answer.registration;
      return reply(giveUp ? API_ROUTES.giveUpRegistration : API_ROUTES.takeOfferedSeat, 200, {
        registrationId,
        status,
      });
    }
    case 'refused':
      throw new HttpError(403, 'forbidden', 'This link is not valid');
    case 'not_found':
      throw new HttpError(404, 'not_found', 'The registration this link names was replaced by a newer one');
    case 'not_held':
      throw new HttpError(409, 'not_held', 'The registration was given up already');
    case 'expired':
      throw new HttpError(409, 'offer_expired', 'The offer ran out and the seat passed to the next in line');
    case 'not_offered':
      throw new HttpError(409, 'not_offered', 'No seat is offered to this registration');
  }
}
