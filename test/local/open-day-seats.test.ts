import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { keys } from '#shared/adapters/table.ts';
import type { Registration } from '#shared/open-days/open-day.ts';
import { sweepOpenDays } from '#shared/open-days/sweep-open-days.ts';
import { aGuest, onDynamoDbLocal, recordedRuns, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const seatKeys = Keys.derive('open-day-seats-test-key-material-0123456789');
const AT = '2026-12-01T09:00:00.000Z';

const anOpenDay = (capacity: number) => storedOpenDay(local.store, { capacity });
const aRegistration = (openDayId: string, n: number, registeredAt = AT) =>
  aGuest(seatKeys, openDayId, n, registeredAt);

/** The waitlist as stored, in order. */
async function line(openDayId: string): Promise<string[]> {
  const { Items = [] } = await local.table.documentClient.send(
    new QueryCommand({
      TableName: local.table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
      ExpressionAttributeValues: { ':pk': keys.openDay(openDayId).pk, ':line': 'WAITLIST#' },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => String(item.emailHash));
}

describe("an open day's seats on DynamoDB Local", () => {
  it('gives 200 people registering at once for 100 seats exactly 100 seats and 100 places in line', async () => {
    const openDay = await anOpenDay(100);
    const people = Array.from({ length: 200 }, (_, n) => aRegistration(openDay.openDayId, n));
    const answers = await Promise.all(people.map((p) => local.store.register(p, AT)));

    const outcomes = answers.map((a) => a.outcome);
    expect(outcomes.filter((o) => o === 'confirmed')).toHaveLength(100);
    expect(outcomes.filter((o) => o === 'waitlisted')).toHaveLength(100);
    expect(await local.store.get(openDay.openDayId)).toMatchObject({ seatsTaken: 100, waitlisted: 100 });
    // Every one of them is kept, in the status they were told.
    for (const [i, person] of people.entries()) {
      const kept = await local.store.registration(openDay.openDayId, person.emailHash);
      expect(kept?.status).toBe(outcomes[i]);
    }
    expect(new Set(await line(openDay.openDayId)).size).toBe(100);

    // The same address again: the registration it has, nothing taken twice.
    const again = await local.store.register(
      { ...aRegistration(openDay.openDayId, 0), registrationId: randomUUID() },
      AT,
    );
    expect(again).toMatchObject({
      outcome: 'exists',
      registration: { registrationId: people[0]?.registrationId },
    });
    expect(await local.store.get(openDay.openDayId)).toMatchObject({ seatsTaken: 100, waitlisted: 100 });
  });

  it('offers a freed seat to the first in line, who holds it until the offer runs out; then it passes on', async () => {
    const openDay = await anOpenDay(2);
    const { openDayId } = openDay;
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => aRegistration(openDayId, n, `2026-12-01T09:00:0${n}.000Z`));
    for (const person of [a, b, c, d])
      await local.store.register(person as Registration, (person as Registration).registeredAt);
    expect(await line(openDayId)).toEqual([c?.emailHash, d?.emailHash]);

    // a gives the seat up: c, first in line, is offered it until tomorrow; nobody else moves.
    expect(await local.store.giveUp(openDayId, a?.emailHash ?? '', '2026-12-02T10:00:00.000Z')).toMatchObject(
      {
        outcome: 'cancelled',
      },
    );
    const offered = await local.store.offerFreeSeats(
      openDayId,
      '2026-12-02T10:00:00.000Z',
      '2026-12-03T10:00:00.000Z',
    );
    expect(offered.map((r) => r.emailHash)).toEqual([c?.emailHash]);
    expect(await local.store.get(openDayId)).toMatchObject({ seatsTaken: 2, waitlisted: 1 });
    // Nothing more to offer while c holds it; a newcomer joins the line behind d, not ahead.
    expect(
      await local.store.offerFreeSeats(openDayId, '2026-12-02T10:01:00.000Z', '2026-12-03T10:01:00.000Z'),
    ).toEqual([]);
    const e = aRegistration(openDayId, 5, '2026-12-02T11:00:00.000Z');
    expect(await local.store.register(e, e.registeredAt)).toMatchObject({ outcome: 'waitlisted' });

    // c does not answer: the offer is withdrawn only once it has run out, and the seat goes to d.
    expect(await local.store.withdrawOffer(openDayId, c?.emailHash ?? '', '2026-12-03T09:00:00.000Z')).toBe(
      'not_offered',
    );
    expect(await local.store.withdrawOffer(openDayId, c?.emailHash ?? '', '2026-12-03T10:00:00.000Z')).toBe(
      'withdrawn',
    );
    const next = await local.store.offerFreeSeats(
      openDayId,
      '2026-12-03T10:00:00.000Z',
      '2026-12-04T10:00:00.000Z',
    );
    expect(next.map((r) => r.emailHash)).toEqual([d?.emailHash]);
    expect(await local.store.takeOffer(openDayId, c?.emailHash ?? '', '2026-12-03T10:05:00.000Z')).toEqual({
      outcome: 'not_offered',
    });
    expect(
      await local.store.takeOffer(openDayId, d?.emailHash ?? '', '2026-12-03T11:00:00.000Z'),
    ).toMatchObject({
      outcome: 'confirmed',
      registration: { status: 'confirmed' },
    });
    expect(await local.store.get(openDayId)).toMatchObject({ seatsTaken: 2, waitlisted: 1 });
    expect(await line(openDayId)).toEqual([e.emailHash]);
    // A waitlisted person gives up their place: the line is empty.
    expect(await local.store.giveUp(openDayId, e.emailHash, '2026-12-03T12:00:00.000Z')).toMatchObject({
      outcome: 'cancelled',
    });
    expect(await local.store.get(openDayId)).toMatchObject({ seatsTaken: 2, waitlisted: 0 });
    expect(await local.store.giveUp(openDayId, e.emailHash, '2026-12-03T12:00:00.000Z')).toEqual({
      outcome: 'not_held',
    });
  });

  it("passes an unanswered offer on once it has run out, in the minute's sweep, and only then", async () => {
    const openDay = await anOpenDay(1);
    const { openDayId } = openDay;
    const [a, b, c] = [1, 2, 3].map((n) => aRegistration(openDayId, n, `2026-12-01T09:00:0${n}.000Z`)) as [
      Registration,
      Registration,
      Registration,
    ];
    for (const person of [a, b, c]) await local.store.register(person, person.registeredAt);
    await local.store.giveUp(openDayId, a.emailHash, '2026-12-02T10:00:00.000Z');
    await local.store.offerFreeSeats(openDayId, '2026-12-02T10:00:00.000Z', '2026-12-03T10:00:00.000Z');
    // Who is told: each change owes its registrant an email (sent by tell-registrant, tested on its own).
    const told: string[] = [];
    const tell = async (_openDay: string, emailHash: string) => {
      told.push(emailHash);
    };
    const sweep = (at: string) =>
      sweepOpenDays({ openDays: local.store, now: () => new Date(at), tell, runs: recordedRuns() });

    // Other open days' offers may be on the list too: only this one's people are looked at here.
    await sweep('2026-12-03T09:59:00.000Z');
    expect((await local.store.registration(openDayId, b.emailHash))?.status).toBe('offered');
    told.length = 0;
    await sweep('2026-12-03T10:00:30.000Z');
    expect((await local.store.registration(openDayId, b.emailHash))?.status).toBe('cancelled');
    expect(await local.store.registration(openDayId, c.emailHash)).toMatchObject({
      status: 'offered',
      offerUntil: '2026-12-04T10:00:30.000Z',
    });
    expect(await local.store.get(openDayId)).toMatchObject({ seatsTaken: 1, waitlisted: 0 });
    expect(told.slice(0, 2)).toEqual([b.emailHash, c.emailHash]);
    // Swept again: nothing changes for b, and c keeps the offer while it holds.
    await sweep('2026-12-03T10:01:00.000Z');
    expect((await local.store.registration(openDayId, c.emailHash))?.status).toBe('offered');
  });

  it('refuses registrations once registration has closed, and for an unknown open day', async () => {
    const openDay = await anOpenDay(10);
    const late = aRegistration(openDay.openDayId, 1);
    expect(await local.store.register(late, '2026-12-14T18:00:00.000Z')).toEqual({ outcome: 'closed' });
    expect(await local.store.register(aRegistration(randomUUID(), 2), AT)).toEqual({ outcome: 'not_found' });
    expect(await local.store.registration(openDay.openDayId, late.emailHash)).toBeUndefined();
  });
});
