import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDemoConsentTexts } from '#local/demo-data.ts';
import { Keys } from '#shared/access/keys.ts';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { OpenDayStore } from '#shared/adapters/open-day-store.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import type { ApiEvent, ApiResult } from '#shared/http/api.ts';
import { openDayPage } from '#shared/http/open-day-page.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import type { Email } from '#shared/leads/ports.ts';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import type { OpenDay } from '#shared/open-days/open-day.ts';
import { type RegistrationDeps, registerForOpenDay } from '#shared/open-days/register.ts';
import { signRegistrationToken } from '#shared/open-days/registration-link.ts';
import { tellRegistrant } from '#shared/open-days/tell-registrant.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import { escapeHtml } from '#shared/templates/render.ts';
import { ApiContract } from '../e2e/contract.ts';
import { startAttractTable } from './support/attract-table.ts';
import { storedOpenDay } from './support/open-days.ts';

/**
 * The pages of a registrant's link on DynamoDB Local, with the real store and the use cases behind them,
 * through the module the public function serves them with; each answer is checked against the API
 * description. The e2e stack keeps its key secret to itself, so the links are signed here with this
 * test's key (test/e2e/open-day-pages.test.ts covers what the running API answers without one).
 */
let table: Awaited<ReturnType<typeof startAttractTable>>;
let store: OpenDayStore;
let deps: RegistrationDeps;
let contract: ApiContract;
const sent: Email[] = [];
beforeAll(async () => {
  table = await startAttractTable();
  store = new OpenDayStore(table.documentClient, table.tableName);
  const keys = Keys.derive('open-day-pages-test-key-material-0123456789');
  const consentTexts = new ConsentStore(table.documentClient, table.tableName);
  await publishDemoConsentTexts(consentTexts);
  // The registrants' emails go to a mailbox that keeps them (SES is not what these tests are about).
  const mail = { send: async (email: Email) => `message-${sent.push(email)}` };
  const tellDeps = {
    openDays: store,
    managers: new Directory(table.documentClient, table.tableName),
    mail,
    keys,
    apiUrl: 'https://api.bank.example',
    senderEmail: 'open-days@bank.example',
    now: () => new Date(),
  };
  deps = {
    openDays: store,
    rateLimiter: new DynamoRateLimiter(table.documentClient, table.tableName, 100),
    consentTexts,
    keys,
    now: () => new Date(),
    newId: randomUUID,
    tell: (openDayId, emailHash) => tellRegistrant(tellDeps, openDayId, emailHash).then(() => undefined),
  };
  contract = await ApiContract.of(openApiDocument());
});
afterAll(async () => {
  await table?.stop();
});

const DAY = 86_400_000;

/** An open day a week ahead with one seat, planned as a campaign manager plans it. */
function anOpenDay(): Promise<OpenDay> {
  const start = Date.now() + 7 * DAY;
  return storedOpenDay(store, {
    title: { ru: 'День открытых дверей <b>&</b>', en: 'Open day <b>&</b>' },
    description: { ru: 'Расчётный счёт за один день' },
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 3 * 3_600_000).toISOString(),
    timeZone: 'Asia/Vladivostok',
    venue: { kind: 'place', address: { ru: 'Владивосток, ул. Светланская, 1', en: '1 Svetlanskaya St' } },
    capacity: 1,
    registrationClosesAt: new Date(start - DAY).toISOString(),
  });
}

/** A person registers through the public form's use case; their link is signed as their email's is. */
async function registered(openDay: OpenDay, n: number, language: 'ru' | 'en') {
  const email = `guest${n}.${randomUUID().slice(0, 8)}@firm.example`;
  const answer = await registerForOpenDay(deps, {
    openDayId: openDay.openDayId,
    body: {
      contact: { name: `Гость ${n}`, email },
      company: { name: `ООО «Гость ${n}»`, inn: '7707083893' },
      products: ['payroll'],
      language,
      consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
    },
    clientAddress: `203.0.113.${n}`,
    readerLocale: 'ru',
  });
  if (answer.kind !== 'registered') throw new Error(`Not registered: ${answer.kind}`);
  const ref = {
    openDayId: openDay.openDayId,
    emailHash: addressHashOf(deps.keys, email),
    registrationId: answer.registrationId,
  };
  const token = await signRegistrationToken(deps.keys, 'manage', ref, openDay.endsAt);
  return { ...ref, email, token, status: answer.status };
}

