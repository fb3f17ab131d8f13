import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CheckedIn, Registration, RegistrationStatus } from '../open-days/open-day.ts';
import { type CheckInResult, InvalidRegistrationCursor, type RegistrationPage } from '../open-days/ports.ts';
import { keys, TableAdapter, transact, withoutKeys } from './table.ts';

/** An open day's registrations sort by the address's keyed hash under this prefix. */
const REGISTRATION_PREFIX = 'REG#';

/**
 * The door of an open day (docs/open-days.md, "Check-in"): staff check confirmed registrants in, and read
 * the registrations a page at a time. OpenDayStore serves these through its port (it extends this), in
 * the same partition (`OPEN_DAY#<id>`): the registration carries `checkedIn`, the open day `attended`.
 */
export class OpenDayDoor extends TableAdapter {
  async checkIn(registration: Registration, checkedIn: CheckedIn): Promise<CheckInResult> {
    const { openDayId, emailHash, registrationId } = registration;
    // The mark and the count in one write, so a registrant is counted exactly when first marked: two
    // scans of one code at once leave one mark, and the one refused reads the mark that won.
    const refused = await transact(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.registration(openDayId, emailHash),
          UpdateExpression: 'SET checkedIn = :mark',
          ConditionExpression:
            'registrationId = :id AND #status = :confirmed AND attribute_not_exists(checkedIn)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':mark': checkedIn, ':id': registrationId, ':confirmed': 'confirmed' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.openDay(openDayId),
          UpdateExpression: 'ADD attended :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
    if (!refused) return { outcome: 'checked_in', registration: { ...registration, checkedIn } };
    const [mine] = refused;
    if (mine?.code !== 'ConditionalCheckFailed' || !mine.item) return { outcome: 'not_found' };
    const now = withoutKeys<Registration>(mine.item);
    // Given up and made again since it was read: the registration read is not there any more.
    if (now.registrationId !== registrationId) return { outcome: 'not_found' };
    if (now.checkedIn) {
      return { outcome: 'already_checked_in', registration: { ...now, checkedIn: now.checkedIn } };
    }
    return { outcome: 'not_confirmed', registration: now };
  }

  /**
   * The registration with this id, by a query of the open day's registrations filtered on the id: they are
   * few (the seats and the line of one open day), and staff look one up at a time, so reading them costs
   * less than a second item kept with every registration (docs/open-days.md, "Check-in").
   */
  async registrationById(openDayId: string, registrationId: string): Promise<Registration | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          ...this.registrationsQuery(openDayId),
          FilterExpression: 'registrationId = :id',
          ExpressionAttributeValues: {
            ...this.registrationsQuery(openDayId).ExpressionAttributeValues,
            ':id': registrationId,
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const [found] = Items;
      if (found) return withoutKeys<Registration>(found);
      start = LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async registrations(
    openDayId: string,
    page: { limit: number; after?: string; status?: RegistrationStatus },
  ): Promise<RegistrationPage> {
    const found: Registration[] = [];
    let start: Record<string, unknown> | undefined =
      page.after === undefined ? undefined : keys.registration(openDayId, emailHashOf(page.after));
    const base = this.registrationsQuery(openDayId);
    // A status filter is applied after the read: a page is filled from as many reads as it takes.
    while (found.length < page.limit) {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          ...base,
          Limit: page.limit - found.length,
          ...(page.status
            ? {
                FilterExpression: '#status = :status',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ':status': page.status },
              }
            : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...Items.map((item) => withoutKeys<Registration>(item)));
      start = LastEvaluatedKey;
      if (!start) return { registrations: found };
    }
    const last = found.at(-1);
    return {
      registrations: found,
      ...(last ? { after: Buffer.from(last.emailHash).toString('base64url') } : {}),
    };
  }

  /** An open day's registrations, read consistently: the door list shows a check-in made a moment ago. */
  private registrationsQuery(openDayId: string) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :registration)',
      ExpressionAttributeValues: {
        ':pk': keys.openDay(openDayId).pk,
        ':registration': REGISTRATION_PREFIX,
      } as Record<string, unknown>,
      ConsistentRead: true,
    } satisfies QueryCommandInput;
  }
}

/** A cursor is the last registration's address hash (64 hex digits); anything else was not handed out. */
function emailHashOf(cursor: string): string {
  const emailHash = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f]{64}$/.test(emailHash)) throw new InvalidRegistrationCursor(cursor);
  return emailHash;
}
