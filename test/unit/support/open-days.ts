import jsqr from 'jsqr';
import ical, { type VEvent } from 'node-ical';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import { addressHashOf } from '#shared/letters/unsubscribe.ts';
import { type OpenDay, OpenDayInput, type Registration } from '#shared/open-days/open-day.ts';
import { TEST_KEYS } from './capture.ts';

/** Open days, registrations and their invites as the open days' unit tests read them. */

export const AT = '2026-11-01T09:00:00.000Z';
export const now = new Date('2026-11-20T12:30:00.000Z');
export const sender = { name: 'Банк: дни открытых дверей', email: 'open-days@bank.example' };
/** The person's link to withdraw marketing consent, which every registrant email's footer carries. */
export const marketingWithdrawal = 'https://api.bank.example/v1/consents/withdraw/a.b.c?x=1&y=2';

/** An open day as a campaign manager writes it (10:00 Moscow time, with its offset), read by the schema. */
export function anOpenDay(more: Partial<OpenDayInput> = {}, sequence = 0): OpenDay {
  const input = OpenDayInput.parse({
    title: { ru: 'Бизнес-завтрак для производственных компаний', en: 'Business breakfast for manufacturers' },
    description: {
      ru: 'Расчётный счёт, зарплатный проект, кредиты.\n\nВопросы менеджерам.',
      en: 'Accounts, payroll, credit.\n\nQuestions to the managers.',
    },
    startsAt: '2026-12-10T10:00:00+03:00',
    endsAt: '2026-12-10T13:00:00+03:00',
    timeZone: 'Europe/Moscow',
    venue: { kind: 'place', address: { ru: 'Москва, ул. Тверская, д. 1', en: '1 Tverskaya St, Moscow' } },
    capacity: 40,
    registrationClosesAt: '2026-12-09T18:00:00+03:00',
    hosts: ['pm-ivanova'],
    ...more,
  });
  return {
    ...input,
    openDayId: 'od-1',
    status: 'open',
    sequence,
    seatsTaken: 1,
    waitlisted: 0,
    author: 'anna.campaigns',
    createdAt: AT,
    updatedAt: AT,
  };
}

export function aRegistration(more: Partial<Registration> = {}): Registration {
  return {
    openDayId: 'od-1',
    registrationId: 'reg-7f3a',
    emailHash: 'hash',
    contact: { name: 'Ольга Смирнова', email: 'olga@romashka.example' },
    company: { name: 'ООО «Ромашка»', inn: '7707083893' },
    products: ['settlement_account', 'payroll'],
    consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
    source: {},
    language: 'ru',
    status: 'confirmed',
    registeredAt: AT,
    updatedAt: AT,
    ...more,
  };
}

/** The one event of an invite, and its calendar's METHOD, as a real iCalendar parser reads them. */
export function parsed(ics: string): { event: VEvent; method: string | undefined } {
  const calendar = ical.sync.parseICS(ics);
  const events = Object.values(calendar).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  const method = (calendar.vcalendar as { method?: string } | undefined)?.method;
  return { event: events[0] as VEvent, method };
}

const NAME = '[A-Za-z0-9-]+';
const PARAMETER = `;${NAME}=(?:"[^"\\p{Cc}]*"|[^";:,\\p{Cc}]*)`;
const CONTENT_LINE = new RegExp(`^${NAME}(?:${PARAMETER})*:[^\\p{Cc}]*$`, 'u');
const TEXT_PROPERTIES = ['SUMMARY', 'DESCRIPTION', 'LOCATION'];

/**
 * RFC 5545's form, checked line by line (a parser forgives what a stricter calendar may not): CRLF line
 * ends only, physical lines of at most 75 octets, continuations starting with a space, every content line
 * a name, parameters and a value without control characters, and TEXT values with `\`, `;`, `,` escaped.
 */
export function expectWellFormed(ics: string): void {
  expect(ics.endsWith('\r\n')).toBe(true);
  const physical = ics.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
  }
  const unfolded = ics.slice(0, -2).replace(/\r\n /g, '').split('\r\n');
  for (const line of unfolded) {
    expect(line, line).toMatch(CONTENT_LINE);
    const [name] = line.split(/[;:]/);
    if (TEXT_PROPERTIES.includes(name ?? '')) {
      const value = line.slice(line.indexOf(':') + 1);
      expect(value.replace(/\\[\\;,nN]/g, ''), line).not.toMatch(/[\\;,]/);
    }
  }
}

/** The ids of one open day's one registration whose links and codes the tests sign (with TEST_KEYS). */
export const OPEN_DAY_ID = '0b8e6a52-3c1f-4d2e-9a7b-5c6d7e8f9a0b';
export const REGISTRATION_ID = '7f3a1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const EMAIL = 'olga@romashka.example';

/** That registration: its address keyed as the tests' keys key it. */
export const theRegistration = (more: Partial<Registration> = {}): Registration =>
  aRegistration({
    openDayId: OPEN_DAY_ID,
    registrationId: REGISTRATION_ID,
    emailHash: addressHashOf(TEST_KEYS, EMAIL),
    contact: { name: 'Ольга Смирнова', email: EMAIL, phone: '+74951234567' },
    company: { name: 'ООО «Ромашка»', inn: '7707083893' },
    ...more,
  });

/** What a door's scanner reads from the image: the PNG decoded, then the QR code read by a real decoder. */
export function scanned(image: Uint8Array): string | undefined {
  const png = PNG.sync.read(Buffer.from(image));
  // The package is CommonJS and its types say `default`: it exports the decoder as both.
  return jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}
