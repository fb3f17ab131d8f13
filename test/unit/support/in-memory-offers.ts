import { refusalOf } from '#shared/offers/keep-offers.ts';
import type { Offer, OfferAuditEntry, OfferVersion } from '#shared/offers/offer.ts';
import type { AuditPage, DecisionRefusal, Offers, VersionDecision } from '#shared/offers/ports.ts';
import { copy } from './in-memory-leads.ts';

/**
 * The offers' port in memory, with the DynamoDB adapter's conditions (test/unit/support/offers-contract.ts
 * runs one contract on both). Each method checks and writes with no await in between, as one transaction.
 */
export class InMemoryOffers implements Offers {
  readonly offers = new Map<string, Offer>();
  readonly versions = new Map<string, OfferVersion>();
  readonly trail = new Map<string, OfferAuditEntry[]>();

  async create(offer: Offer, first: OfferVersion, audit: OfferAuditEntry): Promise<'created' | 'exists'> {
    if (this.offers.has(offer.offerId)) return 'exists';
    this.offers.set(offer.offerId, copy(offer));
    this.versions.set(versionKey(first.offerId, first.version), copy(first));
    this.record(audit);
    return 'created';
  }

  async saveVersion(version: OfferVersion, audit: OfferAuditEntry): Promise<'saved' | 'stale' | 'not_found'> {
    const offer = this.offers.get(version.offerId);
    if (!offer) return 'not_found';
    const key = versionKey(version.offerId, version.version);
    if (offer.latestVersion !== version.version - 1 || this.versions.has(key)) return 'stale';
    const { approved: _withdrawn, ...rest } = offer;
    this.offers.set(offer.offerId, { ...rest, latestVersion: version.version });
    this.versions.set(key, copy(version));
    this.record(audit);
    return 'saved';
  }

  async decide(request: VersionDecision, audit: OfferAuditEntry): Promise<'decided' | DecisionRefusal> {
    const { offerId, version, decision } = request;
    const offer = this.offers.get(offerId);
    const stored = this.versions.get(versionKey(offerId, version));
    const refusal = refusalOf(offer, stored, request);
    if (refusal || !offer || !stored) return refusal ?? 'not_found';
    this.versions.set(versionKey(offerId, version), { ...stored, decision: copy(decision) });
    if (decision.outcome === 'approved') {
      this.offers.set(offerId, {
        ...offer,
        approved: { version, hash: decision.hash, by: decision.by, at: decision.at },
      });
    }
    this.record(audit);
    return 'decided';
  }

  async get(offerId: string): Promise<Offer | undefined> {
    return copy(this.offers.get(offerId));
  }

  async version(offerId: string, version: number): Promise<OfferVersion | undefined> {
    return copy(this.versions.get(versionKey(offerId, version)));
  }

  async audit(offerId: string, page: { limit: number; after?: string }): Promise<AuditPage> {
    const all = [...(this.trail.get(offerId) ?? [])].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const from = page.after ? all.findIndex((e) => sortKey(e) > (page.after ?? '')) : 0;
    const rest = from === -1 ? [] : all.slice(from);
    const entries = rest.slice(0, page.limit);
    const last = entries.at(-1);
    return {
      entries: entries.map(copy),
      ...(rest.length > page.limit && last ? { next: sortKey(last) } : {}),
    };
  }

  private record(entry: OfferAuditEntry) {
    const entries = this.trail.get(entry.offerId) ?? [];
    entries.push(copy(entry));
    this.trail.set(entry.offerId, entries);
  }
}

const versionKey = (offerId: string, version: number) => `${offerId}#${version}`;
/** The adapter's sort key, so pages stop and resume at the same places. */
const sortKey = (entry: OfferAuditEntry) => `AUDIT#${entry.at}#${entry.auditId}`;
