import { describe, expect, it } from 'vitest';
import v1 from '#shared/managers/config/outcomes.v1.json' with { type: 'json' };
import {
  type OutcomesConfig,
  outcomesConfig,
  parseOutcomesConfig,
  reasonInput,
  reasonLabel,
} from '#shared/managers/outcomes.ts';

const copy = (): OutcomesConfig => structuredClone(outcomesConfig);

describe('OutcomesConfig', () => {
  it('accepts the v1 file, every reason labelled in Russian and English', () => {
    expect(parseOutcomesConfig(structuredClone(v1))).toEqual(outcomesConfig);
    expect(outcomesConfig.version).toBe('outcomes-2026-11-v1');
    for (const reason of [...outcomesConfig.declineReasons, ...outcomesConfig.lostReasons]) {
      expect(reason.label.ru).not.toBe('');
      expect(reason.label.en).not.toBe('');
    }
    expect(outcomesConfig.lostReasons).toContainEqual({ code: 'price', label: { ru: 'Цена', en: 'Price' } });
  });

  it('rejects a code used twice in one list, naming the second', () => {
    const config = copy();
    config.lostReasons.push({ code: 'price', label: { ru: 'Дорого', en: 'Too dear' } });
    const at = config.lostReasons.length - 1;
    expect(() => parseOutcomesConfig(config)).toThrow(`lostReasons.${at}.code: Duplicate reason code price`);
  });

  it('lets one code stand in both lists', () => {
    expect(outcomesConfig.declineReasons.map((r) => r.code)).toContain('other');
    expect(outcomesConfig.lostReasons.map((r) => r.code)).toContain('other');
  });

  it('rejects a code that is not a code, naming the path', () => {
    const config = copy();
    config.declineReasons[1] = { code: 'Не мой клиент', label: { ru: 'Не мой', en: 'Not mine' } };
    expect(() => parseOutcomesConfig(config)).toThrow(/declineReasons\.1\.code: a reason code/);
  });

  it('rejects a missing or empty label and an unknown language, naming each path', () => {
    const config: unknown = {
      ...copy(),
      lostReasons: [
        { code: 'price', label: { ru: 'Цена' } },
        { code: 'terms', label: { ru: ' ', en: 'Terms', de: 'Bedingungen' } },
      ],
    };
    expect(() => parseOutcomesConfig(config)).toThrow(
      /lostReasons\.0\.label\.en: .*lostReasons\.1\.label\.ru: .*lostReasons\.1\.label\.de: Unknown field/s,
    );
  });

  it('rejects an empty list, a missing version and an unknown field', () => {
    const { version: _version, ...config } = { ...copy(), declineReasons: [], extra: 1 };
    expect(() => parseOutcomesConfig(config)).toThrow(/version: .*declineReasons: .*extra: Unknown field/s);
  });
});

describe('reasonInput', () => {
  it('accepts a listed code with the manager note, trimmed', () => {
    expect(reasonInput('lost').parse({ reasonCode: 'price', note: '  Нашли дешевле  ' })).toEqual({
      reasonCode: 'price',
      note: 'Нашли дешевле',
    });
    expect(reasonInput('decline').parse({ reasonCode: 'not_my_region' })).toEqual({
      reasonCode: 'not_my_region',
    });
  });

  it('accepts only the list of its kind', () => {
    expect(reasonInput('decline').safeParse({ reasonCode: 'price' }).success).toBe(false);
    const result = reasonInput('lost').safeParse({ reasonCode: 'no_capacity' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['reasonCode', expect.stringMatching(/^One of: price, chose_competitor/)],
    ]);
  });

  it('reads the list of the configuration it is given', () => {
    const config = copy();
    config.lostReasons = [{ code: 'sanctions', label: { ru: 'Санкции', en: 'Sanctions' } }];
    expect(reasonInput('lost', config).safeParse({ reasonCode: 'sanctions' }).success).toBe(true);
    expect(reasonInput('lost', config).safeParse({ reasonCode: 'price' }).success).toBe(false);
  });

  it('refuses an empty or overlong note and unknown fields', () => {
    const input = reasonInput('lost');
    expect(input.safeParse({ reasonCode: 'price', note: '   ' }).success).toBe(false);
    expect(input.safeParse({ reasonCode: 'price', note: 'x'.repeat(2001) }).success).toBe(false);
    expect(input.safeParse({ reasonCode: 'price', reasonText: 'дорого' }).success).toBe(false);
  });
});

describe('reasonLabel', () => {
  it('reads the label in the language asked for', () => {
    expect(reasonLabel('lost', 'price', 'ru')).toBe('Цена');
    expect(reasonLabel('lost', 'price', 'en')).toBe('Price');
    expect(reasonLabel('decline', 'not_my_segment', 'ru')).toBe('Не мой сегмент');
  });

  it('knows no label for a code of the other list or of none', () => {
    expect(reasonLabel('decline', 'price', 'ru')).toBeUndefined();
    expect(reasonLabel('lost', 'nonsense', 'en')).toBeUndefined();
  });
});
