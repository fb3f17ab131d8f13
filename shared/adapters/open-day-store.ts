import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentEvidence } from '../consents/evidence.ts';
import type { OpenDay, Registration } from '../open-days/open-day.ts';
import {
  type GivenUp,
  InvalidOpenDayCursor,
  type OfferAnswer,
  type OpenDayPage,
  type OpenDays,
  type Registered,
} from '../open-days/ports.ts';
import { consentEvidenceItems } from './consent-store.ts';
import { noticeListing, OpenDayTimeline, RUNS_PENDING, SEAT_OFFERS_LIST } from './open-day-timeline.ts';
import { keys, MANAGERS_INDEX, type TransactItems, transact, WAITLIST_PREFIX, withoutKeys } from './table.ts';

/** The open day's item: its seat ledger is `holders`, a set of registration ids (absent when empty). */
type StoredOpenDay = Omit<OpenDay, 'seatsTaken'> & { holders?: Set<string> };

/** An open day's registrations sort by their address's keyed hash under this prefix. */

/** Rounds of reading and writing again when another writer came first. */
const MAX_ROUNDS = 10;

/** A seat is free while the ledger holds fewer ids than the capacity. */
const SEAT_FREE = '(attribute_not_exists(holders) OR size(holders) < #capacity)';
/** Registrations are taken while the open day is on and its registration open. */
const TAKING = '#status = :open AND registrationClosesAt > :at';

/**
 * Open days and their registrations, in one partition per open day (`OPEN_DAY#<id>`): the open day with its
 * seat ledger, a registration per address (`REG#<emailHash>`), and the waitlist in the order people came
 * (`WAITLIST#<registeredAt>#<registrationId>`). Every seat changes hands in a transaction with the
 * registration it belongs to, under a condition on the ledger (docs/open-days.md, "Registration is exact").
 */
