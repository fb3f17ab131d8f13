import * as z from 'zod';
import { SendPolicy } from '../letters/suppression.ts';
import { DEFAULT_GUARD, DeliverabilityGuard } from './deliverability.ts';

/**
 * A letter campaign (issue 8, item 4; docs/campaigns.md): approved offers sent to frozen audiences, one
 * step after another, at a configured rate, pausable at any moment. Every recipient of every step ends
 * sent, skipped with its reason or failed with its reason; progress is counted as it happens.
 */

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'cancelled', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Why a campaign stopped sending before its end: a person asked, or a guard tripped. */
export const PAUSE_REASONS = [
  'by_manager',
  'send_errors',
  'ses_refused',
  'run_failed',
  'bounces',
  'complaints',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const CampaignId = z.uuid();
const ResourceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, _ or -');

/** Who signs the letters: the person prospects answer (the offer's `manager*` variables). */
export const Signatory = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,20}$/, 'a phone number, e.g. +7 495 123-45-67'),
});

/** One letter of the campaign: an offer's version, and for a follow-up, how long after the step before. */
export const StepInput = z.strictObject({
  offerId: z.uuid(),
  version: z.int().min(1),
  /** Days after the previous step ended (follow-ups only). */
  waitDays: z.int().min(1).max(90).optional(),
});

/** Letters per second this campaign may send: the account's quota still bounds all campaigns together. */
export const SendRate = z.number().min(0.1).max(500);

export const NewCampaignInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    audienceIds: z
      .array(ResourceId)
      .min(1)
      .max(5)
      .refine((ids) => new Set(ids).size === ids.length, 'each audience once'),
    steps: z.array(StepInput).min(1).max(2),
    signatory: Signatory,
    policy: SendPolicy.optional(),
    sendRate: SendRate.default(10),
    /** Auto-pause once this many letters of the campaign failed to send. */
    pauseAfterErrors: z.int().min(1).max(10_000).default(25),
    /** Auto-pause on hard bounces or complaints (shared/campaigns/deliverability.ts). */
    deliverability: DeliverabilityGuard.default(DEFAULT_GUARD),
  })
  .superRefine((c, ctx) => {
    c.steps.forEach((step, i) => {
      if (i === 0 && step.waitDays !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', 0, 'waitDays'],
          message: 'the first step has no wait',
        });
      if (i > 0 && step.waitDays === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'waitDays'],
          message: 'a follow-up needs its wait',
        });
    });
  });
export type NewCampaignInput = z.input<typeof NewCampaignInput>;

/** A step as kept: numbered from 1; `hash` is the approved content's, fixed at launch and checked at send. */
export type CampaignStep = {
  step: number;
  offerId: string;
  version: number;
  hash?: string;
  waitDays?: number;
};

export type CampaignPause = { reason: PauseReason; at: string; by?: string };

export type Campaign = {
  campaignId: string;
  name: string;
  audienceIds: string[];
  steps: CampaignStep[];
  signatory: z.infer<typeof Signatory>;
  policy: SendPolicy;
  sendRate: number;
  pauseAfterErrors: number;
  /** Absent on campaigns written before the guard: the bank's defaults apply. */
  deliverability?: DeliverabilityGuard;
  status: CampaignStatus;
  /** The execution that sends: `<campaignId>-<run>`; a resume starts the next run. */
  run: number;
  author: string;
  createdAt: string;
  updatedAt: string;
  launchedAt?: string;
  endedAt?: string;
  pause?: CampaignPause;
  /** The letters of the current step go out until this step is done; then the next, after its wait. */
  currentStep: number;
};

/** Where a step's pass stands: the next audience member to handle, or done. */
export type StepCursor = { audience: number; after?: string };

/** What happened to the recipients of one step so far. `open`: claimed, SES's answer not yet recorded. */
export type StepProgress = {
  step: number;
  total: number;
  sent: number;
  failed: number;
  skipped: Record<string, number>;
  deferred: number;
  open: number;
  throttled: number;
  /** What SES said of the letters sent (docs/letters.md, "Deliverability events"). */
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
  clicked: number;
  cursor?: StepCursor;
  passDone: boolean;
  doneAt?: string;
};

/** What a campaign has done so far: each step's progress, and how many prospects answered its letters. */
export type CampaignState = { campaign: Campaign; progress: StepProgress[]; responses: number };

/** What a recipient's record of one step says: the outcome, or that the send is claimed and under way. */
export type SendOutcome =
  | { status: 'claimed'; at: string }
  | { status: 'sent'; at: string; messageId: string }
  | { status: 'skipped'; at: string; reason: string }
  | { status: 'failed'; at: string; reason: string }
  | { status: 'deferred'; at: string; retryAt: string };

/** One recipient's letter of one step, as recorded: exactly one record per prospect, step and campaign. */
export type SendRecord = SendOutcome & {
  campaignId: string;
  step: number;
  prospectId: string;
  /** Which of the campaign's audiences the member was met on (by its place in `audienceIds`). */
  audience?: number;
  addressHash?: string;
  /** The content sent: the offer version and its hash, as approved. */
  offer?: { offerId: string; version: number; hash: string };
};

/** Skip reasons of the campaign itself, beside suppression's (shared/letters/suppression.ts). */
export const CAMPAIGN_SKIP_REASONS = ['not_a_prospect', 'repeated_member', 'responded'] as const;
