import { describe, expect, it } from 'vitest';
import { ProspectImportError } from '#shared/prospects/column-mapping.ts';
import { MAX_JSON_ARRAY_BYTES, parseProspectImport } from '#shared/prospects/import-parser.ts';
import {
  acceptedOf,
  csvOf,
  innOf,
  keys,
  parseAll,
  RUSSIAN_MAPPING,
  rejectedOf,
} from './support/prospect-file.ts';

const MAPPING = { ИНН: 'inn', Компания: 'companyName', Контакт: 'contactName', 'E-mail': 'email' };
const HEADER = ['ИНН', 'Компания', 'Контакт', 'E-mail'];
const row = (n: number, email = `c${n}@firm${n}.ru`) => [innOf(n), `Фирма ${n}`, `Контакт ${n}`, email];

/** The error an import ends with, having taken every batch before it. */
async function failure(
  input: Iterable<Uint8Array | string>,
  options: { format: 'csv' | 'json'; mapping: unknown },
) {
  const error = await parseAll(input, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProspectImportError))
    throw new Error(`expected a ProspectImportError, got ${error}`);
  return error;
}

/** An input that fails the test if anything reads it. */
const unread: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => {
    throw new Error('the file was read');
  },
};

describe('the column mapping', () => {
  it.each([
    ['names a field the model lacks', { ...MAPPING, Город: 'city' }, ['unknown_field']],
    [
      'leaves a required field unmapped',
      { ИНН: 'inn', Компания: 'companyName', Контакт: 'contactName' },
      ['required_unmapped'],
    ],
    ['feeds one field from two columns', { ...MAPPING, Почта: 'email' }, ['field_twice']],
    ['names one column twice, written two ways', { ...MAPPING, ' инн ': 'kpp' }, ['column_twice']],
    ['is not an object of names', ['inn'], ['not_a_mapping']],
  ])('is refused before any row when it %s', async (_, mapping, codes) => {
    const parser = parseProspectImport(unread, { format: 'csv', mapping, importId: 'imp-1', keys });
    const error = await parser.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProspectImportError);
    expect(error).toMatchObject({ code: 'mapping_invalid' });
    expect((error as ProspectImportError).issues.map((i) => i.code)).toEqual(codes);
  });

  it('names every column the file lacks in one error on the header line, before any row', async () => {
    const file = csvOf([['Компания', 'E-mail', 'Телефон'], row(1)]);
    const error = await failure([file], { format: 'csv', mapping: { ...MAPPING, Телефон: 'phone' } });
    expect(error).toMatchObject({ code: 'header_invalid', line: 1 });
    expect(error.issues.map((i) => i.column)).toEqual(['ИНН', 'Контакт']);
  });

  it('matches columns whatever their case and spacing, and leaves columns it does not name unread', async () => {
    const file = csvOf([
      ['инн', ' КОМПАНИЯ ', 'Контакт', 'e-mail', 'Комментарий'],
      [...row(1), '=SUM(A1)'],
    ]);
    const { batches } = await parseAll([file], { format: 'csv', mapping: MAPPING });
    expect(acceptedOf(batches).map((r) => r.prospect.company.name)).toEqual(['Фирма 1']);
    expect(acceptedOf(batches)[0]?.warnings).toBeUndefined();
  });
});

