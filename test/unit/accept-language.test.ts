import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAcceptLanguage, preferredLocale } from '#shared/http/accept-language.ts';
import { LOCALES } from '#shared/templates/locale.ts';

describe('Accept-Language: the language a person reads Attract in', () => {
  it('reads ranges with their weights, in the order sent, skipping malformed elements', () => {
    expect(parseAcceptLanguage('en-GB, en;q=0.8 , *;Q=0.1, ru;q=0')).toEqual([
      { range: 'en-gb', q: 1 },
      { range: 'en', q: 0.8 },
      { range: '*', q: 0.1 },
      { range: 'ru', q: 0 },
    ]);
    // A weight over 1, with four decimals, another parameter, or a range that is not one: skipped.
    expect(
      parseAcceptLanguage('de;q=1.5, fr;q=0.1234, it;level=1, en_US, 12, ru;q=0.5;x=1, en;q=0.5'),
    ).toEqual([{ range: 'en', q: 0.5 }]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });

  it.each([
    [undefined, 'ru'],
    ['', 'ru'],
    ['en', 'en'],
    ['EN', 'en'],
    ['en-US', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
    ['en;q=0.7, ru;q=0.8', 'ru'],
    ['ru;q=0.5, en;q=0.9', 'en'],
    // Equal weights: the range sent first.
    ['en, ru', 'en'],
    ['ru, en', 'ru'],
    // Only the wildcard, or nothing Attract has: Russian.
    ['*', 'ru'],
    ['de-DE, fr;q=0.8', 'ru'],
    ['de, *;q=0.1', 'ru'],
    // q=0 refuses a language; the range that names it most closely decides, not the wildcard.
    ['ru;q=0, *', 'en'],
    ['en;q=0', 'ru'],
    ['en;q=0, ru;q=0', 'ru'],
    ['en-GB;q=0.9, en;q=0.2, ru;q=0.5', 'ru'],
    // A malformed weight makes its element unread, not the header.
    ['en;q=2, ru;q=0.1', 'ru'],
    ['en;q=0.5, ru;q=x', 'en'],
  ] as const)('%j asks for %s', (header, locale) => {
    expect(preferredLocale(header)).toBe(locale);
  });

  it('answers a language Attract has for any header at all', () => {
    fc.assert(fc.property(fc.string(), (header) => LOCALES.includes(preferredLocale(header))));
  });
});
