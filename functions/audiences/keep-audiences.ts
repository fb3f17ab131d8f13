import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import {
  AudiencesQuery,
  audiencePath,
  audienceView,
  MembersQuery,
  PreviewQuery,
  previewView,
} from '#shared/audiences/audience-api.ts';
import {
  AudienceInvalid,
  AudienceRefused,
  approveAudience,
  createAudience,
  discardAudience,
  editAudience,
  previewAudience,
} from '#shared/audiences/keep-audiences.ts';
import { audiencesApiDeps } from '#shared/composition-audiences.ts';
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

// The key hashes addresses for the last-contacted filter; read once, while the environment starts.
const deps = audiencesApiDeps(Keys.derive(await keyMaterial()));
const MAX_BODY = 32 * 1024;

/** The audiences routes (`/v1/audiences`): campaign managers write and approve, others read. */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    try {
      switch (event.routeKey) {
        case 'POST /v1/audiences': {
          requireRole(event, 'campaign_manager');
          const audience = await createAudience(deps, by, parseJsonBody(event, MAX_BODY));
          return reply(API_ROUTES.createAudience, 201, audienceView(audience));
        }
        case 'GET /v1/audiences': {
          const query = parseQuery(AudiencesQuery, event);
          const page = await deps.audiences.list({
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
          });
          return reply(API_ROUTES.listAudiences, 200, {
            audiences: page.audiences.map(audienceView),
            next: page.after ?? null,
          });
        }
        case 'GET /v1/audiences/{audienceId}':
          return reply(API_ROUTES.readAudience, 200, audienceView(await stored(event)));
        case 'PUT /v1/audiences/{audienceId}': {
          requireRole(event, 'campaign_manager');
          const audienceId = idOf(event);
          await editAudience(deps, audienceId, parseJsonBody(event, MAX_BODY));
          return reply(API_ROUTES.editAudience, 200, audienceView(await stored(event)));
        }
        case 'POST /v1/audiences/{audienceId}/discard': {
          requireRole(event, 'campaign_manager');
          await discardAudience(deps, idOf(event));
          return reply(API_ROUTES.discardAudience, 200, audienceView(await stored(event)));
        }
        case 'GET /v1/audiences/{audienceId}/preview': {
          const query = parseQuery(PreviewQuery, event);
          const audience = await stored(event);
          const preview = await previewAudience(deps, audience.filters, query.limit);
          return reply(API_ROUTES.previewAudience, 200, {
            prospects: previewView(preview.rows),
            examined: preview.examined,
            complete: preview.complete,
          });
        }
        case 'POST /v1/audiences/{audienceId}/approval': {
          requireRole(event, 'campaign_manager');
          const audience = await approveAudience(deps, idOf(event), by);
          return reply(API_ROUTES.approveAudience, 202, audienceView(audience));
        }
        default: {
          const query = parseQuery(MembersQuery, event);
          const audienceId = idOf(event);
          const frozen = await deps.frozen.frozen(audienceId);
          if (!frozen) {
            await stored(event);
            throw new HttpError(409, 'not_frozen', 'The audience is not frozen: it has no final members yet');
          }
          const page = await deps.frozen.members(audienceId, {
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
          });
          return reply(API_ROUTES.listAudienceMembers, 200, {
            count: frozen.count,
            prospectIds: page.prospectIds,
            next: page.after ?? null,
          });
        }
      }
    } catch (error) {
      if (error instanceof AudienceInvalid) {
        throw new HttpError(400, 'validation_failed', 'The audience has invalid fields', {
          issues: error.issues,
        });
      }
      if (error instanceof AudienceRefused) {
        if (error.refusal === 'not_found') throw new HttpError(404, 'not_found', 'No such audience');
        if (error.refusal === 'discarded')
          throw new HttpError(409, 'discarded', 'The audience was discarded');
        throw new HttpError(409, 'not_draft', 'The audience was approved or discarded: it no longer changes');
      }
      throw error;
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer', 'head_of_unit']),
);

const idOf = (event: ApiEvent): string => pathOf(audiencePath, event, 'No such audience').audienceId;

async function stored(event: ApiEvent) {
  const audience = await deps.audiences.get(idOf(event));
  if (!audience) throw new HttpError(404, 'not_found', 'No such audience');
  return audience;
}
