import * as z from 'zod';
import { LOCALES } from '../templates/locale.ts';
import {
  AUDIT_ACTIONS,
  NewOfferInput,
  NewVersionInput,
  OFFER_LIMITS,
  OFFER_VARIABLES,
  OfferContent,
  type OfferVersion,
} from './offer.ts';

/**
 * The offers API (`/v1/offers`): campaign managers write offers and their versions, compliance officers
 * approve or reject a version, both read them, preview them and read their audit trail. The rules are the
 * domain's (docs/offers.md); this module only says what goes over HTTP.
 */

export const offerPath = z.object({ offerId: z.uuid() });
export const versionPath = z.object({ offerId: z.uuid(), version: z.coerce.number().int().min(1) });

export const NewOfferBody = NewOfferInput.meta({
  id: 'NewOffer',
  description:
    'An offer and its first version: a subject, an HTML and a text body in Russian, English if wanted',
});
export const NewVersionBody = NewVersionInput.meta({
  id: 'NewOfferVersion',
  description: 'An edit: the version it was made from (still the latest) and the whole new content',
});

export const OfferDecisionBody = z
  .discriminatedUnion('outcome', [
    z.strictObject({ outcome: z.literal('approved'), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
    z.strictObject({
      outcome: z.literal('rejected'),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      reason: z.string().trim().min(1).max(OFFER_LIMITS.reason),
    }),
  ])
  .meta({
    id: 'OfferDecision',
    description: 'A compliance decision on one version, bound to the hash of the content the officer read',
  });

/** A sample recipient for a preview: every variable a letter may use, and the language to read it in. */
export const PreviewBody = z
  .strictObject({
    language: z.enum(LOCALES).default('ru'),
    recipient: z.strictObject(
      Object.fromEntries(OFFER_VARIABLES.map((v) => [v, z.string().trim().min(1).max(200)])) as Record<
        (typeof OFFER_VARIABLES)[number],
        z.ZodString
      >,
    ),
  })
  .meta({ id: 'OfferPreviewRequest', description: 'Whom to preview the letter for' });

const Decision = z.strictObject({
  outcome: z.enum(['approved', 'rejected']),
  by: z.string(),
  at: z.iso.datetime(),
  hash: z.string(),
  reason: z.string().optional(),
});

export const OfferVersionView = z
  .strictObject({
    offerId: z.uuid(),
    version: z.number().int(),
    content: OfferContent,
    hash: z.string(),
    author: z.string(),
    savedAt: z.iso.datetime(),
    decision: Decision.nullable(),
  })
  .meta({ id: 'OfferVersion', description: 'A version as saved, never changed, with its decision if any' });

export const OfferView = z
  .strictObject({
    offerId: z.uuid(),
    name: z.string(),
    author: z.string(),
    createdAt: z.iso.datetime(),
    latestVersion: z.number().int(),
    approved: z
      .strictObject({ version: z.number().int(), hash: z.string(), by: z.string(), at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'The version campaigns may send; none while the latest awaits approval' }),
    latest: OfferVersionView,
  })
  .meta({ id: 'Offer', description: 'An offer, its latest version, and which version is approved' });

export const SavedVersion = z
  .strictObject({ offerId: z.uuid(), version: z.number().int(), hash: z.string() })
  .meta({ id: 'SavedOfferVersion', description: 'Saved; it awaits a compliance decision' });

export const RecordedDecision = z
  .strictObject({ offerId: z.uuid(), version: z.number().int(), outcome: z.enum(['approved', 'rejected']) })
  .meta({ id: 'RecordedOfferDecision' });

export const OfferPreview = z
  .strictObject({
    offerId: z.uuid(),
    version: z.number().int(),
    hash: z.string(),
    language: z.enum(LOCALES),
    subject: z.string(),
    html: z.string(),
    text: z.string(),
  })
  .meta({ id: 'OfferPreview', description: 'Exactly the letter this recipient would get from this version' });

export const OfferAuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(200).optional(),
});

export const OfferAuditPage = z
  .strictObject({
    entries: z.array(
      z.strictObject({
        at: z.iso.datetime(),
        by: z.string(),
        action: z.enum(AUDIT_ACTIONS),
        version: z.number().int(),
        hash: z.string(),
        reason: z.string().optional(),
      }),
    ),
    next: z.string().nullable(),
  })
  .meta({ id: 'OfferAuditPage', description: 'Who did what to the offer and when, oldest first' });

export const versionView = (v: OfferVersion): z.input<typeof OfferVersionView> => ({
  offerId: v.offerId,
  version: v.version,
  content: v.content,
  hash: v.hash,
  author: v.author,
  savedAt: v.savedAt,
  decision: v.decision ?? null,
});
