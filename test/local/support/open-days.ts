import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Keys } from '#shared/access/keys.ts';
import { OpenDayStore } from '#shared/adapters/open-day-store.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import type { OpenDay, OpenDayInput, Registration } from '#shared/open-days/open-day.ts';
import type { OpenDays } from '#shared/open-days/ports.ts';
import { AT, anOpenDay, aRegistration } from '../../unit/support/open-days.ts';
import { startAttractTable } from './attract-table.ts';

/** An open day planned and stored, with no seat taken yet (the unit tests' open day, a fresh id). */
export async function storedOpenDay(store: OpenDays, more: Partial<OpenDayInput> = {}): Promise<OpenDay> {
  const openDay = { ...anOpenDay(more), openDayId: randomUUID(), seatsTaken: 0, waitlisted: 0 };
  expect(await store.create(openDay)).toBe('created');
  return openDay;
}

/** The n-th guest's registration of an open day, made at `registeredAt`, their address keyed by `keys`. */
export function aGuest(keys: Keys, openDayId: string, n: number, registeredAt = AT): Registration {
  const email = `guest${n}@firm${n}.example`;
  return aRegistration({
    openDayId,
    registrationId: randomUUID(),
    emailHash: addressHashOf(keys, email),
    contact: { name: `Гость ${n}`, email },
    company: { name: `ООО «Гость ${n}»`, inn: '7707083893' },
    products: ['settlement_account'],
    registeredAt,
    updatedAt: registeredAt,
  });
}

/** Step Functions as the sweep sees it: the runs it was asked to start, by open day. */
export function recordedRuns() {
  const started: string[] = [];
  return {
    started,
    start: async (openDayId: string, run = openDayId) => {
      started.push(run);
      return 'started' as const;
    },
  };
}

/**
 * DynamoDB Local with the Attract table for this file, and the open days' store on it: started before the
 * file's tests, stopped after them.
 */
export function onDynamoDbLocal() {
  let table: Awaited<ReturnType<typeof startAttractTable>> | undefined;
  let store: OpenDayStore | undefined;
  beforeAll(async () => {
    table = await startAttractTable();
    store = new OpenDayStore(table.documentClient, table.tableName);
  });
  afterAll(async () => {
    await table?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('DynamoDB Local is not started: use it inside the tests');
    return value;
  };
  return {
    get table() {
      return started(table);
    },
    get store() {
      return started(store);
    },
  };
}
