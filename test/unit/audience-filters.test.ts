import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AudienceFilters, matches, prospectScore } from '#shared/audiences/audience.ts';
import { formatIssues, INDUSTRIES, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { scoreLead } from '#shared/leads/scoring.ts';
import { scoringConfig } from '#shared/leads/scoring-config.ts';
import { aVariedProspect, walked } from './support/audiences.ts';

const prospects = Array.from({ length: 60 }, (_, n) => walked(aVariedProspect(n + 1)));
const facts = { score: 50 };
const issuesOf = (input: unknown) => {
  const parsed = AudienceFilters.safeParse(input);
  return parsed.success ? [] : formatIssues(parsed.error).map((i) => i.path);
};

describe('audience filters', () => {
  it('passes every prospect with no filter; a prospect lacking the field a filter reads does not pass it', () => {
    for (const p of prospects) expect(matches(p, facts, {})).toBe(true);
    const noIndustry = prospects.find((p) => p.company.industry === undefined);
    expect(noIndustry && matches(noIndustry, facts, { industry: [...INDUSTRIES] })).toBe(false);
    const noSize = prospects.find((p) => p.company.sizeBand === undefined);
    expect(noSize && matches(noSize, facts, { sizeBand: [...SIZE_BANDS] })).toBe(false);
  });

  it('ors the values of one filter and ands the filters', () => {
    const p = prospects.find((x) => x.company.industry === 'trade');
    if (!p) throw new Error('no such prospect in the set');
    const region = p.company.regionCode;
    const elsewhere = region === '78' ? '77' : '78';
    expect(matches(p, facts, { industry: ['it', 'trade'] })).toBe(true);
    expect(matches(p, facts, { industry: ['trade'], regionCode: [elsewhere] })).toBe(false);
    expect(matches(p, facts, { industry: ['trade'], regionCode: [elsewhere, region] })).toBe(true);
    expect(matches(p, facts, { industry: ['it'], regionCode: [region] })).toBe(false);
  });

  it('reads tags as any of and all of, consent as recorded, the score within inclusive bounds', () => {
    const both = prospects.find((x) => x.tags.includes('sme') && x.tags.includes('export'));
    const sme = prospects.find((x) => x.tags.length === 1 && x.tags[0] === 'sme');
    if (!both || !sme) throw new Error('no such prospects in the set');
    expect(matches(sme, facts, { tags: { anyOf: ['export', 'sme'] } })).toBe(true);
    expect(matches(sme, facts, { tags: { allOf: ['export', 'sme'] } })).toBe(false);
    expect(matches(both, facts, { tags: { allOf: ['export', 'sme'], anyOf: ['sme'] } })).toBe(true);
    expect(matches(both, facts, { marketingConsent: both.marketingConsent.granted })).toBe(true);
    expect(matches(both, facts, { marketingConsent: !both.marketingConsent.granted })).toBe(false);
    expect(matches(both, { score: 50 }, { score: { min: 50, max: 50 } })).toBe(true);
    expect(matches(both, { score: 49.9 }, { score: { min: 50 } })).toBe(false);
    expect(matches(both, { score: 50.1 }, { score: { max: 50 } })).toBe(false);
  });

  it('reads the last contact: after <= latest < before, or never', () => {
    const p = prospects[0];
    if (!p) throw new Error('no prospect');
    const at = { score: 50, lastContactedAt: '2026-11-10T10:00:00.000Z' };
    expect(matches(p, facts, { lastContacted: { never: true } })).toBe(true);
    expect(matches(p, at, { lastContacted: { never: true } })).toBe(false);
    expect(matches(p, at, { lastContacted: { before: '2026-11-10T10:00:00.000Z' } })).toBe(false);
    expect(matches(p, at, { lastContacted: { before: '2026-11-11T00:00:00Z' } })).toBe(true);
    expect(matches(p, at, { lastContacted: { after: '2026-11-10T10:00:00.000Z' } })).toBe(true);
    expect(matches(p, facts, { lastContacted: { before: '2026-11-11T00:00:00Z' } })).toBe(false);
    expect(matches(p, facts, { lastContacted: { before: '2026-11-11T00:00:00Z', never: true } })).toBe(true);
  });

  it('scores a prospect as the lead it would be from a letter, with the scoring in force', () => {
    for (const p of prospects.slice(0, 10)) {
      const expected = scoreLead(
        {
          ...(p.company.sizeBand ? { sizeBand: p.company.sizeBand } : {}),
          ...(p.company.industry ? { industry: p.company.industry } : {}),
          regionCode: p.company.inn.slice(0, 2),
          products: [],
          channel: 'letter',
          hasPhone: Boolean(p.contact.phone),
          hasMessage: false,
          hasWebsite: Boolean(p.company.website),
        },
        scoringConfig,
      ).total;
      expect(prospectScore(p, scoringConfig)).toBe(expected);
    }
  });

  it('refuses bad filters naming each field', () => {
    expect(issuesOf({ industry: [], regionCode: ['00'], sizeBand: ['huge'] }).sort()).toEqual([
      'industry',
      'regionCode.0',
      'sizeBand.0',
    ]);
    expect(issuesOf({ score: { min: 80, max: 20 } })).toEqual(['score.min']);
    expect(issuesOf({ score: { min: -1 } })).toEqual(['score.min']);
    expect(issuesOf({ tags: {} })).toEqual(['tags']);
    expect(issuesOf({ tags: { anyOf: ['Not A Tag'] } })).toEqual(['tags.anyOf.0']);
    expect(
      issuesOf({ lastContacted: { after: '2026-12-01T00:00:00Z', before: '2026-11-01T00:00:00Z' } }),
    ).toEqual(['lastContacted.after']);
    expect(issuesOf({ lastContacted: { never: false } })).toEqual(['lastContacted.never']);
    expect(issuesOf({ colour: ['red'] })).toEqual(['colour']);
  });
});

const industries = fc.uniqueArray(fc.constantFrom(...INDUSTRIES), { minLength: 1, maxLength: 4 });
const sizes = fc.uniqueArray(fc.constantFrom(...SIZE_BANDS), { minLength: 1, maxLength: 3 });
const regions = fc.uniqueArray(fc.constantFrom('77', '78', '54', '39', '25', '50'), {
  minLength: 1,
  maxLength: 3,
});
const filters = fc.record(
  {
    industry: industries,
    sizeBand: sizes,
    regionCode: regions,
    marketingConsent: fc.boolean(),
    score: fc.record({ min: fc.integer({ min: 0, max: 100 }) }),
  },
  { requiredKeys: [] },
);
const prospect = fc.constantFrom(...prospects);
const score = fc.double({ min: 0, max: 100, noNaN: true });

describe('audience filters, as properties', () => {
  it('match exactly when each filter given matches alone (the filters are ANDed)', () => {
    fc.assert(
      fc.property(prospect, score, filters, (p, s, f) => {
        const each = Object.entries(f).every(([key, value]) => matches(p, { score: s }, { [key]: value }));
        expect(matches(p, { score: s }, f)).toBe(each);
      }),
    );
  });

  it('never lose a match when a filter takes one more value (the values are ORed)', () => {
    fc.assert(
      fc.property(prospect, industries, fc.constantFrom(...INDUSTRIES), (p, values, more) => {
        if (matches(p, facts, { industry: values })) {
          expect(matches(p, facts, { industry: [...new Set([...values, more])] })).toBe(true);
        }
      }),
    );
  });

  it('pass a score exactly when it is within the range', () => {
    fc.assert(
      fc.property(prospect, score, score, score, (p, s, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        expect(matches(p, { score: s }, { score: { min, max } })).toBe(min <= s && s <= max);
      }),
    );
  });

  it('accept every filter the schema accepts, and keep it as given', () => {
    fc.assert(
      fc.property(filters, (f) => {
        expect(AudienceFilters.parse(f)).toEqual(f);
      }),
    );
  });
});
