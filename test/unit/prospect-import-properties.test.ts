import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeInn10 } from '#shared/leads/inn.ts';
import { INDUSTRIES, SIZE_BANDS } from '#shared/leads/lead-submission.ts';
import { parseProspectImport } from '#shared/prospects/import-parser.ts';
import { ProspectFields, type ProspectFieldsInput, toProspect } from '#shared/prospects/prospect.ts';
import { REGION_CODES } from '#shared/prospects/regions.ts';
import {
  acceptedOf,
  csvOf,
  GENERATED_HEADER,
  GENERATED_MAPPING,
  generatedCsv,
  generatedRow,
  keys,
  parseAll,
  RUSSIAN_MAPPING,
  rejectedOf,
} from './support/prospect-file.ts';

/** Free text as a file holds it: Cyrillic, quotes, both delimiters, line breaks inside; trimmed, as read back. */
const freeText = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...'АбвЁёЯz Q1";,\n\'«»-=@+'.split('')), minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s !== '');

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/);

const prospectFields: fc.Arbitrary<ProspectFieldsInput> = fc
  .record({
    region: fc.constantFrom(...REGION_CODES),
    digits: fc.integer({ min: 0, max: 9_999_999 }),
    name: freeText(40),
    kpp: fc.option(fc.stringMatching(/^\d{4}[\dA-Z]{2}\d{3}$/), { nil: undefined }),
    sizeBand: fc.option(fc.constantFrom(...SIZE_BANDS), { nil: undefined }),
    industry: fc.option(fc.constantFrom(...INDUSTRIES), { nil: undefined }),
    regionCode: fc.option(fc.constantFrom(...REGION_CODES), { nil: undefined }),
    website: fc.option(
      slug.map((s) => `https://${s}.example/`),
      { nil: undefined },
    ),
    contactName: freeText(30),
    position: fc.option(freeText(20), { nil: undefined }),
    email: fc
      .tuple(slug, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/))
      .map(([local, domain]) => `${local}@${domain}.ru`),
    phone: fc.option(fc.stringMatching(/^\+7\d{10}$/), { nil: undefined }),
    language: fc.constantFrom('ru', 'en'),
    timeZone: fc.option(fc.constantFrom('Europe/Moscow', 'Asia/Yekaterinburg', 'UTC'), { nil: undefined }),
    tags: fc.uniqueArray(slug, { maxLength: 5 }),
    consent: fc.option(
      fc.record({ source: freeText(20), date: fc.constantFrom('2025-01-31', '2026-12-01') }),
      {
        nil: undefined,
      },
    ),
  })
  .map((g) => ({
    company: {
      name: g.name,
      inn: completeInn10(`${g.region}${String(g.digits).padStart(7, '0')}`),
      ...(g.kpp ? { kpp: g.kpp } : {}),
      ...(g.sizeBand ? { sizeBand: g.sizeBand } : {}),
      ...(g.industry ? { industry: g.industry } : {}),
      ...(g.regionCode ? { regionCode: g.regionCode } : {}),
      ...(g.website ? { website: g.website } : {}),
    },
    contact: {
      name: g.contactName,
      email: g.email,
      ...(g.position ? { position: g.position } : {}),
      ...(g.phone ? { phone: g.phone } : {}),
    },
    language: g.language,
    ...(g.timeZone ? { timeZone: g.timeZone } : {}),
    tags: g.tags,
    marketingConsent: g.consent ? { granted: true, ...g.consent } : { granted: false },
  }));