type Page = { status: number; html: string; headers: Record<string, string> };

/** An API Gateway event of the route, as the public function receives it. */
async function ask(
  method: 'GET' | 'POST',
  token: string,
  form?: { body: string; type: string },
  using = deps,
): Promise<Page> {
  const path = `/v1/open-day-registrations/${token}`;
  const event = {
    routeKey: `${method} /v1/open-day-registrations/{token}`,
    rawPath: path,
    pathParameters: { token },
    headers: form ? { 'content-type': form.type } : {},
    body: form?.body,
    isBase64Encoded: false,
    requestContext: { http: { method, path } },
  } as unknown as ApiEvent;
  const answer: ApiResult = await openDayPage(using, event);
  const headers = (answer.headers ?? {}) as Record<string, string>;
  const html = String(answer.body ?? '');
  const status = answer.statusCode ?? 0;
  expect(contract.problems({ method, path, status, headers, body: html })).toEqual([]);
  return { status, html, headers };
}

const press = (token: string, action: string, using = deps) =>
  ask('POST', token, { body: `action=${action}`, type: 'application/x-www-form-urlencoded' }, using);

/** The same press as multipart/form-data, as a browser may send it. */
function pressMultipart(token: string, action: string) {
  const boundary = `----attract${randomUUID().replaceAll('-', '')}`;
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\n${action}\r\n--${boundary}--\r\n`;
  return ask('POST', token, { body, type: `multipart/form-data; boundary=${boundary}` });
}

const buttonsOf = (html: string) => [...html.matchAll(/name="action" value="([a-z_]+)"/g)].map((m) => m[1]);
const seats = async (openDayId: string) => {
  const openDay = await store.get(openDayId);
  return { seatsTaken: openDay?.seatsTaken, waitlisted: openDay?.waitlisted };
};
const ru = catalogs.ru.openDayPage;
const en = catalogs.en.openDayPage;

describe("the page of a registrant's link, on DynamoDB Local", () => {
  it('shows each registration, changing nothing; giving the seat up offers it to the next, who takes it', async () => {
    const openDay = await anOpenDay();
    const first = await registered(openDay, 1, 'ru');
    const second = await registered(openDay, 2, 'en');
    expect([first.status, second.status]).toEqual(['confirmed', 'waitlisted']);
    const stored = await store.registration(openDay.openDayId, first.emailHash);

    const seat = await ask('GET', first.token);
    expect(seat.status).toBe(200);
    expect(seat.headers['content-language']).toBe('ru');
    expect(seat.headers['cache-control']).toBe('no-store');
    expect(seat.html).toContain(escapeHtml('День открытых дверей <b>&</b>'));
    expect(seat.html).toContain('GMT+10');
    expect(seat.html).toContain(escapeHtml(ru.state.confirmed));
    expect(buttonsOf(seat.html)).toEqual(['give_up']);
    // Opening it (as a mail scanner would) changed nothing.
    expect(await seats(openDay.openDayId)).toEqual({ seatsTaken: 1, waitlisted: 1 });
    expect(await store.registration(openDay.openDayId, first.emailHash)).toEqual(stored);

    const line = await ask('GET', second.token);
    expect(line.headers['content-language']).toBe('en');
    expect(line.html).toContain(escapeHtml('Open day <b>&</b>'));
    expect(line.html).toContain(escapeHtml(en.state.waitlisted));
    expect(line.html).toContain(escapeHtml(en.buttons.leave));

    // A press without a known action asks again and changes nothing.
    const unknown = await press(first.token, 'cancel_everything');
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain(escapeHtml(ru.notice.actionMissing));
    expect(await seats(openDay.openDayId)).toEqual({ seatsTaken: 1, waitlisted: 1 });

    const givenUp = await press(first.token, 'give_up');
    expect(givenUp.status).toBe(200);
    expect(givenUp.html).toContain(escapeHtml(ru.done.givenUp));
    // The seat went straight to the next in line, held for them: still one seat taken, nobody waiting.
    expect(await seats(openDay.openDayId)).toEqual({ seatsTaken: 1, waitlisted: 0 });
    const offered = await store.registration(openDay.openDayId, second.emailHash);
    expect(offered?.status).toBe('offered');

    const offer = await ask('GET', second.token);
    expect(offer.status).toBe(200);
    expect(offer.html).toContain(escapeHtml(en.state.offered.split('{until}')[0] ?? ''));
    expect(buttonsOf(offer.html)).toEqual(['take', 'give_up']);

    const taken = await pressMultipart(second.token, 'take');
    expect(taken.status).toBe(200);
    expect(taken.html).toContain(escapeHtml(en.done.taken));
    expect((await store.registration(openDay.openDayId, second.emailHash))?.status).toBe('confirmed');
    expect(await seats(openDay.openDayId)).toEqual({ seatsTaken: 1, waitlisted: 0 });

    // Pressed again: nothing changes, and the page says why, showing the registration as it stands.
    const again = await press(first.token, 'give_up');
    expect(again.status).toBe(409);
    expect(again.html).toContain(escapeHtml(ru.notice.notHeld));
    expect(again.html).toContain(escapeHtml(ru.state.cancelled));
    expect(again.html).not.toContain('<form');
    const takenAgain = await press(second.token, 'take');
    expect(takenAgain.status).toBe(409);
    expect(takenAgain.html).toContain(escapeHtml(en.notice.notOffered));
    expect(buttonsOf(takenAgain.html)).toEqual(['give_up']);
    expect(await seats(openDay.openDayId)).toEqual({ seatsTaken: 1, waitlisted: 0 });
  });

  it('answers an offer taken after its time with a 409 saying the seat passed on', async () => {
    const openDay = await anOpenDay();
    const first = await registered(openDay, 3, 'ru');
    const second = await registered(openDay, 4, 'ru');
    expect((await press(first.token, 'give_up')).status).toBe(200);
    const offer = await store.registration(openDay.openDayId, second.emailHash);
    expect(offer?.status).toBe('offered');

    // The same press, on a clock past the offer's end (the sweep has not passed it on yet).
    const late = { ...deps, now: () => new Date(Date.parse(offer?.offerUntil ?? '') + 60_000) };
    const seen = await ask('GET', second.token, undefined, late);
    expect(seen.status).toBe(200);
    expect(seen.html).toContain(escapeHtml(ru.state.offerRanOut));
    expect(seen.html).not.toContain('<form');
    const tooLate = await press(second.token, 'take', late);
    expect(tooLate.status).toBe(409);
    expect(tooLate.html).toContain(escapeHtml(ru.notice.offerExpired));
    expect((await store.registration(openDay.openDayId, second.emailHash))?.status).toBe('offered');
  });

  it('refuses a forged link (403) and one naming an earlier registration of the address (404)', async () => {
    const openDay = await anOpenDay();
    const guest = await registered(openDay, 5, 'en');
    const forged = `${guest.token.slice(0, -2)}${guest.token.endsWith('A') ? 'B' : 'A'}${guest.token.slice(-1)}`;
    for (const page of [await ask('GET', forged), await press(forged, 'give_up')]) {
      expect(page.status).toBe(403);
      expect(page.headers['content-language']).toBe('ru');
      expect(page.html).toContain(escapeHtml(ru.refused.invalid));
    }
    const earlier = await signRegistrationToken(
      deps.keys,
      'manage',
      { openDayId: openDay.openDayId, emailHash: guest.emailHash, registrationId: randomUUID() },
      openDay.endsAt,
    );
    for (const page of [await ask('GET', earlier), await press(earlier, 'give_up')]) {
      expect(page.status).toBe(404);
      expect(page.html).toContain(escapeHtml(en.refused.replaced));
    }
    expect((await store.registration(openDay.openDayId, guest.emailHash))?.status).toBe('confirmed');
  });
});
