import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { INDUSTRIES, PRODUCTS } from '#shared/leads/lead-submission.ts';
import { RosterEntry, SEGMENTS, STANDARD_WEEK, WEEKDAYS } from '#shared/managers/roster.ts';
import { formatRosterCsv, MAX_ROSTER_ROWS, parseRosterCsv } from '#shared/managers/roster-csv.ts';
import { LOCALES } from '#shared/templates/locale.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/roster/${name}`, import.meta.url), 'utf8');

const entriesOf = (text: string) => {
  const result = parseRosterCsv(text);
  if (!result.ok) throw new Error(`expected the file to parse: ${JSON.stringify(result.errors)}`);
  return result.entries;
};

/** What the API says of the same value: the model's own message. */
const modelMessage = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues[0]?.message;

const HEADER = 'manager_id,name,email,segments,regions,industries,capacity,active';
const row = (id: string) => `${id},Елена Иванова,${id}@bank.example,corporate,77,trade,5,true`;

describe('parseRosterCsv', () => {
  it('reads a file with Russian names, lists, working hours, absences and defaults for empty cells', () => {
    const [ivanova, smirnov, kuznetsova] = entriesOf(fixture('good.csv'));
    const split = [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ];
    expect(ivanova).toEqual({
      managerId: 'pm-ivanova',
      name: 'Елена Иванова',
      email: 'e.ivanova@bank.example',
      language: 'ru',
      segments: ['corporate', 'mid_market'],
      regions: ['77', '50'],
      industries: ['manufacturing', 'trade'],
      products: ['credit', 'payroll'],
      capacity: 12,
      weight: 1,
      workingHours: {
        timeZone: 'Europe/Moscow',
        week: { mon: split, tue: split, wed: split, thu: split, fri: split },
      },
      holidays: ['2027-01-01', '2027-01-07'],
      absences: [
        { from: '2026-12-01', to: '2026-12-14', reason: 'отпуск' },
        { from: '2027-01-10', to: '2027-01-10' },
      ],
      active: true,
    });
    expect(smirnov).toMatchObject({
      name: 'Смирнов, Алексей Петрович',
      language: 'en',
      regions: ['*'],
      weight: 2.5,
      workingHours: { timeZone: 'Asia/Vladivostok' },
      active: true,
    });
    expect(Object.keys(smirnov?.workingHours.week ?? {})).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    // Empty optional cells take the model's defaults; an empty working_hours cell is a week without hours.
    expect(kuznetsova).toMatchObject({
      language: 'ru',
      weight: 1,
      products: [],
      workingHours: { timeZone: 'Europe/Moscow', week: {} },
      active: false,
    });
  });

  it('reports every bad row and every bad field with its line and reason, and returns no entries', () => {
    const result = parseRosterCsv(fixture('bad-rows.csv'));
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, field: 'manager_id', message: modelMessage(RosterEntry.shape.managerId, 'PM Bad') },
        { line: 3, field: 'name', message: modelMessage(RosterEntry.shape.name, '') },
        { line: 3, field: 'email', message: modelMessage(RosterEntry.shape.email, 'not-an-email') },
        {
          line: 4,
          field: 'segments',
          message: `item 1: ${modelMessage(RosterEntry.shape.segments, ['retail'])}`,
        },
        { line: 4, field: 'regions', message: 'item 1: a two-digit region code, or *' },
        { line: 4, field: 'capacity', message: modelMessage(RosterEntry.shape.capacity, -1) },
        { line: 5, field: 'working_hours', message: 'sat shift 1: ends before it starts' },
        { line: 5, field: 'absences', message: 'item 1: ends before it starts' },
        {
          line: 5,
          field: 'active',
          message: '"maybe" is not true or false (да/нет, yes/no and 1/0 also do)',
        },
        { line: 6, field: '', message: '5 cells where the header has 10' },
        {
          line: 8,
          field: 'working_hours',
          message: 'item 1: "sun-mon 10:00-12:00" is not days and hours, such as mon-fri 09:00-18:00',
        },
      ],
    });
  });

  it("reads Russian Excel's file: a byte order mark, ';' between cells, CRLF, a decimal comma, да", () => {
    const text = fixture('excel-semicolon.csv');
    expect(text.startsWith('\uFEFFmanager_id;name;')).toBe(true);
    expect(text).toContain(';Да\r\n');
    const [orlov, belova] = entriesOf(text);
    expect(orlov).toMatchObject({
      managerId: 'pm-orlov',
      name: 'Орлов Дмитрий',
      industries: ['finance', 'it'],
      weight: 1.5,
      workingHours: { timeZone: 'Europe/Moscow', week: { mon: [{ from: '09:00', to: '18:00' }] } },
      absences: [{ from: '2026-07-01', to: '2026-07-14', reason: 'отпуск; командировка в "Сибирь"' }],
      active: true,
    });
    expect(Object.keys(orlov?.workingHours.week ?? {})).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(belova).toMatchObject({ name: 'Белова; Анна', active: true });
  });

  it('takes a byte order mark before a comma-separated header, quoted or not', () => {
    const text = fixture('good.csv');
    const [header, ...rows] = text.split('\n');
    const quoted = [header?.replace(/[a-z_]+/g, '"$&"'), ...rows].join('\n');
    expect(entriesOf(`\uFEFF${text}`)).toEqual(entriesOf(text));
    expect(entriesOf(`\uFEFF${quoted}`)).toEqual(entriesOf(text));
  });

  it('keeps delimiters and line breaks inside quoted cells, and counts lines right after them', () => {
    const text = fixture('multiline.csv');
    const expected = {
      ok: false,
      errors: [{ line: 5, field: 'capacity', message: '"five" is not a number' }],
    };
    expect(parseRosterCsv(text)).toEqual(expected);
    expect(parseRosterCsv(text.replaceAll('\n', '\r\n'))).toEqual(expected);
    const [one] = entriesOf(text.replace(',five,', ',5,'));
    expect(one?.name).toBe('Иванова, Елена');
    expect(one?.absences).toEqual([
      { from: '2026-12-01', to: '2026-12-14', reason: 'отпуск,\nзатем командировка; "Казань"' },
    ]);
  });

  it('refuses a manager_id that an earlier line has, naming the later line', () => {
    expect(parseRosterCsv(fixture('duplicates.csv'))).toEqual({
      ok: false,
      errors: [
        { line: 4, field: 'manager_id', message: 'the same manager_id as line 2' },
        { line: 5, field: 'manager_id', message: 'the same manager_id as line 3' },
        { line: 6, field: 'manager_id', message: 'the same manager_id as line 2' },
      ],
    });
  });

  it('takes columns in any order, and gives a file without working hours the unit’s usual week', () => {
    const text =
      'active,capacity,industries,regions,segments,email,name,manager_id\nда,5,it,77,corporate,a@bank.example,Анна,pm-a\n';
    const [entry] = entriesOf(text);
    expect(entry).toMatchObject({ managerId: 'pm-a', name: 'Анна', capacity: 5, active: true });
    expect(entry?.workingHours).toEqual(STANDARD_WEEK);
  });

  it('names unknown, doubled and missing columns on line 1 and reads no rows', () => {
    const result = parseRosterCsv(
      'manager_id,name,emial,segments,regions,industries,capacity,active,name\nPM BAD,,,,,,,\n',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 1, field: 'emial' },
      { line: 1, field: 'name' },
      { line: 1, field: 'email' },
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^unknown column; the columns are manager_id, name, email/),
      'the column appears twice',
      'a required column is missing',
    ]);
  });

  it.each([
    ['an empty file', '', 1, 'the file is empty'],
    ['a byte order mark and blank lines', '\uFEFF\r\n  \r\n', 1, 'the file is empty'],
    ['a header alone', `${HEADER}\n\n`, 1, 'no managers below the header'],
    ['a quote never closed', `${HEADER}\n${row('pm-a')}\npm-b,"Анна,x@bank.example\n`, 3, 'never closed'],
    ['a stray quote', `${HEADER}\npm-a,Анна "Ра",a@bank.example,corporate,77,it,1,true\n`, 2, 'in quotes'],
  ])('refuses %s', (_, text, line, message) => {
    const result = parseRosterCsv(text);
    expect(result).toEqual({
      ok: false,
      errors: [{ line, field: '', message: expect.stringContaining(message) }],
    });
  });

  it(`takes ${MAX_ROSTER_ROWS} rows and refuses one more, at the line of the first row too many`, () => {
    const rows = Array.from({ length: MAX_ROSTER_ROWS + 1 }, (_, i) => row(`pm-${i}`));
    expect(entriesOf([HEADER, ...rows.slice(0, -1)].join('\n'))).toHaveLength(MAX_ROSTER_ROWS);
    expect(parseRosterCsv([HEADER, ...rows].join('\n'))).toEqual({
      ok: false,
      errors: [
        {
          line: MAX_ROSTER_ROWS + 2,
          field: '',
          message: `more than ${MAX_ROSTER_ROWS} managers; split the file`,
        },
      ],
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['Да', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['нет', false],
    ['No', false],
    ['0', false],
  ])('reads active %j as %j', (cell, active) => {
    expect(entriesOf(`${HEADER}\n${row('pm-a').replace(/true$/, cell)}`)[0]?.active).toBe(active);
  });

  it('says an empty required cell is required instead of naming a type', () => {
    expect(parseRosterCsv(`${HEADER}\npm-a,Анна,a@bank.example,corporate,77,it,,`)).toEqual({
      ok: false,
      errors: [
        { line: 2, field: 'capacity', message: 'required: a whole number, such as 12' },
        { line: 2, field: 'active', message: 'required: true or false' },
      ],
    });
  });

  it("reads Russian day names, 'off', one-day absences and an escaped '|' in a reason", () => {
    const text = `${HEADER},working_hours,absences\n${row('pm-a')},"пн-ср 10:00-19:00 | сб выходной","2027-01-10 учёба \\| экзамен | 2027-02-01..2027-02-03"`;
    const [entry] = entriesOf(text);
    expect(entry?.workingHours.week).toEqual({
      mon: [{ from: '10:00', to: '19:00' }],
      tue: [{ from: '10:00', to: '19:00' }],
      wed: [{ from: '10:00', to: '19:00' }],
      sat: [],
    });
    expect(entry?.absences).toEqual([
      { from: '2027-01-10', to: '2027-01-10', reason: 'учёба | экзамен' },
      { from: '2027-02-01', to: '2027-02-03' },
    ]);
  });
});

describe('formatRosterCsv', () => {
  it('writes every column, joins equal neighbouring days into ranges and quotes as RFC 4180 says', () => {
    const [ivanova] = entriesOf(fixture('good.csv'));
    if (!ivanova) throw new Error('the fixture has a first row');
    const entry: RosterEntry = {
      ...ivanova,
      name: 'Иванова "Лена",\nЕлена',
      workingHours: {
        timeZone: 'Europe/Moscow',
        week: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], sun: [] },
      },
      absences: [{ from: '2026-12-01', to: '2026-12-14', reason: 'отпуск | поездка' }],
    };
    const text = formatRosterCsv([entry]);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, first, after] = text.split('\r\n');
    expect(header).toBe(
      '\uFEFFmanager_id,name,email,language,segments,regions,industries,products,capacity,weight,time_zone,working_hours,holidays,absences,active',
    );
    // The line break inside the name stays the one the name has; only records end in CRLF.
    expect(first).toBe(
      'pm-ivanova,"Иванова ""Лена"",\nЕлена",e.ivanova@bank.example,ru,corporate | mid_market,77 | 50,' +
        'manufacturing | trade,credit | payroll,12,1,Europe/Moscow,mon-tue 09:00-18:00 | sun off,' +
        '2027-01-01 | 2027-01-07,2026-12-01..2026-12-14 отпуск \\| поездка,true',
    );
    expect(after).toBe('');
  });

  it('writes what parseRosterCsv reads back as the same entries', () => {
    const text = (chars: string[]) =>
      fc
        .string({ unit: fc.oneof(fc.constantFrom(...chars), fc.string({ unit: 'grapheme', maxLength: 1 })) })
        .map((s) => s.trim())
        .filter((s) => s !== '');
    // Quotes, both delimiters, line breaks, '|' and '\' are what a careless writer would get wrong.
    const freeText = text(['а', 'Ё', 'z', ' ', ',', ';', '"', '|', '\\', '\n', '\r\n', '.', '..', '-']);
    const day = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    // Distinct sorted minutes paired up: shifts that start before they end and never overlap.
    const shifts = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 8 }).map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      return Array.from({ length: Math.floor(sorted.length / 2) }, (_, i) => ({
        from: hhmm(sorted[2 * i] ?? 0),
        to: hhmm(sorted[2 * i + 1] ?? 0),
      }));
    });
    const entry = fc
      .record({
        managerId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}$/),
        name: freeText,
        email: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).map((local) => `${local}@bank.example`),
        language: fc.constantFrom(...LOCALES),
        segments: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: SEGMENTS.length }),
        regions: fc.array(
          fc.oneof(
            fc.constant('*'),
            fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        industries: fc.array(fc.constantFrom(...INDUSTRIES, '*'), { minLength: 1, maxLength: 4 }),
        products: fc.array(fc.constantFrom(...PRODUCTS), { maxLength: 4 }),
        capacity: fc.integer({ min: 0, max: 10_000 }),
        weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
        workingHours: fc.record({
          timeZone: fc.constantFrom('Europe/Moscow', 'Asia/Vladivostok', 'Europe/Kaliningrad', 'UTC'),
          week: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, shifts])), { requiredKeys: [] }),
        }),
        holidays: fc.array(day, { maxLength: 4 }),
        // An empty reason is written as none, so the generator gives a reason with text or none at all.
        absences: fc.array(
          fc.tuple(day, day, fc.option(freeText, { nil: undefined })).map(([a, b, reason]) => ({
            from: a < b ? a : b,
            to: a < b ? b : a,
            ...(reason ? { reason } : {}),
          })),
          { maxLength: 3 },
        ),
        active: fc.boolean(),
      })
      .map((input) => RosterEntry.parse(input));
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { selector: (e) => e.managerId, minLength: 1, maxLength: 5 }),
        (entries) => {
          expect(parseRosterCsv(formatRosterCsv(entries))).toEqual({ ok: true, entries });
        },
      ),
    );
  });
});
