import type { ConsentText } from './consent-text.ts';
import type { ConsentEvidence } from './evidence.ts';

/**
 * The consents' ports, in the bank's words (docs/consents.md). The DynamoDB adapter is
 * shared/adapters/consent-store.ts; texts are written once, evidence is only ever added.
 */

/** A cursor handed out with a page; any other value is refused. */
export class InvalidConsentCursor extends Error {
  constructor() {
    super('Not a cursor of this list');
    this.name = 'InvalidConsentCursor';
  }
}

export type TextsPage = { texts: ConsentText[]; next?: string };
export type HistoryPage = { entries: ConsentEvidence[]; next?: string };

export interface ConsentTexts {
  /**
   * Publishes a text once: `exists` when its version id is taken by other wording or another purpose;
   * the same text again (a retried publish) is `published` with what is stored.
   */
  publish(text: ConsentText): Promise<{ outcome: 'published'; text: ConsentText } | { outcome: 'exists' }>;
  /** The published texts of these versions (read consistently: a text is citable once published). */
  find(versions: readonly string[]): Promise<Map<string, ConsentText>>;
  /** Texts newest first, a page at a time. */
  list(page: { limit: number; after?: string }): Promise<TextsPage>;
}

export interface ConsentHistory {
  /** Adds records to people's histories, all or nothing; the same record again changes nothing. */
  record(evidence: readonly ConsentEvidence[]): Promise<void>;
  /** A person's records, newest first, a page at a time. */
  history(emailHash: string, page: { limit: number; after?: string }): Promise<HistoryPage>;
}
