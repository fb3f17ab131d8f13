import { DEMO_CONSENT_TEXTS } from '#local/demo-data.ts';
import type { ConsentText } from '#shared/consents/consent-text.ts';
import type { ConsentEvidence } from '#shared/consents/evidence.ts';
import {
  type ConsentHistory,
  type ConsentTexts,
  type HistoryPage,
  InvalidConsentCursor,
  type TextsPage,
} from '#shared/consents/ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

/** Consent texts and evidence in memory, with the DynamoDB adapter's semantics (written once, newest first). */
export class InMemoryConsents implements ConsentTexts, ConsentHistory {
  readonly texts = new Map<string, ConsentText>();
  /** Each person's records by their sort key, `<at>#<evidenceId>`. */
  readonly records = new Map<string, Map<string, ConsentEvidence>>();

  /** With the demo's texts published, as the local runtime seeds them. */
  static withDemoTexts(): InMemoryConsents {
    const consents = new InMemoryConsents();
    for (const text of DEMO_CONSENT_TEXTS) consents.texts.set(text.version, copy(text));
    return consents;
  }

  async publish(
    text: ConsentText,
  ): Promise<{ outcome: 'published'; text: ConsentText } | { outcome: 'exists' }> {
    const stored = this.texts.get(text.version);
    if (!stored) {
      this.texts.set(text.version, copy(text));
      return { outcome: 'published', text: copy(text) };
    }
    return stored.hash === text.hash && stored.purpose === text.purpose
      ? { outcome: 'published', text: copy(stored) }
      : { outcome: 'exists' };
  }

  async find(versions: readonly string[]): Promise<Map<string, ConsentText>> {
    return new Map(
      versions.flatMap((v) => (this.texts.has(v) ? [[v, copy(this.texts.get(v) as ConsentText)]] : [])),
    );
  }

  async list(page: { limit: number; after?: string }): Promise<TextsPage> {
    const sorted = [...this.texts.values()].sort((a, b) =>
      `${b.publishedAt}#${b.version}`.localeCompare(`${a.publishedAt}#${a.version}`),
    );
    const start = page.after ? sorted.findIndex((t) => t.version === page.after) + 1 : 0;
    if (page.after && start === 0) throw new InvalidConsentCursor();
    const texts = sorted.slice(start, start + page.limit);
    const last = texts.at(-1);
    return {
      texts: copy(texts),
      ...(last && start + page.limit < sorted.length ? { next: last.version } : {}),
    };
  }

  async record(evidence: readonly ConsentEvidence[]): Promise<void> {
    for (const e of evidence) {
      const person = this.records.get(e.emailHash) ?? new Map<string, ConsentEvidence>();
      person.set(`${e.at}#${e.evidenceId}`, copy(e));
      this.records.set(e.emailHash, person);
    }
  }

  async history(emailHash: string, page: { limit: number; after?: string }): Promise<HistoryPage> {
    const person = this.records.get(emailHash) ?? new Map<string, ConsentEvidence>();
    const keys = [...person.keys()].sort().reverse();
    const start = page.after ? keys.indexOf(page.after) + 1 : 0;
    if (page.after && start === 0) throw new InvalidConsentCursor();
    const slice = keys.slice(start, start + page.limit);
    const last = slice.at(-1);
    return {
      entries: slice.map((k) => copy(person.get(k) as ConsentEvidence)),
      ...(last && start + page.limit < keys.length ? { next: last } : {}),
    };
  }
}
