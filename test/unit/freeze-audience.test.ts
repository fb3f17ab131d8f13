import { describe, expect, it } from 'vitest';
import { type AudienceFilters, matches, prospectScore } from '#shared/audiences/audience.ts';
import {
  AudienceNotFound,
  freezeAudience,
  PAGE_LIMIT,
  ScoringChanged,
} from '#shared/audiences/freeze-audience.ts';
import {
  AudienceRefused,
  approveAudience,
  createAudience,
  discardAudience,
  editAudience,
  PREVIEW_EXAMINED,
  previewAudience,
} from '#shared/audiences/keep-audiences.ts';
import type { FreezingPage } from '#shared/audiences/ports.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { audienceWorld, aVariedProspect, walked } from './support/audiences.ts';
import { keys } from './support/prospect-file.ts';

const AUTHOR = 'anna.campaigns';
const prospects = Array.from({ length: 450 }, (_, n) => aVariedProspect(n + 1));
const filters: AudienceFilters = { sizeBand: ['medium', 'large'], score: { min: 40 } };
const expected = prospects
  .filter((p) => matches(walked(p), { score: prospectScore(walked(p), scoringConfig) }, filters))
  .map((p) => p.prospectId)
  .sort();

async function approved(world: ReturnType<typeof audienceWorld>, f: AudienceFilters = filters) {
  const draft = await createAudience(world.deps, AUTHOR, { name: 'Средние и крупные', filters: f });
  await approveAudience(world.deps, draft.audienceId, AUTHOR);
  return draft.audienceId;
}

async function allMembers(world: ReturnType<typeof audienceWorld>, audienceId: string) {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await world.store.members(audienceId, { limit: 100, ...(after ? { after } : {}) });
    ids.push(...page.prospectIds);
    after = page.after;
  } while (after);
  return ids;
}

describe('freezing an audience', () => {
  it('walks every prospect once, a page per call when time is short, and freezes the exact count', async () => {
    const world = audienceWorld(prospects);
    const audienceId = await approved(world);
    expect(world.starter.runs).toEqual([{ audienceId, run: `${audienceId}-1` }]);
    let calls = 0;
    let status = 'freezing';
    while (status === 'freezing') {
      ({ status } = await freezeAudience(world.deps, audienceId, () => false));
      calls++;
    }
    expect(calls).toBe(Math.ceil(prospects.length / PAGE_LIMIT));
    expect(expected.length).toBeGreaterThan(20);
    expect(await world.store.frozen(audienceId)).toMatchObject({ audienceId, count: expected.length });
    expect(await allMembers(world, audienceId)).toEqual(expected);
    expect((await world.store.get(audienceId))?.progress).toMatchObject({ examined: prospects.length });
    // A frozen audience is done: another call, another approval, an edit change nothing.
    expect(await freezeAudience(world.deps, audienceId, () => true)).toMatchObject({ status: 'frozen' });
    await approveAudience(world.deps, audienceId, 'someone-else');
    expect(world.starter.runs).toHaveLength(1);
    await expect(editAudience(world.deps, audienceId, { filters: {} })).rejects.toThrow(AudienceRefused);
    await expect(discardAudience(world.deps, audienceId)).rejects.toThrow(AudienceRefused);
    expect(await world.store.frozen(audienceId)).toMatchObject({ count: expected.length });
  });

  it('keeps the same members whatever crashes after a write, redelivers a page or runs twice at once', async () => {
    const world = audienceWorld(prospects);
    const audienceId = await approved(world);
    const keepPage = world.store.keepPage.bind(world.store);
    let pages = 0;
    // Every third page is kept and then the run dies before it hears so; every page is also delivered twice.
    world.store.keepPage = async (id: string, page: FreezingPage) => {
      const kept = await keepPage(id, page);
      await keepPage(id, page);
      if (++pages % 3 === 0) throw new Error('Lambda crashed after the write');
      return kept;
    };
    const run = async () => {
      for (;;) {
        try {
          const { status } = await freezeAudience(world.deps, audienceId, () => true);
          if (status !== 'freezing') return status;
        } catch (error) {
          if (!(error instanceof Error) || !error.message.includes('crashed')) throw error;
        }
      }
    };
    expect(await Promise.all([run(), run()])).toEqual(['frozen', 'frozen']);
    expect(await world.store.frozen(audienceId)).toMatchObject({ count: expected.length });
    expect(await allMembers(world, audienceId)).toEqual(expected);
    expect((await world.store.get(audienceId))?.progress?.examined).toBe(prospects.length);
  });

  it('reads the latest letter of each address only for the last-contacted filter', async () => {
    const world = audienceWorld(prospects.slice(0, 30));
    const [first, second] = prospects;
    for (const [p, at] of [
      [first, '2026-11-01T10:00:00.000Z'],
      [second, '2026-11-25T10:00:00.000Z'],
    ] as const) {
      await world.suppression.claim({
        addressHash: addressHashOf(keys, p?.contact.email ?? ''),
        sendKey: 'campaign#1',
        prospectId: p?.prospectId ?? '',
        at,
        cap: 4,
        windowDays: 30,
      });
    }
    const lastContacted = { before: '2026-11-20T00:00:00Z' };
    const audienceId = await approved(world, { lastContacted });
    await freezeAudience(world.deps, audienceId, () => true);
    expect(await allMembers(world, audienceId)).toEqual([first?.prospectId]);
    const never = await approved(world, { lastContacted: { never: true } });
    await freezeAudience(world.deps, never, () => true);
    expect(await world.store.frozen(never)).toMatchObject({ count: 28 });
  });

  it('refuses to go on with a scoring other than the approved one, and an audience that does not exist', async () => {
    const world = audienceWorld(prospects.slice(0, 5));
    const audienceId = await approved(world);
    const changed = { ...world.deps, scoring: { ...scoringConfig, version: 'scoring-next' } };
    await expect(freezeAudience(changed, audienceId, () => true)).rejects.toThrow(ScoringChanged);
    await expect(freezeAudience(world.deps, 'nope', () => true)).rejects.toThrow(AudienceNotFound);
  });

  it('resumes a failed freezing from its checkpoint, with a run of its own', async () => {
    const world = audienceWorld(prospects);
    const audienceId = await approved(world);
    await freezeAudience(world.deps, audienceId, () => false);
    await world.store.fail(audienceId, { error: 'States.Timeout', at: '2026-12-01T09:01:00.000Z' });
    await approveAudience(world.deps, audienceId, AUTHOR);
    expect(world.starter.runs.map((r) => r.run)).toEqual([`${audienceId}-1`, `${audienceId}-2`]);
    await freezeAudience(world.deps, audienceId, () => true);
    expect(await allMembers(world, audienceId)).toEqual(expected);
  });

  it('previews the first matches, looking at a bounded number of prospects', async () => {
    const world = audienceWorld(prospects);
    const preview = await previewAudience(world.deps, filters, 5);
    expect(preview.rows.map((r) => r.prospectId)).toEqual(expected.slice(0, 5));
    expect(preview.complete).toBe(false);
    const none = await previewAudience(
      world.deps,
      { industry: ['finance'], sizeBand: ['micro'], score: { min: 99 } },
      5,
    );
    expect(none).toEqual({ rows: [], examined: prospects.length, complete: true });
    const many = audienceWorld(
      Array.from({ length: PREVIEW_EXAMINED + 10 }, (_, n) => aVariedProspect(n + 1)),
    );
    const bounded = await previewAudience(many.deps, { score: { min: 100 } }, 5);
    expect(bounded).toEqual({ rows: [], examined: PREVIEW_EXAMINED, complete: false });
  });
});
