import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * The texts people consent to (issue 9, item 6; docs/consents.md). Each purpose has texts of its own,
 * versioned and immutable once published: evidence of a consent names the version and the hash of its
 * text, so what the person read can be shown years later. Since September 2025 the consent to personal
 * data processing must be a document separate from any other terms (152-FZ, art. 9): a text is for one
 * purpose, and the personal-data text is never bundled with the marketing or partner-sharing one.
 */

/**
 * What a person may consent to: processing of their personal data, marketing emails, sharing with partners,
 * and (a referred company) that the client who recommended the bank is told the company became a client.
 */
export const CONSENT_PURPOSES = [
  'personal_data_processing',
  'marketing',
  'partner_sharing',
  'referrer_notice',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A version id: lower-case letters, digits and dashes, e.g. `pd-2026-01`. */
export const TEXT_VERSION = /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

const LIMITS = { text: 20_000 } as const;

const text = z.string().trim().min(1).max(LIMITS.text);

/** The published wording in each language: Russian always, English when the bank offers it. */
export const ConsentWording = z
  .strictObject({ ru: text, en: text.optional() })
  .meta({ id: 'ConsentWording', description: 'The text as people read it: `ru` required, `en` optional' });
export type ConsentWording = z.infer<typeof ConsentWording>;

const ONE_PURPOSE =
  'A consent text is for exactly one purpose: the personal-data consent is a document of its own (152-FZ)';

/** What a compliance officer publishes. `purpose` is one value; a list of purposes is refused, with why. */
export const ConsentTextInput = z
  .strictObject({
    purpose: z.enum(CONSENT_PURPOSES, {
      error: (issue) => (Array.isArray(issue.input) ? ONE_PURPOSE : undefined),
    }),
    version: z
      .string()
      .regex(TEXT_VERSION, 'A version id has 3 to 50 lower-case letters, digits or dashes, e.g. pd-2026-01'),
    texts: ConsentWording,
  })
  .meta({
    id: 'NewConsentText',
    description: `A consent text to publish; immutable once published. ${ONE_PURPOSE}.`,
  });
export type ConsentTextInput = z.infer<typeof ConsentTextInput>;

/** A published text: its version, purpose, wording, the hash of the wording, who published it and when. */
export type ConsentText = ConsentTextInput & { hash: string; publishedBy: string; publishedAt: string };

/** JSON with keys sorted at every level: the same wording always has the same text to hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of the version's identity: its purpose, version id and wording in every language. Anyone
 * holding the text can recompute it, so the evidence proves which words the person was shown.
 */
export const consentTextHash = (t: ConsentTextInput): string =>
  createHash('sha256')
    .update(canonicalJson({ purpose: t.purpose, version: t.version, texts: t.texts }))
    .digest('hex');

/** The text a compliance officer publishes, with its hash; the schema's issues name the fields at fault. */
export function consentTextOf(
  input: unknown,
  by: string,
  at: Date,
): { ok: true; text: ConsentText } | { ok: false; error: z.ZodError } {
  const parsed = ConsentTextInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { purpose, version, texts } = parsed.data;
  const body = { purpose, version, texts };
  return {
    ok: true,
    text: { ...body, hash: consentTextHash(body), publishedBy: by, publishedAt: at.toISOString() },
  };
}
