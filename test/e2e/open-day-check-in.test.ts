import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanned } from '../unit/support/open-days.ts';
import { call, headToken, tokens } from './client.ts';
import { aGuest, mailCount, planned } from './open-day-fixtures.ts';

const MINUTE = 60_000;
const soon = (minutes: number) => new Date(Date.now() + minutes * MINUTE).toISOString();

/** The check-in code in the confirmation email's text (a signed token, as a QR of it shows at the door). */
const checkInCode = (text: string) => {
  const code = /: ([\w-]+\.[\w-]+\.[\w-]+)\. /.exec(text.slice(text.search(/код для входа|check-in code/i)));
  if (!code?.[1]) throw new Error('no check-in code in the email');
  return code[1];
};

describe("an open day's door on the local runtime", () => {
  it('checks a person in by the code from their email once, reports a second scan, and refuses the waitlisted', async () => {
    // Starting in three minutes: the doors are open (from two hours before the start).
    const { openDayId } = await planned({
      startsAt: soon(3),
      endsAt: soon(63),
      registrationClosesAt: soon(2),
    });
    const tag = randomUUID().slice(0, 8);
    const anna = `anna-${tag}@firm.example`;
    const register = (email: string, name: string) =>
      call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest(name, email) });
    const seat = await register(anna, 'Анна');
    expect(seat.body.status).toBe('confirmed');
    const line = await register(`boris-${tag}@firm.example`, 'Борис');
    expect(line.body.status).toBe('waitlisted');

    const [confirmation] = await mailCount(anna, 1);
    // The door's scanner reads the QR code shown in the email: the very code its text gives.
    const code = scanned(confirmation?.checkInImage ?? new Uint8Array()) ?? '';
    expect(code).toBe(checkInCode(confirmation?.text ?? ''));
    const door = `/v1/open-days/${openDayId}/check-ins`;
    const petrov = tokens()['pm-petrov'] ?? '';

    const first = await call('POST', door, { token: petrov, body: { code } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      outcome: 'checked_in',
      registrationId: seat.body.registrationId,
      name: 'Анна',
      company: 'ООО «Анна»',
    });
    expect(JSON.stringify(first.body)).not.toContain(anna);
    // The second scan, at another door by the head of unit: who and when of the first, not counted again.
    const second = await call('POST', door, { token: headToken(), body: { code } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, outcome: 'already_checked_in' });
    const read = await call('GET', `/v1/open-days/${openDayId}`, { token: headToken() });
    expect(read.body).toMatchObject({ attended: 1, seatsTaken: 1, waitlisted: 1 });

    // Boris waits for a seat: picked from the list, he is not let in.
    const waiting = await call('POST', door, {
      token: tokens()['anna.campaigns'] ?? '',
      body: { registrationId: line.body.registrationId },
    });
    expect(waiting.status).toBe(409);
    expect(waiting.body.error).toMatchObject({
      code: 'not_confirmed',
      registrationId: line.body.registrationId,
      status: 'waitlisted',
    });

    // A code altered by a character, and a registration manage link scanned by mistake: the field at fault.
    const altered = `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`;
    const forged = await call('POST', door, { token: petrov, body: { code: altered } });
    expect(forged.status).toBe(422);
    expect(forged.body.error).toMatchObject({ code: 'invalid_code', issues: [{ path: 'code' }] });
    const neither = await call('POST', door, { token: petrov, body: {} });
    expect(neither.status).toBe(400);

    // The door list: both, Anna checked in; names and companies, no contacts.
    const list = await call('GET', `/v1/open-days/${openDayId}/registrations?limit=1`, { token: petrov });
    expect(list.status).toBe(200);
    expect(list.body.registrations).toHaveLength(1);
    const rest = await call(
      'GET',
      `/v1/open-days/${openDayId}/registrations?limit=5&after=${encodeURIComponent(list.body.next)}`,
      { token: petrov },
    );
    const everyone = [...list.body.registrations, ...rest.body.registrations];
    expect(everyone.map((r: { name: string }) => r.name).sort()).toEqual(['Анна', 'Борис']);
    expect(everyone.find((r: { name: string }) => r.name === 'Анна')?.checkedIn).toEqual({
      at: first.body.checkedInAt,
      by: first.body.by,
    });
    expect(JSON.stringify(everyone)).not.toMatch(/@firm\.example/);
    const confirmed = await call('GET', `/v1/open-days/${openDayId}/registrations?status=confirmed`, {
      token: petrov,
    });
    expect(confirmed.body.registrations.map((r: { name: string }) => r.name)).toEqual(['Анна']);

    // The compliance officer reads open days but works no door; without a token, the gateway refuses.
    const compliance = tokens()['oleg.compliance'] ?? '';
    expect((await call('POST', door, { token: compliance, body: { code } })).status).toBe(403);
    expect(
      (await call('GET', `/v1/open-days/${openDayId}/registrations`, { token: compliance })).status,
    ).toBe(403);
    expect((await call('POST', door, { body: { code } })).status).toBe(401);
    expect((await call('GET', `/v1/open-days/${openDayId}/registrations`)).status).toBe(401);
  });

  it('keeps the doors shut a week before the open day', async () => {
    const { openDayId } = await planned();
    const guest = await call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest('Вера') });
    const early = await call('POST', `/v1/open-days/${openDayId}/check-ins`, {
      token: headToken(),
      body: { registrationId: guest.body.registrationId },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('check_in_closed');
  });
});
