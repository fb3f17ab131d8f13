import { Keys } from '#shared/access/keys.ts';
import { completeInn10 } from '#shared/leads/inn.ts';
import type { ColumnMapping } from '#shared/prospects/column-mapping.ts';
import {
  type ImportOptions,
  type ImportSummary,
  type ProspectBatch,
  parseProspectImport,
} from '#shared/prospects/import-parser.ts';

export const keys = Keys.derive('prospect-import-test-key-material-0123456789');

/** A file's mapping with Russian headers, as a bank's export names its columns. */
export const RUSSIAN_MAPPING: ColumnMapping = {
  ИНН: 'inn',
  КПП: 'kpp',
  Компания: 'companyName',
  'Размер компании': 'sizeBand',
  Отрасль: 'industry',
  Регион: 'regionCode',
  Сайт: 'website',
  'Контактное лицо': 'contactName',
  Должность: 'position',
  'E-mail': 'email',
  Телефон: 'phone',
  Язык: 'language',
  'Часовой пояс': 'timeZone',
  Теги: 'tags',
  'Согласие на рассылку': 'consentGranted',
  'Источник согласия': 'consentSource',
  'Дата согласия': 'consentDate',
};

/** A tiny CSV writer: a cell holding the delimiter, a quote, a line break or edge spaces is quoted. */
export function csvOf(rows: readonly (readonly string[])[], delimiter = ',', lineEnd = '\r\n'): string {
  const quote = (cell: string) =>
    cell.includes(delimiter) || /["\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return rows.map((row) => `${row.map(quote).join(delimiter)}${lineEnd}`).join('');
}

/** A valid INN for the n-th generated company, in a region that cycles through a few. */
export const innOf = (n: number): string =>
  completeInn10(`${['77', '78', '54', '39', '25'][n % 5]}${String(n).padStart(7, '0')}`);

export const GENERATED_HEADER = [
  'ИНН',
  'Компания',
  'Отрасль',
  'Контактное лицо',
  'E-mail',
  'Теги',
  'Согласие на рассылку',
  'Источник согласия',
  'Дата согласия',
];

export const GENERATED_MAPPING: ColumnMapping = Object.fromEntries(
  GENERATED_HEADER.map((column) => [column, RUSSIAN_MAPPING[column] ?? '']),
);

/** The n-th generated row (a line of its own): one company, one contact. */
export function generatedRow(n: number): string[] {
  return [
    innOf(n),
    `ООО "Компания ${n}"`,
    'Торговля',
    `Контакт ${n}`,
    `contact${n}@company${n}.ru`,
    'expo|2026',
    n % 2 === 0 ? 'да' : 'нет',
    'форма на выставке',
    '15.03.2026',
  ];
}

/**
 * A CSV file of `rows` generated rows, made as it is read in chunks of about 64 KB, so no more than a chunk
 * of it is ever in memory. `row` may change a row (to make it bad or a duplicate).
 */
export async function* generatedCsv(
  rows: number,
  row: (n: number) => string[] = generatedRow,
): AsyncGenerator<Uint8Array> {
  let chunk = `\uFEFF${csvOf([GENERATED_HEADER], ';')}`;
  for (let n = 1; n <= rows; n++) {
    chunk += csvOf([row(n)], ';');
    if (chunk.length >= 32 * 1024) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(chunk);
}

/** Every batch of an import, and what the parser returned at the end. */
export async function parseAll(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: Partial<ImportOptions> & Pick<ImportOptions, 'format' | 'mapping'>,
): Promise<{ batches: ProspectBatch[]; summary: ImportSummary }> {
  const source =
    Symbol.asyncIterator in input
      ? input
      : (async function* () {
          yield* input;
        })();
  const batches: ProspectBatch[] = [];
  const parser = parseProspectImport(source, { importId: 'imp-1', keys, ...options });
  for (let next = await parser.next(); ; next = await parser.next()) {
    if (next.done) return { batches, summary: next.value };
    batches.push(next.value);
  }
}

export const acceptedOf = (batches: ProspectBatch[]) => batches.flatMap((b) => b.accepted);
export const rejectedOf = (batches: ProspectBatch[]) => batches.flatMap((b) => b.rejected);
