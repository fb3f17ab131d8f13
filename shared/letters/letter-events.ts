import { mailTag, type SesEventDetail } from '#events/ses-events.ts';
import type { SuppressionList, SuppressionReason } from './ports.ts';

/**
 * What SES tells about a letter after sending it (issue 8, item 7; docs/letters.md, "Deliverability
 * events"). A hard bounce and a complaint put the addresses on the suppression list, so no campaign mails
 * them again; a transient or undetermined bounce, a delay, a delivery, an open or a click changes no
 * suppression. Events arrive at least once and in any order: every write here is idempotent.
 */

/** The tags a campaign's sender puts on every letter (SESv2 EmailTags), which SES gives back in each event. */
export const LETTER_TAGS = { campaign: 'campaign', step: 'step', send: 'send' } as const;

/** Which campaign, step and send an event is about, when the letter was a campaign's (`sendId`: the prospect). */
export type LetterRef = { campaignId: string; step: number; sendId: string };

/** What happened to one letter, in the bank's words, for the campaign's counters. */
export type LetterOutcome = {
  eventType: SesEventDetail['eventType'];
  at: string;
  /** SES's id of the message: a Send event settles a claim whose answer was never recorded. */
  messageId: string;
  /** The suppression the event caused, if any. */
  suppressed?: SuppressionReason;
};

/**
 * The campaign's per-send record and counters (sent, delivered, bounced, complained, opened, clicked),
 * which auto-pause reads (shared/adapters/campaign-progress-store.ts), keyed by the letter's tags.
 */
export interface LetterSendRecords {
  /** Records the outcome on the send; must be idempotent (the same event may come twice). */
  record(letter: LetterRef, outcome: LetterOutcome): Promise<void>;
}

export type LetterEventDeps = {
  suppressions: SuppressionList;
  /** The address's keyed hash (addressHashOf with the bank's keys): the list never holds an address. */
  addressHash: (address: string) => string;
  /** The campaign's records: every campaign letter's event goes there. */
  sends?: LetterSendRecords;
  /** After a bounce or complaint on a campaign's letter: the campaign's deliverability guard. */
  guard?: (campaignId: string) => Promise<unknown>;
};

export type LetterEventResult = {
  /** How many addresses the event put on the suppression list, and why. */
  suppressed: number;
  reason?: SuppressionReason;
  /** The campaign letter the event is about; absent for a letter without the campaign's tags. */
  letter?: LetterRef;
};

/** Records one SES event: suppression first (it protects the next send), then the campaign's record. */
export async function recordLetterEvent(
  deps: LetterEventDeps,
  detail: SesEventDetail,
): Promise<LetterEventResult> {
  const suppression = suppressionOf(detail);
  if (suppression) {
    const { reason, at, source } = suppression;
    const hashes = [...new Set(suppression.addresses.map(deps.addressHash))];
    for (const hash of hashes) await deps.suppressions.suppress(hash, { reason, at, source });
  }
  const letter = letterOf(detail);
  const outcome: LetterOutcome = {
    eventType: detail.eventType,
    at: instant(detail.mail.timestamp),
    messageId: detail.mail.messageId,
    ...(suppression ? { suppressed: suppression.reason } : {}),
  };
  if (letter && deps.sends) await deps.sends.record(letter, outcome);
  if (letter && suppression && deps.guard) await deps.guard(letter.campaignId);
  return {
    suppressed: suppression?.addresses.length ?? 0,
    ...(suppression ? { reason: suppression.reason } : {}),
    ...(letter ? { letter } : {}),
  };
}

type SuppressionByEvent = { reason: SuppressionReason; at: string; source: string; addresses: string[] };

/** A permanent bounce suppresses its bounced recipients, a complaint its complainants; nothing else does. */
function suppressionOf(detail: SesEventDetail): SuppressionByEvent | undefined {
  // The feedback id names the bounce or complaint itself; the message id, when SES gives none.
  if (detail.eventType === 'Bounce' && detail.bounce.bounceType === 'Permanent') {
    const { bounce } = detail;
    return {
      reason: 'hard_bounced',
      at: instant(bounce.timestamp),
      source: `ses:${bounce.feedbackId || detail.mail.messageId}`,
      addresses: bounce.bouncedRecipients.map((r) => r.emailAddress),
    };
  }
  if (detail.eventType === 'Complaint') {
    const { complaint } = detail;
    return {
      reason: 'complained',
      at: instant(complaint.timestamp),
      source: `ses:${complaint.feedbackId || detail.mail.messageId}`,
      addresses: complaint.complainedRecipients.map((r) => r.emailAddress),
    };
  }
  return undefined;
}

/** The campaign letter an event is about, from its tags; none when a tag is missing or malformed. */
function letterOf(detail: SesEventDetail): LetterRef | undefined {
  const campaignId = mailTag(detail.mail, LETTER_TAGS.campaign);
  const step = Number(mailTag(detail.mail, LETTER_TAGS.step));
  const sendId = mailTag(detail.mail, LETTER_TAGS.send);
  if (!campaignId || !sendId || !Number.isInteger(step) || step < 1) return undefined;
  return { campaignId, step, sendId };
}

/** One spelling of an instant (ISO, UTC, milliseconds), so marks compare in time order as strings. */
const instant = (timestamp: string): string => new Date(timestamp).toISOString();
