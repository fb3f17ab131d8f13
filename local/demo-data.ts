import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConsentStore } from '#shared/adapters/consent-store.ts';
import { type Client, Directory } from '#shared/adapters/directory.ts';
import { type ConsentText, type ConsentTextInput, consentTextOf } from '#shared/consents/consent-text.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import { type PersonalManager, STANDARD_WEEK } from '#shared/managers/roster.ts';
import type { DemoUser } from './dev-tokens.ts';

/** Russia's non-working public holidays left in 2026 and the New Year break of 2027. */
const RUSSIAN_HOLIDAYS_2026 = [
  '2026-11-04',
  '2026-12-31',
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
  '2027-01-04',
  '2027-01-05',
  '2027-01-06',
  '2027-01-07',
  '2027-01-08',
];

/** The demo PM unit: managers with segments, regions, product skills, capacity and working hours. */
export const DEMO_MANAGERS: PersonalManager[] = [
  {
    managerId: 'pm-ivanova',
    name: 'Elena Ivanova',
    email: 'e.ivanova@bank.example',
    segments: ['corporate', 'mid_market'],
    regions: ['77', '50'],
    products: ['credit', 'fx', 'guarantees', 'cash_management'],
    industries: ['*'],
    capacity: 40,
    weight: 1,
    workingHours: STANDARD_WEEK,
    holidays: RUSSIAN_HOLIDAYS_2026,
    absences: [],
    activeLeads: 0,
    active: true,
    language: 'ru',
  },
  {
    managerId: 'pm-petrov',
    name: 'Sergey Petrov',
    email: 's.petrov@bank.example',
    segments: ['mid_market', 'small_business'],
    regions: ['77', '50', '78', '47'],
    products: ['settlement_account', 'payroll', 'acquiring'],
    industries: ['trade', 'transport', 'services', 'manufacturing', 'other'],
    capacity: 60,
    weight: 1,
    workingHours: STANDARD_WEEK,
    holidays: RUSSIAN_HOLIDAYS_2026,
    absences: [],
    activeLeads: 0,
    active: true,
    language: 'ru',
  },
  {
    managerId: 'pm-sidorova',
    name: 'Maria Sidorova',
    email: 'm.sidorova@bank.example',
    segments: ['small_business', 'mid_market', 'corporate'],
    regions: ['*'],
    products: ['settlement_account', 'acquiring', 'deposits', 'leasing'],
    // Every region, for the trades and services she knows; manufacturers go to the regions' own PMs.
    industries: ['trade', 'services', 'it', 'transport', 'construction', 'other'],
    capacity: 80,
    weight: 1.5,
    // Works from Vladivostok: the demo shows a manager seven hours ahead of Moscow.
    workingHours: { ...STANDARD_WEEK, timeZone: 'Asia/Vladivostok' },
    holidays: RUSSIAN_HOLIDAYS_2026,
    absences: [],
    activeLeads: 0,
    active: true,
    // Reads her emails in English: the demo shows both languages.
    language: 'en',
  },
];

/** Existing clients: an enquiry from one of these goes to its own manager, not to acquisition. */
export const DEMO_CLIENTS: Client[] = [
  {
    clientId: 'client-severstal-trade',
    inn: completeInn10('770100001'),
    name: 'Severnaya Torgovaya LLC',
    managerId: 'pm-ivanova',
  },
  {
    clientId: 'client-neva-logistics',
    inn: completeInn10('780200002'),
    name: 'Neva Logistics JSC',
    managerId: 'pm-petrov',
  },
];

/** The first demo client is in the referral programme: a form with this code is credited to it. */
export const DEMO_REFERRAL_CODE = 'SEVER-2026';

/** Demo staff, one per role, and one login per personal manager. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'anna.campaigns', email: 'a.campaigns@bank.example', groups: ['campaign_manager'] },
  { username: 'oleg.compliance', email: 'o.compliance@bank.example', groups: ['compliance_officer'] },
  { username: 'irina.head', email: 'i.head@bank.example', groups: ['head_of_unit'] },
  ...DEMO_MANAGERS.map((m) => ({
    username: m.managerId,
    email: m.email,
    groups: ['personal_manager'],
    managerId: m.managerId,
  })),
];

/**
 * The consent texts the example form, the letters' "request a call" page (RESPONSE_CONSENT_VERSION) and the
 * tests cite, each published by the demo compliance officer: a consent citing any other version is a 400.
 */
