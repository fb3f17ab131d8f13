import { describe, expect, it } from 'vitest';
import { type InviteMethod, inviteUid, openDayInvite } from '#shared/open-days/invite.ts';
import type { OpenDay } from '#shared/open-days/open-day.ts';
import { anOpenDay, aRegistration, expectWellFormed, now, parsed, sender } from './support/open-days.ts';

describe("an open day's invite", () => {
  it('puts the open day at its UTC instants (10:00 in Moscow is 07:00Z), one entry per registration, from the bank to the registrant', () => {
    const openDay = anOpenDay({}, 2);
    const ics = openDayInvite(openDay, aRegistration(), 'REQUEST', { organizer: sender, now });
    const { event, method } = parsed(ics);

    expect(method).toBe('REQUEST');
    expect(event.uid).toBe('reg-7f3a@attract');
    expect(event.start.toISOString()).toBe('2026-12-10T07:00:00.000Z');
    expect(event.end?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(ics).toContain('\r\nDTSTART:20261210T070000Z\r\n');
    expect(event.dtstamp.toISOString()).toBe(now.toISOString());
    expect(Number(event.sequence)).toBe(2);
    expect(event.status).toBe('CONFIRMED');
    expect(event.summary).toBe('Бизнес-завтрак для производственных компаний');
    expect(event.description).toBe('Расчётный счёт, зарплатный проект, кредиты.\n\nВопросы менеджерам.');
    expect(event.location).toBe('Москва, ул. Тверская, д. 1');
    expect(event.organizer).toMatchObject({ val: 'MAILTO:open-days@bank.example' });
    expect(event.attendee).toMatchObject({ val: 'mailto:olga@romashka.example' });
    expect(ics).toContain('RSVP=FALSE');
    expectWellFormed(ics);
  });

  it("speaks the registrant's language: English when they read it and the open day has it, Russian otherwise", () => {
    const english = aRegistration({ language: 'en' });
    const withEnglish = parsed(openDayInvite(anOpenDay(), english, 'REQUEST', { organizer: sender, now }));
    expect(withEnglish.event.summary).toBe('Business breakfast for manufacturers');
    expect(withEnglish.event.location).toBe('1 Tverskaya St, Moscow');

    const russianOnly = anOpenDay({
      title: { ru: 'Только по-русски' },
      description: { ru: 'Описание' },
      venue: { kind: 'place', address: { ru: 'Москва' } },
    });
    const fallback = parsed(openDayInvite(russianOnly, english, 'REQUEST', { organizer: sender, now }));
    expect(fallback.event.summary).toBe('Только по-русски');
    expect(fallback.event.location).toBe('Москва');
  });

  it('gives an online session its link as the location and the URL', () => {
    const online = anOpenDay({ venue: { kind: 'online', url: 'https://meet.bank.example/od-1?room=7' } });
    const ics = openDayInvite(online, aRegistration(), 'REQUEST', { organizer: sender, now });
    const { event } = parsed(ics);
    expect(event.location).toBe('https://meet.bank.example/od-1?room=7');
    expect(ics).toContain('\r\nURL:https://meet.bank.example/od-1?room=7\r\n');
  });

  it("keeps each entry's SEQUENCE rising: the open day's sequence for every REQUEST, one more for the CANCEL that ends it", () => {
    const registration = aRegistration();
    const sent = (openDay: OpenDay, method: InviteMethod) =>
      parsed(openDayInvite(openDay, registration, method, { organizer: sender, now }));
    const life = [
      sent(anOpenDay({}, 0), 'REQUEST'), // the confirmation
      sent(anOpenDay({}, 0), 'REQUEST'), // the reminder, the same entry again
      sent(
        anOpenDay({ startsAt: '2026-12-11T10:00:00+03:00', endsAt: '2026-12-11T13:00:00+03:00' }, 1),
        'REQUEST',
      ),
      sent(anOpenDay({}, 1), 'CANCEL'), // given up
    ];
    expect(life.map((m) => Number(m.event.sequence))).toEqual([0, 0, 1, 2]);
    expect(new Set(life.map((m) => m.event.uid))).toEqual(new Set([inviteUid(registration.registrationId)]));
    const cancel = life[3];
    expect(cancel?.method).toBe('CANCEL');
    expect(cancel?.event.status).toBe('CANCELLED');
  });

  it('keeps hostile and long text valid iCalendar: escaped, without control characters, folded at 75 octets, read back as written', () => {
    const hostile =
      'Завтрак; обед, ужин <script>alert("x")</script>\nвторая строка\r\nтретья\rчетвёртая \\ конец\u0007';
    const long =
      'Очень длинное описание на русском языке, которое не помещается в одну строку календаря. '.repeat(12);
    const openDay = anOpenDay({
      title: { ru: hostile },
      description: { ru: long },
      venue: { kind: 'place', address: { ru: 'Москва; вход со двора, 2 этаж' } },
    });
    const registration = aRegistration({
      contact: { name: 'Ольга "Оля"\nСмирнова; ООО, «Ромашка»: отдел', email: "o'lga@romashka.example" },
    });
    const ics = openDayInvite(openDay, registration, 'CANCEL', {
      organizer: { name: 'Банк "Ромашка"; отдел, продаж', email: 'open-days@bank.example' },
      now,
    });

    expectWellFormed(ics);
    // The library folds at 75 characters; Cyrillic takes two octets each, so those lines were refolded.
    expect(ics.split('\r\n').some((line) => line.startsWith(' '))).toBe(true);
    const { event } = parsed(ics);
    expect(event.summary).toBe(
      'Завтрак; обед, ужин <script>alert("x")</script>\nвторая строка\nтретья\nчетвёртая \\ конец',
    );
    expect(event.description).toBe(long.trim());
    expect(event.location).toBe('Москва; вход со двора, 2 этаж');
    expect(event.attendee).toMatchObject({
      params: { CN: "Ольга 'Оля' Смирнова, ООО, «Ромашка»: отдел" },
      val: "mailto:o'lga@romashka.example",
    });
    expect(event.organizer).toMatchObject({ params: { CN: "Банк 'Ромашка', отдел, продаж" } });
  });
});
