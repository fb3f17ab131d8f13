import { describe, expect, it } from 'vitest';
import { ESCALATION_CAUSES } from '#events/lead-events.ts';
import { ENQUIRY_SIGNALS } from '#shared/leads/lead.ts';
import { CHANNELS, INDUSTRIES, PRODUCTS, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { LEAD_CLASSES } from '#shared/leads/scoring.ts';
import { ROUTING_RULES } from '#shared/managers/routing-policy.ts';
import { type Catalog, catalogs, type Plural } from '#shared/templates/catalog.ts';
import { en } from '#shared/templates/en.ts';
import { LOCALES } from '#shared/templates/locale.ts';
import { markup, placeholdersOf, templatesFor } from '#shared/templates/render.ts';

const leads: Plural = {
  plural: { one: '{count} лид', few: '{count} лида', many: '{count} лидов', other: '{count} лида' },
};

type Entry = string | { [key: string]: Entry };
const isPlural = (entry: Entry): entry is Plural & Entry => typeof entry === 'object' && 'plural' in entry;

/** Every template of a catalog by its dotted key; a plural by its `other` form (its forms agree, see below). */
function templatesOf(entry: Entry, key = ''): [string, string][] {
  if (typeof entry === 'string') return [[key, entry]];
  if (isPlural(entry)) return [[key, entry.plural.other]];
  return Object.entries(entry).flatMap(([k, v]) => templatesOf(v, key ? `${key}.${k}` : k));
}

function pluralsOf(entry: Entry, key = ''): [string, Plural][] {
  if (typeof entry === 'string') return [];
  if (isPlural(entry)) return [[key, entry]];
  return Object.entries(entry).flatMap(([k, v]) => pluralsOf(v, key ? `${key}.${k}` : k));
}

describe('templates', () => {
  it('choose the Russian plural form by Intl.PluralRules: 1 лид, 2 лида, 5 лидов', () => {
    const t = templatesFor('ru');
    expect([1, 2, 5, 11, 21, 22, 0].map((n) => t.count(leads, n))).toEqual([
      '1 лид',
      '2 лида',
      '5 лидов',
      '11 лидов',
      '21 лид',
      '22 лида',
      '0 лидов',
    ]);
    const points = t.catalog.managerEmail.score.pointsCount;
    expect([1, 3, 25, 17.5].map((n) => t.count(points, n))).toEqual([
      '1 балл',
      '3 балла',
      '25 баллов',
      '17,5 балла',
    ]);
    const english = templatesFor('en');
    expect([1, 2, 17.5].map((n) => english.count(english.catalog.managerEmail.score.pointsCount, n))).toEqual(
      ['1 point', '2 points', '17.5 points'],
    );
  });

  it('give every plural in every catalog each form its language needs', () => {
    for (const locale of LOCALES) {
      const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const plurals = pluralsOf(catalogs[locale]);
      expect(plurals.length).toBeGreaterThan(0);
      for (const [key, plural] of plurals) {
        const forms: Record<string, string | undefined> = plural.plural;
        for (const category of needed) expect(forms[category], `${locale} ${key}.${category}`).toBeTruthy();
        for (const form of Object.values(forms))
          expect(placeholdersOf(form ?? ''), key).toEqual(placeholdersOf(plural.plural.other));
      }
    }
  });

  it('use the same placeholders for the same key in every language', () => {
    const russian = new Map(templatesOf(catalogs.ru));
    const english = templatesOf(catalogs.en);
    expect(english.map(([k]) => k)).toEqual([...russian.keys()]);
    for (const [key, template] of english) {
      expect(placeholdersOf(template), key).toEqual(placeholdersOf(russian.get(key) ?? ''));
    }
  });

  it('label every value of the domain enums in every language', () => {
    for (const locale of LOCALES) {
      const { labels } = catalogs[locale];
      for (const p of PRODUCTS) expect(labels.product[p]).toBeTruthy();
      for (const c of CHANNELS) expect(labels.channel[c]).toBeTruthy();
      for (const i of INDUSTRIES) expect(labels.industry[i]).toBeTruthy();
      for (const s of SIZE_BANDS) expect(labels.sizeBand[s]).toBeTruthy();
      for (const c of LEAD_CLASSES) expect(labels.leadClass[c]).toBeTruthy();
      for (const s of ENQUIRY_SIGNALS) expect(labels.enquirySignal[s]).toBeTruthy();
      for (const r of ROUTING_RULES) expect(labels.routingRule[r]).toBeTruthy();
      for (const c of ESCALATION_CAUSES) expect(labels.escalationCause[c]).toBeTruthy();
    }
    expect(catalogs.ru.labels.product.settlement_account).toBe('Расчётный счёт');
    expect(catalogs.en.labels.product.settlement_account).toBe('Settlement account');
  });

  it('escape the template and every value in HTML, except markup built from escaped parts', () => {
    const t = templatesFor('ru');
    expect(
      t.html('{company} & {manager}: {strong}', {
        company: '<script>alert("x")</script>',
        manager: "O'Neil",
        strong: markup('<strong>ok</strong>'),
      }),
    ).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Neil: <strong>ok</strong>');
    expect(t.text('{company} & co', { company: '<b>' })).toBe('<b> & co');
    // A value is never read as a template: a prospect cannot pull other values into the email.
    expect(t.text('{company}: {inn}', { company: '{inn}', inn: '7707083893' })).toBe('{inn}: 7707083893');
  });

  it('refuse to leave a placeholder blank', () => {
    expect(() => templatesFor('ru').text('Новый лид: {company}', {})).toThrow(/\{company\}/);
  });

  it('format numbers for the language and show moments on Moscow time', () => {
    const ru = templatesFor('ru');
    expect(ru.number(17.5)).toBe('17,5');
    expect(templatesFor('en').number(17.5)).toBe('17.5');
    // 21:30 UTC is already the next day in Moscow (UTC+3).
    expect(ru.dateTime('2026-11-23T21:30:00.000Z')).toBe('24 ноября 2026 г. в 00:30 (МСК)');
    expect(templatesFor('en').dateTime('2026-11-23T21:30:00.000Z')).toMatch(
      /^November 24, 2026 at 12:30\sAM \(Moscow time\)$/,
    );
    expect(templatesFor().locale).toBe('ru');
    expect(ru.list(['Кредит', 'Лизинг', 'Эквайринг'])).toBe('Кредит, Лизинг и Эквайринг');
    expect(ru.list([])).toBe('нет');
  });

  it('do not compile a catalog that lacks a translation or has a key Russian does not', () => {
    const { existingClient: _dropped, ...onlyAcquisition } = en.managerEmail.subject;
    const missing: Catalog = {
      ...en,
      // @ts-expect-error: the English catalog without the manager email's subject for existing clients.
      managerEmail: { ...en.managerEmail, subject: onlyAcquisition },
    };
    const { credit: _credit, ...withoutCredit } = en.labels.product;
    // @ts-expect-error: a product without its label.
    const unlabelled: Catalog = { ...en, labels: { ...en.labels, product: withoutCredit } };
    // @ts-expect-error: a key only English has.
    const extra: Catalog = { ...en, common: { ...en.common, onlyInEnglish: 'x' } };
    expect([missing, unlabelled, extra]).toHaveLength(3);
  });
});
