import { describe, expect, it } from 'vitest';
import { call, headToken, tokens } from './client.ts';
import { aGuest, anOpenDay } from './open-day-fixtures.ts';

const campaigns = () => tokens()['anna.campaigns'] ?? '';
const HOUR = 3_600_000;

/** An open day a week ahead, at 10:00-13:00 Moscow time, hosted by a demo manager. */
const aRegistration = (n: number) => aGuest(`Гость ${n}`, `open-day-guest${n}-${Date.now()}@firm.example`);

describe('open days on the local runtime', () => {
  it('refuses an open day that cannot happen, naming each field; only campaign managers plan them', async () => {
    const past = new Date(Date.now() - HOUR).toISOString();
    const bad = await call('POST', '/v1/open-days', {
      token: campaigns(),
      body: anOpenDay({ capacity: 0, hosts: ['pm-nobody'], registrationClosesAt: past }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['capacity']);
    const backwards = await call('POST', '/v1/open-days', {
      token: campaigns(),
      body: anOpenDay({ endsAt: anOpenDay().startsAt, startsAt: anOpenDay().endsAt }),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['endsAt']);
    const timing = await call('POST', '/v1/open-days', {
      token: campaigns(),
      body: anOpenDay({ hosts: ['pm-nobody'], registrationClosesAt: past }),
    });
    expect(timing.status).toBe(400);
    expect(timing.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'hosts.0',
      'registrationClosesAt',
    ]);
    for (const token of [tokens()['oleg.compliance'] ?? '', headToken()]) {
      expect((await call('POST', '/v1/open-days', { token, body: anOpenDay() })).status).toBe(403);
    }
  });

  it('gives the seat to the first, the waitlist to the second, and the same answer to a repeat', async () => {
    const created = await call('POST', '/v1/open-days', { token: campaigns(), body: anOpenDay() });
    expect(created.status).toBe(201);
    const { openDayId } = created.body;
    expect(created.body).toMatchObject({
      status: 'open',
      capacity: 1,
      seatsTaken: 0,
      waitlisted: 0,
      sequence: 0,
    });
    const register = (body: object) => call('POST', `/v1/open-days/${openDayId}/registrations`, { body });

    const first = aRegistration(1);
    const seat = await register(first);
    expect(seat.status).toBe(201);
    expect(seat.body).toMatchObject({ status: 'confirmed' });
    const line = await register(aRegistration(2));
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({ status: 'waitlisted' });
    // The same address again (in another case): the registration it has, nothing taken twice.
    const again = await register({
      ...first,
      contact: { ...first.contact, email: first.contact.email.toUpperCase() },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(seat.body);

    // The consent is kept as evidence with the registration: the text's version and hash, the address.
    const history = await call('GET', `/v1/consents?email=${encodeURIComponent(first.contact.email)}`, {
      token: tokens()['oleg.compliance'] ?? '',
    });
    expect(history.body.entries).toEqual([
      expect.objectContaining({
        action: 'given',
        purpose: 'personal_data_processing',
        textVersion: 'pd-2026-01',
        textHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        channel: 'open_day',
        registrationId: seat.body.registrationId,
        ip: expect.any(String),
      }),
    ]);

    const read = await call('GET', `/v1/open-days/${openDayId}`, { token: headToken() });
    expect(read.body).toMatchObject({ seatsTaken: 1, waitlisted: 1 });
    const list = await call('GET', '/v1/open-days?limit=100', { token: tokens()['pm-petrov'] ?? '' });
    expect(list.body.openDays.map((o: { openDayId: string }) => o.openDayId)).toContain(openDayId);
  });

  it('answers bad registrations with the fields at fault, an unknown open day with 404, and needs no token', async () => {
    const created = await call('POST', '/v1/open-days', {
      token: campaigns(),
      body: anOpenDay({ capacity: 5 }),
    });
    const { openDayId } = created.body;
    const bad = await call('POST', `/v1/open-days/${openDayId}/registrations`, {
      body: { ...aRegistration(3), consents: [], contact: { name: '', email: 'no' } },
    });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.error.issues.map((i: { path: string }) => i.path))].sort()).toEqual([
      'consents',
      'contact.email',
      'contact.name',
    ]);
    // A consent citing a text the bank never published is refused at its path.
    const unpublished = await call('POST', `/v1/open-days/${openDayId}/registrations`, {
      body: {
        ...aRegistration(5),
        consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-1999-01' }],
      },
    });
    expect(unpublished.status).toBe(400);
    expect(unpublished.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'consents.0.textVersion',
    ]);
    const unknown = await call('POST', '/v1/open-days/6a1f3c2e-9b1d-4e5f-8a7b-0c1d2e3f4a5b/registrations', {
      body: aRegistration(4),
    });
    expect(unknown.status).toBe(404);
    expect((await call('GET', '/v1/open-days')).status).toBe(401);
    const forged = await call(
      'POST',
      '/v1/open-day-registrations/eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl/give-up',
    );
    expect(forged.status).toBe(403);
  });
});
