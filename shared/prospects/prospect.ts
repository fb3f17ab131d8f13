import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { regionCodeOfInn } from '../leads/inn.ts';
import { sha256 } from '../leads/lead.ts';
import { CompanyInfo, ContactPerson } from '../leads/lead-submission.ts';
import { WorkingHours } from '../managers/roster.ts';
import { DEFAULT_LOCALE, LOCALES } from '../templates/locale.ts';
import { isRegionCode, timeZoneOfRegion } from './regions.ts';

/**
 * A prospect: a company and the person in it the bank may write to with a cooperation offer (DESIGN.md,
 * direct attraction). The company and the contact are checked by the lead form's own schemas, so an INN,
 * an email or an industry is refused in the same words whichever way it reaches Attract.
 */

const RegionCode = z
  .string()
  .trim()
  .refine(isRegionCode, 'not a Russian region code (01-95 or 99, as an INN begins)');

/** КПП: tax office (4 digits), reason (2 digits or capital Latin letters), number (3 digits). */
const Kpp = z
  .string()
  .trim()
  .regex(/^\d{4}[\dA-Z]{2}\d{3}$/, 'KPP must be 9 characters: 4 digits, 2 digits or letters A-Z, 3 digits');

const ProspectCompany = CompanyInfo.extend({ kpp: Kpp.optional(), regionCode: RegionCode.optional() });

export const MAX_TAGS = 20;
export const Tag = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a tag is 1 to 32 lower-case Latin letters, digits, _ or -');

/**
 * The lawful basis for a letter: whether the person agreed to receive offers, and the evidence (where and
 * when they agreed). Consent granted without its source and date is no evidence, so it is refused rather
 * than stored as granted. Absent means not granted: send-time suppression skips the prospect wherever
 * consent is required.
 */
export const MarketingConsent = z
  .strictObject({
    granted: z.boolean(),
    source: z.string().trim().min(1).max(200).optional(),
    date: z.iso.date().optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.granted) return;
    for (const key of ['source', 'date'] as const) {
      if (c[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `granted consent needs its ${key}: without it the consent proves nothing`,
          params: { reason: 'consent_evidence' },
        });
      }
    }
  });
export type MarketingConsent = z.infer<typeof MarketingConsent>;

export const ImportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, _ or -');

/** Where a prospect came from: the import and the file's line (for JSON arrays, the item's number). */
export const ProspectSource = z.strictObject({ importId: ImportId, line: z.int().min(1) });
export type ProspectSource = z.infer<typeof ProspectSource>;

/** A prospect's fields as a file gives them: the region, zone, language, tags and consent have defaults. */
export const ProspectFields = z
  .strictObject({
    company: ProspectCompany,
    contact: ContactPerson,
    language: z.enum(LOCALES).default(DEFAULT_LOCALE),
    timeZone: WorkingHours.shape.timeZone.optional(),
    tags: z
      .array(Tag)
      .max(MAX_TAGS)
      .default([])
      .transform((tags) => [...new Set(tags)]),
    marketingConsent: MarketingConsent.default({ granted: false }),
  })
  .superRefine(
    (p, ctx) => {
      // Run even when other fields fail, so a row gets every reason at once: the values may be of any shape.
      const company: { inn?: unknown; kpp?: unknown; regionCode?: unknown } = p?.company ?? {};
      const inn = typeof company.inn === 'string' && /^(\d{10}|\d{12})$/.test(company.inn) ? company.inn : '';
      // A sole trader (12-digit INN) is a person, not an organisation: it has no KPP.
      if (company.kpp !== undefined && inn.length === 12) {
        ctx.addIssue({
          code: 'custom',
          path: ['company', 'kpp'],
          message: 'a sole trader (12-digit INN) has no KPP',
          params: { reason: 'kpp_for_sole_trader' },
        });
      }
      if (company.regionCode === undefined && inn !== '' && !isRegionCode(inn.slice(0, 2))) {
        ctx.addIssue({
          code: 'custom',
          path: ['company', 'regionCode'],
          message: "the INN's first two digits are no region code: give the region",
          params: { reason: 'unknown_region' },
        });
      }
    },
    { when: () => true },
  );
export type ProspectFields = z.output<typeof ProspectFields>;
export type ProspectFieldsInput = z.input<typeof ProspectFields>;

/** A prospect as kept: its id, every default applied, and its source. */
export const Prospect = z.strictObject({
  prospectId: z.string().regex(/^[0-9a-f]{32}$/),
  company: ProspectCompany.extend({ regionCode: RegionCode }),
  contact: ContactPerson,
  language: z.enum(LOCALES),
  timeZone: WorkingHours.shape.timeZone,
  tags: z.array(Tag).max(MAX_TAGS),
  marketingConsent: MarketingConsent,
  source: ProspectSource,
});
export type Prospect = z.infer<typeof Prospect>;

