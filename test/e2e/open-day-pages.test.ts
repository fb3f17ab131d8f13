import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { signRegistrationToken } from '#shared/open-days/registration-link.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import { escapeHtml } from '#shared/templates/render.ts';
import { call, clientAddress, headToken } from './client.ts';
import { aGuest, planned } from './open-day-fixtures.ts';

/**
 * The page of a registrant's link on the running API: routed to the public function, without a token,
 * answering as the description says. Links signed with another key must be refused, changing nothing.
 * Real links, read from the registrant's emails, are followed in test/e2e/open-day-emails.test.ts; each
 * state and each press of the page is driven on DynamoDB Local in test/local/open-day-pages.test.ts.
 */

async function anOpenDayWithTwo() {
  const { openDayId, endsAt } = await planned({
    title: { ru: 'День открытых дверей: страница ссылки', en: 'Open day: the link page' },
  });
  const emails = [1, 2].map((n) => `link-page-guest${n}-${randomUUID().slice(0, 8)}@firm.example`);
  for (const [n, email] of emails.entries()) {
    const registered = await call('POST', `/v1/open-days/${openDayId}/registrations`, {
      body: aGuest(`Гость ${n + 1}`, email),
      from: clientAddress(),
    });
    expect(registered.status).toBe(201);
  }
  return { openDayId, endsAt, emails };
}

const seatsOf = async (openDayId: string) => {
  const { body } = await call('GET', `/v1/open-days/${openDayId}`, { token: headToken() });
  return { seatsTaken: body.seatsTaken, waitlisted: body.waitlisted };
};

const form = (body: string) => ({
  body,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  from: clientAddress(),
});

describe("the page of a registrant's link on the running API", () => {
  it("refuses a link signed with another key, as a page in the reader's language, and changes nothing", async () => {
    const { openDayId, endsAt, emails } = await anOpenDayWithTwo();
    expect(await seatsOf(openDayId)).toEqual({ seatsTaken: 1, waitlisted: 1 });
    // Shaped exactly as the bank's links are, but not signed by the bank's key.
    const stranger = Keys.derive(`not-the-bank-${randomUUID()}`);
    const token = await signRegistrationToken(
      stranger,
      'manage',
      { openDayId, emailHash: addressHashOf(stranger, emails[0] ?? ''), registrationId: randomUUID() },
      endsAt,
    );
    const path = `/v1/open-day-registrations/${token}`;

    const shown = await call('GET', path, { from: clientAddress() });
    expect(shown.status).toBe(403);
    expect(shown.headers['content-type']).toMatch(/^text\/html/);
    expect(shown.headers['content-language']).toBe('ru');
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.body).toContain(escapeHtml(catalogs.ru.openDayPage.refused.invalid));
    const inEnglish = await call('GET', path, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(inEnglish.status).toBe(403);
    expect(inEnglish.headers['content-language']).toBe('en');
    expect(inEnglish.body).toContain(escapeHtml(catalogs.en.openDayPage.refused.invalid));
    for (const page of [shown, inEnglish]) {
      expect(page.body).not.toContain(token);
      expect(page.body).not.toContain('Гость');
    }

    const pressed = await call('POST', path, form('action=give_up'));
    expect(pressed.status).toBe(403);
    expect(pressed.body).toContain(escapeHtml(catalogs.ru.openDayPage.refused.invalid));
    // The JSON link for programs is still there, and refuses it as well.
    expect((await call('POST', `${path}/give-up`, { from: clientAddress() })).status).toBe(403);
    expect(await seatsOf(openDayId)).toEqual({ seatsTaken: 1, waitlisted: 1 });
  });

  it('takes only a small form: another body is a 415, a large one a 413', async () => {
    const path = '/v1/open-day-registrations/a.b.c';
    const json = await call('POST', path, { body: { action: 'give_up' }, from: clientAddress() });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported_media_type');
    const large = await call('POST', path, form(`action=give_up&pad=${'x'.repeat(5000)}`));
    expect(large.status).toBe(413);
  });
});
