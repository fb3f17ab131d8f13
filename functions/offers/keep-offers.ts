import { offers } from '#shared/composition.ts';
import {
  type ApiEvent,
  apiHandler,
  HttpError,
  parseJsonBody,
  parseQuery,
  pathOf,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import {
  createOffer,
  decideVersion,
  OfferInvalid,
  OfferNotFound,
  saveVersion,
  VersionConflict,
} from '#shared/offers/keep-offers.ts';
import {
  OfferAuditQuery,
  OfferDecisionBody,
  offerPath,
  PreviewBody,
  versionPath,
  versionView,
} from '#shared/offers/offer-api.ts';
import { previewOffer } from '#shared/offers/render-offer.ts';

const deps = offers();
const MAX_BODY = 256 * 1024;
const NOT_FOUND = 'No such offer or version';

/** The offers routes (`/v1/offers`): campaign managers write offers, compliance officers decide on versions. */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    try {
      switch (event.routeKey) {
        case 'POST /v1/offers': {
          requireRole(event, 'campaign_manager');
          const first = await createOffer(deps, by, parseJsonBody(event, MAX_BODY));
          const { offerId, version, hash } = first;
          return reply(API_ROUTES.createOffer, 201, { offerId, version, hash });
        }
        case 'GET /v1/offers/{offerId}': {
          const { offerId } = pathOf(offerPath, event, NOT_FOUND);
          const offer = await deps.offers.get(offerId);
          const latest = offer && (await deps.offers.version(offerId, offer.latestVersion));
          if (!offer || !latest) throw new HttpError(404, 'not_found', 'No such offer');
          return reply(API_ROUTES.readOffer, 200, {
            ...offer,
            approved: offer.approved ?? null,
            latest: versionView(latest),
          });
        }
        case 'POST /v1/offers/{offerId}/versions': {
          requireRole(event, 'campaign_manager');
          const { offerId } = pathOf(offerPath, event, NOT_FOUND);
          const saved = await saveVersion(deps, offerId, by, parseJsonBody(event, MAX_BODY));
          return reply(API_ROUTES.saveOfferVersion, 201, {
            offerId,
            version: saved.version,
            hash: saved.hash,
          });
        }
        case 'GET /v1/offers/{offerId}/versions/{version}': {
          const { offerId, version } = pathOf(versionPath, event, NOT_FOUND);
          const found = await deps.offers.version(offerId, version);
          if (!found) throw new HttpError(404, 'not_found', 'No such offer or version');
          return reply(API_ROUTES.readOfferVersion, 200, versionView(found));
        }
        case 'POST /v1/offers/{offerId}/versions/{version}/decision':
          return decide(event, by);
        case 'POST /v1/offers/{offerId}/versions/{version}/preview': {
          const { offerId, version } = pathOf(versionPath, event, NOT_FOUND);
          const body = PreviewBody.safeParse(parseJsonBody(event, 16 * 1024));
          if (!body.success) throw invalidFields(formatIssues(body.error));
          const found = await deps.offers.version(offerId, version);
          if (!found) throw new HttpError(404, 'not_found', 'No such offer or version');
          const letter = previewOffer(found, body.data.recipient, body.data.language);
          return reply(API_ROUTES.previewOfferVersion, 200, letter);
        }
        default: {
          const { offerId } = pathOf(offerPath, event, NOT_FOUND);
          const query = parseQuery(OfferAuditQuery, event);
          if (!(await deps.offers.get(offerId))) throw new HttpError(404, 'not_found', 'No such offer');
          const page = await deps.offers.audit(offerId, {
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
          });
          return reply(API_ROUTES.listOfferAudit, 200, {
            entries: page.entries.map(({ at, by: who, action, version, hash, reason }) => ({
              at,
              by: who,
              action,
              version,
              hash,
              ...(reason === undefined ? {} : { reason }),
            })),
            next: page.next ?? null,
          });
        }
      }
    } catch (error) {
      if (error instanceof OfferInvalid) throw invalidFields(error.problems);
      if (error instanceof OfferNotFound) throw new HttpError(404, 'not_found', 'No such offer');
      if (error instanceof VersionConflict) throw new HttpError(409, 'stale', error.message);
      throw error;
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer']),
);

async function decide(event: ApiEvent, by: string) {
  requireRole(event, 'compliance_officer');
  const { offerId, version } = pathOf(versionPath, event, NOT_FOUND);
  const body = OfferDecisionBody.safeParse(parseJsonBody(event, 16 * 1024));
  if (!body.success) throw invalidFields(formatIssues(body.error));
  const outcome = await decideVersion(deps, by, { offerId, version, ...body.data });
  if ('decided' in outcome) {
    return reply(API_ROUTES.decideOfferVersion, 200, { offerId, version, outcome: outcome.decided.outcome });
  }
  switch (outcome.refused) {
    case 'not_found':
      throw new HttpError(404, 'not_found', 'No such offer or version');
    case 'own_version':
      throw new HttpError(
        403,
        'forbidden',
        'A version is decided by a compliance officer who did not write it',
      );
    case 'already_decided':
      throw new HttpError(409, 'decided', 'The version has its decision');
    case 'superseded':
      throw new HttpError(409, 'stale', 'A newer version of the offer exists; only the latest is decided');
    default:
      throw new HttpError(409, 'hash_mismatch', 'The version is not the content you read; read it again');
  }
}

const invalidFields = (issues: { path: string; message: string }[]) =>
  new HttpError(400, 'validation_failed', 'The offer has invalid fields', {
    issues: issues.map(({ path, message }) => ({ path, message })),
  });