/**
 * The same person at the same company is the same prospect, whichever file or line brings them: the id is
 * made from the keyed hashes of the INN and the email that lead duplicates use (shared/leads/lead.ts), so it
 * holds neither in clear and cannot be traced back by hashing every INN without the bank's key. Both are
 * normalised first (trimmed, the email lower-cased), as the schemas do.
 */
export function prospectIdOf(keys: Keys, inn: string, email: string): string {
  const innHash = keys.hash('inn', inn.trim());
  const emailHash = keys.hash('email', email.trim().toLowerCase());
  return sha256(`prospect:${innHash}:${emailHash}`).slice(0, 32);
}

/** The prospect to keep from checked fields: the region from the INN and the zone from the region by default. */
export function toProspect(keys: Keys, fields: ProspectFields, source: ProspectSource): Prospect {
  const regionCode = fields.company.regionCode ?? regionCodeOfInn(fields.company.inn);
  return {
    prospectId: prospectIdOf(keys, fields.company.inn, fields.contact.email),
    company: { ...fields.company, regionCode },
    contact: fields.contact,
    language: fields.language,
    timeZone: fields.timeZone ?? timeZoneOfRegion(regionCode),
    tags: fields.tags,
    marketingConsent: fields.marketingConsent,
    source,
  };
}

/**
 * The model's fields as a column mapping names them, each with its place in ProspectFields. A file is flat,
 * so the mapping is too; a row's reasons name these fields.
 */
export const FIELD_PATHS = {
  companyName: ['company', 'name'],
  inn: ['company', 'inn'],
  kpp: ['company', 'kpp'],
  sizeBand: ['company', 'sizeBand'],
  industry: ['company', 'industry'],
  regionCode: ['company', 'regionCode'],
  website: ['company', 'website'],
  contactName: ['contact', 'name'],
  position: ['contact', 'position'],
  email: ['contact', 'email'],
  phone: ['contact', 'phone'],
  language: ['language'],
  timeZone: ['timeZone'],
  tags: ['tags'],
  consentGranted: ['marketingConsent', 'granted'],
  consentSource: ['marketingConsent', 'source'],
  consentDate: ['marketingConsent', 'date'],
} as const satisfies Record<string, readonly string[]>;
export type ProspectField = keyof typeof FIELD_PATHS;
export const PROSPECT_FIELDS = Object.keys(FIELD_PATHS) as ProspectField[];

/** Fields without which there is no prospect: a file's mapping must name a column for each. */
export const REQUIRED_FIELDS: readonly ProspectField[] = ['companyName', 'inn', 'contactName', 'email'];

/**
 * Why a row was refused (or, for `formula_like`, what to look at in a row that was kept). The console
 * translates codes; the English message says the same for the API's readers today.
 */
export const ROW_REASON_CODES = [
  'required',
  'invalid_type',
  'invalid_format',
  'unknown_value',
  'too_long',
  'too_many',
  'inn_checksum',
  'kpp_for_sole_trader',
  'unknown_region',
  'unknown_time_zone',
  'consent_evidence',
  'duplicate',
  'malformed_json',
  'not_an_object',
  'existing_client',
  'formula_like',
] as const;
export type RowReasonCode = (typeof ROW_REASON_CODES)[number];

/** `field` is the model's flat field name, '' for the row as a whole. */
export type RowReason = { field: ProspectField | ''; code: RowReasonCode; message: string };

const fieldAt = (path: readonly PropertyKey[]): ProspectField | '' => {
  const key = path.map(String).join('.');
  for (const field of PROSPECT_FIELDS) {
    const at = FIELD_PATHS[field].join('.');
    if (key === at || key.startsWith(`${at}.`)) return field;
  }
  return '';
};

/** A zod issue of ProspectFields as a row reason. */
function reasonOf(issue: z.core.$ZodIssue): RowReason {
  const field = fieldAt(issue.path);
  const message = issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return { field, code: issue.input === undefined ? 'required' : 'invalid_type', message };
    case 'invalid_value':
      return { field, code: 'unknown_value', message };
    case 'invalid_format':
      return { field, code: 'invalid_format', message };
    case 'too_big':
      return { field, code: issue.origin === 'array' ? 'too_many' : 'too_long', message };
    case 'too_small':
      return {
        field,
        code: issue.origin === 'string' && issue.minimum === 1 ? 'required' : 'invalid_format',
        message,
      };
    case 'custom': {
      const reason = (issue.params as { reason?: RowReasonCode } | undefined)?.reason;
      if (reason) return { field, code: reason, message };
      // The lead form's refinements: the INN checksum, a region code, an IANA zone.
      if (field === 'inn') return { field, code: 'inn_checksum', message };
      if (field === 'regionCode') return { field, code: 'unknown_region', message };
      if (field === 'timeZone') return { field, code: 'unknown_time_zone', message };
      return { field, code: 'invalid_format', message };
    }
    default:
      return { field, code: 'invalid_format', message };
  }
}

export const reasonsOf = (error: z.ZodError): RowReason[] => error.issues.map(reasonOf);
