import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Audience, WALK_END, WALK_START, type WalkedProspect } from '#shared/audiences/audience.ts';
import type { Audiences, FrozenAudiences, LastContacts, ProspectWalk } from '#shared/audiences/ports.ts';
import type { SendCounter } from '#shared/letters/ports.ts';
import type { Prospect } from '#shared/prospects/prospect.ts';
import { aProspect } from './prospects-contract.ts';

/** What a contract run needs: the store under test, and ways to seed prospects and counted letters. */
export type AudiencesUnderTest = {
  store: Audiences & FrozenAudiences & ProspectWalk & LastContacts;
  storeProspects: (prospects: readonly Prospect[]) => Promise<void>;
  sendCounter: SendCounter;
};

const T0 = '2026-12-01T09:00:00.000Z';
const T1 = '2026-12-01T09:05:00.000Z';
const T2 = '2026-12-01T09:10:00.000Z';

export const aDraft = (over: Partial<Audience> = {}): Audience => ({
  audienceId: randomUUID(),
  name: 'Производство, Москва',
  filters: { industry: ['manufacturing'], regionCode: ['77'] },
  status: 'draft',
  author: 'anna.campaigns',
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const approval = { by: 'anna.campaigns', at: T1, scoringVersion: 'scoring-v1' };
const page = (from: string, to: string, memberIds: string[], examined = memberIds.length) => ({
  from,
  to,
  memberIds,
  examined,
  at: T2,
});
/** Hex ids that sort as their number: members come back in this order. */
const idOf = (n: number) => n.toString(16).padStart(32, '0');

/** The contract every store of audiences keeps: the in-memory one and the DynamoDB one. */
export function audiencesContract(name: string, setup: () => AudiencesUnderTest) {
  describe(`the audiences' contract: ${name}`, () => {
    it('stores a draft once, lists audiences newest first a page at a time', async () => {
      const { store } = setup();
      const drafts = [1, 2, 3].map((n) => aDraft({ createdAt: `2999-01-0${n}T00:00:00.000Z` }));
      for (const draft of drafts) expect(await store.create(draft)).toBe('created');
      expect(await store.create(drafts[0] as Audience)).toBe('exists');
      expect(await store.get(drafts[0]?.audienceId ?? '')).toEqual(drafts[0]);
      const first = await store.list({ limit: 2 });
      expect(first.audiences.map((a) => a.audienceId)).toEqual([
        drafts[2]?.audienceId,
        drafts[1]?.audienceId,
      ]);
      const second = await store.list({ limit: 1, ...(first.after ? { after: first.after } : {}) });
      expect(second.audiences.map((a) => a.audienceId)).toEqual([drafts[0]?.audienceId]);
    });

    it('edits and discards a draft only; an unknown audience is not_found', async () => {
      const { store } = setup();
      const draft = aDraft();
      await store.create(draft);
      const filters = { sizeBand: ['medium' as const], marketingConsent: true };
      expect(await store.edit(draft.audienceId, { filters, name: 'Средние', at: T1 })).toBe('saved');
      expect(await store.get(draft.audienceId)).toEqual({
        ...draft,
        filters,
        name: 'Средние',
        updatedAt: T1,
      });
      expect(await store.discard(draft.audienceId, T2)).toBe('discarded');
      expect(await store.edit(draft.audienceId, { filters, at: T2 })).toBe('not_draft');
      expect(await store.discard(draft.audienceId, T2)).toBe('not_draft');
      expect(await store.approve(draft.audienceId, approval)).toEqual({ outcome: 'discarded' });
      expect(await store.edit(randomUUID(), { filters, at: T2 })).toBe('not_found');
      expect(await store.approve(randomUUID(), approval)).toEqual({ outcome: 'not_found' });
    });

    it('approves a draft once: freezing from the walk start; a second approval changes nothing', async () => {
      const { store } = setup();
      const draft = aDraft();
      await store.create(draft);
      const approved = await store.approve(draft.audienceId, approval);
      const freezing = {
        ...draft,
        status: 'freezing',
        updatedAt: T1,
        approvedBy: 'anna.campaigns',
        approvedAt: T1,
        scoringVersion: 'scoring-v1',
        progress: { examined: 0, matched: 0, cursor: WALK_START },
        runs: 1,
      };
      expect(approved).toEqual({ outcome: 'approved', audience: freezing });
      const again = await store.approve(draft.audienceId, { ...approval, by: 'other', at: T2 });
      expect(again).toEqual({ outcome: 'unchanged', audience: freezing });
      expect(await store.edit(draft.audienceId, { filters: {}, at: T2 })).toBe('not_draft');
    });

    it('keeps each page once, with its checkpoint; the last page freezes the exact count', async () => {
      const { store } = setup();
      const draft = aDraft();
      await store.create(draft);
      await store.approve(draft.audienceId, approval);
      const id = draft.audienceId;
      expect(await store.keepPage(id, page(WALK_START, 'c1', [idOf(3), idOf(1)], 5))).toBe('kept');
      // A redelivered page, or a page read from a stale cursor, writes nothing.
      expect(await store.keepPage(id, page(WALK_START, 'c1', [idOf(3), idOf(1)], 5))).toBe('stale');
      expect(await store.keepPage(id, page('elsewhere', 'c2', [idOf(9)]))).toBe('stale');
      // Not frozen yet: no members are shown, the audience is not one to send to.
      expect(await store.frozen(id)).toBeUndefined();
      expect(await store.members(id, { limit: 10 })).toEqual({ prospectIds: [] });
      expect((await store.get(id))?.progress).toEqual({ examined: 5, matched: 2, cursor: 'c1' });
      expect(await store.keepPage(id, page('c1', WALK_END, [idOf(2)], 4))).toBe('kept');
      expect(await store.keepPage(id, page(WALK_END, WALK_END, [idOf(8)]))).toBe('stale');
      expect(await store.frozen(id)).toEqual({ audienceId: id, name: draft.name, count: 3, frozenAt: T2 });
      expect(await store.get(id)).toMatchObject({ status: 'frozen', count: 3, progress: { examined: 9 } });
      const first = await store.members(id, { limit: 2 });
      expect(first.prospectIds).toEqual([idOf(1), idOf(2)]);
      const rest = await store.members(id, { limit: 2, ...(first.after ? { after: first.after } : {}) });
      expect(rest).toEqual({ prospectIds: [idOf(3)] });
      // Nothing changes a frozen audience.
      expect(await store.approve(id, approval)).toMatchObject({ outcome: 'unchanged' });
      await store.fail(id, { error: 'X', at: T2 });
      expect((await store.get(id))?.status).toBe('frozen');
    });

    it('records a failed freezing, and resumes it from its checkpoint with a run of its own', async () => {
      const { store } = setup();
      const draft = aDraft();
      await store.create(draft);
      await store.fail(draft.audienceId, { error: 'X', at: T1 });
      expect((await store.get(draft.audienceId))?.status).toBe('draft');
      await store.approve(draft.audienceId, approval);
      await store.keepPage(draft.audienceId, page(WALK_START, 'c1', [idOf(1)]));
      await store.fail(draft.audienceId, { error: 'States.Timeout', cause: 'timed out', at: T2 });
      expect(await store.get(draft.audienceId)).toMatchObject({
        status: 'failed',
        failure: { error: 'States.Timeout', cause: 'timed out', at: T2 },
      });
      const resumed = await store.approve(draft.audienceId, { ...approval, by: 'boris', at: T2 });
      expect(resumed.outcome).toBe('approved');
      const audience = 'audience' in resumed ? resumed.audience : undefined;
      expect(audience).toMatchObject({ status: 'freezing', approvedBy: 'anna.campaigns', runs: 2 });
      expect(audience?.progress).toEqual({ examined: 1, matched: 1, cursor: 'c1' });
      expect(audience?.failure).toBeUndefined();
    });

    it('walks every prospect once, in prospect-id order, a page at a time', async () => {
      const { store, storeProspects } = setup();
      const tag = `walk-${randomUUID().slice(0, 8)}`;
      const mine = Array.from({ length: 40 }, (_, n) => aProspect(n + 1, 'walk', tag));
      await storeProspects(mine);
      const seen: WalkedProspect[] = [];
      let cursor = WALK_START;
      let pages = 0;
      while (cursor !== WALK_END) {
        const { prospects, next } = await store.page(cursor, 7);
        expect(prospects.length).toBeLessThanOrEqual(7);
        seen.push(...prospects);
        cursor = next;
        pages++;
      }
      const ids = seen.map((p) => p.prospectId);
      expect(pages).toBeGreaterThan(5);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(mine.map((p) => p.prospectId)));
      // What a filter reads comes with each prospect, nothing else.
      const one = mine[0] as Prospect;
      expect(seen.find((p) => p.prospectId === one.prospectId)).toEqual({
        prospectId: one.prospectId,
        company: one.company,
        contact: one.contact,
        tags: one.tags,
        marketingConsent: one.marketingConsent,
      });
    });

    it("answers each address's latest counted letter", async () => {
      const { store, sendCounter } = setup();
      const [a, b, none] = [randomUUID(), randomUUID(), randomUUID()].map((u) =>
        u.replaceAll('-', '').padEnd(64, '0'),
      );
      const claim = { cap: 10, windowDays: 30, prospectId: idOf(1) };
      await sendCounter.claim({
        ...claim,
        addressHash: a as string,
        sendKey: 'c1#1',
        at: '2026-11-01T10:00:00.000Z',
      });
      await sendCounter.claim({
        ...claim,
        addressHash: a as string,
        sendKey: 'c2#1',
        at: '2026-11-20T10:00:00.000Z',
      });
      await sendCounter.claim({
        ...claim,
        addressHash: b as string,
        sendKey: 'c1#1',
        at: '2026-11-05T10:00:00.000Z',
      });
      const latest = await store.latest([a, b, none] as string[]);
      expect(Object.fromEntries(latest)).toEqual({
        [a as string]: '2026-11-20T10:00:00.000Z',
        [b as string]: '2026-11-05T10:00:00.000Z',
      });
    });
  });
}
