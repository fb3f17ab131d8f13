import * as z from 'zod';
import { SendPolicy } from '../letters/suppression.ts';
import {
  CAMPAIGN_STATUSES,
  type CampaignState,
  NewCampaignInput,
  PAUSE_REASONS,
  Signatory,
} from './campaign.ts';
import { DEFAULT_GUARD, DeliverabilityGuard } from './deliverability.ts';

/**
 * The campaigns API (`/v1/campaigns`): campaign managers write, launch, pause, resume and cancel letter
 * campaigns; they, compliance officers and the head of unit read them and their progress while they run.
 * The rules are the domain's (docs/campaigns.md); this module only says what goes over HTTP.
 */

export const campaignPath = z.object({ campaignId: z.uuid() });

export const NewCampaignBody = NewCampaignInput.meta({
  id: 'NewCampaign',
  description:
    'A letter campaign: frozen audiences, one or two steps (an approved offer version each; a follow-up waits `waitDays` after the step before), who signs, the send policy and the rate',
});

export const CampaignListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(1000).optional(),
});

const Progress = z
  .strictObject({
    step: z.int(),
    total: z.int().meta({ description: 'Members of the audiences, as frozen' }),
    sent: z.int(),
    failed: z.int(),
    skipped: z.record(z.string(), z.int()).meta({ description: 'Recipients skipped, by reason' }),
    deferred: z.int().meta({ description: 'Waiting for their sending window (quiet hours)' }),
    open: z.int().meta({ description: "Claimed, SES's answer not yet recorded" }),
    throttled: z.int().meta({ description: 'Attempts SES throttled (each retried)' }),
    delivered: z.int(),
    bounced: z.int().meta({ description: 'Hard bounces (the addresses are suppressed)' }),
    complained: z.int(),
    opened: z.int(),
    clicked: z.int(),
    done: z.boolean().meta({ description: 'Every member has a record' }),
    doneAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'StepProgress' });

export const CampaignView = z
  .strictObject({
    campaignId: z.uuid(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    audienceIds: z.array(z.string()),
    steps: z.array(
      z.strictObject({
        step: z.int(),
        offerId: z.uuid(),
        version: z.int(),
        hash: z.string().nullable().meta({ description: 'The approved content, fixed at launch' }),
        waitDays: z.int().nullable(),
      }),
    ),
    currentStep: z.int(),
    signatory: Signatory,
    policy: SendPolicy,
    sendRate: z.number(),
    pauseAfterErrors: z.int(),
    deliverability: DeliverabilityGuard,
    pause: z
      .strictObject({ reason: z.enum(PAUSE_REASONS), at: z.iso.datetime(), by: z.string().nullable() })
      .nullable(),
    author: z.string(),
    createdAt: z.iso.datetime(),
    launchedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    progress: z.array(Progress),
    responses: z.int().meta({
      description:
        "Prospects who answered the campaign's letters (a lead or an enquiry each); they get no follow-up",
    }),
  })
  .meta({ id: 'Campaign' });

export const CampaignList = z
  .strictObject({
    campaigns: z.array(
      z.strictObject({
        campaignId: z.uuid(),
        name: z.string(),
        status: z.enum(CAMPAIGN_STATUSES),
        createdAt: z.iso.datetime(),
      }),
    ),
    next: z.string().nullable(),
  })
  .meta({ id: 'CampaignList' });

export function campaignView({ campaign, progress, responses }: CampaignState): z.infer<typeof CampaignView> {
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    status: campaign.status,
    audienceIds: campaign.audienceIds,
    steps: campaign.steps.map((s) => ({
      step: s.step,
      offerId: s.offerId,
      version: s.version,
      hash: s.hash ?? null,
      waitDays: s.waitDays ?? null,
    })),
    currentStep: campaign.currentStep,
    signatory: campaign.signatory,
    policy: campaign.policy,
    sendRate: campaign.sendRate,
    pauseAfterErrors: campaign.pauseAfterErrors,
    deliverability: campaign.deliverability ?? DEFAULT_GUARD,
    pause: campaign.pause ? { ...campaign.pause, by: campaign.pause.by ?? null } : null,
    author: campaign.author,
    createdAt: campaign.createdAt,
    launchedAt: campaign.launchedAt ?? null,
    endedAt: campaign.endedAt ?? null,
    progress: progress.map(({ cursor: _cursor, passDone, doneAt, ...p }) => ({
      ...p,
      done: passDone,
      doneAt: doneAt ?? null,
    })),
    responses,
  };
}
