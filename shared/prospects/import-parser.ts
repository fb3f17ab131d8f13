import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { Keys } from '../access/keys.ts';
import { csvDelimiterOf } from '../csv-delimiter.ts';
import {
  type Columns,
  checkColumnMapping,
  columnKey,
  fieldsOfHeader,
  ProspectImportError,
} from './column-mapping.ts';
import { ImportId, type RowReason } from './prospect.ts';
import { type AcceptedRow, checkRow, type RejectedRow, type RowValues } from './row.ts';
import { linesOf, textOf } from './text-input.ts';

/**
 * A prospect file, streamed: CSV or JSON in, batches of checked rows out, in bounded memory whatever the
 * file's size (one CSV record or JSON line at a time, a JSON array up to MAX_JSON_ARRAY_BYTES). Every row
 * read comes out once, accepted or rejected with its reasons: rows = accepted + rejected. A fault in the
 * mapping or the header throws before the first batch; a file that stops being readable (not UTF-8,
 * binary, broken quoting, a row with the wrong number of cells) throws at the line where reading stopped,
 * after the batches before it.
 */

/** BatchWriteItem's most items per call: a batch is written in one call. */
export const DEFAULT_BATCH_SIZE = 25;
/** Rows of one import. In-file duplicates are found with an id per row kept in memory; this bounds it. */
export const MAX_IMPORT_ROWS = 200_000;
/** One CSV record or JSON line: a row is a few hundred characters; more is a broken file. */
export const MAX_RECORD_CHARS = 64 * 1024;
/** A JSON array is parsed whole, so its size is bounded; JSON Lines stream without a limit. */
export const MAX_JSON_ARRAY_BYTES = 10 * 1024 * 1024;

export type ImportFormat = 'csv' | 'json';
export type ImportOptions = {
  format: ImportFormat;
  /** The file's column (or JSON key) names to the model's fields (shared/prospects/column-mapping.ts). */
  mapping: unknown;
  importId: string;
  keys: Keys;
  batchSize?: number;
};
export type ProspectBatch = { accepted: AcceptedRow[]; rejected: RejectedRow[] };
export type ImportSummary = { rows: number; accepted: number; rejected: number };

type FileRecord = { line: number; values: RowValues } | { line: number; reason: RowReason };

export async function* parseProspectImport(
  input: AsyncIterable<Uint8Array | string>,
  options: ImportOptions,
): AsyncGenerator<ProspectBatch, ImportSummary> {
  const columns = checkColumnMapping(options.mapping);
  const importId = ImportId.parse(options.importId);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize is a positive integer');

  const text = textOf(input);
  const records = options.format === 'csv' ? csvRecords(text, columns) : jsonRecords(text, columns);
  /** The first line of each prospect so far, by id (a keyed hash: no INN or email is held here in clear). */
  const firstLineOf = new Map<string, number>();
  const summary: ImportSummary = { rows: 0, accepted: 0, rejected: 0 };
  let batch: ProspectBatch = { accepted: [], rejected: [] };
  const reject = (row: RejectedRow) => {
    batch.rejected.push(row);
    summary.rejected++;
  };

  for await (const record of records) {
    summary.rows++;
    if (summary.rows > MAX_IMPORT_ROWS) {
      const message = `more than ${MAX_IMPORT_ROWS} rows: split the file`;
      throw new ProspectImportError('too_many_rows', message, { line: record.line });
    }
    if ('reason' in record) reject({ line: record.line, reasons: [record.reason] });
    else {
      const checked = checkRow(options.keys, record.values, { importId, line: record.line });
      const first = checked.ok ? firstLineOf.get(checked.row.prospect.prospectId) : undefined;
      if (!checked.ok) reject(checked.row);
      else if (first !== undefined) {
        const message = `the same prospect (INN and email) as line ${first}`;
        reject({ line: record.line, reasons: [{ field: '', code: 'duplicate', message }] });
      } else {
        firstLineOf.set(checked.row.prospect.prospectId, record.line);
        batch.accepted.push(checked.row);
        summary.accepted++;
      }
    }
    if (batch.accepted.length + batch.rejected.length >= batchSize) {
      yield batch;
      batch = { accepted: [], rejected: [] };
    }
  }
  if (summary.rows === 0) throw new ProspectImportError('empty', 'the file has no rows', { line: 1 });
  if (batch.accepted.length + batch.rejected.length > 0) yield batch;
  return summary;
}

