import * as z from 'zod';
import { CHANNELS } from '../leads/lead-submission.ts';
import { CONSENT_PURPOSES, ConsentTextInput, ConsentWording, TEXT_VERSION } from './consent-text.ts';
import { type ConsentEvidence, EVIDENCE_ACTIONS, WITHDRAWAL_CHANNELS } from './evidence.ts';
import { WITHDRAWAL_SCOPES } from './withdraw.ts';

/**
 * The consents API (docs/consents.md): compliance officers publish and read the consent texts, withdraw a
 * person's consent on their behalf and read a person's consent history. The rules are the domain's; this
 * module only says what goes over HTTP.
 */

export const NewConsentTextBody = ConsentTextInput;

export const textPath = z.object({ version: z.string().regex(TEXT_VERSION) });

export const ConsentTextView = z
  .strictObject({
    purpose: z.enum(CONSENT_PURPOSES),
    version: z.string(),
    texts: ConsentWording,
    hash: z
      .string()
      .meta({ description: 'SHA-256 (hex) of the purpose, version and wording, canonical JSON' }),
    publishedBy: z.string(),
    publishedAt: z.iso.datetime(),
  })
  .meta({ id: 'ConsentText', description: 'A published consent text: never changed once published' });

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z.string().max(400).optional(),
};

export const ConsentTextsQuery = z.strictObject(page);

export const ConsentTextsPage = z
  .strictObject({ texts: z.array(ConsentTextView), next: z.string().nullable() })
  .meta({ id: 'ConsentTextsPage', description: 'Published consent texts, newest first' });

/** An address as the forms take it: trimmed and lower-cased, so it hashes as the forms' addresses do. */
const Email = z.string().trim().toLowerCase().max(254).check(z.email());

export const WithdrawalBody = z
  .strictObject({
    email: Email.meta({ description: "The person's email: hashed at once, never stored in clear here" }),
    purpose: z.enum(WITHDRAWAL_SCOPES).meta({
      description: 'One purpose, or `all`; `marketing` and `all` put the address on the suppression list',
    }),
  })
  .meta({ id: 'ConsentWithdrawal', description: "A withdrawal recorded on a person's behalf" });

export const RecordedWithdrawal = z
  .strictObject({
    at: z.iso.datetime(),
    withdrawn: z.array(z.enum(CONSENT_PURPOSES)),
    alreadyWithdrawn: z.array(z.enum(CONSENT_PURPOSES)),
    suppressed: z
      .boolean()
      .meta({ description: 'The address is on the suppression list: no letter goes to it' }),
  })
  .meta({ id: 'RecordedConsentWithdrawal', description: 'Effective at once for sending' });

export const ConsentHistoryQuery = z.strictObject({
  email: Email.meta({ description: "The person's email; the history is found by its keyed hash" }),
  ...page,
});

const HistoryEntry = z
  .strictObject({
    action: z.enum(EVIDENCE_ACTIONS),
    purpose: z.enum(CONSENT_PURPOSES),
    textVersion: z.string().optional(),
    textHash: z.string().optional(),
    at: z.iso.datetime(),
    channel: z.enum([...CHANNELS, ...WITHDRAWAL_CHANNELS]),
    ip: z.string().optional().meta({ description: 'The client address as the API saw it' }),
    userAgent: z.string().optional(),
    leadId: z.string().optional(),
    enquiryId: z.string().optional(),
    registrationId: z.string().optional(),
    campaignId: z
      .string()
      .optional()
      .meta({ description: 'The campaign of the letter whose unsubscribe link withdrew it' }),
    step: z.int().min(1).optional().meta({ description: "That letter's step" }),
    by: z.string().optional().meta({
      description:
        "The member of staff who recorded it: a compliance officer's withdrawal, consents given offline",
    }),
  })
  .meta({ id: 'ConsentEvidence', description: 'A consent given, refused or withdrawn, as recorded' });

export const ConsentHistoryPage = z
  .strictObject({ entries: z.array(HistoryEntry), next: z.string().nullable() })
  .meta({ id: 'ConsentHistoryPage', description: "A person's consents, newest first" });

export const historyEntryOf = (e: ConsentEvidence): z.input<typeof HistoryEntry> => ({
  action: e.action,
  purpose: e.purpose,
  ...(e.textVersion ? { textVersion: e.textVersion } : {}),
  ...(e.textHash ? { textHash: e.textHash } : {}),
  at: e.at,
  channel: e.channel,
  ...(e.client.ip ? { ip: e.client.ip } : {}),
  ...(e.client.userAgent ? { userAgent: e.client.userAgent } : {}),
  ...e.subject,
  ...(e.by ? { by: e.by } : {}),
});
