import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type OpenDay, type OpenDayVersion, type Registration, TOLD_FIELDS } from '../open-days/open-day.ts';
import type { ChangeWritten, OpenDayChangeNotice, PendingChange } from '../open-days/ports.ts';
import { OpenDayDoor } from './open-day-door.ts';
import { keys, PENDING_INTAKE_INDEX, transact, withoutKeys } from './table.ts';

/** The GSI2 partition of open days whose change the sweep still carries out, by when it was made. */
export const CHANGES_PENDING = 'OPEN_DAY_CHANGES';

/** The GSI2 partition of registrations that owe their registrant an email, by when it became owed. */
export const NOTICES_OWED = 'OPEN_DAY_NOTICES';

export const noticeListing = (registrationId: string, at: string) => ({
  gsi2pk: NOTICES_OWED,
  gsi2sk: `${at}#${registrationId}`,
});

/** The GSI2 partition of open days whose OpenDay run is not yet known started, by creation. */
export const RUNS_PENDING = 'OPEN_DAY_RUNS_PENDING';

/** Fields written as they are, or removed when the change takes them away. */
type OpenDayFields = Partial<Record<keyof OpenDay, unknown>>;

/**
 * A campaign manager's changes of an open day (docs/open-days.md, "Changes and cancellation"): the open day
 * is written under a condition on the version read; a change people are told of keeps the version they were
 * told of before (`VERSION#<sequence>`), and every change is listed for the sweep, which tells each
 * registration in turn (a notice owed on it, as their own changes owe theirs) and offers seats a larger
 * capacity freed.
 */
export abstract class OpenDayChanges extends OpenDayDoor {
  async change(read: OpenDay, set: OpenDayFields, change: OpenDayChangeNotice): Promise<ChangeWritten> {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':read': read.updatedAt, ':open': 'open' };
    const sets: string[] = [];
    const removes: string[] = [];
    Object.entries(set).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      if (value === null) removes.push(`#f${i}`);
      else {
        values[`:f${i}`] = value;
        sets.push(`#f${i} = :f${i}`);
      }
    });
    // A run started afresh is listed until it is known started (the sweep starts it otherwise).
    if (typeof set.run === 'string') {
      Object.assign(values, {
        ':pending': RUNS_PENDING,
        // The index keeps keys only: the run's name is in the sort key.
        ':pendingSince': `${set.updatedAt}#${set.run}`,
      });
      sets.push('gsi2pk = :pending', 'gsi2sk = :pendingSince');
    }
    let condition = '#updatedAt = :read AND #status = :open';
    if (typeof set.capacity === 'number') {
      condition += ' AND (attribute_not_exists(holders) OR size(holders) <= :capacity)';
      values[':capacity'] = set.capacity;
    }
    const told = change.kind !== 'seats';
    const refused = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.openDay(read.openDayId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
      // What the registrants knew: the version a change email compares with.
      ...(told
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.openDayVersion(read.openDayId, read.sequence),
                  type: 'OpenDayVersion',
                  ...versionOf(read),
                },
              },
            },
          ]
        : []),
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.openDayChange(read.openDayId),
            type: 'OpenDayChange',
            openDayId: read.openDayId,
            ...change,
            gsi2pk: CHANGES_PENDING,
            gsi2sk: `${change.at}#${read.openDayId}`,
          },
        },
      },
    ]);
    if (!refused) return 'changed';
    const now = refused[0]?.item;
    if (!now) return 'not_found';
    if (now.updatedAt === read.updatedAt && now.status === 'open') return 'below_seats';
    return 'conflict';
  }

  async version(openDayId: string, sequence: number): Promise<OpenDayVersion | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.openDayVersion(openDayId, sequence) }),
    );
    return Item && withoutKeys<OpenDayVersion>(Item);
  }

  async pendingChanges(limit: number): Promise<PendingChange[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PENDING_INTAKE_INDEX.name,
        KeyConditionExpression: 'gsi2pk = :changes',
        ExpressionAttributeValues: { ':changes': CHANGES_PENDING },
        Limit: limit,
      }),
    );
    // The index holds keys only: each change is read whole, as it is now.
    const changes = await Promise.all(
      Items.map(async (item) => {
        const { Item } = await this.client.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            ConsistentRead: true,
          }),
        );
        if (typeof Item?.gsi2pk !== 'string') return [];
        const { openDayId, kind, sequence, at } = Item;
        return [{ openDayId, kind, sequence, at } as PendingChange];
      }),
    );
    return changes.flat();
  }

  async tellOfChange(change: PendingChange): Promise<{ owed: number; untold: number }> {
    let owed = 0;
    let untold = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :registration)',
          ExpressionAttributeValues: { ':pk': keys.openDay(change.openDayId).pk, ':registration': 'REG#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of Items) {
        const registration = withoutKeys<Registration>(item);
        if (registration.status === 'cancelled' || (registration.toldSequence ?? 0) >= change.sequence)
          continue;
        untold++;
        if (await this.owe(registration, change)) owed++;
      }
      start = LastEvaluatedKey;
    } while (start);
    return { owed, untold };
  }

  async changeCarriedOut(change: PendingChange): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.openDayChange(change.openDayId),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          // A newer change is listed in its place: it stays listed.
          ConditionExpression: '#sequence = :sequence AND #at = :at',
          ExpressionAttributeNames: { '#sequence': 'sequence', '#at': 'at' },
          ExpressionAttributeValues: { ':sequence': change.sequence, ':at': change.at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The registration owes the change's email, unless it owes one already: any email it owes tells the open
   * day as it is now, and the next pass looks again once it is sent. A cancellation takes the place of
   * whatever is owed: nothing else is worth saying of a cancelled open day.
   */
  private async owe(registration: Registration, change: PendingChange): Promise<boolean> {
    const cancel = change.kind === 'open_day_cancelled';
    if (registration.notice && (!cancel || registration.notice.kind === 'open_day_cancelled')) return false;
    // Listed as owed since before the sweep's grace: no request is sending it, so the sweep does now.
    const listedAt = new Date(Date.parse(change.at) - 3_600_000).toISOString();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.registration(registration.openDayId, registration.emailHash),
          UpdateExpression: 'SET notice = :notice, gsi2pk = :owed, gsi2sk = :listed',
          ConditionExpression: `registrationId = :id AND #status <> :cancelled AND (attribute_not_exists(toldSequence) OR toldSequence < :sequence)${
            cancel ? '' : ' AND attribute_not_exists(notice)'
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':notice': { kind: change.kind, at: change.at },
            ':owed': NOTICES_OWED,
            ':listed': noticeListing(registration.registrationId, listedAt).gsi2sk,
            ':id': registration.registrationId,
            ':cancelled': 'cancelled',
            ':sequence': change.sequence,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The open day as people read it, at its sequence. */
export const versionOf = (openDay: OpenDay): OpenDayVersion =>
  ({
    sequence: openDay.sequence,
    ...Object.fromEntries(TOLD_FIELDS.map((field) => [field, openDay[field]])),
  }) as OpenDayVersion;
