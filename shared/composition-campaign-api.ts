import { randomUUID } from 'node:crypto';
import { AudienceStore } from './adapters/audience-store.ts';
import { CampaignProgressStore } from './adapters/campaign-progress-store.ts';
import { CampaignResponseStore } from './adapters/campaign-response-store.ts';
import { CampaignStore } from './adapters/campaign-store.ts';
import { OfferStore } from './adapters/offer-store.ts';
import { campaignRuns, NamedExecutions } from './adapters/workflow-starter.ts';
import type { CampaignDeps } from './campaigns/keep-campaigns.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sfnClient } from './clients/sfn.ts';
import { setting } from './runtime.ts';

const table = () => [documentClient(), setting('tableName')] as const;

/** The campaign manager's API: campaigns, their progress, offers and audiences read, runs started. */
export const campaignDeps = (): CampaignDeps => ({
  campaigns: new CampaignStore(...table()),
  progress: new CampaignProgressStore(...table()),
  responses: new CampaignResponseStore(...table()),
  audiences: new AudienceStore(...table()),
  offers: new OfferStore(...table()),
  runs: campaignRuns(new NamedExecutions(sfnClient(), setting('letterCampaignStateMachineArn'))),
  now: () => new Date(),
  newId: randomUUID,
});