async function* csvRecords(text: AsyncIterable<string>, columns: Columns): AsyncGenerator<FileRecord> {
  // Read on until the header's line is whole, to find the delimiter from it.
  const chunks = text[Symbol.asyncIterator]();
  let head = '';
  while (!/\S[^\n]*\n/.test(head) && head.length <= MAX_RECORD_CHARS) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  const headerLine = head.split('\n').find((l) => l.trim() !== '') ?? '';
  const parser = parse({
    delimiter: csvDelimiterOf(headerLine),
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const source = Readable.from(
    (async function* () {
      yield head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
  );
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);

  let fields: ReturnType<typeof fieldsOfHeader> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // csv-parse counts the line a record ends on; a quoted cell's line breaks are the lines before.
      const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      // Excel leaves lines of empty cells below a table: they are no rows.
      if (record.every((cell) => cell.trim() === '')) continue;
      if (!fields) {
        fields = fieldsOfHeader(columns, record, line);
        continue;
      }
      if (record.length !== fields.length) {
        const message = `${record.length} cells where the header has ${fields.length}: a cell holding the delimiter must be in quotes`;
        throw new ProspectImportError('column_count', message, { line });
      }
      const values: RowValues = {};
      record.forEach((cell, i) => {
        const field = fields?.[i];
        if (field) values[field] = cell;
      });
      yield { line, values };
    }
  } catch (e) {
    if (e instanceof CsvError) throw csvFault(e);
    throw e;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (!fields) throw new ProspectImportError('empty', 'the file is empty', { line: 1 });
}

/**
 * The line a record that csv-parse could not finish starts on: where it stopped, less the line breaks of the
 * record's raw text (csv-parse has not counted the break that ends it).
 */
function startLineOf(e: CsvError): number {
  const lines = typeof e.lines === 'number' ? e.lines : 1;
  const raw = typeof e.raw === 'string' ? e.raw : '';
  return lines - (raw.match(/\n/g)?.length ?? 0) + (raw.endsWith('\n') ? 1 : 0);
}

function csvFault(e: CsvError): ProspectImportError {
  const line = startLineOf(e);
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ProspectImportError('not_csv', 'a quoted cell starting on this line is never closed', {
        line,
      });
    case 'CSV_MAX_RECORD_SIZE': {
      const message = `a row longer than ${MAX_RECORD_CHARS} characters starts on this line (a quote never closed?)`;
      return new ProspectImportError('record_too_large', message, { line });
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new ProspectImportError('not_csv', 'a " inside a quoted cell must be written twice ("")', {
        line,
      });
    case 'INVALID_OPENING_QUOTE':
      return new ProspectImportError(
        'not_csv',
        'a cell with a " in it must be in quotes, its " written twice',
        {
          line,
        },
      );
    default:
      return new ProspectImportError('not_csv', `not a CSV file: ${e.message}`, { line });
  }
}

/** A JSON object's keys to fields by the mapping; keys it does not name are not read. */
function valuesOf(object: Record<string, unknown>, columns: Columns): RowValues {
  const values: RowValues = {};
  for (const [key, value] of Object.entries(object)) {
    const field = columns.get(columnKey(key))?.field;
    if (field && !(field in values)) values[field] = value;
  }
  return values;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const notAnObject = (line: number): FileRecord => ({
  line,
  reason: { field: '', code: 'not_an_object', message: 'a row must be a JSON object' },
});

/** A JSON array of objects (read whole, bounded), or JSON Lines (one object per line, streamed). */
async function* jsonRecords(text: AsyncIterable<string>, columns: Columns): AsyncGenerator<FileRecord> {
  const chunks = text[Symbol.asyncIterator]();
  let head = '';
  while (head.trim() === '') {
    const next = await chunks.next();
    if (next.done) throw new ProspectImportError('empty', 'the file is empty', { line: 1 });
    head += next.value;
  }
  const rest = (async function* () {
    yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  })();
  const start = head.trimStart()[0];
  const startLine = 1 + (head.slice(0, head.length - head.trimStart().length).match(/\n/g)?.length ?? 0);
  if (start === '[') yield* jsonArray(rest, columns);
  else if (start === '{') yield* jsonLines(rest, columns);
  else {
    const message = 'not JSON: a file of prospects is a JSON array of objects, or one object per line';
    throw new ProspectImportError('not_json', message, { line: startLine });
  }
}

async function* jsonArray(text: AsyncIterable<string>, columns: Columns): AsyncGenerator<FileRecord> {
  let whole = '';
  let bytes = 0;
  for await (const chunk of text) {
    bytes += Buffer.byteLength(chunk);
    if (bytes > MAX_JSON_ARRAY_BYTES) {
      const message = `a JSON array over ${MAX_JSON_ARRAY_BYTES / 1024 / 1024} MB: send the rows as JSON Lines`;
      throw new ProspectImportError('json_too_large', message);
    }
    whole += chunk;
  }
  let items: unknown;
  try {
    items = JSON.parse(whole);
  } catch (e) {
    // V8 names the line of most faults ("at position 18 (line 3 column 6)"), not of all.
    const line = /line (\d+)/.exec(String(e))?.[1];
    throw new ProspectImportError('not_json', 'not valid JSON', line ? { line: Number(line) } : {});
  }
  if (!Array.isArray(items)) throw new ProspectImportError('not_json', 'not a JSON array', { line: 1 });
  whole = '';
  // An array has no lines worth the name: a row's `line` is the item's number, the first being 1.
  for (const [i, item] of items.entries()) {
    yield isObject(item) ? { line: i + 1, values: valuesOf(item, columns) } : notAnObject(i + 1);
  }
}

async function* jsonLines(text: AsyncIterable<string>, columns: Columns): AsyncGenerator<FileRecord> {
  let rows = 0;
  for await (const { line, text: json } of linesOf(text, MAX_RECORD_CHARS)) {
    if (json.trim() === '') continue;
    let item: unknown;
    try {
      item = JSON.parse(json);
    } catch {
      // A first line that is not JSON is a file that is not JSON Lines (a pretty-printed object, say).
      if (rows === 0)
        throw new ProspectImportError('not_json', 'not JSON Lines: one object per line', { line });
      yield { line, reason: { field: '', code: 'malformed_json', message: 'the line is not valid JSON' } };
      continue;
    }
    rows++;
    yield isObject(item) ? { line, values: valuesOf(item, columns) } : notAnObject(line);
  }
}
