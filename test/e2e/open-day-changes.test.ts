import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsed } from '../unit/support/open-days.ts';
import { call, tokens } from './client.ts';
import { aGuest, dayAhead, mailCount, mailTo, planned, sweepNow } from './open-day-fixtures.ts';

const campaignManager = () => tokens()['anna.campaigns'] ?? '';

describe('an open day changed and cancelled through the API', () => {
  it('tells everyone registered of a move, updating the calendar entry; a cancel cancels it', async () => {
    const at = dayAhead(12);
    const { openDayId } = await planned({
      title: { ru: 'День открытых дверей: зарплатный проект' },
      startsAt: at(7),
      endsAt: at(10),
      registrationClosesAt: at(5),
    });
    const tag = randomUUID().slice(0, 8);
    const [vera, gleb] = [`vera-${tag}@firm.example`, `gleb-${tag}@firm.example`];
    for (const [email, name] of [
      [vera, 'Вера'],
      [gleb, 'Глеб'],
    ] as const) {
      await call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest(name, email) });
    }
    await mailCount(vera, 1);
    await mailCount(gleb, 1);

    // Moved a day later and an hour on, to another floor.
    const later = dayAhead(13);
    const change = {
      startsAt: later(8),
      endsAt: later(11),
      registrationClosesAt: later(5),
      venue: { kind: 'place', address: { ru: 'Москва, ул. Тверская, 1, 5 этаж' } },
    };
    const changed = await call('POST', `/v1/open-days/${openDayId}/changes`, {
      token: campaignManager(),
      body: change,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ sequence: 1, startsAt: later(8), status: 'open' });

    await sweepNow();
    const [, moved] = await mailCount(vera, 2);
    expect(moved?.subject).toContain('Изменения');
    expect(moved?.text).toContain('5 этаж');
    // A real iCalendar parser reads the update: the same entry, the new time, a higher SEQUENCE.
    expect(moved?.invite).toMatch(/METHOD:REQUEST/);
    expect(moved?.invite).toMatch(/SEQUENCE:1/);
    expect(parsed(moved?.invite ?? '').event.start.toISOString()).toBe(later(8));
    // Gleb waits in line: told, with no calendar entry to update.
    const [, toGleb] = await mailCount(gleb, 2);
    expect(toGleb?.subject).toContain('Изменения');
    expect(toGleb?.invite).toBeUndefined();
    // A second sweep tells nobody again.
    await sweepNow();
    expect(await mailTo(vera)).toHaveLength(2);

    const cancelled = await call('POST', `/v1/open-days/${openDayId}/cancel`, {
      token: campaignManager(),
      body: { reason: 'Зал на ремонте' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      sequence: 2,
      cancelled: { by: 'anna.campaigns', reason: 'Зал на ремонте' },
    });
    await sweepNow();
    const [, , cancellation] = await mailCount(vera, 3);
    expect(cancellation?.subject).toContain('Отменено');
    expect(cancellation?.invite).toMatch(/METHOD:CANCEL/);
    expect(cancellation?.invite).toMatch(/SEQUENCE:3/);
    expect((await mailCount(gleb, 3))[2]?.invite).toBeUndefined();

    // Cancelled: no registration, no change, and a second cancel answers as the first.
    const late = await call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest('Дина') });
    expect(late.status).toBe(409);
    const again = await call('POST', `/v1/open-days/${openDayId}/changes`, {
      token: campaignManager(),
      body: { capacity: 10 },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('open_day_not_open');
    const twice = await call('POST', `/v1/open-days/${openDayId}/cancel`, { token: campaignManager() });
    expect(twice.status).toBe(200);
    expect(twice.body.sequence).toBe(2);
  });

  it('refuses bad changes with the field paths, and anyone but a campaign manager', async () => {
    const { openDayId, startsAt } = await planned({ capacity: 2 });
    await call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest('Егор') });
    await call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest('Жанна') });
    const change = (body: object, token = campaignManager()) =>
      call('POST', `/v1/open-days/${openDayId}/changes`, { token, body });

    const backwards = await change({ endsAt: startsAt });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.issues).toContainEqual({
      path: 'endsAt',
      message: 'the end is after the start',
    });
    const tooSmall = await change({ capacity: 1 });
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.body.error.issues[0].path).toBe('capacity');
    const past = await change({ startsAt: '2020-01-01T10:00:00+03:00' });
    expect(past.status).toBe(400);
    expect(past.body.error.issues.map((i: { path: string }) => i.path)).toContain('startsAt');
    expect((await change({})).status).toBe(400);
    expect((await change({ seats: 5 })).status).toBe(400);
    expect((await change({ capacity: 5 }, tokens()['irina.head'] ?? '')).status).toBe(403);
    const unknown = await call('POST', `/v1/open-days/${randomUUID()}/changes`, {
      token: campaignManager(),
      body: { capacity: 5 },
    });
    expect(unknown.status).toBe(404);
    expect(
      (await call('POST', `/v1/open-days/${openDayId}/cancel`, { token: tokens()['irina.head'] ?? '' }))
        .status,
    ).toBe(403);
  });
});
