import * as z from 'zod';
import type { Campaign, StepProgress } from './campaign.ts';
import type { CampaignProgress, Campaigns } from './ports.ts';

/**
 * The deliverability guard (issue 8, item 7; docs/campaigns.md, "Auto-pause"): once a campaign has sent
 * `minSample` letters, it pauses itself when hard bounces reach `bounceRate` or complaints `complaintRate`
 * of the letters sent. The bank's defaults sit below SES's own review levels (5% and 0.1%), which a campaign
 * may not set the guard at or above: the account is the bank's, not the campaign's.
 */
export const DeliverabilityGuard = z.strictObject({
  minSample: z.int().min(10).max(100_000).default(100),
  bounceRate: z.number().gt(0).lt(0.05).default(0.04),
  complaintRate: z.number().gt(0).lt(0.001).default(0.0008),
});
export type DeliverabilityGuard = z.output<typeof DeliverabilityGuard>;

export const DEFAULT_GUARD: DeliverabilityGuard = DeliverabilityGuard.parse({});

export type SendTotals = { sent: number; bounced: number; complained: number };

/** The campaign's letters over every step begun. */
export const totalsOf = (progress: readonly StepProgress[]): SendTotals =>
  progress.reduce(
    (t, p) => ({
      sent: t.sent + p.sent,
      bounced: t.bounced + p.bounced,
      complained: t.complained + p.complained,
    }),
    { sent: 0, bounced: 0, complained: 0 },
  );

/** Why the guard stops the campaign, if it does: bounces first, as SES reviews them first. */
export function breachOf(
  totals: SendTotals,
  guard: DeliverabilityGuard,
): 'bounces' | 'complaints' | undefined {
  if (totals.sent < guard.minSample) return undefined;
  if (totals.bounced / totals.sent >= guard.bounceRate) return 'bounces';
  if (totals.complained / totals.sent >= guard.complaintRate) return 'complaints';
  return undefined;
}

/** The progress of each step the campaign has begun (a step not begun has none). */
export async function progressOfSteps(
  progress: CampaignProgress,
  campaign: Pick<Campaign, 'campaignId' | 'steps'>,
): Promise<StepProgress[]> {
  const read: StepProgress[] = [];
  for (const { step } of campaign.steps) {
    const p = await progress.progress(campaign.campaignId, step);
    if (p) read.push(p);
  }
  return read;
}

export type GuardDeps = { campaigns: Campaigns; progress: CampaignProgress; now: () => Date };

/**
 * Pauses a running campaign whose rates passed the guard, with the reason; answers the reason when the
 * campaign is paused for it now (or was already), else nothing.
 */
export async function guardDeliverability(
  deps: GuardDeps,
  campaign: Pick<Campaign, 'campaignId' | 'status' | 'steps' | 'deliverability'>,
  /** The steps' progress, when the caller has just read it. */
  read?: StepProgress[],
): Promise<'bounces' | 'complaints' | undefined> {
  if (campaign.status !== 'running') return undefined;
  const progress = read ?? (await progressOfSteps(deps.progress, campaign));
  const reason = breachOf(totalsOf(progress), campaign.deliverability ?? DEFAULT_GUARD);
  if (!reason) return undefined;
  const at = deps.now().toISOString();
  await deps.campaigns.transition(
    campaign.campaignId,
    { from: ['running'], set: { status: 'paused', pause: { reason, at } } },
    at,
  );
  return reason;
}
