import { describe, expect, it } from 'vitest';
import {
  type ChangesPage,
  type KeptManager,
  type Roster,
  type RosterChange,
  RosterConflict,
  saveManagers,
} from '#shared/managers/keep-roster.ts';
import { type RosterEntry, STANDARD_WEEK } from '#shared/managers/roster.ts';
import { testClock } from './support/in-memory.ts';

/** The roster in memory, with the adapter's rule: a change applies only at the version it was read at. */
class InMemoryRoster implements Roster {
  readonly managers = new Map<string, KeptManager>();
  readonly audit: RosterChange[] = [];
  /** Changes another head of unit makes between this one's read and write, one per write attempt. */
  interleaved: RosterEntry[] = [];

  async get(managerId: string) {
    return structuredClone(this.managers.get(managerId));
  }
  async list() {
    return structuredClone([...this.managers.values()]);
  }
  async apply(changes: { change: RosterChange; expectedVersion: number }[]) {
    const rival = this.interleaved.shift();
    if (rival) this.store(rival);
    if (
      changes.some((c) => (this.managers.get(c.change.managerId)?.rosterVersion ?? 0) !== c.expectedVersion)
    ) {
      return 'stale' as const;
    }
    for (const { change } of changes) {
      this.store(change.after);
      this.audit.push(structuredClone(change));
    }
    return 'stored' as const;
  }
  async changes(managerId: string): Promise<ChangesPage> {
    return { changes: this.audit.filter((c) => c.managerId === managerId).reverse() };
  }
  private store(entry: RosterEntry) {
    const current = this.managers.get(entry.managerId);
    this.managers.set(entry.managerId, {
      ...structuredClone(entry),
      activeLeads: current?.activeLeads ?? 0,
      rosterVersion: (current?.rosterVersion ?? 0) + 1,
    });
  }
}

const anEntry = (overrides: Partial<RosterEntry> = {}): RosterEntry => ({
  managerId: 'pm-kuznetsova',
  name: 'Анна Кузнецова',
  email: 'a.kuznetsova@bank.example',
  language: 'ru',
  segments: ['mid_market'],
  regions: ['77'],
  industries: ['*'],
  products: ['credit'],
  capacity: 10,
  weight: 1,
  workingHours: STANDARD_WEEK,
  holidays: [],
  absences: [],
  active: true,
  ...overrides,
});

function setup() {
  const roster = new InMemoryRoster();
  let n = 0;
  const deps = { roster, now: testClock().now, newId: () => `change-${++n}` };
  return { roster, deps };
}

describe('keeping the roster', () => {
  it('audits a creation and an update with who, when, before and after; an equal entry is no change', async () => {
    const { roster, deps } = setup();

    const created = await saveManagers(deps, 'irina.head', 'api', [anEntry()]);
    const same = await saveManagers(deps, 'irina.head', 'import', [anEntry()]);
    const updated = await saveManagers(deps, 'irina.head', 'api', [anEntry({ capacity: 12 })]);

    expect([created, same, updated].map(([o]) => o?.action)).toEqual(['created', 'unchanged', 'updated']);
    expect(roster.audit).toHaveLength(2);
    expect(roster.audit[1]).toMatchObject({
      by: 'irina.head',
      source: 'api',
      action: 'updated',
      before: { capacity: 10 },
      after: { capacity: 12 },
    });
    expect(roster.managers.get('pm-kuznetsova')?.rosterVersion).toBe(2);
  });

  it('stores a whole batch or nothing of it, and reports each manager', async () => {
    const { roster, deps } = setup();
    await saveManagers(deps, 'irina.head', 'api', [anEntry()]);

    const outcomes = await saveManagers(deps, 'irina.head', 'import', [
      anEntry(),
      anEntry({ managerId: 'pm-orlov', name: 'Пётр Орлов' }),
      anEntry({ managerId: 'pm-belova', name: 'Ольга Белова', active: false }),
    ]);

    expect(outcomes.map((o) => o.action)).toEqual(['unchanged', 'created', 'created']);
    expect(roster.audit.map((c) => c.managerId)).toEqual(['pm-kuznetsova', 'pm-orlov', 'pm-belova']);
  });

  it('reads again when another change wins the race, and gives up with a conflict after three tries', async () => {
    const { roster, deps } = setup();
    await saveManagers(deps, 'irina.head', 'api', [anEntry()]);
    roster.interleaved = [anEntry({ capacity: 20 })];

    const [retried] = await saveManagers(deps, 'irina.head', 'api', [anEntry({ capacity: 30 })]);

    expect(retried?.action).toBe('updated');
    // The change that won is the `before` of the one made after it: nothing is lost from the audit.
    expect(roster.audit.at(-1)?.before?.capacity).toBe(20);
    roster.interleaved = [1, 2, 3].map((i) => anEntry({ capacity: 40 + i }));
    await expect(saveManagers(deps, 'irina.head', 'api', [anEntry({ capacity: 50 })])).rejects.toThrow(
      RosterConflict,
    );
    expect(roster.managers.get('pm-kuznetsova')?.capacity).toBe(43);
  });
});
