import { CampaignListQuery, campaignPath, campaignView as viewOf } from '#shared/campaigns/campaign-api.ts';
import {
  CampaignInvalid,
  CampaignNotFound,
  CampaignRefused,
  campaignView,
  cancelCampaign,
  createCampaign,
  launchCampaign,
  pauseCampaign,
  resumeCampaign,
} from '#shared/campaigns/keep-campaigns.ts';
import { campaignDeps } from '#shared/composition-campaign-api.ts';
import {
  apiHandler,
  HttpError,
  parseJsonBody,
  parseQuery,
  pathOf,
  reply,
  requireRole,
  staffOnly,
} from '#shared/http/api.ts';
import type { ErrorCode } from '#shared/http/errors.ts';
import { API_ROUTES } from '#shared/http/routes.ts';

const deps = campaignDeps();

/** The campaigns routes (`/v1/campaigns`): campaign managers steer; compliance and the head of unit watch. */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    try {
      switch (event.routeKey) {
        case 'POST /v1/campaigns': {
          requireRole(event, 'campaign_manager', 'Only campaign managers steer campaigns');
          const campaign = await createCampaign(deps, by, parseJsonBody(event, 64 * 1024));
          return reply(API_ROUTES.createCampaign, 201, viewOf({ campaign, progress: [], responses: 0 }));
        }
        case 'GET /v1/campaigns': {
          const query = parseQuery(CampaignListQuery, event);
          const page = await deps.campaigns.list({
            limit: query.limit,
            ...(query.after ? { after: query.after } : {}),
          });
          return reply(API_ROUTES.listCampaigns, 200, {
            campaigns: page.campaigns.map(({ campaignId, name, status, createdAt }) => ({
              campaignId,
              name,
              status,
              createdAt,
            })),
            next: page.next ?? null,
          });
        }
        default: {
          // Reading a campaign, or one of the four ways to steer it: a change, then the campaign as it stands.
          const steering = STEERING[event.routeKey as keyof typeof STEERING] as Steering | undefined;
          if (steering) requireRole(event, 'campaign_manager', 'Only campaign managers steer campaigns');
          const { campaignId } = pathOf(campaignPath, event, 'No such campaign');
          if (!steering) return reply(API_ROUTES.readCampaign, 200, await current(campaignId));
          await steering.act(campaignId, by);
          return reply(steering.route, 200, await current(campaignId));
        }
      }
    } catch (error) {
      if (error instanceof CampaignInvalid)
        throw fields(400, 'validation_failed', 'The campaign has invalid fields', error.problems);
      if (error instanceof CampaignRefused) throw fields(409, error.code, error.message, error.problems);
      if (error instanceof CampaignNotFound) throw new HttpError(404, 'not_found', 'No such campaign');
      throw error;
    }
  },
  staffOnly(['campaign_manager', 'compliance_officer', 'head_of_unit']),
);

const STEERING = {
  'POST /v1/campaigns/{campaignId}/launch': {
    route: API_ROUTES.launchCampaign,
    act: (id: string) => launchCampaign(deps, id),
  },
  'POST /v1/campaigns/{campaignId}/pause': {
    route: API_ROUTES.pauseCampaign,
    act: (id: string, by: string) => pauseCampaign(deps, id, by),
  },
  'POST /v1/campaigns/{campaignId}/resume': {
    route: API_ROUTES.resumeCampaign,
    act: (id: string) => resumeCampaign(deps, id),
  },
  'POST /v1/campaigns/{campaignId}/cancel': {
    route: API_ROUTES.cancelCampaign,
    act: (id: string) => cancelCampaign(deps, id),
  },
} as const;

type Steering = (typeof STEERING)[keyof typeof STEERING];

async function current(campaignId: string) {
  return viewOf(await campaignView(deps, campaignId));
}

const fields = (
  status: number,
  code: ErrorCode,
  message: string,
  issues: { path: string; message: string }[],
) => new HttpError(status, code, message, issues.length ? { issues } : undefined);
