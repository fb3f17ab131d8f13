import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Keys } from '#shared/access/keys.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import type { OpenDay, OpenDayInput, Registration } from '#shared/open-days/open-day.ts';
import type { OpenDays } from '#shared/open-days/ports.ts';
import { AT, anOpenDay, aRegistration } from '../../unit/support/open-days.ts';

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
    start: async (openDayId: string) => {
      started.push(openDayId);
      return 'started' as const;
    },
  };
}
