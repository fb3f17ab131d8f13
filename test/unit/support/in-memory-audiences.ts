import { type Audience, type FreezingFailure, WALK_END, WALK_START } from '#shared/audiences/audience.ts';
import type {
  Approval,
  AudienceRefusal,
  Audiences,
  AudiencesPage,
  FreezingPage,
  FrozenAudience,
  FrozenAudiences,
  LastContacts,
  ProspectsPage,
  ProspectWalk,
} from '#shared/audiences/ports.ts';
import type { CountedSend } from '#shared/letters/ports.ts';
import type { Prospect } from '#shared/prospects/prospect.ts';
import { copy } from './in-memory-leads.ts';

/**
 * Audiences, their members, the walk of prospects and the latest letters in memory, with the DynamoDB
 * adapter's rules (test/unit/support/audiences-contract.ts runs one contract on both). Each method checks
 * and writes with no await in between, as one conditional write or transaction.
 */
export class InMemoryAudiences implements Audiences, FrozenAudiences, ProspectWalk, LastContacts {
  readonly audiences = new Map<string, Audience>();
  readonly memberIds = new Map<string, Set<string>>();

  /** The prospects walked (an InMemoryProspects' map, or any). */
  readonly prospects: Map<string, Prospect>;
  /** The send counter's letters by address hash (an InMemorySuppression's `counted`, or any). */
  readonly counted: Map<string, CountedSend[]>;

  constructor(prospects = new Map<string, Prospect>(), counted = new Map<string, CountedSend[]>()) {
    this.prospects = prospects;
    this.counted = counted;
  }

  async create(audience: Audience): Promise<'created' | 'exists'> {
    if (this.audiences.has(audience.audienceId)) return 'exists';
    this.audiences.set(audience.audienceId, copy(audience));
    return 'created';
  }

  async get(audienceId: string): Promise<Audience | undefined> {
    return copy(this.audiences.get(audienceId));
  }

  async list(page: { limit: number; after?: string }): Promise<AudiencesPage> {
    const keyed = [...this.audiences.values()]
      .map((a) => ({ key: `${a.createdAt}#${a.audienceId}`, a }))
      .sort((x, y) => (x.key < y.key ? 1 : -1))
      .filter((x) => page.after === undefined || x.key < page.after);
    const taken = keyed.slice(0, page.limit);
    const last = taken.at(-1);
    return {
      audiences: copy(taken.map((x) => x.a)),
      ...(keyed.length > page.limit && last ? { after: last.key } : {}),
    };
  }

  async edit(
    audienceId: string,
    change: { filters: Audience['filters']; name?: string; at: string },
  ): Promise<'saved' | AudienceRefusal> {
    const done = this.whileDraft(audienceId, (a) => ({
      ...a,
      filters: copy(change.filters),
      updatedAt: change.at,
      ...(change.name === undefined ? {} : { name: change.name }),
    }));
    return done === 'done' ? 'saved' : done;
  }

  async discard(audienceId: string, at: string): Promise<'discarded' | AudienceRefusal> {
    const done = this.whileDraft(audienceId, (a) => ({ ...a, status: 'discarded', updatedAt: at }));
    return done === 'done' ? 'discarded' : done;
  }

  async approve(
    audienceId: string,
    approval: { by: string; at: string; scoringVersion: string },
  ): Promise<Approval> {
    const audience = this.audiences.get(audienceId);
    if (!audience) return { outcome: 'not_found' };
    if (audience.status === 'discarded') return { outcome: 'discarded' };
    if (audience.status !== 'draft' && audience.status !== 'failed') {
      return { outcome: 'unchanged', audience: copy(audience) };
    }
    const { failure: _failure, ...rest } = audience;
    const approved: Audience = {
      ...rest,
      status: 'freezing',
      updatedAt: approval.at,
      approvedBy: audience.approvedBy ?? approval.by,
      approvedAt: audience.approvedAt ?? approval.at,
      scoringVersion: audience.scoringVersion ?? approval.scoringVersion,
      progress: audience.progress ?? { examined: 0, matched: 0, cursor: WALK_START },
      runs: (audience.runs ?? 0) + 1,
    };
    this.audiences.set(audienceId, approved);
    return { outcome: 'approved', audience: copy(approved) };
  }

  async keepPage(audienceId: string, page: FreezingPage): Promise<'kept' | 'stale'> {
    const audience = this.audiences.get(audienceId);
    if (audience?.status !== 'freezing' || audience.progress?.cursor !== page.from) return 'stale';
    const matched = audience.progress.matched + page.memberIds.length;
    const done = page.to === WALK_END;
    this.audiences.set(audienceId, {
      ...audience,
      updatedAt: page.at,
      progress: { cursor: page.to, examined: audience.progress.examined + page.examined, matched },
      ...(done ? { status: 'frozen', count: matched, frozenAt: page.at } : {}),
    });
    const members = this.memberIds.get(audienceId) ?? new Set<string>();
    for (const id of page.memberIds) members.add(id);
    this.memberIds.set(audienceId, members);
    return 'kept';
  }

  async fail(audienceId: string, failure: FreezingFailure): Promise<void> {
    const audience = this.audiences.get(audienceId);
    if (audience?.status !== 'freezing') return;
    this.audiences.set(audienceId, {
      ...audience,
      status: 'failed',
      failure: copy(failure),
      updatedAt: failure.at,
    });
  }

  async frozen(audienceId: string): Promise<FrozenAudience | undefined> {
    const a = this.audiences.get(audienceId);
    if (a?.status !== 'frozen' || a.count === undefined || !a.frozenAt) return undefined;
    return { audienceId, name: a.name, count: a.count, frozenAt: a.frozenAt };
  }

  async members(
    audienceId: string,
    page: { limit: number; after?: string },
  ): Promise<{ prospectIds: string[]; after?: string }> {
    if (!(await this.frozen(audienceId))) return { prospectIds: [] };
    const after = page.after ?? '';
    const ids = [...(this.memberIds.get(audienceId) ?? [])].filter((id) => id > after).sort();
    const prospectIds = ids.slice(0, page.limit);
    const last = prospectIds.at(-1);
    return { prospectIds, ...(ids.length > page.limit && last ? { after: last } : {}) };
  }

  async page(cursor: string, limit: number): Promise<ProspectsPage> {
    if (cursor === WALK_END) return { prospects: [], next: WALK_END };
    const ids = [...this.prospects.keys()].filter((id) => id > cursor).sort();
    const taken = ids.slice(0, limit);
    const prospects = taken.map((id) => {
      const { prospectId, company, contact, tags, marketingConsent } = this.prospects.get(id) as Prospect;
      return copy({ prospectId, company, contact, tags, marketingConsent });
    });
    const last = taken.at(-1);
    return { prospects, next: ids.length > limit && last ? last : WALK_END };
  }

  async latest(addressHashes: readonly string[]): Promise<Map<string, string>> {
    const latest = new Map<string, string>();
    for (const hash of addressHashes) {
      const at = (this.counted.get(hash) ?? [])
        .map((s) => s.at)
        .sort()
        .at(-1);
      if (at) latest.set(hash, at);
    }
    return latest;
  }

  private whileDraft(audienceId: string, change: (a: Audience) => Audience): 'done' | AudienceRefusal {
    const audience = this.audiences.get(audienceId);
    if (!audience) return 'not_found';
    if (audience.status !== 'draft') return 'not_draft';
    this.audiences.set(audienceId, change(audience));
    return 'done';
  }
}
