import {
  CampaignList,
  CampaignListQuery,
  CampaignView,
  campaignPath,
  NewCampaignBody,
} from '../campaigns/campaign-api.ts';
import { type ApiRoute, failure } from './route-kit.ts';

const readers = '(campaign manager, compliance officer, head of unit)';
const notFound = failure('No such campaign');
const refused = (codes: string) => failure(codes);

/** Letter campaigns (docs/campaigns.md): campaign managers steer them; others watch them run. */
export const CAMPAIGN_ROUTES = {
  createCampaign: {
    method: 'POST',
    path: '/v1/campaigns',
    access: 'staff',
    summary: 'Write a letter campaign as a draft (campaign manager)',
    function: 'keepCampaigns',
    request: { body: NewCampaignBody },
    responses: {
      201: { description: 'Created', schema: CampaignView },
      400: failure('Invalid fields: `issues` name each (`steps.0.version`) with why'),
      403: failure('Only campaign managers write campaigns'),
    },
  },
  listCampaigns: {
    method: 'GET',
    path: '/v1/campaigns',
    access: 'staff',
    summary: `The campaigns, newest first, a page at a time ${readers}`,
    function: 'keepCampaigns',
    request: { query: CampaignListQuery },
    responses: {
      200: { description: 'A page of campaigns', schema: CampaignList },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('The role may not read campaigns'),
    },
  },
  readCampaign: {
    method: 'GET',
    path: '/v1/campaigns/{campaignId}',
    access: 'staff',
    summary: `A campaign with each step's progress: sent, skipped by reason, failed, of total ${readers}`,
    function: 'keepCampaigns',
    request: { params: campaignPath },
    responses: {
      200: { description: 'The campaign', schema: CampaignView },
      403: failure('The role may not read campaigns'),
      404: notFound,
    },
  },
  launchCampaign: {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/launch',
    access: 'staff',
    summary:
      'Start sending a draft: every step an approved version, every audience frozen (campaign manager)',
    function: 'keepCampaigns',
    request: { params: campaignPath },
    responses: {
      200: { description: 'Running', schema: CampaignView },
      403: failure('Only campaign managers launch campaigns'),
      404: notFound,
      409: refused(
        '`offer_not_approved` or `audience_not_frozen` (`issues` name the step or audience), or `not_a_draft`',
      ),
    },
  },
  pauseCampaign: {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/pause',
    access: 'staff',
    summary: 'Stop sending at the next page; a resume sends on from what was recorded (campaign manager)',
    function: 'keepCampaigns',
    request: { params: campaignPath },
    responses: {
      200: { description: 'Paused', schema: CampaignView },
      403: failure('Only campaign managers pause campaigns'),
      404: notFound,
      409: refused('`not_running`'),
    },
  },
  resumeCampaign: {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/resume',
    access: 'staff',
    summary: 'Send on from what was recorded, in a new run (campaign manager)',
    function: 'keepCampaigns',
    request: { params: campaignPath },
    responses: {
      200: { description: 'Running', schema: CampaignView },
      403: failure('Only campaign managers resume campaigns'),
      404: notFound,
      409: refused('`not_paused`'),
    },
  },
  cancelCampaign: {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/cancel',
    access: 'staff',
    summary: 'End the campaign: no further letter is sent (campaign manager)',
    function: 'keepCampaigns',
    request: { params: campaignPath },
    responses: {
      200: { description: 'Cancelled', schema: CampaignView },
      403: failure('Only campaign managers cancel campaigns'),
      404: notFound,
      409: refused('`ended`: completed or cancelled already'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
