import { isDeepStrictEqual } from 'node:util';
import type { ManagerLoad, RosterEntry } from './roster.ts';

/** How a roster change came: one manager through the API, or a file import. */
export type ChangeSource = 'api' | 'import';

/** One audited roster change: who made it and when, the entry before (none when created) and after. */
export type RosterChange = {
  changeId: string;
  managerId: string;
  at: string;
  by: string;
  source: ChangeSource;
  action: 'created' | 'updated';
  before?: RosterEntry;
  after: RosterEntry;
};

/** A manager as the head of unit sees them: the roster entry, the load, and the entry's version. */
export type KeptManager = RosterEntry &
  ManagerLoad & {
    /** Increases with every change; a change made from an older version is refused (409). */
    rosterVersion: number;
  };

export type ChangesPage = { changes: RosterChange[]; next?: string };

/** The roster as the use cases need it; the adapter decides how (shared/adapters/roster-store.ts). */
export interface Roster {
  get(managerId: string): Promise<KeptManager | undefined>;
  list(): Promise<KeptManager[]>;
  /**
   * Stores the changes with their audit entries, each only if its manager is still at the version read
   * (`expectedVersion`, 0 for a manager not yet in the roster); the load is never touched.
   * 'stale': another change came first, and none of these was stored.
   */
  apply(changes: { change: RosterChange; expectedVersion: number }[]): Promise<'stored' | 'stale'>;
  changes(managerId: string, page: { limit: number; after?: string }): Promise<ChangesPage>;
}

export type RosterDeps = { roster: Roster; now: () => Date; newId: () => string };

export type SaveOutcome = { managerId: string; action: 'created' | 'updated' | 'unchanged' };

/** The roster entry alone, without the load and version kept beside it. */
export function entryOf(kept: KeptManager): RosterEntry {
  const {
    activeLeads: _load,
    lastAssignedAt: _turn,
    pausedUntil: _paused,
    rosterVersion: _version,
    ...entry
  } = kept;
  return entry;
}

/** Tries a read-compare-write a few times when another change wins the race, then reports a conflict. */
const ATTEMPTS = 3;

export class RosterConflict extends Error {
  override name = 'RosterConflict';
}

/**
 * Adds or changes managers, all or none per call, each change audited with who, when, before and after.
 * An entry equal to the stored one is no change: nothing is written and nothing audited, so importing
 * the same file twice changes nothing the second time.
 */
export async function saveManagers(
  deps: RosterDeps,
  by: string,
  source: ChangeSource,
  entries: readonly RosterEntry[],
): Promise<SaveOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    const at = deps.now().toISOString();
    const stored = new Map((await deps.roster.list()).map((m) => [m.managerId, m]));
    const outcomes: SaveOutcome[] = [];
    const changes: { change: RosterChange; expectedVersion: number }[] = [];
    for (const after of entries) {
      const current = stored.get(after.managerId);
      const before = current && entryOf(current);
      if (before && isDeepStrictEqual(before, after)) {
        outcomes.push({ managerId: after.managerId, action: 'unchanged' });
        continue;
      }
      const action = before ? 'updated' : 'created';
      outcomes.push({ managerId: after.managerId, action });
      changes.push({
        change: {
          changeId: deps.newId(),
          managerId: after.managerId,
          at,
          by,
          source,
          action,
          ...(before ? { before } : {}),
          after,
        },
        expectedVersion: current?.rosterVersion ?? 0,
      });
    }
    if (changes.length === 0 || (await deps.roster.apply(changes)) === 'stored') return outcomes;
    if (attempt >= ATTEMPTS) {
      throw new RosterConflict('The roster changed while this change was being made; try again');
    }
  }
}
