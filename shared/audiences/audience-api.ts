import * as z from 'zod';
import { INDUSTRIES, SIZE_BANDS } from '../leads/lead-submission.ts';
import {
  AUDIENCE_STATUSES,
  type Audience,
  AudienceFilters,
  EditAudienceInput,
  NewAudienceInput,
} from './audience.ts';
import type { PreviewRow } from './keep-audiences.ts';

/**
 * The audiences API (`/v1/audiences`): campaign managers write, approve and discard audiences; compliance
 * officers and the head of unit read them. The rules are the domain's (docs/audiences.md); this module only
 * says what goes over HTTP.
 */

export const audiencePath = z.object({ audienceId: z.uuid() });

export const NewAudienceBody = NewAudienceInput.meta({
  id: 'NewAudience',
  description: 'A draft audience: its name and its filters over prospects',
});
export const EditAudienceBody = EditAudienceInput.meta({
  id: 'AudienceEdit',
  description: "A draft's new filters (all of them) and, if given, its new name",
});

export const AudienceView = z
  .strictObject({
    audienceId: z.uuid(),
    name: z.string(),
    filters: AudienceFilters,
    status: z.enum(AUDIENCE_STATUSES),
    author: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    approvedBy: z.string().nullable(),
    approvedAt: z.iso.datetime().nullable(),
    scoringVersion: z.string().nullable().meta({
      description: 'The scoring configuration the score filter is computed with, fixed at approval',
    }),
    progress: z
      .strictObject({ examined: z.int(), matched: z.int() })
      .nullable()
      .meta({ description: 'Since approval: the prospects walked and the members kept so far' }),
    count: z.int().nullable().meta({ description: 'Once frozen: the exact number of members' }),
    frozenAt: z.iso.datetime().nullable(),
    failure: z
      .strictObject({ error: z.string(), cause: z.string().optional(), at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'Why freezing stopped; approving again resumes it' }),
  })
  .meta({
    id: 'Audience',
    description: 'An audience: a draft, freezing, frozen (final), failed or discarded',
  });

export const audienceView = (a: Audience): z.input<typeof AudienceView> => ({
  audienceId: a.audienceId,
  name: a.name,
  filters: a.filters,
  status: a.status,
  author: a.author,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
  approvedBy: a.approvedBy ?? null,
  approvedAt: a.approvedAt ?? null,
  scoringVersion: a.scoringVersion ?? null,
  progress: a.progress ? { examined: a.progress.examined, matched: a.progress.matched } : null,
  count: a.count ?? null,
  frozenAt: a.frozenAt ?? null,
  failure: a.failure ?? null,
});

export const AudiencesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f-]{36}$/, 'the `next` of an earlier page')
    .optional(),
});

export const AudiencesPage = z
  .strictObject({ audiences: z.array(AudienceView), next: z.string().nullable() })
  .meta({ id: 'AudiencesPage', description: 'Audiences, newest first' });

export const PreviewQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(20) });

/** What a preview shows of a prospect: the company, never the contact. */
export const AudiencePreview = z
  .strictObject({
    prospects: z.array(
      z.strictObject({
        prospectId: z.string(),
        companyName: z.string(),
        regionCode: z.string(),
        industry: z.enum(INDUSTRIES).nullable(),
        sizeBand: z.enum(SIZE_BANDS).nullable(),
        score: z.number(),
      }),
    ),
    examined: z.int().meta({ description: 'How many prospects the preview looked at (at most 2,000)' }),
    complete: z.boolean().meta({ description: 'Whether it looked at every prospect' }),
  })
  .meta({
    id: 'AudiencePreview',
    description: 'The first matching prospects in prospect-id order: a glimpse, not a count',
  });

export const previewView = (rows: readonly PreviewRow[]) =>
  rows.map((p) => ({
    prospectId: p.prospectId,
    companyName: p.company.name,
    regionCode: p.company.regionCode,
    industry: p.company.industry ?? null,
    sizeBand: p.company.sizeBand ?? null,
    score: p.score,
  }));

export const MembersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'a prospect id')
    .optional(),
});

export const MembersPage = z
  .strictObject({ count: z.int(), prospectIds: z.array(z.string()), next: z.string().nullable() })
  .meta({ id: 'AudienceMembersPage', description: 'Members of a frozen audience by prospect id' });
