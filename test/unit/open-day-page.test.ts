import { describe, expect, it } from 'vitest';
import { renderRegistrationPage } from '#shared/http/open-day-page.ts';
import { OPEN_DAY_ROUTES } from '#shared/http/open-day-routes.ts';
import type { OpenDay, Registration } from '#shared/open-days/open-day.ts';
import { signRegistrationToken } from '#shared/open-days/registration-link.ts';
import {
  openRegistrationPage,
  PAGE_ACTIONS,
  type PageDeps,
  type RegistrationPage,
} from '#shared/open-days/registration-page.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import type { Locale } from '#shared/templates/locale.ts';
import { escapeHtml } from '#shared/templates/render.ts';
import { TEST_KEYS } from './support/capture.ts';
import { anOpenDay, EMAIL, now, OPEN_DAY_ID, REGISTRATION_ID, theRegistration } from './support/open-days.ts';

const LOCALES: Locale[] = ['ru', 'en'];

/** One open day and one registration, read as the store reads them; showing a page only reads. */
function world(openDay: OpenDay, registration: Registration): PageDeps {
  return {
    keys: TEST_KEYS,
    now: () => now,
    openDays: {
      get: async (id) => (id === openDay.openDayId ? openDay : undefined),
      registration: async (id, hash) =>
        id === registration.openDayId && hash === registration.emailHash ? registration : undefined,
    },
  };
}

const theOpenDay = (more: Parameters<typeof anOpenDay>[0] = {}): OpenDay => ({
  ...anOpenDay(more),
  openDayId: OPEN_DAY_ID,
});

const tokenFor = (registration: Registration, openDay: OpenDay, use: 'manage' | 'check_in' = 'manage') =>
  signRegistrationToken(
    TEST_KEYS,
    use,
    {
      openDayId: registration.openDayId,
      emailHash: registration.emailHash,
      registrationId: registration.registrationId,
    },
    openDay.endsAt,
  );

/** The page the link of this registration opens, rendered. */
async function opened(openDay: OpenDay, registration: Registration, readerLocale: Locale = 'ru') {
  const token = await tokenFor(registration, openDay);
  const page = await openRegistrationPage(world(openDay, registration), token, readerLocale);
  return { page, token, ...renderRegistrationPage(page) };
}

const buttonsOf = (html: string) => [...html.matchAll(/name="action" value="([a-z_]+)"/g)].map((m) => m[1]);

