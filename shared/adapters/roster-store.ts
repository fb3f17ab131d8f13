import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangesPage, KeptManager, Roster, RosterChange } from '../managers/keep-roster.ts';
import type { RosterEntry } from '../managers/roster.ts';
import { Directory } from './directory.ts';
import { keys, MANAGERS_INDEX, type TransactItems, transact, withoutKeys } from './table.ts';

/** A transaction holds at most 100 items: 50 changes, each the manager and its audit entry. */
const CHANGES_PER_TRANSACTION = 50;

/**
 * The roster in the manager items the routing reads (`MANAGER#<id>`), each change with its audit entry
 * (`ROSTER_CHANGES#<id>`, newest first) in the same transaction. A change sets the roster's attributes
 * only: the load (`activeLeads`, `lastAssignedAt`) is the bank's work and stays as it is.
 */
export class RosterStore extends Directory implements Roster {
  override async get(managerId: string): Promise<KeptManager | undefined> {
    return kept(await super.get(managerId));
  }

  override async list(): Promise<KeptManager[]> {
    return (await super.list()).flatMap((m) => kept(m) ?? []);
  }

  async apply(changes: { change: RosterChange; expectedVersion: number }[]): Promise<'stored' | 'stale'> {
    for (let i = 0; i < changes.length; i += CHANGES_PER_TRANSACTION) {
      const items: TransactItems = changes
        .slice(i, i + CHANGES_PER_TRANSACTION)
        .flatMap(({ change, expectedVersion }) => [
          this.entryUpdate(change.after, expectedVersion),
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.rosterChange(change.managerId, change.at, change.changeId),
                type: 'RosterChange',
                ...change,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]);
      if (await transact(this.client, items)) return 'stale';
    }
    return 'stored';
  }

  async changes(managerId: string, page: { limit: number; after?: string }): Promise<ChangesPage> {
    const pk = keys.rosterChange(managerId, '', '').pk;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: { pk, sk: page.after } } : {}),
      }),
    );
    return {
      changes: Items.map((item) => withoutKeys<RosterChange>(item)),
      ...(LastEvaluatedKey ? { next: String(LastEvaluatedKey.sk) } : {}),
    };
  }

  /** Sets the roster attributes if the manager is still at the version read; the load starts at 0. */
  private entryUpdate(entry: RosterEntry, expectedVersion: number): TransactItems[number] {
    const fields = Object.entries(entry).filter(([, value]) => value !== undefined);
    const names = Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name]));
    const values = Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value]));
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.manager(entry.managerId),
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}, #type = :type, gsi1pk = :gsi1pk, gsi1sk = :id, activeLeads = if_not_exists(activeLeads, :zero), rosterVersion = :next`,
        ConditionExpression:
          expectedVersion === 0 ? 'attribute_not_exists(rosterVersion)' : 'rosterVersion = :expected',
        ExpressionAttributeNames: { ...names, '#type': 'type' },
        ExpressionAttributeValues: {
          ...values,
          ':type': 'PersonalManager',
          ':gsi1pk': MANAGERS_INDEX.pk,
          ':id': entry.managerId,
          ':zero': 0,
          ':next': expectedVersion + 1,
          ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
        },
      },
    };
  }
}

/** A stored manager with its version (0 for one seeded before the roster was kept through the API). */
function kept<M extends object | undefined>(manager: M): KeptManager | undefined {
  if (!manager) return undefined;
  const item = manager as unknown as KeptManager;
  return { ...item, rosterVersion: item.rosterVersion ?? 0 };
}
