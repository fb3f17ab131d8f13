import type { Decision, Offer, OfferAuditEntry, OfferVersion } from './offer.ts';

/**
 * The offers' port, in the bank's words. The DynamoDB adapter (shared/adapters/offer-store.ts) and the
 * in-memory one (test/unit/support/in-memory-offers.ts) keep one contract (test/unit/support/offers-contract.ts):
 * every rule below holds under concurrency, by a condition in the write, never by a read before it.
 */

/** Why a decision was not recorded (docs/offers.md, "Approval"). */
export const DECISION_REFUSALS = [
  'not_found',
  /** A newer version exists: only the latest is decided. */
  'superseded',
  /** The version's content is not the content the officer read. */
  'hash_mismatch',
  'already_decided',
  /** The officer wrote this version. */
  'own_version',
] as const;
export type DecisionRefusal = (typeof DECISION_REFUSALS)[number];

/** A decision on one version of an offer. */
export type VersionDecision = { offerId: string; version: number; decision: Decision };

export type AuditPage = { entries: OfferAuditEntry[]; next?: string };

export interface Offers {
  /** Stores a new offer with its version 1 and the audit entry, all or nothing. */
  create(offer: Offer, first: OfferVersion, audit: OfferAuditEntry): Promise<'created' | 'exists'>;
  /**
   * Stores version n with its audit entry if version n-1 is still the latest (no two versions share a
   * number, none is overwritten) and takes the approved pointer away: the new content is not approved.
   */
  saveVersion(version: OfferVersion, audit: OfferAuditEntry): Promise<'saved' | 'stale' | 'not_found'>;
  /**
   * Records the decision on the version, the approved pointer when approved, and the audit entry, all or
   * nothing, only if the version exists, is the latest, has the decision's hash, is undecided, and was not
   * written by the one deciding.
   */
  decide(request: VersionDecision, audit: OfferAuditEntry): Promise<'decided' | DecisionRefusal>;
  get(offerId: string): Promise<Offer | undefined>;
  version(offerId: string, version: number): Promise<OfferVersion | undefined>;
  /** The audit trail, oldest first, a page at a time. */
  audit(offerId: string, page: { limit: number; after?: string }): Promise<AuditPage>;
}