describe("the page of an open day registrant's link", () => {
  it.each(LOCALES)(
    'shows a kept seat (%s): the title, when in the zone named, where, the greeting, one button to give it up',
    async (language) => {
      const p = catalogs[language].openDayPage;
      const { status, html, page } = await opened(theOpenDay(), theRegistration({ language }));
      expect(status).toBe(200);
      expect(page.locale).toBe(language);
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(
        language === 'en'
          ? 'Business breakfast for manufacturers'
          : 'Бизнес-завтрак для производственных компаний',
      );
      expect(html).toContain('10:00');
      expect(html).toMatch(language === 'en' ? /1:00\sPM/ : /13:00/);
      expect(html).toContain('GMT+3');
      expect(html).toContain(language === 'en' ? 'Moscow' : 'Москва');
      expect(html).toContain(language === 'en' ? '1 Tverskaya St, Moscow' : 'Москва, ул. Тверская, д. 1');
      expect(html).toContain(escapeHtml(p.greeting.replace('{name}', 'Ольга Смирнова')));
      expect(html).toContain(escapeHtml(p.state.confirmed));
      expect(html).toContain('<form method="post">');
      expect(html).not.toContain('action=');
      expect(buttonsOf(html)).toEqual(['give_up']);
      expect(html).toContain(escapeHtml(p.buttons.giveUp));
    },
  );

  it.each(LOCALES)('shows the waitlist (%s) with a button to leave the line', async (language) => {
    const p = catalogs[language].openDayPage;
    const { status, html } = await opened(theOpenDay(), theRegistration({ language, status: 'waitlisted' }));
    expect(status).toBe(200);
    expect(html).toContain(escapeHtml(p.state.waitlisted));
    expect(buttonsOf(html)).toEqual(['give_up']);
    expect(html).toContain(escapeHtml(p.buttons.leave));
  });

  it.each(LOCALES)(
    'shows an offered seat (%s) held until a time in the zone, with buttons to take it and to give it up',
    async (language) => {
      const p = catalogs[language].openDayPage;
      const offerUntil = '2026-11-21T12:30:00.000Z';
      const { status, html } = await opened(
        theOpenDay(),
        theRegistration({ language, status: 'offered', offerUntil }),
      );
      expect(status).toBe(200);
      const [before] = p.state.offered.split('{until}');
      expect(html).toContain(escapeHtml(before ?? ''));
      // 15:30 in Moscow, the zone named.
      expect(html).toMatch(language === 'en' ? /3:30\sPM[^<]*GMT\+3/ : /15:30[^<]*GMT\+3/);
      expect(buttonsOf(html)).toEqual(['take', 'give_up']);
      expect(html).toContain(escapeHtml(p.buttons.take));
    },
  );

  it.each(LOCALES)(
    'shows an offer past its time (%s) as passed on, and a given-up registration, without buttons',
    async (language) => {
      const p = catalogs[language].openDayPage;
      const ranOut = await opened(
        theOpenDay(),
        theRegistration({ language, status: 'offered', offerUntil: '2026-11-20T12:00:00.000Z' }),
      );
      expect(ranOut.status).toBe(200);
      expect(ranOut.html).toContain(escapeHtml(p.state.offerRanOut));
      expect(buttonsOf(ranOut.html)).toEqual([]);
      expect(ranOut.html).not.toContain('<form');

      const given = await opened(theOpenDay(), theRegistration({ language, status: 'cancelled' }));
      expect(given.status).toBe(200);
      expect(given.html).toContain(escapeHtml(p.state.cancelled));
      expect(given.html).not.toContain('<form');
    },
  );

  it('shows the title in Russian when the open day has none in English, and no buttons once it is cancelled', async () => {
    const openDay = { ...theOpenDay({ title: { ru: 'Только по-русски' } }), status: 'cancelled' as const };
    const { html } = await opened(openDay, theRegistration({ language: 'en' }));
    expect(html).toContain('<h1>Только по-русски</h1>');
    expect(html).toContain(escapeHtml(catalogs.en.openDayPage.openDayCancelled));
    expect(html).not.toContain('<form');
  });

  it('shows an online session by its link', async () => {
    const openDay = theOpenDay({ venue: { kind: 'online', url: 'https://meet.bank.example/od?room=7&x=1' } });
    const { html } = await opened(openDay, theRegistration({ language: 'en' }));
    expect(html).toContain(escapeHtml(catalogs.en.openDayPage.onlineVenue));
    expect(html).toContain(
      '<a href="https://meet.bank.example/od?room=7&amp;x=1">https://meet.bank.example/od?room=7&amp;x=1</a>',
    );
  });

  it('escapes a hostile title, address and name, and shows nothing of the registrant but their name', async () => {
    const hostile = '<script>alert("x")</script> & \'q\'';
    const openDay = theOpenDay({
      title: { ru: hostile },
      venue: { kind: 'place', address: { ru: `<img src=x onerror=alert(1)> ${hostile}` } },
    });
    const registration = theRegistration({ contact: { name: `<b>Ольга</b> "О'Нил"`, email: EMAIL } });
    const { html, token } = await opened(openDay, registration);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Ольга');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(html).toContain('&lt;b&gt;Ольга&lt;/b&gt; &quot;О&#39;Нил&quot;');
    for (const secret of [
      token,
      EMAIL,
      registration.emailHash,
      REGISTRATION_ID,
      OPEN_DAY_ID,
      '+74951234567',
      '7707083893',
      'Ромашка',
    ])
      expect(html).not.toContain(secret);
  });

  it("refuses a forged, foreign or expired token with a 403 in the reader's language, naming nobody", async () => {
    const openDay = theOpenDay();
    const registration = theRegistration({ language: 'ru' });
    const deps = world(openDay, registration);
    const token = await tokenFor(registration, openDay);
    const forged = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    const checkIn = await tokenFor(registration, openDay, 'check_in');
    for (const bad of [forged, checkIn, 'not-a-token', '']) {
      const page = await openRegistrationPage(deps, bad, 'en');
      expect(page).toEqual({ kind: 'refused', locale: 'en', reason: 'invalid' });
      const { status, html } = renderRegistrationPage(page);
      expect(status).toBe(403);
      expect(html).toContain(escapeHtml(catalogs.en.openDayPage.refused.invalid));
      expect(html).not.toContain('Ольга');
    }
    const late = { ...deps, now: () => new Date(Date.parse(openDay.endsAt) + 8 * 86_400_000) };
    const expired = await openRegistrationPage(late, token, 'ru');
    expect(expired).toEqual({ kind: 'refused', locale: 'ru', reason: 'expired' });
    expect(renderRegistrationPage(expired).html).toContain(
      escapeHtml(catalogs.ru.openDayPage.refused.expired),
    );
  });

  it('answers the link of a registration given up and made again with a 404, in the language registered in', async () => {
    const openDay = theOpenDay();
    const earlier = theRegistration();
    const newer = theRegistration({ registrationId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', language: 'en' });
    const page = await openRegistrationPage(world(openDay, newer), await tokenFor(earlier, openDay), 'ru');
    expect(page).toEqual({ kind: 'refused', locale: 'en', reason: 'replaced' });
    const { status, html } = renderRegistrationPage(page);
    expect(status).toBe(404);
    expect(html).toContain(escapeHtml(catalogs.en.openDayPage.refused.replaced));
  });

  it.each(LOCALES)(
    'renders the results of a press (%s): done pages, and the reasons nothing changed',
    async (language) => {
      const p = catalogs[language].openDayPage;
      const { page } = await opened(theOpenDay(), theRegistration({ language }));
      if (page.kind !== 'registration') throw new Error('a registration page');
      const render = (shown: RegistrationPage) => renderRegistrationPage(shown);

      const cancelled = { ...page, status: 'cancelled' as const, actions: [] };
      for (const [done, text] of [
        ['given_up', p.done.givenUp],
        ['left', p.done.left],
      ] as const) {
        const answer = render({ ...cancelled, kind: 'done', done });
        expect(answer.status).toBe(200);
        expect(answer.html).toContain(escapeHtml(text));
        expect(answer.html).not.toContain('<form');
      }
      const taken = render({ ...page, kind: 'done', done: 'taken' });
      expect(taken.status).toBe(200);
      expect(taken.html).toContain(escapeHtml(p.done.taken));

      const missing = render({ ...page, notice: 'action_missing' });
      expect(missing.status).toBe(400);
      expect(missing.html).toContain(
        `<p role="alert"><strong>${escapeHtml(p.notice.actionMissing)}</strong></p>`,
      );
      expect(buttonsOf(missing.html)).toEqual(['give_up']);
      for (const [notice, text] of [
        ['offer_expired', p.notice.offerExpired],
        ['not_held', p.notice.notHeld],
        ['not_offered', p.notice.notOffered],
      ] as const) {
        const answer = render({ ...page, notice });
        expect(answer.status).toBe(409);
        expect(answer.html).toContain(escapeHtml(text));
      }
    },
  );

  it("posts exactly the actions the route's form body declares", () => {
    const body = OPEN_DAY_ROUTES.actOnRegistration.request.body;
    expect(body.shape.action.options).toEqual([...PAGE_ACTIONS]);
  });
});
