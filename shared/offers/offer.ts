import * as z from 'zod';
import { sha256 } from '../leads/lead.ts';
import { placeholdersOf } from '../templates/render.ts';
import { HTML_REASONS, htmlPolicyProblems } from './html-policy.ts';

/**
 * An offer: the letter with a cooperation offer a campaign manager writes and a compliance officer approves
 * before it is sent (DESIGN.md, direct attraction; docs/offers.md). Its content lives in numbered, immutable
 * versions; a version's content hash is what an approval binds and what the send checks.
 */

/**
 * What a letter may say about its recipient and who signs it. Every value always exists for a recipient
 * (an optional field such as the contact's position would otherwise leave a blank in the letter).
 */
export const OFFER_VARIABLES = ['company', 'contact', 'manager', 'managerEmail', 'managerPhone'] as const;
export type OfferVariable = (typeof OFFER_VARIABLES)[number];

/** In characters. The HTML bound keeps a letter under the ~100 KB at which mail clients clip a message. */
export const OFFER_LIMITS = { name: 200, subject: 200, html: 90_000, text: 50_000, reason: 2_000 } as const;

export const OFFER_REASONS = [
  'required',
  'too_long',
  'invalid_type',
  'unknown_key',
  'unknown_variable',
  'unbalanced_brace',
  'line_break',
  ...HTML_REASONS,
] as const;
export type OfferReason = (typeof OFFER_REASONS)[number];

const isVariable = (name: string): name is OfferVariable =>
  (OFFER_VARIABLES as readonly string[]).includes(name);

/** `{name}` with an unknown name, or a brace that is part of no `{name}` (no literal braces: no CSS blocks). */
function variableProblems(template: string): { reason: OfferReason; message: string }[] {
  const unknown = [...new Set(placeholdersOf(template).filter((name) => !isVariable(name)))];
  const problems: { reason: OfferReason; message: string }[] = unknown.map((name) => ({
    reason: 'unknown_variable',
    message: `{${name}} is no variable: use ${OFFER_VARIABLES.map((v) => `{${v}}`).join(', ')}`,
  }));
  const rest = template.replace(/\{\w+\}/g, '');
  const stray = rest.search(/[{}]/);
  if (stray !== -1) {
    problems.push({
      reason: 'unbalanced_brace',
      message: `"${rest[stray]}" is part of no {variable}: a variable is a name in braces, and braces are not text`,
    });
  }
  return problems;
}

/** A template checked for its variables (and, for the HTML body, the HTML policy); blank is empty. */
function template(kind: 'subject' | 'html' | 'text') {
  return z
    .string()
    .trim()
    .min(1, { message: `the ${kind === 'subject' ? 'subject' : `${kind} body`} is empty` })
    .max(OFFER_LIMITS[kind])
    .superRefine((value, ctx) => {
      const add = (reason: OfferReason, message: string) =>
        ctx.addIssue({ code: 'custom', message, params: { reason } });
      for (const p of variableProblems(value)) add(p.reason, p.message);
      if (kind === 'subject' && /[\r\n]/.test(value)) add('line_break', 'a subject is one line');
      if (kind === 'html') {
        for (const p of htmlPolicyProblems(value)) add(p.reason, `${p.message} (at character ${p.at})`);
      }
    });
}

/** One language's letter: the subject, the HTML body and the text body (for clients that show no HTML). */
export const LetterContent = z.strictObject({
  subject: template('subject'),
  html: template('html'),
  text: template('text'),
});
export type LetterContent = z.output<typeof LetterContent>;

/** Russian always (the bank's language); English where the version has it, for prospects who read English. */
export const OfferContent = z.strictObject({ ru: LetterContent, en: LetterContent.optional() });
export type OfferContent = z.output<typeof OfferContent>;

export const OfferName = z.string().trim().min(1).max(OFFER_LIMITS.name);

/** A new offer as its author sends it: a name and the content of version 1. */
export const NewOfferInput = z.strictObject({ name: OfferName, content: OfferContent });
export type NewOfferInput = z.input<typeof NewOfferInput>;

/** An edit: the content of a new version, and the version it was made from (the latest, or it is refused). */
export const NewVersionInput = z.strictObject({ basedOn: z.int().min(1), content: OfferContent });
export type NewVersionInput = z.input<typeof NewVersionInput>;

export const RejectionReason = z.string().trim().min(1).max(OFFER_LIMITS.reason);

/** A compliance officer's decision on one version, bound to the hash of the content they read. */
export type Decision =
  | { outcome: 'approved'; by: string; at: string; hash: string }
  | { outcome: 'rejected'; by: string; at: string; hash: string; reason: string };

/** A saved version: never changed afterwards, except that it gets its one decision. */
export type OfferVersion = {
  offerId: string;
  version: number;
  content: OfferContent;
  hash: string;
  author: string;
  savedAt: string;
  decision?: Decision;
};

/** The approved version a campaign may send: its number and the hash the send checks. */
export type ApprovedPointer = { version: number; hash: string; by: string; at: string };

export type Offer = {
  offerId: string;
  name: string;
  /** The campaign manager who created it; each version has its own author. */
  author: string;
  createdAt: string;
  latestVersion: number;
  /** Set only while the latest version is approved: a new version takes it away until approved in turn. */
  approved?: ApprovedPointer;
};

export const AUDIT_ACTIONS = ['created', 'version_saved', 'approved', 'rejected'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did what to an offer and when, to which version (its number and hash); `created` is version 1's. */
export type OfferAuditEntry = {
  auditId: string;
  offerId: string;
  at: string;
  by: string;
  action: AuditAction;
  version: number;
  hash: string;
  /** A rejection's reason. */
  reason?: string;
};

/** JSON with keys sorted at every level and no whitespace: the same content always has the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A version's identity for approval: SHA-256 (hex) of its content's canonical JSON. */
export const contentHash = (content: OfferContent): string => sha256(canonicalJson(content));

/** One refused field of an offer: the path (`content.ru.html`), a reason code and the message. */
export type OfferProblem = { path: string; reason: OfferReason; message: string };

function reasonOf(issue: z.core.$ZodIssue): OfferReason {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'invalid_type';
    case 'too_small':
      return 'required';
    case 'too_big':
      return 'too_long';
    case 'unrecognized_keys':
      return 'unknown_key';
    case 'custom':
      return (issue.params as { reason?: OfferReason } | undefined)?.reason ?? 'invalid_type';
    default:
      return 'invalid_type';
  }
}

export const problemsOf = (error: z.ZodError): OfferProblem[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    reason: reasonOf(issue),
    message: issue.message,
  }));
