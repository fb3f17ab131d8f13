import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { checkIn } from '#shared/open-days/check-in.ts';
import type { Registration } from '#shared/open-days/open-day.ts';
import { InvalidRegistrationCursor } from '#shared/open-days/ports.ts';
import { signRegistrationToken } from '#shared/open-days/registration-link.ts';
import { aGuest, onDynamoDbLocal, storedOpenDay } from './support/open-days.ts';

const local = onDynamoDbLocal();

const doorKeys = Keys.derive('open-day-door-test-key-material-0123456789ab');
// The stored open day is the unit tests' one: 10:00-13:00 Moscow time on 10 December 2026.
const AT = '2026-12-01T09:00:00.000Z';
const DURING = new Date('2026-12-10T07:30:00.000Z');
const deps = () => ({ openDays: local.store, keys: doorKeys, now: () => DURING });

/** An open day of `capacity` seats and `people` registered in order: the first `capacity` hold seats. */
async function registered(capacity: number, people: number) {
  const openDay = await storedOpenDay(local.store, { capacity });
  const guests: Registration[] = [];
  for (let n = 0; n < people; n++) {
    const guest = aGuest(
      doorKeys,
      openDay.openDayId,
      n,
      `2026-12-01T09:00:${String(n).padStart(2, '0')}.000Z`,
    );
    const answer = await local.store.register(guest, AT);
    if (answer.outcome !== 'confirmed' && answer.outcome !== 'waitlisted') throw new Error(answer.outcome);
    guests.push(answer.registration);
  }
  return { openDay, guests };
}

const codeOf = (registration: Registration, endsAt: string) =>
  signRegistrationToken(doorKeys, 'check_in', registration, endsAt);

describe("an open day's door on DynamoDB Local", () => {
  it('counts two scans of one code at once exactly once: one checks in, the other reads the mark that won', async () => {
    const { openDay, guests } = await registered(2, 2);
    const [anna] = guests as [Registration];
    const code = await codeOf(anna, openDay.endsAt);
    const scans = await Promise.all(
      ['pm-ivanova', 'pm-petrov', 'pm-ivanova', 'pm-petrov'].map((staffId) =>
        checkIn(deps(), { openDayId: openDay.openDayId, body: { code }, staffId }),
      ),
    );
    const kinds = scans.map((s) => s.kind).sort();
    expect(kinds).toEqual(['already_checked_in', 'already_checked_in', 'already_checked_in', 'checked_in']);
    const marks = scans.map((s) => ('registration' in s ? s.registration.checkedIn : undefined));
    // Every answer names the one mark that was kept.
    expect(new Set(marks.map((m) => JSON.stringify(m))).size).toBe(1);
    expect(await local.store.get(openDay.openDayId)).toMatchObject({ attended: 1, seatsTaken: 2 });
    expect((await local.store.registration(openDay.openDayId, anna.emailHash))?.checkedIn).toEqual(marks[0]);

    // By the list, the same person again: reported, not counted.
    const byId = await checkIn(deps(), {
      openDayId: openDay.openDayId,
      body: { registrationId: anna.registrationId },
      staffId: 'irina.head',
    });
    expect(byId).toMatchObject({ kind: 'already_checked_in', registration: { checkedIn: marks[0] } });
    expect(await local.store.get(openDay.openDayId)).toMatchObject({ attended: 1 });
  });

  it('refuses a waitlisted person, by the list or by a write that finds them no longer confirmed', async () => {
    const { openDay, guests } = await registered(1, 2);
    const [held, waiting] = guests as [Registration, Registration];
    expect(waiting.status).toBe('waitlisted');
    const answer = await checkIn(deps(), {
      openDayId: openDay.openDayId,
      body: { registrationId: waiting.registrationId },
      staffId: 'pm-ivanova',
    });
    expect(answer).toMatchObject({ kind: 'not_confirmed', registration: { status: 'waitlisted' } });
    // The seat given up between the read and the write: the write's condition refuses it.
    await local.store.giveUp(openDay.openDayId, held.emailHash, AT);
    expect(await local.store.checkIn(held, { at: DURING.toISOString(), by: 'pm-ivanova' })).toMatchObject({
      outcome: 'not_confirmed',
      registration: { status: 'cancelled' },
    });
    expect((await local.store.get(openDay.openDayId))?.attended).toBeUndefined();
  });

  it('lists the registrations a page at a time, every one once, by status when asked', async () => {
    const { openDay, guests } = await registered(5, 8);
    const { openDayId } = openDay;
    await local.store.checkIn(guests[0] as Registration, { at: DURING.toISOString(), by: 'pm-ivanova' });

    const seen: Registration[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await local.store.registrations(openDayId, { limit: 3, ...(after ? { after } : {}) });
      expect(page.registrations.length).toBeLessThanOrEqual(3);
      seen.push(...page.registrations);
      after = page.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.registrationId).sort()).toEqual(guests.map((g) => g.registrationId).sort());
    expect(seen.find((r) => r.registrationId === guests[0]?.registrationId)?.checkedIn).toEqual({
      at: DURING.toISOString(),
      by: 'pm-ivanova',
    });

    // Filtered: pages are filled however the statuses lie among the keys.
    const waiting: string[] = [];
    after = undefined;
    do {
      const page = await local.store.registrations(openDayId, {
        limit: 2,
        status: 'waitlisted',
        ...(after ? { after } : {}),
      });
      if (page.after) expect(page.registrations).toHaveLength(2);
      waiting.push(...page.registrations.map((r) => r.registrationId));
      after = page.after;
    } while (after);
    expect(waiting.sort()).toEqual(
      guests
        .filter((g) => g.status === 'waitlisted')
        .map((g) => g.registrationId)
        .sort(),
    );

    expect(await local.store.registrationById(openDayId, guests[7]?.registrationId ?? '')).toMatchObject({
      registrationId: guests[7]?.registrationId,
      status: 'waitlisted',
    });
    expect(
      await local.store.registrationById(openDayId, '9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f'),
    ).toBeUndefined();
    await expect(
      local.store.registrations(openDayId, { limit: 3, after: 'not-a-cursor' }),
    ).rejects.toBeInstanceOf(InvalidRegistrationCursor);
  });
});
