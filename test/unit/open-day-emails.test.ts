import { describe, expect, it } from 'vitest';
import type { Email } from '#shared/leads/ports.ts';
import { INVITE_FILE_NAME } from '#shared/open-days/invite.ts';
import type { OpenDay } from '#shared/open-days/open-day.ts';
import {
  cancelled,
  changed,
  confirmed,
  noShowFollowUp,
  offered,
  openDayCancelled,
  reminder,
  waitlisted,
} from '#shared/open-days/registrant-email.ts';
import { catalogs } from '#shared/templates/catalog.ts';
import type { Locale } from '#shared/templates/locale.ts';
import {
  anOpenDay,
  aRegistration,
  expectWellFormed,
  marketingWithdrawal,
  now,
  parsed,
  sender,
} from './support/open-days.ts';

const invite = (email: Email) => {
  expect(email.attachments).toHaveLength(1);
  const [file] = email.attachments ?? [];
  return { file, ...parsed(String(file?.content ?? '')) };
};

const LOCALES: Locale[] = ['ru', 'en'];
const links = {
  giveUp: 'https://api.bank.example/r/give-up?t=a&s=b',
  leave: 'https://api.bank.example/r/leave',
};

describe("an open day's registrant emails", () => {
  it.each(LOCALES)(
    'confirm a seat (%s): what, when in the zone named, where, hosts, the code, the invite, the way out',
    (language) => {
      const e = catalogs[language].openDayEmail;
      const openDay = anOpenDay({}, 3);
      const registration = aRegistration({ language });
      const email = confirmed({
        openDay,
        registration,
        sender,
        marketingWithdrawal,
        now,
        hosts: ['Ирина Иванова', 'Пётр Сидоров'],
        links,
        checkInCode: 'K7Q-2M9',
      });
      const title =
        language === 'en'
          ? 'Business breakfast for manufacturers'
          : 'Бизнес-завтрак для производственных компаний';
      expect(email.to).toBe('olga@romashka.example');
      expect(email.subject).toBe(e.confirmed.subject.replace('{title}', title));
      expect(email.html).toContain(`<html lang="${language}">`);
      for (const part of [email.text, email.html]) {
        expect(part).toContain('10:00');
        expect(part).toContain('GMT+3');
        expect(part).toContain(language === 'en' ? '1 Tverskaya St, Moscow' : 'Москва, ул. Тверская, д. 1');
        expect(part).toContain('Ирина Иванова');
        expect(part).toContain('K7Q-2M9');
        expect(part).toContain(e.invite.request);
      }
      expect(email.text).toContain(e.giveUp.replace('{link}', links.giveUp));
      expect(email.html).toContain(
        `<a href="https://api.bank.example/r/give-up?t=a&amp;s=b">${e.giveUpLink}</a>`,
      );
      const { file, event, method } = invite(email);
      expect(file).toMatchObject({
        fileName: INVITE_FILE_NAME,
        contentType: 'text/calendar; charset=UTF-8; method=REQUEST',
      });
      expect(method).toBe('REQUEST');
      expect(Number(event.sequence)).toBe(3);
      expect(event.summary).toBe(title);
    },
  );

  it.each(LOCALES)('keep a place in line (%s), with the link to leave it and no invite', (language) => {
    const e = catalogs[language].openDayEmail.waitlisted;
    const email = waitlisted({
      openDay: anOpenDay(),
      registration: aRegistration({ language, status: 'waitlisted' }),
      sender,
      marketingWithdrawal,
      links: { leave: links.leave },
    });
    expect(email.text).toContain(e.kept);
    expect(email.text).toContain(e.leave.replace('{link}', links.leave));
    expect(email.attachments).toBeUndefined();
  });

  it.each(LOCALES)(
    'offer a freed seat (%s) until a time in the open day’s zone, with links to take it or give it up',
    (language) => {
      const e = catalogs[language].openDayEmail.offered;
      const email = offered({
        // The open day in Vladivostok: the hold reads in its time, 15:00Z is 01:00 the next day there.
        openDay: anOpenDay({
          timeZone: 'Asia/Vladivostok',
          venue: { kind: 'place', address: { ru: 'Владивосток, ул. Светланская, д. 5' } },
        }),
        registration: aRegistration({ language, status: 'offered', offerUntil: '2026-12-05T15:00:00.000Z' }),
        sender,
        marketingWithdrawal,
        links: { take: 'https://api.bank.example/r/take', giveUp: links.giveUp },
      });
      expect(email.text).toMatch(
        /(6\sдекабря\s2026\sг\.\sв\s01:00|December\s6,\s2026\sat\s1:00\sAM) \(.*GMT\+10\)/,
      );
      expect(email.text).toContain(e.take.replace('{link}', 'https://api.bank.example/r/take'));
      expect(email.text).toContain(e.giveUp.replace('{link}', links.giveUp));
      expect(email.attachments).toBeUndefined();
      expect(() =>
        offered({
          openDay: anOpenDay(),
          registration: aRegistration({ status: 'offered' }),
          sender,
          marketingWithdrawal,
          links: { take: 'https://x.example/t', giveUp: links.giveUp },
        }),
      ).toThrow(/offer runs out/);
    },
  );

  it.each(LOCALES)(
    'tell of a cancelled registration (%s): by the registrant with the CANCEL, or an offer run out without one',
    (language) => {
      const e = catalogs[language].openDayEmail;
      const registration = aRegistration({ language, status: 'cancelled' });
      const openDay = anOpenDay({}, 4);
      const byThem = cancelled({
        openDay,
        registration,
        sender,
        marketingWithdrawal,
        now,
        cause: 'by_registrant',
        heldSeat: true,
      });
      expect(byThem.text).toContain(e.invite.cancel);
      const { event, method, file } = invite(byThem);
      expect(file?.contentType).toBe('text/calendar; charset=UTF-8; method=CANCEL');
      expect(method).toBe('CANCEL');
      expect(event.status).toBe('CANCELLED');
      expect(Number(event.sequence)).toBe(5);

      const leftTheLine = cancelled({
        openDay,
        registration,
        sender,
        marketingWithdrawal,
        now,
        cause: 'by_registrant',
        heldSeat: false,
      });
      expect(leftTheLine.attachments).toBeUndefined();
      const ranOut = cancelled({
        openDay,
        registration,
        sender,
        marketingWithdrawal,
        now,
        cause: 'offer_expired',
      });
      expect(ranOut.text).not.toBe(byThem.text);
      expect(ranOut.attachments).toBeUndefined();
      expect(ranOut.text).not.toContain(e.invite.cancel);
    },
  );

  it.each(LOCALES)('remind (%s) of the start, with the same invite as the confirmation', (language) => {
    const e = catalogs[language].openDayEmail;
    const input = {
      openDay: anOpenDay({}, 1),
      registration: aRegistration({ language }),
      sender,
      marketingWithdrawal,
      now,
      links,
    };
    const email = reminder({ ...input, checkInCode: 'K7Q-2M9' });
    expect(email.text).toMatch(/(10\sдекабря\s2026\sг\.\sв\s10:00|December\s10,\s2026\sat\s10:00).*GMT\+3/);
    expect(email.text).toContain(e.checkIn.replace('{code}', 'K7Q-2M9'));
    const sent = invite(confirmed({ ...input, hosts: [], checkInCode: 'K7Q-2M9' }));
    const again = invite(email);
    expect(again.event.uid).toBe(sent.event.uid);
    expect(again.event.sequence).toBe(sent.event.sequence);
    expect(again.method).toBe('REQUEST');
  });

  it.each(LOCALES)(
    'tell of a change (%s): moved, a new place, or both, the old next to the new, the updated invite',
    (language) => {
      const e = catalogs[language].openDayEmail;
      const before = anOpenDay({}, 1);
      const later = { startsAt: '2026-12-11T12:00:00+03:00', endsAt: '2026-12-11T15:00:00+03:00' };
      const elsewhere = { venue: { kind: 'online' as const, url: 'https://meet.bank.example/od-1' } };
      const registration = aRegistration({ language });
      const told = (after: OpenDay, who = registration) =>
        changed({ openDay: after, before, registration: who, sender, marketingWithdrawal, now, links });

      const moved = told(anOpenDay(later, 2));
      expect(moved.text).toContain(e.changed.moved.split('{title}')[0]);
      // Intl puts its own dashes and (narrow, no-break) spaces in dates, so the test does not spell them.
      expect(moved.text).toMatch(
        /(11\sдекабря\s2026\sг\.,\s12:00\D{1,3}15:00|December\s11,\s2026,\s12:00\D{1,3}3:00)/,
      );
      expect(invite(moved).event.start.toISOString()).toBe('2026-12-11T09:00:00.000Z');
      expect(Number(invite(moved).event.sequence)).toBe(2);

      const newPlace = told(anOpenDay(elsewhere, 2));
      expect(newPlace.text).toContain(e.changed.newPlace.split('{title}')[0]);
      expect(newPlace.text).toContain(
        language === 'en' ? '1 Tverskaya St, Moscow' : 'Москва, ул. Тверская, д. 1',
      );
      expect(newPlace.text).toContain('https://meet.bank.example/od-1');

      const both = told(anOpenDay({ ...later, ...elsewhere }, 2));
      expect(both.text).toContain(e.changed.movedAndNewPlace.split('{title}')[0]);
      expect(both.text).toContain(e.invite.update);

      // Waiting in line: no calendar entry to update, the place in line kept.
      const waiting = told(anOpenDay(later, 2), aRegistration({ language, status: 'waitlisted' }));
      expect(waiting.text).toContain(e.changed.kept.waitlisted);
      expect(waiting.attachments).toBeUndefined();
      // A cancel was the entry's last word: nothing follows it.
      expect(() => told(anOpenDay(later, 2), aRegistration({ status: 'cancelled' }))).toThrow(/cancelled/);
    },
  );

  it.each(LOCALES)('tell of the open day cancelled (%s), with the CANCEL for a seat held', (language) => {
    const e = catalogs[language].openDayEmail;
    const openDay = { ...anOpenDay({}, 2), status: 'cancelled' as const };
    const holder = openDayCancelled({
      openDay,
      registration: aRegistration({ language }),
      sender,
      marketingWithdrawal,
      now,
      heldSeat: true,
    });
    expect(holder.text).toContain(e.openDayCancelled.apology);
    const { method, event } = invite(holder);
    expect(method).toBe('CANCEL');
    expect(Number(event.sequence)).toBe(3);
    const waiting = aRegistration({ language, status: 'waitlisted' });
    expect(
      openDayCancelled({ openDay, registration: waiting, sender, marketingWithdrawal, now, heldSeat: false })
        .attachments,
    ).toBeUndefined();
  });

  it.each(LOCALES)(
    'follow up a no-show (%s): the materials by link or as text, and the hosts to talk to',
    (language) => {
      const e = catalogs[language].openDayEmail.noShowFollowUp;
      const input = {
        openDay: anOpenDay(),
        registration: aRegistration({ language }),
        sender,
        marketingWithdrawal,
        hosts: [{ name: 'Ирина Иванова', email: 'irina.ivanova@bank.example' }, { name: 'Пётр Сидоров' }],
      };
      const byLink = noShowFollowUp({ ...input, materials: { url: 'https://bank.example/od-1/slides.pdf' } });
      expect(byLink.text).toContain(e.materials.replace('{link}', 'https://bank.example/od-1/slides.pdf'));
      expect(byLink.text).toContain('Ирина Иванова (irina.ivanova@bank.example)');
      expect(byLink.text).toContain('Пётр Сидоров');
      expect(byLink.attachments).toBeUndefined();
      const asText = noShowFollowUp({ ...input, materials: { text: 'Тарифы: <b>скидка</b>\n\nКонтакты' } });
      expect(asText.html).toContain('<p>Тарифы: &lt;b&gt;скидка&lt;/b&gt;</p>');
      expect(asText.html).toContain('<p>Контакты</p>');
    },
  );

  it.each(LOCALES)(
    'end every email (%s) with the link to withdraw marketing consent; only the follow-up, marketing, also has it as List-Unsubscribe',
    (language) => {
      const e = catalogs[language].openDayEmail;
      const registration = aRegistration({ language });
      const base = { openDay: anOpenDay(), registration, sender, marketingWithdrawal, now };
      const followUp = noShowFollowUp({ ...base, materials: { text: 'Слайды' }, hosts: [] });
      const emails = [
        confirmed({ ...base, hosts: [], links, checkInCode: 'K7Q' }),
        waitlisted({ ...base, registration: aRegistration({ language, status: 'waitlisted' }), links }),
        cancelled({ ...base, cause: 'offer_expired' }),
        reminder({ ...base, links, checkInCode: 'K7Q' }),
        openDayCancelled({ ...base, heldSeat: true }),
        changed({ ...base, before: anOpenDay({ startsAt: '2026-12-10T09:00:00+03:00' }), links }),
        followUp,
      ];
      const footer = e.withdrawMarketing.replace('{link}', marketingWithdrawal);
      const anchor = `<a href="${marketingWithdrawal.replace('&', '&amp;')}">${e.withdrawMarketingLink}</a>`;
      for (const email of emails) {
        expect(email.text.endsWith(footer)).toBe(true);
        expect(email.html).toContain(anchor);
      }
      expect(followUp.headers).toEqual({
        'List-Unsubscribe': `<${marketingWithdrawal}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      for (const email of emails.slice(0, -1)) expect(email.headers).toBeUndefined();
    },
  );

  it('escape everything people typed in the HTML, keep it as typed in the text, and keep it valid in the invite', () => {
    const hostile = 'Завтрак <script>alert(1)</script> "Ромашка" & \'Лютик\'; обед, ужин';
    const openDay = anOpenDay({
      title: { ru: hostile },
      description: { ru: '<img src=x onerror=alert(1)>' },
      venue: { kind: 'place', address: { ru: 'ул. <b>Тверская</b>' } },
    });
    const registration = aRegistration({
      contact: { name: '<i>Ольга</i> "Оля"\nСмирнова', email: 'olga@romashka.example' },
    });
    const email = confirmed({
      openDay,
      registration,
      sender: { name: 'Банк <b>', email: 'open-days@bank.example' },
      marketingWithdrawal,
      now,
      hosts: ['<u>Ирина</u>'],
      links: { giveUp: 'https://api.bank.example/r?a="><script>' },
      checkInCode: '<code>',
    });
    expect(email.html).not.toMatch(/<(script|img|b|i|u)[ >]/);
    expect(email.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &quot;Ромашка&quot; &amp; &#39;Лютик&#39;',
    );
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).toContain('href="https://api.bank.example/r?a=&quot;&gt;&lt;script&gt;"');
    expect(email.html).toContain('<strong><code>&lt;code&gt;</code></strong>');
    expect(email.subject).toContain(hostile);
    expect(email.text).toContain('<i>Ольга</i> "Оля"');
    const ics = String(email.attachments?.[0]?.content ?? '');
    expectWellFormed(ics);
    expect(parsed(ics).event.summary).toBe(hostile);
  });

  it('send no REQUEST for a registration that holds no seat', () => {
    expect(() =>
      reminder({
        openDay: anOpenDay(),
        registration: aRegistration({ status: 'cancelled' }),
        sender,
        marketingWithdrawal,
        now,
        links,
        checkInCode: 'K7Q',
      }),
    ).toThrow(/confirmed registration/);
  });
});