export class OpenDayStore extends OpenDayTimeline implements OpenDays {
  async create(openDay: OpenDay): Promise<'created' | 'exists'> {
    const { seatsTaken: _none, ...stored } = openDay;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.openDay(openDay.openDayId),
            type: 'OpenDay',
            gsi1pk: OPEN_DAYS_LIST,
            gsi1sk: `${openDay.startsAt}#${openDay.openDayId}`,
            // Listed until its OpenDay run is known started (the outbox: the sweep starts any left).
            gsi2pk: RUNS_PENDING,
            gsi2sk: `${openDay.createdAt}#${openDay.openDayId}`,
            ...stored,
            waitlisted: 0,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async get(openDayId: string): Promise<OpenDay | undefined> {
    const item = await this.read(keys.openDay(openDayId));
    return item && openDayOf(item);
  }

  async list(page: { limit: number; after?: string }): Promise<OpenDayPage> {
    const after = page.after === undefined ? undefined : listKeyOf(page.after);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MANAGERS_INDEX.name,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': OPEN_DAYS_LIST },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(after
          ? {
              ExclusiveStartKey: {
                ...keys.openDay(after.openDayId),
                gsi1pk: OPEN_DAYS_LIST,
                gsi1sk: after.sk,
              },
            }
          : {}),
      }),
    );
    const last = LastEvaluatedKey?.gsi1sk;
    return {
      openDays: Items.map(openDayOf),
      ...(typeof last === 'string' ? { after: Buffer.from(last).toString('base64url') } : {}),
    };
  }

  async registration(openDayId: string, emailHash: string): Promise<Registration | undefined> {
    const item = await this.read(keys.registration(openDayId, emailHash));
    return item && withoutKeys<Registration>(item);
  }

  async register(
    registration: Registration,
    at: string,
    evidence: readonly ConsentEvidence[] = [],
  ): Promise<Registered> {
    const { openDayId, registrationId } = registration;
    const confirmed = {
      ...registration,
      status: 'confirmed' as const,
      notice: { kind: 'confirmed' as const, at },
    };
    // A seat: the registration and the ledger's new holder, while a seat is free and nobody waits for one.
    const seat = await transact(this.client, [
      this.newRegistration(confirmed),
      this.openDayUpdate(openDayId, {
        UpdateExpression: 'ADD holders :id',
        ConditionExpression: `${TAKING} AND ${SEAT_FREE} AND waitlisted = :none`,
        ExpressionAttributeValues: { ':id': new Set([registrationId]), ':at': at, ':none': 0 },
      }),
      ...consentEvidenceItems(this.tableName, evidence),
    ]);
    if (!seat) return { outcome: 'confirmed', registration: confirmed };
    if (seat[0]?.code === 'ConditionalCheckFailed') return this.existing(registration);
    const openDay = seat[1]?.item;
    if (!openDay) return { outcome: 'not_found' };
    if (openDay.status !== 'open' || String(openDay.registrationClosesAt) <= at) return { outcome: 'closed' };

    // Full, or people wait: the next place in line.
    const waiting = {
      ...registration,
      status: 'waitlisted' as const,
      notice: { kind: 'waitlisted' as const, at },
    };
    const line = await transact(this.client, [
      this.newRegistration(waiting),
      this.waitlistPut(waiting),
      this.openDayUpdate(openDayId, {
        UpdateExpression: 'ADD waitlisted :one',
        ConditionExpression: TAKING,
        ExpressionAttributeValues: { ':one': 1, ':at': at },
      }),
      ...consentEvidenceItems(this.tableName, evidence),
    ]);
    if (!line) return { outcome: 'waitlisted', registration: waiting };
    if (line[0]?.code === 'ConditionalCheckFailed') return this.existing(registration);
    return { outcome: 'closed' };
  }

  async giveUp(openDayId: string, emailHash: string, at: string): Promise<GivenUp> {
    for (let attempt = 1; ; attempt++) {
      const registration = await this.registration(openDayId, emailHash);
      if (!registration || registration.status === 'cancelled') return { outcome: 'not_held' };
      const notice = { kind: 'cancelled' as const, at, heldSeat: registration.status === 'confirmed' };
      const cancelled = { ...registration, status: 'cancelled' as const, updatedAt: at, notice };
      const refused = await transact(this.client, [
        this.registrationChange(registration, { status: 'cancelled', updatedAt: at, notice }),
        ...this.released(registration),
      ]);
      if (!refused) return { outcome: 'cancelled', registration: cancelled };
      // Refused: it changed meanwhile (an offer taken, a promotion); read it again and decide again.
      if (attempt >= MAX_ROUNDS) throw new Error(`Open day ${openDayId}: a registration kept changing`);
    }
  }

  async offerFreeSeats(openDayId: string, at: string, until: string): Promise<Registration[]> {
    const offered: Registration[] = [];
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const openDay = await this.get(openDayId);
      if (openDay?.status !== 'open' || openDay.startsAt <= at) return offered;
      const free = openDay.capacity - openDay.seatsTaken;
      if (free <= 0 || openDay.waitlisted === 0) return offered;
      const { Items = [] } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
          ExpressionAttributeValues: { ':pk': keys.openDay(openDayId).pk, ':line': WAITLIST_PREFIX },
          ConsistentRead: true,
          Limit: free,
        }),
      );
      if (Items.length === 0) return offered;
      for (const place of Items) {
        const registration = await this.registration(openDayId, String(place.emailHash));
        if (registration?.status !== 'waitlisted') continue;
        const offer = {
          status: 'offered' as const,
          offerUntil: until,
          updatedAt: at,
          notice: { kind: 'offered' as const, at },
        };
        const refused = await transact(this.client, [
          // Listed by when the offer runs out, for the sweep that passes unanswered offers on.
          this.registrationChange(registration, {
            ...offer,
            gsi1pk: SEAT_OFFERS_LIST,
            gsi1sk: `${until}#${registration.registrationId}`,
          }),
          { Delete: { TableName: this.tableName, Key: { pk: place.pk, sk: place.sk } } },
          this.openDayUpdate(openDayId, {
            UpdateExpression: 'ADD holders :id, waitlisted :less',
            ConditionExpression: `#status = :open AND ${SEAT_FREE}`,
            ExpressionAttributeValues: { ':id': new Set([registration.registrationId]), ':less': -1 },
          }),
        ]);
        if (!refused) offered.push({ ...registration, ...offer });
      }
    }
    // Another writer keeps taking the seats or the places first: what was offered stands, the rest waits
    // for the next release (each one offers the free seats again).
    return offered;
  }

  async takeOffer(openDayId: string, emailHash: string, at: string): Promise<OfferAnswer> {
    const registration = await this.registration(openDayId, emailHash);
    if (registration?.status !== 'offered') return { outcome: 'not_offered' };
    if ((registration.offerUntil ?? '') <= at) return { outcome: 'expired' };
    const taken = { status: 'confirmed' as const, updatedAt: at, notice: { kind: 'confirmed' as const, at } };
    const refused = await transact(this.client, [
      this.registrationChange(registration, taken, { offerBefore: at }),
    ]);
    if (!refused) {
      const { offerUntil: _held, ...rest } = registration;
      return { outcome: 'confirmed', registration: { ...rest, ...taken } };
    }
    const now = await this.registration(openDayId, emailHash);
    return now?.status === 'confirmed' ? { outcome: 'confirmed', registration: now } : { outcome: 'expired' };
  }

  async withdrawOffer(
    openDayId: string,
    emailHash: string,
    at: string,
  ): Promise<'withdrawn' | 'not_offered'> {
    const registration = await this.registration(openDayId, emailHash);
    if (registration?.status !== 'offered' || (registration.offerUntil ?? '') > at) return 'not_offered';
    const notice = { kind: 'offer_expired' as const, at };
    const refused = await transact(this.client, [
      this.registrationChange(registration, { status: 'cancelled', updatedAt: at, notice }),
      ...this.released(registration),
    ]);
    return refused ? 'not_offered' : 'withdrawn';
  }

  private async existing(registration: Registration): Promise<Registered> {
    const held = await this.registration(registration.openDayId, registration.emailHash);
    if (!held)
      throw new Error(`Open day ${registration.openDayId}: a registration refused as existing is not there`);
    return { outcome: 'exists', registration: held };
  }

  /** What a registration leaving its seat or its place in line changes beside it. */
  private released(registration: Registration): TransactItems {
    const { openDayId, registrationId } = registration;
    if (registration.status === 'waitlisted') {
      return [
        {
          Delete: {
            TableName: this.tableName,
            Key: keys.waitlistPlace(openDayId, registration.registeredAt, registrationId),
          },
        },
        this.openDayUpdate(openDayId, {
          UpdateExpression: 'ADD waitlisted :less',
          ExpressionAttributeValues: { ':less': -1 },
        }),
      ];
    }
    return [
      this.openDayUpdate(openDayId, {
        UpdateExpression: 'DELETE holders :id',
        ConditionExpression: 'contains(holders, :held)',
        ExpressionAttributeValues: { ':id': new Set([registrationId]), ':held': registrationId },
      }),
    ];
  }

  private newRegistration(registration: Registration) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.registration(registration.openDayId, registration.emailHash),
          type: 'Registration',
          ...registration,
          ...(registration.notice ? noticeListing(registration.registrationId, registration.notice.at) : {}),
        },
        // One registration per address; one given up may be made again (at the end of the line).
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'cancelled' },
      },
    };
  }

  private waitlistPut(registration: Registration) {
    const { openDayId, registeredAt, registrationId, emailHash } = registration;
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.waitlistPlace(openDayId, registeredAt, registrationId),
          type: 'WaitlistPlace',
          emailHash,
        },
      },
    };
  }

  /** A registration's change from the status it was read in (an offer's also only while it holds). */
  private registrationChange(
    registration: Registration,
    set: Partial<Registration> & { gsi1pk?: string; gsi1sk?: string },
    options: { offerBefore?: string } = {},
  ) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':read': registration.status };
    const owed = set.notice ? noticeListing(registration.registrationId, set.notice.at) : {};
    const sets = Object.entries({ ...set, ...owed }).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    // Leaving an offer: off the list of offers too.
    const removes =
      registration.status === 'offered' && set.status !== 'offered'
        ? ' REMOVE offerUntil, gsi1pk, gsi1sk'
        : '';
    let condition = '#status = :read';
    if (options.offerBefore) {
      condition += ' AND offerUntil > :offerBefore';
      values[':offerBefore'] = options.offerBefore;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.registration(registration.openDayId, registration.emailHash),
        UpdateExpression: `SET ${sets.join(', ')}${removes}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private openDayUpdate(
    openDayId: string,
    update: {
      UpdateExpression: string;
      ConditionExpression?: string;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ) {
    const condition = update.ConditionExpression ?? 'attribute_exists(pk)';
    const usesStatus = condition.includes('#status');
    // `status` and `capacity` are reserved words in expressions.
    const names = Object.fromEntries(
      ['status', 'capacity']
        .filter((name) => condition.includes(`#${name}`))
        .map((name) => [`#${name}`, name]),
    );
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.openDay(openDayId),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: condition,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: {
          ...update.ExpressionAttributeValues,
          ...(usesStatus ? { ':open': 'open' } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  private async read(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }
}

/** The GSI1 partition that lists open days, latest start first. */
const OPEN_DAYS_LIST = 'OPEN_DAYS';
/** A list cursor is the last open day's `<startsAt>#<openDayId>`; anything else is not one handed out. */
function listKeyOf(cursor: string): { sk: string; openDayId: string } {
  const sk = Buffer.from(cursor, 'base64url').toString();
  const match = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#([0-9a-f-]{36})$/.exec(sk);
  if (!match?.[1]) throw new InvalidOpenDayCursor(cursor);
  return { sk, openDayId: match[1] };
}

function openDayOf(item: Record<string, unknown>): OpenDay {
  const { holders, ...openDay } = withoutKeys<StoredOpenDay>(item);
  return { ...openDay, seatsTaken: holders?.size ?? 0 };
}
