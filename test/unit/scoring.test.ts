import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, INDUSTRIES, LeadSubmission, PRODUCTS, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { classifyLead, type ScoringInput, scoreLead, scoringInputOf } from '#shared/leads/scoring.ts';
import { parseScoringConfig, type ScoringConfig, scoringConfig } from '#shared/leads/scoring-config.ts';

const sumOfPoints = (input: ScoringInput) => {
  const score = scoreLead(input, scoringConfig);
  return Math.round(score.breakdown.reduce((sum, f) => sum + f.points, 0) * 10) / 10;
};

const bare: ScoringInput = {
  regionCode: '12',
  products: ['settlement_account'],
  channel: 'web',
  hasPhone: false,
  hasMessage: false,
  hasWebsite: false,
};

const inputs: fc.Arbitrary<ScoringInput> = fc.record(
  {
    sizeBand: fc.constantFrom(...SIZE_BANDS),
    industry: fc.constantFrom(...INDUSTRIES),
    regionCode: fc.stringMatching(/^\d{2}$/),
    products: fc.uniqueArray(fc.constantFrom(...PRODUCTS), { minLength: 1 }),
    channel: fc.constantFrom(...CHANNELS),
    hasPhone: fc.boolean(),
    hasMessage: fc.boolean(),
    hasWebsite: fc.boolean(),
  },
  { requiredKeys: ['regionCode', 'products', 'channel', 'hasPhone', 'hasMessage', 'hasWebsite'] },
);

describe('scoreLead', () => {
  it('explains the total with six factors whose points add up to it', () => {
    const score = scoreLead({ ...bare, sizeBand: 'medium', regionCode: '77' }, scoringConfig);
    expect(score.configVersion).toBe('scoring-2026-11-v1');
    expect(score.breakdown.map((f) => f.factor)).toEqual([
      'sizeBand',
      'industry',
      'region',
      'products',
      'channel',
      'completeness',
    ]);
    expect(score.breakdown[0]).toEqual({
      factor: 'sizeBand',
      value: 'medium',
      weight: 25,
      fraction: 0.7,
      points: 17.5,
      explanation: 'Company size medium: 0.7 of 25',
    });
    expect(score.total).toBe(sumOfPoints({ ...bare, sizeBand: 'medium', regionCode: '77' }));
  });

  it('classes a large Moscow company referred for credit and payroll as key', () => {
    const input: ScoringInput = {
      ...bare,
      sizeBand: 'large',
      regionCode: '77',
      products: ['credit', 'payroll'],
    };
    const score = scoreLead({ ...input, channel: 'referral' }, scoringConfig);
    expect(classifyLead(score.total, scoringConfig)).toBe('key');
  });

  it('classes a micro web lead with nothing optional as unqualified', () => {
    const score = scoreLead({ ...bare, sizeBand: 'micro' }, scoringConfig);
    expect(score.breakdown.find((f) => f.factor === 'completeness')?.value).toBe('sizeBand');
    expect(classifyLead(score.total, scoringConfig)).toBe('unqualified');
  });

  it('caps the products factor at its weight', () => {
    const score = scoreLead({ ...bare, products: PRODUCTS }, scoringConfig);
    expect(score.breakdown.find((f) => f.factor === 'products')).toMatchObject({ fraction: 1, points: 25 });
  });

  it('scores unlisted regions and missing details by the defaults', () => {
    const byFactor = Object.fromEntries(scoreLead(bare, scoringConfig).breakdown.map((f) => [f.factor, f]));
    expect(byFactor.region).toMatchObject({ value: '12', fraction: 0.5, points: 5 });
    expect(byFactor.region?.explanation).toBe('Region 12 (not a listed region): 0.5 of 10');
    expect(byFactor.sizeBand).toMatchObject({ value: 'not given', fraction: 0.25 });
    expect(byFactor.completeness).toMatchObject({ value: 'none', fraction: 0, points: 0 });
  });

  it('keeps the total within 0..100 and equal to the sum of the breakdown', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { total } = scoreLead(input, scoringConfig);
        return total >= 0 && total <= 100 && total === sumOfPoints(input);
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(scoreLead(input, scoringConfig)).toEqual(scoreLead(structuredClone(input), scoringConfig));
      }),
    );
  });

  it('never lowers the total when a product is added', () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom(...PRODUCTS), (input, extra) => {
        fc.pre(!input.products.includes(extra));
        const before = scoreLead(input, scoringConfig).total;
        const after = scoreLead({ ...input, products: [...input.products, extra] }, scoringConfig).total;
        return after >= before;
      }),
    );
  });
});

describe('classifyLead', () => {
  it.each([
    [100, 'key'],
    [75, 'key'],
    [74.9, 'priority'],
    [55, 'priority'],
    [54.9, 'standard'],
    [35, 'standard'],
    [34.9, 'unqualified'],
    [0, 'unqualified'],
  ])('classes %d as %s', (total, expected) => {
    expect(classifyLead(total, scoringConfig)).toBe(expected);
  });
});

describe('scoringInputOf', () => {
  it('takes the region from the INN and notes which optional details are present', () => {
    const submission = LeadSubmission.parse({
      company: { name: 'ООО «Невский»', inn: '7830002293', sizeBand: 'small' },
      contact: { name: 'Олег', email: 'oleg@nevsky.example', phone: '+78121234567' },
      products: ['acquiring'],
      consents: [{ purpose: 'personal_data_processing', granted: true, textVersion: '1' }],
    });
    expect(scoringInputOf({ ...submission, attribution: { channel: 'web' } })).toEqual({
      sizeBand: 'small',
      regionCode: '78',
      products: ['acquiring'],
      channel: 'web',
      hasPhone: true,
      hasMessage: false,
      hasWebsite: false,
    });
  });
});

describe('ScoringConfig', () => {
  const copy = (): ScoringConfig => structuredClone(scoringConfig);

  it('accepts the v1 file', () => {
    expect(parseScoringConfig(copy())).toEqual(scoringConfig);
  });

  it('rejects weights that do not sum to 100, naming the path', () => {
    const config = copy();
    config.factors.channel.weight = 25;
    expect(() => parseScoringConfig(config)).toThrow('factors: Factor weights must sum to 100, not 105');
  });

  it('rejects thresholds out of order', () => {
    const config = copy();
    config.classThresholds.priority = 80;
    expect(() => parseScoringConfig(config)).toThrow(/classThresholds: Thresholds must satisfy/);
  });

  it('rejects a fraction out of range or an unknown table key, naming the path', () => {
    const config: unknown = {
      ...copy(),
      factors: {
        ...copy().factors,
        sizeBand: { weight: 25, fractions: { large: 1.5, huge: 1 }, default: 0.2 },
      },
    };
    expect(() => parseScoringConfig(config)).toThrow(
      /factors\.sizeBand\.fractions\.large: .*factors\.sizeBand\.fractions/s,
    );
  });

  it('rejects completeness shares that do not sum to 1', () => {
    const config = copy();
    config.factors.completeness.shares.phone = 0.5;
    expect(() => parseScoringConfig(config)).toThrow(
      'factors.completeness.shares: Completeness shares must sum to 1',
    );
  });
});