describe('CSV files', () => {
  it.each([
    [',', '\r\n', true],
    [';', '\n', false],
  ])(
    'reads %j between cells, %j line ends, byte order mark %s, and Russian Excel values',
    async (delimiter, lineEnd, bom) => {
      const header = Object.keys(RUSSIAN_MAPPING);
      const cells: Record<string, string> = {
        ИНН: innOf(8),
        КПП: '390101001',
        Компания: 'ООО "Янтарь", Калининград',
        'Размер компании': 'Среднее предприятие',
        Отрасль: 'Transport',
        Регион: '',
        Сайт: 'https://yantar.example/',
        'Контактное лицо': 'Ольга; Смирнова',
        Должность: 'Финансовый директор',
        'E-mail': 'O.Smirnova@Yantar.example',
        Телефон: '+7 (4012) 12-34-56',
        Язык: 'EN',
        'Часовой пояс': '',
        Теги: 'Expo-2026 | b2b',
        'Согласие на рассылку': 'да',
        'Источник согласия': 'анкета на выставке',
        'Дата согласия': '08.07.2026',
      };
      const file = `${bom ? '\uFEFF' : ''}${csvOf([header, header.map((h) => cells[h] ?? '')], delimiter, lineEnd)}`;
      const { batches, summary } = await parseAll([Buffer.from(file)], {
        format: 'csv',
        mapping: RUSSIAN_MAPPING,
      });
      expect(summary).toEqual({ rows: 1, accepted: 1, rejected: 0 });
      expect(acceptedOf(batches)[0]?.prospect).toMatchObject({
        company: {
          inn: innOf(8),
          kpp: '390101001',
          name: 'ООО "Янтарь", Калининград',
          sizeBand: 'medium',
          industry: 'transport',
          regionCode: '39',
        },
        contact: { name: 'Ольга; Смирнова', email: 'o.smirnova@yantar.example', phone: '+74012123456' },
        language: 'en',
        timeZone: 'Europe/Kaliningrad',
        tags: ['expo-2026', 'b2b'],
        marketingConsent: { granted: true, source: 'анкета на выставке', date: '2026-07-08' },
        source: { importId: 'imp-1', line: 2 },
      });
    },
  );

  it('gives each row the line it starts on, past multi-line cells, blank lines and lines of empty cells', async () => {
    const file = [
      'ИНН;Компания;Контакт;E-mail',
      `${innOf(1)};"Фирма\r\nс переносом\r\nстрок";Контакт;c1@firm1.ru`,
      '',
      ';;;',
      `${innOf(2)};Фирма 2;"Контакт\n2";c2@firm2.ru`,
      `${innOf(3)};Фирма 3;Контакт 3;bad-email`,
    ].join('\r\n');
    const { batches, summary } = await parseAll([file], { format: 'csv', mapping: MAPPING });
    expect(summary).toEqual({ rows: 3, accepted: 2, rejected: 1 });
    expect(acceptedOf(batches).map((r) => [r.line, r.prospect.company.name])).toEqual([
      [2, 'Фирма\nс переносом\nстрок'],
      [7, 'Фирма 2'],
    ]);
    expect(rejectedOf(batches)).toEqual([
      { line: 9, reasons: [{ field: 'email', code: 'invalid_format', message: 'Invalid email address' }] },
    ]);
  });

  it('reads the same file however its bytes are cut into chunks, even inside a letter or a CRLF', async () => {
    const bytes = Buffer.from(`\uFEFF${csvOf([HEADER, row(1), row(2)])}`);
    const whole = await parseAll([bytes], { format: 'csv', mapping: MAPPING });
    const oneByOne = await parseAll(
      Array.from(bytes, (b) => Uint8Array.of(b)),
      { format: 'csv', mapping: MAPPING },
    );
    expect(oneByOne).toEqual(whole);
    expect(whole.summary.accepted).toBe(2);
  });

  it('reports a duplicate inside the file with the line of its first appearance; a colleague is no duplicate', async () => {
    const file = csvOf([HEADER, row(1), row(2), row(1, ' C1@FIRM1.RU'), row(1, 'boss@firm1.ru')]);
    const { batches, summary } = await parseAll([file], { format: 'csv', mapping: MAPPING });
    expect(summary).toEqual({ rows: 4, accepted: 3, rejected: 1 });
    expect(rejectedOf(batches)).toEqual([
      {
        line: 4,
        reasons: [{ field: '', code: 'duplicate', message: 'the same prospect (INN and email) as line 2' }],
      },
    ]);
  });

  it('keeps formula-looking cells as text and flags them; a phone keeps its + unflagged', async () => {
    const file = csvOf([
      [...HEADER, 'Телефон'],
      [innOf(1), '=HYPERLINK("http://x")', '@Контакт', 'c1@firm1.ru', '+74951234567'],
    ]);
    const { batches } = await parseAll([file], { format: 'csv', mapping: { ...MAPPING, Телефон: 'phone' } });
    const [accepted] = acceptedOf(batches);
    expect(accepted?.prospect.company.name).toBe('=HYPERLINK("http://x")');
    expect(accepted?.warnings?.map((w) => `${w.field}:${w.code}`)).toEqual([
      'companyName:formula_like',
      'contactName:formula_like',
    ]);
  });

  it('puts every row in a batch of at most the batch size, none twice, none left out', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => (i % 4 === 3 ? row(i, 'bad') : row(i)));
    const { batches, summary } = await parseAll([csvOf([HEADER, ...rows])], {
      format: 'csv',
      mapping: MAPPING,
      batchSize: 5,
    });
    expect(batches.map((b) => b.accepted.length + b.rejected.length)).toEqual([5, 5, 5, 5, 3]);
    const lines = batches
      .flatMap((b) => [...b.accepted, ...b.rejected].map((r) => r.line))
      .sort((a, b) => a - b);
    expect(lines).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
    expect(summary).toEqual({ rows: 23, accepted: 18, rejected: 5 });
  });

  it.each([
    [
      'a spreadsheet (xlsx is a zip)',
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])],
      'binary',
      1,
    ],
    ['a UTF-16 export', [Buffer.from('\uFEFFИНН', 'utf16le')], 'not_utf8', 1],
    [
      'a Windows-1251 CSV',
      [Buffer.from('INN,Company\n'), Buffer.from([0xc8, 0xcd, 0xcd, 0x0a])],
      'not_utf8',
      2,
    ],
    ['a row with a cell too many', [csvOf([HEADER, row(1), [...row(2), 'extra']])], 'column_count', 3],
    ['a quote never closed', [`${csvOf([HEADER, row(1)])}${innOf(2)},"Фирма,К,c@d.ru\n`], 'not_csv', 3],
    ['a quote inside a cell', [`${csvOf([HEADER])}${innOf(2)},"Фирма "А"",К,c@d.ru\n`], 'not_csv', 2],
    ['no rows below the header', [csvOf([HEADER])], 'empty', 1],
    ['nothing at all', [''], 'empty', 1],
  ])('refuses %s with the line', async (_, input, code, line) => {
    const error = await failure(input, { format: 'csv', mapping: MAPPING });
    expect(error).toMatchObject({ code, line });
  });

  it('has given the rows before a line that breaks the file, and says where it broke', async () => {
    const file = csvOf([HEADER, ...Array.from({ length: 30 }, (_, i) => row(i)), [...row(99), 'extra']]);
    const parser = parseProspectImport(
      (async function* () {
        yield file;
      })(),
      {
        format: 'csv',
        mapping: MAPPING,
        importId: 'imp-1',
        keys,
      },
    );
    const first = await parser.next();
    expect(first.done ? 0 : first.value.accepted.length).toBe(25);
    await expect(parser.next()).rejects.toMatchObject({ code: 'column_count', line: 32 });
  });
});

