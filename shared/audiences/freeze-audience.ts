import { type AudienceStatus, matches, WALK_END } from './audience.ts';
import { type AudienceDeps, factsOf } from './keep-audiences.ts';

/**
 * The freezing job's step (docs/audiences.md, "Freezing"): walks the prospects from the audience's
 * checkpoint a page at a time, and keeps each page's members with the checkpoint in one write, so a
 * crash, a retry or a second run never keeps a page twice: the count is exact by construction.
 */

/** A page's members and its checkpoint go in one transaction of at most 100 items. */
export const PAGE_LIMIT = 99;

export type FreezeDeps = Pick<
  AudienceDeps,
  'audiences' | 'prospects' | 'lastContacts' | 'keys' | 'scoring' | 'now'
>;

export class AudienceNotFound extends Error {
  override name = 'AudienceNotFound';
}

/** The scoring in force is not the one recorded at approval: the score filter would mean something else. */
export class ScoringChanged extends Error {
  override name = 'ScoringChanged';
}

/**
 * Walks pages while `moreTime()` says so; answers where the audience stands (`freezing`: call again).
 * A page some other run kept first is not kept again: the walk reads the checkpoint and goes on from it.
 */
export async function freezeAudience(
  deps: FreezeDeps,
  audienceId: string,
  moreTime: () => boolean,
): Promise<{ status: AudienceStatus; examined: number; matched: number }> {
  for (;;) {
    const audience = await deps.audiences.get(audienceId);
    if (!audience) throw new AudienceNotFound(audienceId);
    const progress = audience.progress ?? { examined: 0, matched: 0, cursor: WALK_END };
    if (audience.status !== 'freezing') return { status: audience.status, ...counts(progress) };
    if (audience.scoringVersion !== deps.scoring.version) {
      throw new ScoringChanged(
        `Approved with scoring ${audience.scoringVersion}, the scoring in force is ${deps.scoring.version}`,
      );
    }
    let cursor = progress.cursor;
    let { examined, matched } = progress;
    for (;;) {
      const page = await deps.prospects.page(cursor, PAGE_LIMIT);
      const facts = await factsOf(deps, page.prospects, audience.filters);
      const memberIds = page.prospects
        .filter((p, i) => matches(p, facts[i] ?? { score: 0 }, audience.filters))
        .map((p) => p.prospectId);
      const kept = await deps.audiences.keepPage(audienceId, {
        from: cursor,
        to: page.next,
        examined: page.prospects.length,
        memberIds,
        at: deps.now().toISOString(),
      });
      if (kept === 'stale') break; // another run moved it: read where it stands
      cursor = page.next;
      examined += page.prospects.length;
      matched += memberIds.length;
      if (cursor === WALK_END) return { status: 'frozen', examined, matched };
      if (!moreTime()) return { status: 'freezing', examined, matched };
    }
  }
}

const counts = (p: { examined: number; matched: number }) => ({ examined: p.examined, matched: p.matched });

/** Records why the freezing job stopped for good (its Catch); an audience no longer freezing is left alone. */
export async function recordFreezingFailure(
  deps: Pick<FreezeDeps, 'audiences' | 'now'>,
  audienceId: string,
  failure: { error?: string; cause?: string },
): Promise<void> {
  await deps.audiences.fail(audienceId, {
    error: (failure.error ?? 'Unknown').slice(0, 200),
    // The cause is the job's error message: ids and counts, never a prospect's data.
    ...(failure.cause ? { cause: failure.cause.slice(0, 1000) } : {}),
    at: deps.now().toISOString(),
  });
}
