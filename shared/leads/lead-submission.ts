import * as z from 'zod';
import { CONSENT_PURPOSES } from '../consents/consent-text.ts';
import { isValidInn } from './inn.ts';

export const PRODUCTS = [
  'settlement_account',
  'payroll',
  'acquiring',
  'credit',
  'deposits',
  'fx',
  'guarantees',
  'leasing',
  'cash_management',
] as const;
export type Product = (typeof PRODUCTS)[number];

export const CHANNELS = [
  'letter',
  'referral',
  'web',
  'open_day',
  'event',
  'personal_contact',
  'association',
  'import',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SIZE_BANDS = ['micro', 'small', 'medium', 'large'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

export const INDUSTRIES = [
  'manufacturing',
  'trade',
  'construction',
  'it',
  'transport',
  'agriculture',
  'services',
  'finance',
  'healthcare',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export { CONSENT_PURPOSES, type ConsentPurpose } from '../consents/consent-text.ts';

/** An Idempotency-Key: 1 to 255 visible ASCII characters (the route table publishes the same pattern). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const hasNoDuplicates = (items: readonly unknown[]) => new Set(items).size === items.length;

export const CompanyInfo = z
  .strictObject({
    name: z.string().trim().min(1).max(300),
    inn: z
      .string()
      .trim()
      // Abort here so a wrong length is not also reported as a wrong checksum.
      .regex(/^(\d{10}|\d{12})$/, { message: 'INN must be 10 or 12 digits', abort: true })
      .refine(isValidInn, 'INN checksum does not match')
      .meta({ description: 'Russian taxpayer number (ИНН): 10 digits for a company, 12 for a sole trader' }),
    sizeBand: z.enum(SIZE_BANDS).optional(),
    industry: z.enum(INDUSTRIES).optional(),
    website: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  })
  .meta({ id: 'LeadCompany', description: 'The company that enquires' });

export const ContactPerson = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    // Trim and lower-case before the format check, so duplicates match whatever the prospect typed.
    email: z.string().trim().toLowerCase().max(254).check(z.email()),
    phone: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, 'Phone must be in E.164 format, e.g. +74951234567')
      .optional(),
    position: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'LeadContact', description: 'The person the bank may call back' });

export const Consent = z
  .strictObject({
    purpose: z.enum(CONSENT_PURPOSES),
    granted: z.boolean(),
    textVersion: z.string().min(1).max(50).meta({
      description:
        'The published version of the text the person saw, for this purpose (GET /v1/consent-texts); an unknown one is a 400',
    }),
  })
  .meta({
    id: 'LeadConsent',
    description:
      'A consent the person gave or refused on the form (152-FZ): each purpose its own text, kept as evidence with its hash, time, address and user agent',
  });

const utmValue = z.string().max(200).optional();

/**
 * A page address as the bank keeps it: its origin and path only. A query string or a fragment may carry a
 * person's data (an address in `?email=`, a token after `#`), and what the bank learns from a page is
 * which page it was.
 */
export const originAndPath = (url: string): string => {
  // Checks go on after a failed one: what is no address is left for the refusal to name.
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : url;
};

const pageAddress = (description: string) =>
  z
    .url({ protocol: /^https?$/, normalize: true })
    .max(2048)
    .overwrite(originAndPath)
    .optional()
    .meta({ description });

/**
 * What the form may say about how the prospect came: UTM values, the page it came from and the page the
 * form sat on, and the codes its link carried. The
 * channel, campaign and referrer are the bank's to establish from those codes (shared/leads/attribution.ts):
 * a stranger's form cannot name them.
 */
export const LeadSource = z
  .strictObject({
    utm: z
      .strictObject({
        source: utmValue,
        medium: utmValue,
        campaign: utmValue,
        term: utmValue,
        content: utmValue,
      })
      .optional()
      .meta({ description: 'UTM values from the page address, kept for analytics; they decide nothing' }),
    referrer: pageAddress(
      'The page the visitor came from (`document.referrer`): http(s), up to 2048 characters; kept as origin and path, its query and fragment dropped',
    ),
    landingPage: pageAddress(
      "The bank's page the form sits on (`location.href`): http(s), up to 2048 characters; kept as origin and path, its query and fragment dropped",
    ),
    referralCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, 'A referral code has 4 to 64 letters, digits, _ or -')
      .optional()
      .meta({ description: "A client's referral code from a referral link; an unknown code is ignored" }),
    invitation: z.string().trim().max(2048).optional().meta({
      description:
        "The signed token from a letter's or an invitation's link; one that does not verify is ignored",
    }),
  })
  .meta({ id: 'LeadSource', description: 'How the prospect reached the form, as the page knows it' });

export const LeadSubmission = z
  .strictObject({
    company: CompanyInfo,
    contact: ContactPerson,
    products: z
      .array(z.enum(PRODUCTS))
      .min(1)
      .max(PRODUCTS.length)
      .refine(hasNoDuplicates, 'Each product may be listed only once'),
    message: z.string().max(4000).optional(),
    consents: z
      .array(Consent)
      .min(1)
      .max(10)
      .refine(
        (cs) => hasNoDuplicates(cs.map((c) => c.purpose)),
        'Each consent purpose may be listed only once',
      )
      // Without this consent the bank may not store the lead at all (152-FZ).
      .refine(
        (cs) => cs.some((c) => c.purpose === 'personal_data_processing' && c.granted),
        'Consent to personal data processing (personal_data_processing, granted: true) is required',
      ),
    source: LeadSource.default({}),
    fax: z.string().optional().meta({
      description:
        'Honeypot: hidden from people by the form and left empty; any value marks the submission as a bot',
    }),
  })
  .meta({ id: 'LeadSubmission', description: "A company's enquiry posted by a web form to POST /v1/leads" });
export type LeadSubmission = z.infer<typeof LeadSubmission>;

/** A bot filled the field that people never see. */
export const isHoneypotHit = (s: LeadSubmission): boolean => (s.fax ?? '') !== '';

/**
 * The submission as the public API description shows it: the honeypot is left out, so a bot reading the
 * document cannot learn which field to avoid. The handler still accepts (and quietly discards) it.
 */
export const PublishedLeadSubmission = LeadSubmission.omit({ fax: true }).meta({
  id: 'LeadSubmission',
  description: "A company's enquiry posted by a web form to POST /v1/leads",
});

export type FieldIssue = { path: string; message: string };

/** Zod issues as field paths a client can show next to its inputs, e.g. `company.inn`, `products.1`. */
export function formatIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported at the key itself, so a typo points at the field that has it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}
