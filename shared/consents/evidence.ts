import type { Channel } from '../leads/lead-submission.ts';
import type { ConsentPurpose, ConsentText } from './consent-text.ts';

/**
 * Evidence of consents (docs/consents.md): one record each time a person gives, refuses or withdraws a
 * consent, kept in their history under the keyed hash of their email, newest first. A record names the
 * text version and its hash (what they read), when, from where (the client address as the API saw it and
 * the browser's user agent), through which channel, and what it came with (a lead, an enquiry, an open
 * day's registration). It is written in the same transaction as what it came with: never one without the
 * other. Records are never changed: a withdrawal is a record of its own.
 */

/**
 * A withdrawal's own ways: a compliance officer on the person's behalf, the person's signed link (in an
 * open day's emails), or a letter's unsubscribe link (its one-click POST or its page's button).
 */
export const WITHDRAWAL_CHANNELS = ['compliance_officer', 'withdrawal_link', 'letter_unsubscribe'] as const;
export type WithdrawalChannel = (typeof WITHDRAWAL_CHANNELS)[number];

/** Where a consent was given or withdrawn: a channel of the bank, or a withdrawal's own way. */
export type EvidenceChannel = Channel | WithdrawalChannel;

export const EVIDENCE_ACTIONS = ['given', 'refused', 'withdrawn'] as const;
export type EvidenceAction = (typeof EVIDENCE_ACTIONS)[number];

/**
 * What the consent came with (a lead, an enquiry, a registration); a withdrawal comes with none, except
 * through a letter's unsubscribe link, which names the letter: its campaign and step.
 */
export type EvidenceSubject = {
  leadId?: string;
  enquiryId?: string;
  registrationId?: string;
  campaignId?: string;
  step?: number;
};

/** The client as the API saw it: its address (the hop the last trusted proxy saw) and its user agent. */
export type EvidenceClient = { ip?: string; userAgent?: string };

export type ConsentEvidence = {
  /** Unique in the person's history: `<what it came with>:<purpose>`, or the withdrawal's id and purpose. */
  evidenceId: string;
  /** The keyed hash of the person's email (addressHashOf): the address itself is not kept here. */
  emailHash: string;
  action: EvidenceAction;
  purpose: ConsentPurpose;
  /** The text the person read; a withdrawal names none. */
  textVersion?: string;
  textHash?: string;
  at: string;
  channel: EvidenceChannel;
  client: EvidenceClient;
  subject: EvidenceSubject;
  /** The member of staff who recorded it (a compliance officer's withdrawal on the person's behalf). */
  by?: string;
};

/** A user agent is kept to this many characters: enough to tell a browser, too short to carry a payload. */
export const USER_AGENT_LIMIT = 256;

export const userAgentOf = (header: string | undefined): string | undefined => {
  const trimmed = header?.trim();
  return trimmed ? trimmed.slice(0, USER_AGENT_LIMIT) : undefined;
};

/** A consent as a form sends it (the web form's and an open day's `consents`). */
export type SubmittedConsent = { purpose: ConsentPurpose; granted: boolean; textVersion: string };

export type ConsentIssue = { path: string; message: string };

/**
 * Each consent's text version must be published, and for the consent's own purpose: a form cannot cite
 * the marketing text for the personal-data consent. Issues name `<field>.<i>.textVersion`.
 */
export function checkConsents(
  consents: readonly SubmittedConsent[],
  published: ReadonlyMap<string, ConsentText>,
  field = 'consents',
): ConsentIssue[] {
  return consents.flatMap((c, i) => {
    const path = `${field}.${i}.textVersion`;
    const text = published.get(c.textVersion);
    if (!text) return [{ path, message: `Unknown consent text version: ${c.textVersion}` }];
    if (text.purpose !== c.purpose) {
      return [{ path, message: `Text version ${c.textVersion} is for ${text.purpose}, not ${c.purpose}` }];
    }
    return [];
  });
}

/** The distinct versions a form cites, to read them once each. */
export const versionsOf = (consents: readonly SubmittedConsent[]): string[] => [
  ...new Set(consents.map((c) => c.textVersion)),
];

/**
 * The evidence of a form's consents, one record per consent given or refused, for the transaction that
 * stores what the form made (a lead, an enquiry, a registration). The consents must have passed
 * `checkConsents` against `published`. Ids derive from the subject, so a retried write is the same write.
 */
export function consentEvidence(args: {
  consents: readonly SubmittedConsent[];
  published: ReadonlyMap<string, ConsentText>;
  emailHash: string;
  subject: EvidenceSubject;
  at: string;
  channel: EvidenceChannel;
  client: EvidenceClient;
  /** The member of staff who recorded consents given offline (an acquisition manager's lead). */
  by?: string;
}): ConsentEvidence[] {
  const { subject } = args;
  const of = subject.enquiryId ?? subject.registrationId ?? subject.leadId;
  if (!of) throw new Error('Consent evidence needs what it came with');
  return args.consents.map((c) => {
    const text = args.published.get(c.textVersion);
    if (!text || text.purpose !== c.purpose) throw new Error(`Consent text ${c.textVersion} was not checked`);
    return {
      evidenceId: `${of}:${c.purpose}`,
      emailHash: args.emailHash,
      action: c.granted ? 'given' : 'refused',
      purpose: c.purpose,
      textVersion: text.version,
      textHash: text.hash,
      at: args.at,
      channel: args.channel,
      client: withoutEmpty(args.client),
      subject: args.subject,
      ...(args.by ? { by: args.by } : {}),
    };
  });
}

const withoutEmpty = (client: EvidenceClient): EvidenceClient => ({
  ...(client.ip ? { ip: client.ip } : {}),
  ...(client.userAgent ? { userAgent: client.userAgent } : {}),
});
