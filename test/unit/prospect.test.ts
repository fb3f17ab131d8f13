import { describe, expect, it } from 'vitest';
import { Keys } from '#shared/access/keys.ts';
import {
  Prospect,
  ProspectFields,
  type ProspectFieldsInput,
  prospectIdOf,
  reasonsOf,
  toProspect,
} from '#shared/prospects/prospect.ts';
import { REGION_CODES, timeZoneOfRegion } from '#shared/prospects/regions.ts';
import { keys } from './support/prospect-file.ts';

const valid = (): ProspectFieldsInput => ({
  company: { name: 'ООО «Ромашка»', inn: '5401000007' },
  contact: { name: 'Анна Петрова', email: 'a.petrova@romashka.ru' },
});
const source = { importId: 'imp-1', line: 2 };

/** The reasons a prospect's fields are refused, as codes by field. */
const reasons = (input: unknown) => {
  const parsed = ProspectFields.safeParse(input);
  return parsed.success ? [] : reasonsOf(parsed.error).map((r) => `${r.field}:${r.code}`);
};
const withCompany = (company: Record<string, unknown>) => ({
  ...valid(),
  company: { ...valid().company, ...company },
});

describe('the prospect model', () => {
  it('takes the region from the INN, the zone from the region, Russian, no tags and no consent by default', () => {
    const input = withCompany({ inn: '5407000003' });
    expect(reasons(input)).toEqual([]);
    const prospect = toProspect(keys, ProspectFields.parse(input), source);
    expect(prospect).toEqual({
      prospectId: prospectIdOf(keys, '5407000003', 'a.petrova@romashka.ru'),
      company: { name: 'ООО «Ромашка»', inn: '5407000003', regionCode: '54' },
      contact: { name: 'Анна Петрова', email: 'a.petrova@romashka.ru' },
      language: 'ru',
      timeZone: 'Asia/Novosibirsk',
      tags: [],
      marketingConsent: { granted: false },
      source,
    });
    expect(Prospect.parse(prospect)).toEqual(prospect);
  });

  it('keeps every field a file may give, a region and zone of its own over the defaults', () => {
    const input = {
      company: {
        name: 'АО Балтика',
        inn: '7707083893',
        kpp: '390101001',
        sizeBand: 'large',
        industry: 'manufacturing',
        regionCode: '39',
        website: 'https://baltika.example/',
      },
      contact: { name: 'Ivan', email: 'Ivan@Baltika.Example ', phone: '+74012000000', position: 'CFO' },
      language: 'en',
      timeZone: 'Europe/Moscow',
      tags: ['expo-2026', 'expo-2026', 'b2b'],
      marketingConsent: { granted: true, source: 'Иннопром', date: '2026-07-08' },
    };
    const prospect = toProspect(keys, ProspectFields.parse(input), source);
    expect(prospect.company.regionCode).toBe('39');
    expect(prospect.timeZone).toBe('Europe/Moscow');
    expect(prospect.contact.email).toBe('ivan@baltika.example');
    expect(prospect.tags).toEqual(['expo-2026', 'b2b']);
    expect(prospect.marketingConsent).toEqual({ granted: true, source: 'Иннопром', date: '2026-07-08' });
  });

  it.each([
    ['a bad INN checksum', withCompany({ inn: '7707083894' }), ['inn:inn_checksum']],
    ['an INN of 9 digits', withCompany({ inn: '770708389' }), ['inn:invalid_format']],
    [
      'a 12-digit INN with a KPP',
      withCompany({ inn: '500100732259', kpp: '500101001' }),
      ['kpp:kpp_for_sole_trader'],
    ],
    ['a malformed KPP', withCompany({ kpp: '12345' }), ['kpp:invalid_format']],
    ['an unknown region', withCompany({ regionCode: '00' }), ['regionCode:unknown_region']],
    ['a three-digit region', withCompany({ regionCode: '100' }), ['regionCode:unknown_region']],
    [
      'an INN from no region, without a region',
      withCompany({ inn: '0000000000' }),
      ['regionCode:unknown_region'],
    ],
    ['an unknown industry', withCompany({ industry: 'mining' }), ['industry:unknown_value']],
    ['an unknown size band', withCompany({ sizeBand: 'huge' }), ['sizeBand:unknown_value']],
    [
      'a website that is not http(s)',
      withCompany({ website: 'ftp://x.example' }),
      ['website:invalid_format'],
    ],
    ['a bad email', { ...valid(), contact: { name: 'A', email: 'not-an-email' } }, ['email:invalid_format']],
    ['a missing email', { ...valid(), contact: { name: 'A' } }, ['email:required']],
    [
      'a phone not in E.164',
      { ...valid(), contact: { ...valid().contact, phone: '84951234567' } },
      ['phone:invalid_format'],
    ],
    ['an unknown language', { ...valid(), language: 'de' }, ['language:unknown_value']],
    ['an unknown time zone', { ...valid(), timeZone: 'Moscow' }, ['timeZone:unknown_time_zone']],
    ['a tag that is not a slug', { ...valid(), tags: ['Выставка'] }, ['tags:invalid_format']],
    ['too many tags', { ...valid(), tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ['tags:too_many']],
    [
      'consent granted without its evidence',
      { ...valid(), marketingConsent: { granted: true } },
      ['consentSource:consent_evidence', 'consentDate:consent_evidence'],
    ],
    [
      'a consent date that is no date',
      { ...valid(), marketingConsent: { granted: false, date: '2026-02-30' } },
      ['consentDate:invalid_format'],
    ],
  ])('refuses %s', (_, input, expected) => {
    expect(reasons(input)).toEqual(expected);
  });

  it('gives every reason of a row at once, the INN region check too when other fields fail', () => {
    expect(reasons({ ...withCompany({ inn: '0000000000' }), contact: { name: 'A', email: 'bad' } })).toEqual([
      'email:invalid_format',
      'regionCode:unknown_region',
    ]);
  });
});

describe('prospectIdOf', () => {
  it('is the same for the same INN and email however they are written, and holds neither in clear', () => {
    const id = prospectIdOf(keys, '7707083893', 'a.petrova@romashka.ru');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(prospectIdOf(keys, ' 7707083893 ', ' A.Petrova@Romashka.RU')).toBe(id);
    expect(id).not.toContain('7707083893');
  });

  it('differs for another person at the company, another company, and another key', () => {
    const id = prospectIdOf(keys, '7707083893', 'a.petrova@romashka.ru');
    expect(prospectIdOf(keys, '7707083893', 'i.ivanov@romashka.ru')).not.toBe(id);
    expect(prospectIdOf(keys, '7736207543', 'a.petrova@romashka.ru')).not.toBe(id);
    const other = Keys.derive('somebody-else-s-key-material-0123456789');
    expect(prospectIdOf(other, '7707083893', 'a.petrova@romashka.ru')).not.toBe(id);
  });
});

describe('regions', () => {
  it('gives every known region a time zone the platform knows, Moscow for most', () => {
    for (const code of REGION_CODES) {
      const zone = timeZoneOfRegion(code);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
    }
    expect(timeZoneOfRegion('77')).toBe('Europe/Moscow');
    expect(timeZoneOfRegion('25')).toBe('Asia/Vladivostok');
    expect(timeZoneOfRegion('39')).toBe('Europe/Kaliningrad');
    expect(timeZoneOfRegion('84')).toBe(timeZoneOfRegion('24'));
    expect(() => timeZoneOfRegion('00')).toThrow(RangeError);
  });
});
