import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsed } from '../unit/support/open-days.ts';
import { call } from './client.ts';
import { aGuest, dayAhead, mailCount, planned } from './open-day-fixtures.ts';

/** The link of the registration page in an email's text, with its token. */
const pageLink = (text: string) => {
  const url = /https?:\/\/\S+\/v1\/open-day-registrations\/([\w-]+\.[\w-]+\.[\w-]+)/.exec(text);
  if (!url?.[1]) throw new Error('no registration link in the email');
  return url[1];
};

/** The invite as a calendar reads it (node-ical). */
const theEvent = (ics: string) => parsed(ics).event;

describe("an open day's registrants are told by email", () => {
  it('confirms with an invite, waitlists, offers the freed seat, and cancels the invite of who gave it up', async () => {
    const at = dayAhead(10);
    const { openDayId } = await planned({
      title: { ru: 'День открытых дверей: кредиты для производства' },
      startsAt: at(7),
      endsAt: at(10),
      registrationClosesAt: at(5),
    });
    const tag = randomUUID().slice(0, 8);
    const anna = `anna-${tag}@firm.example`;
    const boris = `boris-${tag}@firm.example`;
    const register = (email: string, name: string) =>
      call('POST', `/v1/open-days/${openDayId}/registrations`, { body: aGuest(name, email) });

    expect((await register(anna, 'Анна')).body.status).toBe('confirmed');
    const [confirmation] = await mailCount(anna, 1);
    expect(confirmation?.subject).toContain('Вы зарегистрированы');
    // A real iCalendar parser reads the invite: 10:00 Moscow time is 07:00 UTC.
    const event = theEvent(confirmation?.invite ?? '');
    expect(event.start.toISOString()).toBe(at(7));
    expect(event.end?.toISOString()).toBe(at(10));
    expect(confirmation?.invite).toMatch(/METHOD:REQUEST/);
    expect(confirmation?.invite).toMatch(/SEQUENCE:0/);

    expect((await register(boris, 'Борис')).body.status).toBe('waitlisted');
    const [waiting] = await mailCount(boris, 1);
    expect(waiting?.subject).toContain('листе ожидания');
    expect(waiting?.invite).toBeUndefined();

    // The email's link opens her registration's page, which changes nothing.
    const page = await call('GET', `/v1/open-day-registrations/${pageLink(confirmation?.text ?? '')}`);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('кредиты для производства');

    // Anna gives the seat up through her email's link: her calendar entry is cancelled, Boris is offered it.
    const given = await call(
      'POST',
      `/v1/open-day-registrations/${pageLink(confirmation?.text ?? '')}/give-up`,
    );
    expect(given.body).toMatchObject({ status: 'cancelled' });
    const [, cancelledMail] = await mailCount(anna, 2);
    expect(cancelledMail?.invite).toMatch(/METHOD:CANCEL/);
    expect(theEvent(cancelledMail?.invite ?? '').uid).toBe(event.uid);
    const [, offer] = await mailCount(boris, 2);
    expect(offer?.subject).toContain('Освободилось место');

    const taken = await call('POST', `/v1/open-day-registrations/${pageLink(offer?.text ?? '')}/take`);
    expect(taken.body).toMatchObject({ status: 'confirmed' });
    const [, , borisConfirmed] = await mailCount(boris, 3);
    expect(theEvent(borisConfirmed?.invite ?? '').start.toISOString()).toBe(at(7));
    // An old link of a seat given up changes nothing.
    const again = await call(
      'POST',
      `/v1/open-day-registrations/${pageLink(confirmation?.text ?? '')}/give-up`,
    );
    expect(again.status).toBe(409);
  });
});
