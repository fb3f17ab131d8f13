import { describe, expect, it } from 'vitest';
import {
  CHECK_IN_OPENS_BEFORE_START_MS,
  type CheckInDeps,
  checkIn,
  checkInWindow,
  doorsOpen,
} from '#shared/open-days/check-in.ts';
import type { OpenDay, Registration } from '#shared/open-days/open-day.ts';
import { signRegistrationToken } from '#shared/open-days/registration-link.ts';
import { TEST_KEYS } from './support/capture.ts';
import { anOpenDay, OPEN_DAY_ID, REGISTRATION_ID, theRegistration } from './support/open-days.ts';

const OTHER_OPEN_DAY_ID = '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HOUR = 3_600_000;

// The unit tests' open day: 10:00-13:00 Moscow time on 10 December 2026 (07:00-10:00 UTC).
const theOpenDay = (more: Partial<OpenDay> = {}): OpenDay => ({
  ...anOpenDay(),
  openDayId: OPEN_DAY_ID,
  ...more,
});
const duringIt = new Date('2026-12-10T08:00:00.000Z');

/** One open day with one registration, checked in as the store does it: once, counted once. */
function world(openDay: OpenDay, registration: Registration, now = duringIt) {
  const state = { registration, attended: 0, writes: 0 };
  const deps: CheckInDeps = {
    keys: TEST_KEYS,
    now: () => now,
    openDays: {
      get: async (id) => (id === openDay.openDayId ? openDay : undefined),
      registration: async (id, hash) =>
        id === state.registration.openDayId && hash === state.registration.emailHash
          ? state.registration
          : undefined,
      registrationById: async (id, registrationId) =>
        id === state.registration.openDayId && registrationId === state.registration.registrationId
          ? state.registration
          : undefined,
      checkIn: async (read, checkedIn) => {
        state.writes++;
        const kept = state.registration;
        if (kept.registrationId !== read.registrationId) return { outcome: 'not_found' };
        if (kept.checkedIn)
          return { outcome: 'already_checked_in', registration: { ...kept, checkedIn: kept.checkedIn } };
        if (kept.status !== 'confirmed') return { outcome: 'not_confirmed', registration: kept };
        state.registration = { ...kept, checkedIn };
        state.attended++;
        return { outcome: 'checked_in', registration: { ...kept, checkedIn } };
      },
    },
  };
  return { deps, state };
}

const codeOf = (
  registration: Registration,
  use: 'check_in' | 'manage' = 'check_in',
  openDayId = registration.openDayId,
  endsAt = theOpenDay().endsAt,
) =>
  signRegistrationToken(
    TEST_KEYS,
    use,
    { openDayId, emailHash: registration.emailHash, registrationId: registration.registrationId },
    endsAt,
  );

const scan = (deps: CheckInDeps, body: unknown) =>
  checkIn(deps, { openDayId: OPEN_DAY_ID, body, staffId: 'pm-ivanova' });

describe('the doors of an open day', () => {
  it('open two hours before the start and close two hours after the end, both ends included', () => {
    const openDay = theOpenDay();
    expect(CHECK_IN_OPENS_BEFORE_START_MS).toBe(2 * HOUR);
    expect(openDay.checkInMinutesAfterEnd).toBe(120);
    expect(checkInWindow(openDay)).toEqual({
      opensAt: '2026-12-10T05:00:00.000Z',
      closesAt: '2026-12-10T12:00:00.000Z',
    });
    for (const [at, open] of [
      ['2026-12-10T04:59:59.999Z', false],
      ['2026-12-10T05:00:00.000Z', true],
      ['2026-12-10T08:00:00.000Z', true],
      ['2026-12-10T12:00:00.000Z', true],
      ['2026-12-10T12:00:00.001Z', false],
    ] as const) {
      expect(doorsOpen(openDay, new Date(at)), at).toBe(open);
    }
  });

  it('stay shut for a cancelled open day, and a check-in outside the hours says when they are', async () => {
    expect(doorsOpen(theOpenDay({ status: 'cancelled' }), duringIt)).toBe(false);
    const registration = theRegistration();
    const { deps, state } = world(theOpenDay(), registration, new Date('2026-12-09T12:00:00.000Z'));
    expect(await scan(deps, { code: await codeOf(registration) })).toEqual({
      kind: 'closed',
      opensAt: '2026-12-10T05:00:00.000Z',
      closesAt: '2026-12-10T12:00:00.000Z',
    });
    expect(state.writes).toBe(0);
  });
});

