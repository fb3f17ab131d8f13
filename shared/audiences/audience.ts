import * as z from 'zod';
import { INDUSTRIES, SIZE_BANDS } from '../leads/lead-submission.ts';
import { scoreLead, scoringInputOf } from '../leads/scoring.ts';
import type { ScoringConfig } from '../leads/scoring-config.ts';
import type { Prospect } from '../prospects/prospect.ts';
import { Tag } from '../prospects/prospect.ts';
import { isRegionCode } from '../prospects/regions.ts';

/**
 * An audience: the prospects a letter campaign writes to, chosen by filters (issue 8, item 2;
 * docs/audiences.md). A draft's filters may change; approval freezes it: a job walks every prospect once,
 * keeps the members, and from then on its count and members never change.
 */

export const AUDIENCE_STATUSES = ['draft', 'discarded', 'freezing', 'frozen', 'failed'] as const;
export type AudienceStatus = (typeof AUDIENCE_STATUSES)[number];

const anyOf = <T extends z.ZodType>(value: T) => z.array(value).min(1).max(100);

const RegionCode = z.string().refine(isRegionCode, 'not a Russian region code (01-95 or 99)');

/**
 * Every filter is optional and the filters are ANDed; the values within one filter are ORed. A prospect
 * that lacks the field a filter reads (no industry given) does not pass that filter.
 */
export const AudienceFilters = z
  .strictObject({
    industry: anyOf(z.enum(INDUSTRIES)).optional(),
    regionCode: anyOf(RegionCode).optional(),
    sizeBand: anyOf(z.enum(SIZE_BANDS)).optional(),
    tags: z
      .strictObject({ anyOf: anyOf(Tag).optional(), allOf: anyOf(Tag).optional() })
      .refine((t) => t.anyOf || t.allOf, 'give anyOf, allOf or both')
      .optional(),
    /** The score the prospect would get as a `letter` lead, inclusive bounds. */
    score: z
      .strictObject({
        min: z.number().min(0).max(100).optional(),
        max: z.number().min(0).max(100).optional(),
      })
      .refine((s) => s.min !== undefined || s.max !== undefined, 'give min, max or both')
      .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, {
        message: 'min must not be above max',
        path: ['min'],
      })
      .optional(),
    /** true: only prospects whose marketing consent is recorded; false: only those without. */
    marketingConsent: z.boolean().optional(),
    /**
     * The latest letter counted for the prospect's address: `after` <= it < `before`, or `never` (no letter
     * in the send counter's 90 days). Given together, either passes.
     */
    lastContacted: z
      .strictObject({
        before: z.iso.datetime({ offset: true }).optional(),
        after: z.iso.datetime({ offset: true }).optional(),
        never: z.literal(true).optional(),
      })
      .refine((c) => c.before || c.after || c.never, 'give before, after, never, or a mix')
      .refine((c) => !c.before || !c.after || Date.parse(c.after) < Date.parse(c.before), {
        message: 'after must be earlier than before',
        path: ['after'],
      })
      .optional(),
  })
  .meta({ id: 'AudienceFilters', description: 'Filters over prospects: all optional, ANDed; values ORed' });
export type AudienceFilters = z.infer<typeof AudienceFilters>;

export const AudienceName = z.string().trim().min(1).max(200);

/** A new audience as a campaign manager writes it: a draft. */
export const NewAudienceInput = z.strictObject({ name: AudienceName, filters: AudienceFilters });
export const EditAudienceInput = z.strictObject({ filters: AudienceFilters, name: AudienceName.optional() });

/** Why a freezing job stopped for good; the audience keeps it. */
export type FreezingFailure = { error: string; cause?: string; at: string };

export type Audience = {
  audienceId: string;
  name: string;
  filters: AudienceFilters;
  status: AudienceStatus;
  author: string;
  createdAt: string;
  updatedAt: string;
  /** Set on approval. */
  approvedBy?: string;
  approvedAt?: string;
  /** The scoring configuration the score filter is computed with, fixed at approval. */
  scoringVersion?: string;
  /** Freezing runs started: 1 on approval, one more each time a failed freezing is resumed. */
  runs?: number;
  /** While freezing and after: the prospects walked so far, the members kept so far, where the walk stands. */
  progress?: { examined: number; matched: number; cursor: string };
  /** Once frozen: the exact number of members, and when they became final. */
  count?: number;
  frozenAt?: string;
  failure?: FreezingFailure;
};

/** What a filter reads about a prospect besides the prospect itself. */
export type ProspectFacts = {
  /** The lead score the prospect would get responding to a letter. */
  score: number;
  /** When the latest letter counted for the prospect's address was sent; absent when none was. */
  lastContactedAt?: string;
};

/** The fields matching and scoring read; an index of prospects holds these. */
export type WalkedProspect = Pick<
  Prospect,
  'prospectId' | 'company' | 'contact' | 'tags' | 'marketingConsent'
>;

/**
 * The score of the prospect as a `letter` lead with its company facts and no products or message: what
 * the lead scoring (shared/leads/scoring.ts) would give if the prospect answered a letter now.
 */
export function prospectScore(prospect: WalkedProspect, config: ScoringConfig): number {
  const input = scoringInputOf({
    company: prospect.company,
    contact: prospect.contact,
    products: [],
    attribution: { channel: 'letter' },
  });
  return scoreLead(input, config).total;
}

const within = <T>(values: readonly T[] | undefined, value: T | undefined) =>
  values === undefined || (value !== undefined && values.includes(value));

/** Whether the prospect passes every filter given. Pure. */
export function matches(prospect: WalkedProspect, facts: ProspectFacts, filters: AudienceFilters): boolean {
  const { company } = prospect;
  if (!within(filters.industry, company.industry)) return false;
  if (!within(filters.regionCode, company.regionCode)) return false;
  if (!within(filters.sizeBand, company.sizeBand)) return false;
  if (filters.tags) {
    const { anyOf: some, allOf: all } = filters.tags;
    if (some && !some.some((t) => prospect.tags.includes(t))) return false;
    if (all && !all.every((t) => prospect.tags.includes(t))) return false;
  }
  if (filters.score) {
    const { min, max } = filters.score;
    if (min !== undefined && facts.score < min) return false;
    if (max !== undefined && facts.score > max) return false;
  }
  if (
    filters.marketingConsent !== undefined &&
    prospect.marketingConsent.granted !== filters.marketingConsent
  ) {
    return false;
  }
  if (filters.lastContacted) return contactedAsAsked(filters.lastContacted, facts.lastContactedAt);
  return true;
}

function contactedAsAsked(asked: NonNullable<AudienceFilters['lastContacted']>, at: string | undefined) {
  if (at === undefined) return asked.never === true;
  if (!asked.before && !asked.after) return false;
  const t = Date.parse(at);
  if (asked.after && t < Date.parse(asked.after)) return false;
  if (asked.before && t >= Date.parse(asked.before)) return false;
  return true;
}

/** Whether a filter needs the send counter (one batched read per page of prospects). */
export const readsLastContact = (filters: AudienceFilters) => filters.lastContacted !== undefined;

/** Where a walk of the prospects starts, and the cursor it ends with. */
export const WALK_START = '0';
export const WALK_END = 'end';