/** The cells of a prospect under RUSSIAN_MAPPING's headers: what a bank's export would write. */
function cellsOf(p: ProspectFieldsInput): string[] {
  const c = p.company;
  const consent = p.marketingConsent;
  const byField: Record<string, string | undefined> = {
    inn: c.inn,
    kpp: c.kpp,
    companyName: c.name,
    sizeBand: c.sizeBand,
    industry: c.industry,
    regionCode: c.regionCode,
    website: c.website,
    contactName: p.contact.name,
    position: p.contact.position,
    email: p.contact.email,
    phone: p.contact.phone,
    language: p.language,
    timeZone: p.timeZone,
    tags: p.tags?.join('|'),
    consentGranted: consent?.granted ? 'да' : 'нет',
    consentSource: consent?.source,
    consentDate: consent?.date,
  };
  return Object.values(RUSSIAN_MAPPING).map((field) => byField[field] ?? '');
}

describe('a prospect file read back', () => {
  it('gives back every valid prospect a tiny CSV writer wrote, on the line its row starts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(prospectFields, {
          minLength: 1,
          maxLength: 6,
          selector: (p) => `${p.company.inn}|${p.contact.email}`,
        }),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\r\n', '\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 97 }),
        async (prospects, delimiter, lineEnd, bom, chunkSize) => {
          const text = csvOf([Object.keys(RUSSIAN_MAPPING), ...prospects.map(cellsOf)], delimiter, lineEnd);
          const bytes = Buffer.from(`${bom ? '\uFEFF' : ''}${text}`);
          const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) =>
            bytes.subarray(i * chunkSize, (i + 1) * chunkSize),
          );
          const { batches, summary } = await parseAll(chunks, { format: 'csv', mapping: RUSSIAN_MAPPING });
          let line = 2;
          const expected = prospects.map((p) => {
            const prospect = toProspect(keys, ProspectFields.parse(p), { importId: 'imp-1', line });
            line += 1 + cellsOf(p).join('').split('\n').length - 1;
            return prospect;
          });
          expect(rejectedOf(batches)).toEqual([]);
          expect(acceptedOf(batches).map((r) => r.prospect)).toEqual(expected);
          expect(summary).toEqual({ rows: prospects.length, accepted: prospects.length, rejected: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a 100,000-row file', () => {
  it('streams through in batches of 25 with every row accounted for', { timeout: 600_000 }, async () => {
    const ROWS = 100_000;
    // Every 1,000th row has a bad email; every 5,000th after the first repeats the row 10 before it.
    const row = (n: number) => {
      if (n % 1000 === 0)
        return generatedRow(n).map((cell, i) => (GENERATED_HEADER[i] === 'E-mail' ? 'bad' : cell));
      return n % 5000 === 1 && n > 1 ? generatedRow(n - 10) : generatedRow(n);
    };
    const parser = parseProspectImport(generatedCsv(ROWS, row), {
      format: 'csv',
      mapping: GENERATED_MAPPING,
      importId: 'imp-100k',
      keys,
    });
    // Counted as they pass, never kept: the file and its rows are never in memory whole.
    const counts = { batches: 0, accepted: 0, rejected: 0, duplicates: 0, largest: 0 };
    let lastLine = 1;
    let inOrder = true;
    for (let next = await parser.next(); ; next = await parser.next()) {
      if (next.done) {
        expect(next.value).toEqual({ rows: ROWS, accepted: counts.accepted, rejected: counts.rejected });
        break;
      }
      const { accepted, rejected } = next.value;
      counts.batches++;
      counts.accepted += accepted.length;
      counts.rejected += rejected.length;
      counts.duplicates += rejected.filter((r) => r.reasons[0]?.code === 'duplicate').length;
      counts.largest = Math.max(counts.largest, accepted.length + rejected.length);
      for (const r of [...accepted, ...rejected].sort((a, b) => a.line - b.line)) {
        inOrder &&= r.line === lastLine + 1;
        lastLine = r.line;
      }
    }
    expect(counts).toEqual({
      batches: ROWS / 25,
      accepted: ROWS - 100 - 19,
      rejected: 119,
      duplicates: 19,
      largest: 25,
    });
    expect(inOrder).toBe(true);
    expect(lastLine).toBe(ROWS + 1);
  });
});