const DEMO_CONSENT_WORDING: ConsentTextInput[] = [
  {
    purpose: 'personal_data_processing',
    version: 'pd-2026-01',
    texts: {
      ru: 'Я даю согласие банку на обработку моих персональных данных (имя, email, телефон, должность), указанных в форме, для ответа на обращение моей компании, в соответствии с 152-ФЗ «О персональных данных». Согласие действует до его отзыва.',
      en: "I consent to the bank processing the personal data I give in this form (name, email, phone, position) to answer my company's enquiry, under Federal Law 152-FZ on personal data. The consent holds until I withdraw it.",
    },
  },
  {
    purpose: 'personal_data_processing',
    version: 'pd-letter-2026-01',
    texts: {
      ru: 'Я даю согласие банку на обработку моих персональных данных, чтобы банк мог ответить на этот запрос, в соответствии с 152-ФЗ «О персональных данных». Согласие действует до его отзыва.',
      en: 'I consent to the processing of my personal data so that the bank can answer this request, under Federal Law 152-FZ on personal data. The consent holds until I withdraw it.',
    },
  },
  {
    purpose: 'marketing',
    version: 'm-2026-01',
    texts: {
      ru: 'Я согласен(на) получать письма банка с предложениями для бизнеса на указанный адрес. Отказаться можно в любой момент по ссылке в письме.',
      en: "I agree to receive the bank's letters with offers for businesses at this address. I can opt out at any time through the link in any letter.",
    },
  },
  {
    purpose: 'partner_sharing',
    version: 'ps-2026-01',
    texts: {
      ru: 'Я согласен(на) на передачу моих контактных данных партнёрам банка, чтобы они могли сделать предложение моей компании.',
      en: 'I agree to the bank sharing my contact details with its partners so that they can make my company an offer.',
    },
  },
  {
    purpose: 'referrer_notice',
    version: 'rn-2026-01',
    texts: {
      ru: 'Я согласен(на), чтобы клиент банка, порекомендовавший его моей компании, узнал название моей компании и то, что она стала клиентом банка.',
      en: "I agree that the bank's client who recommended the bank to my company may learn my company's name and that it became the bank's client.",
    },
  },
];

const PUBLISHED_AT = new Date('2026-01-01T00:00:00.000Z');

export const DEMO_CONSENT_TEXTS: ConsentText[] = DEMO_CONSENT_WORDING.map((input) => {
  const made = consentTextOf(input, 'oleg.compliance', PUBLISHED_AT);
  if (!made.ok) throw new Error(`Demo consent text ${input.version} is invalid`);
  return made.text;
});

/** Publishes the demo's consent texts; a text published already (a kept table) stays as it is. */
export const publishDemoConsentTexts = (texts: Pick<ConsentStore, 'publish'>) =>
  Promise.all(DEMO_CONSENT_TEXTS.map((text) => texts.publish(text)));

export async function seedDemoData(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const directory = new Directory(client, tableName);
  await Promise.all([
    publishDemoConsentTexts(new ConsentStore(client, tableName)),
    ...DEMO_MANAGERS.map((m) => directory.putManager(m)),
    ...DEMO_CLIENTS.map((c) => directory.putClient(c)),
    ...DEMO_CLIENTS.slice(0, 1).map(({ clientId, inn, managerId }) =>
      directory.putReferralCode({ code: DEMO_REFERRAL_CODE, clientId, inn, managerId, active: true }),
    ),
  ]);
}

/** A valid enquiry from a Moscow company nobody has seen yet (fresh INN and email), as a web form sends it. */
export function demoEnquiry(overrides: Record<string, unknown> = {}) {
  const nine = `77${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return {
    company: {
      name: `Romashka ${randomUUID().slice(0, 8)} LLC`,
      inn: completeInn10(nine),
      sizeBand: 'medium',
      industry: 'manufacturing',
    },
    contact: { name: 'Olga Smirnova', email: `olga.${randomUUID()}@romashka.example`, phone: '+74951234567' },
    products: ['settlement_account', 'payroll', 'credit'],
    message: 'We are looking for a bank for payroll and a credit line.',
    consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: 'pd-2026-01' }],
    source: { utm: { source: 'google', medium: 'cpc', campaign: 'sme-autumn' } },
    ...overrides,
  };
}
