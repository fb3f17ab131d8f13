import type { Prospect } from '../prospects/prospect.ts';

/**
 * The letters' ports for send-time suppression, in the bank's words (docs/letters.md). The DynamoDB adapter
 * (shared/adapters/suppression-store.ts) and the in-memory one (test/unit/support/in-memory-suppression.ts)
 * keep one contract (test/unit/support/suppression-contract.ts): every rule holds under concurrency, by a
 * condition in the write, never by a read before it. Addresses are named by their keyed hash only.
 */

/** Why an address is on the suppression list: it stays there, whatever campaign comes next. */
export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounced', 'complained'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** One reason at one time, and where it came from (a campaign and step, an SES event's id). */
export type SuppressionMark = { reason: SuppressionReason; at: string; source?: string };

/** An address on the list: the first mark it got, and the latest by time. */
export type Suppression = { addressHash: string; first: SuppressionMark; latest: SuppressionMark };

export interface SuppressionList {
  /**
   * Puts the address on the list. Idempotent: the first mark is kept as it was; the latest is replaced
   * only by a mark as late or later, so an event delivered twice or out of order changes nothing.
   */
  suppress(addressHash: string, mark: SuppressionMark): Promise<void>;
  /** The entries of those addresses that are on the list (read consistently: effective at once). */
  find(addressHashes: readonly string[]): Promise<Map<string, Suppression>>;
}

/** One letter counted against an address's frequency cap. */
export type CountedSend = {
  /** `<campaignId>#<step>`: one letter per address per step of a campaign. */
  sendKey: string;
  /** Who the letter was for: another prospect with the same address is another person on the audience. */
  prospectId: string;
  at: string;
};

/** A claim of one letter under the cap for one address. */
export type SendClaim = CountedSend & {
  addressHash: string;
  /** At most this many letters in the window, this one included. */
  cap: number;
  windowDays: number;
};

export type ClaimResult =
  /** Counted now, or counted before for the same prospect, step and campaign (a redelivery): send. */
  | { claimed: true }
  /** The address had this step's letter already, for another prospect on the campaign's audiences. */
  | { claimed: false; reason: 'already_sent_this_campaign' }
  /** The cap is reached; a place frees at `until` (the oldest counted letter leaves the window). */
  | { claimed: false; reason: 'frequency_cap'; until: string };

/**
 * An address's counted letters as they were read, and the version of the count they were read at: a claim
 * decided on them is written only if the count is still at that version.
 */
export type CountedLetters = { sends: CountedSend[]; version: number };

export interface SendCounter {
  /** The letters counted for the address whose time is after `since`. */
  sends(addressHash: string, since: string): Promise<CountedSend[]>;
  /**
   * The counted letters of a page's addresses in one read (consistent), every address asked for: one never
   * counted has none, at version 0.
   */
  counts(addressHashes: readonly string[]): Promise<Map<string, CountedLetters>>;
  /**
   * Counts the letter if the cap allows it: exact under concurrent claims for one address. With `read`,
   * the address's count from `counts`, the claim decides on it rather than reading again; a count that
   * moved since (another claim came between) loses the write, and the claim reads again and decides anew.
   */
  claim(claim: SendClaim, read?: CountedLetters): Promise<ClaimResult>;
  /**
   * A page's claims at once, each on its address's read from `counts`, one claim an address: each answers
   * as `claim` would, and is as exact (the writes go together, each still conditioned on its count).
   */
  claimAll(claims: readonly { claim: SendClaim; read: CountedLetters }[]): Promise<ClaimResult[]>;
}

/** The prospects a letter's response link names: read by id, for the page to show their details. */
export interface LetterProspects {
  get(prospectId: string): Promise<Prospect | undefined>;
}
