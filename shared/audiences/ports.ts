import type { Audience, AudienceFilters, FreezingFailure, WalkedProspect } from './audience.ts';

/**
 * The audiences' ports, in the bank's words. The DynamoDB adapter (shared/adapters/audience-store.ts) and
 * the in-memory one (test/unit/support/in-memory-audiences.ts) keep one contract
 * (test/unit/support/audiences-contract.ts): every rule holds by a condition in the write, never by a read
 * before it.
 */

export type FrozenAudience = { audienceId: string; name: string; count: number; frozenAt: string };
export interface FrozenAudiences {
  /** The audience if it is frozen; undefined when unknown or not frozen yet. */
  frozen(audienceId: string): Promise<FrozenAudience | undefined>;
  /** Members of a frozen audience in a stable order (by prospect id), a page at a time. */
  members(
    audienceId: string,
    page: { limit: number; after?: string },
  ): Promise<{ prospectIds: string[]; after?: string }>;
}

/** Why a change to an audience was not made. */
export type AudienceRefusal = 'not_found' | 'not_draft';

/** An approval's outcome: the audience as it now stands, and whether this call changed it. */
export type Approval =
  | { outcome: 'approved' | 'unchanged'; audience: Audience }
  | { outcome: 'not_found' | 'discarded' };

/** One page of a freezing walk: the prospects examined, the members among them, and where the walk goes on. */
export type FreezingPage = {
  /** The cursor the page was read from: the page is kept only if the audience is still there. */
  from: string;
  /** Where the next page starts (WALK_END: the walk is over and the audience becomes frozen). */
  to: string;
  examined: number;
  /** At most PAGE_LIMIT ids: they are written in one transaction with the checkpoint. */
  memberIds: readonly string[];
  at: string;
};

export type AudiencesPage = { audiences: Audience[]; after?: string };

export interface Audiences {
  create(audience: Audience): Promise<'created' | 'exists'>;
  get(audienceId: string): Promise<Audience | undefined>;
  /** Newest first, a page at a time (`after`: the cursor the page before handed out). */
  list(page: { limit: number; after?: string }): Promise<AudiencesPage>;
  /** Replaces a draft's filters (and name), only while it is a draft. */
  edit(
    audienceId: string,
    change: { filters: AudienceFilters; name?: string; at: string },
  ): Promise<'saved' | AudienceRefusal>;
  discard(audienceId: string, at: string): Promise<'discarded' | AudienceRefusal>;
  /**
   * A draft (or an audience whose freezing failed, to resume it) becomes `freezing`, at the walk's start
   * for a draft, where it stopped for a failed one. Any other status is left as it is: `unchanged`.
   */
  approve(
    audienceId: string,
    approval: { by: string; at: string; scoringVersion: string },
  ): Promise<Approval>;
  /**
   * Keeps a page's members and moves the walk on, all or nothing, only if the audience is `freezing` at
   * `from`; at WALK_END it becomes `frozen` with its count. 'stale': the page was kept before (a redelivery)
   * or the audience moved on; nothing was written.
   */
  keepPage(audienceId: string, page: FreezingPage): Promise<'kept' | 'stale'>;
  /** Marks a freezing audience `failed` with why; any other status is left as it is. */
  fail(audienceId: string, failure: FreezingFailure): Promise<void>;
}

/** A page of prospects in prospect-id order, and the cursor after it (WALK_END past the last one). */
export type ProspectsPage = { prospects: WalkedProspect[]; next: string };

export interface ProspectWalk {
  /** Up to `limit` prospects after `cursor` (WALK_START for the first page), in prospect-id order. */
  page(cursor: string, limit: number): Promise<ProspectsPage>;
}

export interface LastContacts {
  /** For each of these address hashes that had a letter counted, the time of its latest letter. */
  latest(addressHashes: readonly string[]): Promise<Map<string, string>>;
}
