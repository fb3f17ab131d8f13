import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeInn10, isValidInn, regionCodeOfInn } from '#shared/leads/inn.ts';

describe('isValidInn', () => {
  it.each([
    ['7707083893', 'Sberbank'],
    ['7736207543', 'Yandex'],
    ['7830002293', 'a St Petersburg company'],
  ])('accepts %s (%s)', (inn) => {
    expect(isValidInn(inn)).toBe(true);
  });

  it('accepts a 12-digit entrepreneur number whose two check digits match', () => {
    // 11th: 7·5+2·0+4·0+10·1+3·0+5·0+9·7+4·3+6·2+8·2 = 148; 148 mod 11 = 5.
    // 12th: 3·5+7·0+2·0+4·1+10·0+3·0+5·7+9·3+4·2+6·2+8·5 = 141; 141 mod 11 = 9.
    expect(isValidInn('500100732259')).toBe(true);
  });

  it.each(['7707083894', '7736207540', '500100732250', '500100732269'])('rejects bad checksum %s', (inn) => {
    expect(isValidInn(inn)).toBe(false);
  });

  it.each(['', '770708389', '77070838930', '5001007322590', '1234567'])('rejects length of %j', (inn) => {
    expect(isValidInn(inn)).toBe(false);
  });

  it.each(['77070838a3', ' 7707083893', '7707083893\n', '７７０７０８３８９３', '-707083893'])(
    'rejects non-digits in %j',
    (inn) => {
      expect(isValidInn(inn)).toBe(false);
    },
  );

  it('accepts any 9 digits with their check digit, and rejects every other last digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 1, max: 9 }), (first9, shift) => {
        const inn = completeInn10(first9);
        const wrong = `${first9}${(Number(inn[9]) + shift) % 10}`;
        return isValidInn(inn) && !isValidInn(wrong);
      }),
    );
  });
});

describe('completeInn10', () => {
  it('appends the check digit', () => {
    expect(completeInn10('770708389')).toBe('7707083893');
  });

  it.each(['77070838', '7707083893', '77070838x'])('refuses %j', (prefix) => {
    expect(() => completeInn10(prefix)).toThrow(RangeError);
  });
});

describe('regionCodeOfInn', () => {
  it('is the first two digits', () => {
    expect(regionCodeOfInn('7707083893')).toBe('77');
    expect(regionCodeOfInn('7830002293')).toBe('78');
    expect(regionCodeOfInn('500100732259')).toBe('50');
  });

  it('refuses what is not an INN', () => {
    expect(() => regionCodeOfInn('77')).toThrow(RangeError);
  });
});