describe('JSON files', () => {
  const object = (n: number) => ({
    ИНН: innOf(n),
    Компания: `Фирма ${n}`,
    Контакт: `Контакт ${n}`,
    'E-mail': `c${n}@firm${n}.ru`,
  });

  it('reads an array of objects, a row being the item number; numbers, lists and booleans are read', async () => {
    const items = [
      {
        ...object(1),
        Теги: ['expo'],
        Согласие: true,
        Источник: 'сайт',
        Дата: '2026-01-15',
        Лишнее: { a: 1 },
      },
      { ...object(2), ИНН: Number(innOf(2)) },
      'not an object',
      { ...object(3), Компания: { name: 'x' } },
    ];
    const mapping = {
      ...MAPPING,
      Теги: 'tags',
      Согласие: 'consentGranted',
      Источник: 'consentSource',
      Дата: 'consentDate',
    };
    const { batches, summary } = await parseAll([JSON.stringify(items, null, 2)], {
      format: 'json',
      mapping,
    });
    expect(summary).toEqual({ rows: 4, accepted: 2, rejected: 2 });
    expect(acceptedOf(batches).map((r) => [r.line, r.prospect.company.inn, r.prospect.tags])).toEqual([
      [1, innOf(1), ['expo']],
      [2, innOf(2), []],
    ]);
    expect(acceptedOf(batches)[0]?.prospect.marketingConsent).toEqual({
      granted: true,
      source: 'сайт',
      date: '2026-01-15',
    });
    expect(rejectedOf(batches).map((r) => [r.line, r.reasons.map((x) => `${x.field}:${x.code}`)])).toEqual([
      [3, [':not_an_object']],
      [4, ['companyName:invalid_type']],
    ]);
  });

  it('streams JSON Lines: blank lines skipped, a line that is not JSON refused with its line number', async () => {
    const lines = [
      JSON.stringify(object(1)),
      '',
      '{"ИНН": broken',
      JSON.stringify(object(1)),
      '[1]',
      JSON.stringify(object(2)),
    ];
    const { batches, summary } = await parseAll([`${lines.join('\r\n')}\n`], {
      format: 'json',
      mapping: MAPPING,
    });
    expect(summary).toEqual({ rows: 5, accepted: 2, rejected: 3 });
    expect(acceptedOf(batches).map((r) => r.line)).toEqual([1, 6]);
    expect(rejectedOf(batches).map((r) => [r.line, r.reasons[0]?.code])).toEqual([
      [3, 'malformed_json'],
      [4, 'duplicate'],
      [5, 'not_an_object'],
    ]);
  });

  it.each([
    ['a CSV file', [csvOf([HEADER, row(1)])], 'not_json', 1],
    ['a pretty-printed object', ['{\n  "ИНН": "1"\n}\n'], 'not_json', 1],
    ['a broken array', ['[\n{"a": 1},\n{"a" 2}\n]'], 'not_json', 3],
    ['an empty file', ['  \n'], 'empty', 1],
  ])('refuses %s', async (_, input, code, line) => {
    expect(await failure(input, { format: 'json', mapping: MAPPING })).toMatchObject({ code, line });
  });

  it(`refuses a JSON array over ${MAX_JSON_ARRAY_BYTES / 1024 / 1024} MB, and says to send JSON Lines`, async () => {
    const spaces = ' '.repeat(1024 * 1024);
    const chunks = ['[', ...Array.from({ length: 11 }, () => spaces), ']'];
    const error = await failure(chunks, { format: 'json', mapping: MAPPING });
    expect(error.code).toBe('json_too_large');
    expect(error.message).toContain('JSON Lines');
  });
});