describe('checking a person in', () => {
  it('checks in by the code once: a second scan reports the first, not counted again', async () => {
    const registration = theRegistration();
    const { deps, state } = world(theOpenDay(), registration);
    const code = await codeOf(registration);
    const first = await scan(deps, { code });
    expect(first).toMatchObject({
      kind: 'checked_in',
      registration: {
        registrationId: REGISTRATION_ID,
        checkedIn: { at: duringIt.toISOString(), by: 'pm-ivanova' },
      },
    });
    const second = await checkIn(deps, { openDayId: OPEN_DAY_ID, body: { code }, staffId: 'pm-petrov' });
    expect(second).toMatchObject({
      kind: 'already_checked_in',
      registration: { checkedIn: { at: duringIt.toISOString(), by: 'pm-ivanova' } },
    });
    expect(state.attended).toBe(1);
    // Already marked when read: the repeat writes nothing.
    expect(state.writes).toBe(1);
  });

  it('checks in by the registration picked from the list, and knows no other', async () => {
    const { deps, state } = world(theOpenDay(), theRegistration());
    expect(await scan(deps, { registrationId: REGISTRATION_ID })).toMatchObject({ kind: 'checked_in' });
    expect(await scan(deps, { registrationId: '9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f' })).toEqual({
      kind: 'no_registration',
    });
    expect(state.attended).toBe(1);
  });

  it.each(['waitlisted', 'offered', 'cancelled'] as const)(
    'refuses a %s registration, writing nothing',
    async (status) => {
      const registration = theRegistration({ status });
      const { deps, state } = world(theOpenDay(), registration);
      expect(await scan(deps, { code: await codeOf(registration) })).toMatchObject({
        kind: 'not_confirmed',
        registration: { status },
      });
      expect(state.writes).toBe(0);
    },
  );

  it('reads only a genuine check-in code of this open day', async () => {
    const registration = theRegistration();
    const { deps, state } = world(theOpenDay(), registration);
    const code = await codeOf(registration);
    const [head, payload, signature] = code.split('.');
    const forged = `${head}.${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    expect(await scan(deps, { code: forged })).toEqual({ kind: 'invalid_code', reason: 'bad_signature' });
    // The manage link of the same registration opens its page, and lets nobody in.
    expect(await scan(deps, { code: await codeOf(registration, 'manage') })).toEqual({
      kind: 'invalid_code',
      reason: 'wrong_purpose',
    });
    expect(await scan(deps, { code: 'K7Q-2M9' })).toEqual({ kind: 'invalid_code', reason: 'malformed' });
    expect(await scan(deps, { code: await codeOf(registration, 'check_in', OTHER_OPEN_DAY_ID) })).toEqual({
      kind: 'other_open_day',
    });
    // Signed for an open day that ended long ago: expired a week after its end.
    const stale = await codeOf(registration, 'check_in', OPEN_DAY_ID, '2026-12-01T10:00:00.000Z');
    expect(await scan(deps, { code: stale })).toEqual({ kind: 'invalid_code', reason: 'expired' });
    // The code of a registration given up and made again: the newer confirmation has its own.
    const older = await codeOf({ ...registration, registrationId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' });
    expect(await scan(deps, { code: older })).toEqual({ kind: 'no_registration' });
    expect(state.writes).toBe(0);
  });

  it('asks for a code or a registration id, exactly one, naming the field', async () => {
    const { deps } = world(theOpenDay(), theRegistration());
    const pathsOf = async (body: unknown) => {
      const answer = await scan(deps, body);
      return answer.kind === 'invalid' ? answer.issues.map((i) => i.path) : answer.kind;
    };
    expect(await pathsOf({})).toEqual(['code']);
    expect(await pathsOf({ code: 'x', registrationId: REGISTRATION_ID })).toEqual(['code']);
    expect(await pathsOf({ registrationId: 'not-an-id' })).toEqual(['registrationId']);
    expect(await pathsOf({ code: '', extra: 1 })).toEqual(['code', 'extra']);
    expect(await pathsOf('a code')).toEqual(['']);
  });

  it('answers an unknown open day as unknown', async () => {
    const { deps } = world(theOpenDay(), theRegistration());
    expect(
      await checkIn(deps, {
        openDayId: OTHER_OPEN_DAY_ID,
        body: { registrationId: REGISTRATION_ID },
        staffId: 'x',
      }),
    ).toEqual({ kind: 'no_open_day' });
  });
});
