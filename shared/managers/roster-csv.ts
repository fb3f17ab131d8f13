import { CsvError, parse } from 'csv-parse/sync';
import { csvDelimiterOf } from '../csv-delimiter.ts';
import { type Absence, RosterEntry, type Shift, STANDARD_WEEK, WEEKDAYS, type Weekday } from './roster.ts';

/**
 * The roster as a CSV file, both ways: the head of the PM unit exports it, edits it in Excel and imports it
 * back. An import is all or nothing, so parsing finds every fault in the file before anyone stores a row.
 * Every value goes through `RosterEntry.safeParse`, the same check the API makes, so a field is refused
 * with the same words whichever way it arrives; this module only turns cells into the model's shapes.
 */

/** The columns in the order an export writes them; an import takes them in any order. */
export const ROSTER_CSV_COLUMNS = [
  'manager_id',
  'name',
  'email',
  'language',
  'segments',
  'regions',
  'industries',
  'products',
  'capacity',
  'weight',
  'time_zone',
  'working_hours',
  'holidays',
  'absences',
  'active',
] as const;
export type RosterCsvColumn = (typeof ROSTER_CSV_COLUMNS)[number];

/** Columns whose model field has no default; the others may be left out of the file or left empty. */
const REQUIRED: readonly RosterCsvColumn[] = [
  'manager_id',
  'name',
  'email',
  'segments',
  'regions',
  'industries',
  'capacity',
  'active',
];

/** A unit is a few hundred managers; the cap keeps one request's work and error list bounded. */
export const MAX_ROSTER_ROWS = 2_000;

/** `line` is the file's own line number (the header is line 1); `field` a column name, '' for the row. */
export type RowError = { line: number; field: string; message: string };
export type RosterCsvResult = { ok: true; entries: RosterEntry[] } | { ok: false; errors: RowError[] };

type FieldError = { field: string; message: string };
type CsvRecord = { line: number; cells: string[] };
type Read = { value?: unknown; errors: string[] };

export function parseRosterCsv(text: string): RosterCsvResult {
  // Excel writes a byte order mark at the start of a UTF-8 file; it is not part of the first column's name.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '')
    return { ok: false, errors: [{ line: 1, field: '', message: 'the file is empty' }] };
  const { records, error } = readRecords(body);
  const nonBlank = records.filter((r) => r.cells.some((cell) => cell.trim() !== ''));
  const [header, ...rows] = nonBlank;
  if (!header) return { ok: false, errors: error ? [error] : [] };

  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const headerErrors = checkHeader(names).map((e) => ({ line: header.line, ...e }));
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };
  if (rows.length === 0 && !error) {
    return { ok: false, errors: [{ line: header.line, field: '', message: 'no managers below the header' }] };
  }
  const over = rows[MAX_ROSTER_ROWS];
  if (over) {
    const message = `more than ${MAX_ROSTER_ROWS} managers; split the file`;
    return { ok: false, errors: [{ line: over.line, field: '', message }] };
  }

  const errors: RowError[] = [];
  const entries: RosterEntry[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const result = readRow(names, row.cells);
    // A row with the wrong number of cells has its cells in the wrong columns: its id proves nothing.
    const id = row.cells.length === names.length ? (row.cells[names.indexOf('manager_id')] ?? '').trim() : '';
    const first = firstLineOf.get(id);
    if (id !== '' && first !== undefined) {
      result.errors.push({ field: 'manager_id', message: `the same manager_id as line ${first}` });
    } else if (id !== '') firstLineOf.set(id, row.line);
    for (const e of result.errors) errors.push({ line: row.line, ...e });
    if (result.entry) entries.push(result.entry);
  }
  if (error) errors.push(error);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/**
 * Records with the line each starts on. csv-parse's own line count is unreliable for CRLF inside quoted
 * cells, so the count is kept here: a record takes one line plus one for each line break inside its cells
 * (only a quoted cell can hold one). Empty lines stay records so that they are counted too.
 */
function readRecords(body: string): { records: CsvRecord[]; error?: RowError } {
  const records: CsvRecord[] = [];
  let line = 1;
  try {
    parse(body, {
      delimiter: delimiterOf(body),
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (cells: string[]) => {
        records.push({ line, cells });
        line += 1 + cells.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
        return null;
      },
    });
    return { records };
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    return { records, error: { line, field: '', message: csvFault(e) } };
  }
}

/** The delimiter of a file, from its header: its first line that is not blank. */
const delimiterOf = (body: string) =>
  csvDelimiterOf(body.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '');

function csvFault(e: CsvError): string {
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell starting on this line is never closed';
  if (e.code === 'CSV_INVALID_CLOSING_QUOTE') return 'a " inside a quoted cell must be written twice ("")';
  if (e.code === 'INVALID_OPENING_QUOTE')
    return 'a cell with a " in it must be in quotes, its " written twice';
  return e.message;
}

function checkHeader(names: string[]): FieldError[] {
  const known = new Set<string>(ROSTER_CSV_COLUMNS);
  const errors: FieldError[] = [];
  names.forEach((name, i) => {
    if (name === '') return;
    if (!known.has(name)) {
      errors.push({
        field: name,
        message: `unknown column; the columns are ${ROSTER_CSV_COLUMNS.join(', ')}`,
      });
    } else if (names.indexOf(name) !== i) errors.push({ field: name, message: 'the column appears twice' });
  });
  for (const name of REQUIRED) {
    if (!names.includes(name)) errors.push({ field: name, message: 'a required column is missing' });
  }
  return errors;
}

/** One data row: cells to model shapes, then the model's own check; a cell that cannot be read is not checked twice. */
function readRow(names: string[], cells: string[]): { entry?: RosterEntry; errors: FieldError[] } {
  if (cells.length !== names.length) {
    return { errors: [{ field: '', message: `${cells.length} cells where the header has ${names.length}` }] };
  }
  const errors: FieldError[] = [];
  const cell = new Map<string, string>();
  names.forEach((name, i) => {
    const value = (cells[i] ?? '').trim();
    if (name !== '') cell.set(name, value);
    // Excel keeps a column someone once typed in and cleared; only a value in it is a mistake.
    else if (value !== '')
      errors.push({ field: '', message: `a value in column ${i + 1}, which has no name` });
  });

  const read = (column: RosterCsvColumn, reader: (value: string) => Read): unknown => {
    const value = cell.get(column);
    if (value === undefined) return undefined;
    const result = reader(value);
    for (const message of result.errors) errors.push({ field: column, message });
    return result.value;
  };
  const week = read('working_hours', readWeek);
  const input = {
    managerId: read('manager_id', text),
    name: read('name', text),
    email: read('email', text),
    language: read('language', (v) => optional(v, (s) => ({ value: s.toLowerCase(), errors: [] }))),
    segments: read('segments', enumList),
    regions: read('regions', (v) => ({ value: splitList(v), errors: [] })),
    industries: read('industries', enumList),
    products: read('products', enumList),
    capacity: read('capacity', (v) => required(v, 'a whole number, such as 12', readNumber)),
    weight: read('weight', (v) => optional(v, readNumber)),
    workingHours: {
      timeZone: read('time_zone', (v) => optional(v, text)) ?? STANDARD_WEEK.timeZone,
      // A file without the column gets the unit's usual week; an empty cell means no working hours.
      week: cell.has('working_hours') ? week : STANDARD_WEEK.week,
    },
    holidays: read('holidays', (v) => ({ value: splitList(v), errors: [] })),
    absences: read('absences', readAbsences),
    active: read('active', (v) => required(v, 'true or false', readBoolean)),
  };

  const unreadable = new Set(errors.map((e) => e.field));
  const parsed = RosterEntry.safeParse(input);
  if (parsed.success) return errors.length > 0 ? { errors } : { entry: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const field = columnOf(issue.path);
    if (!unreadable.has(field)) errors.push({ field, message: `${whereIn(issue.path)}${issue.message}` });
  }
  // In the order the file has its columns, so a person can go along the row.
  return { errors: errors.sort((a, b) => names.indexOf(a.field) - names.indexOf(b.field)) };
}

const text = (value: string): Read => ({ value, errors: [] });
const optional = (value: string, reader: (v: string) => Read): Read =>
  value === '' ? { errors: [] } : reader(value);
const required = (value: string, what: string, reader: (v: string) => Read): Read =>
  value === '' ? { errors: [`required: ${what}`] } : reader(value);
const enumList = (value: string): Read => ({
  value: splitList(value).map((s) => s.toLowerCase()),
  errors: [],
});

/** A decimal comma is accepted: Russian Excel writes 1,5 for one and a half. */
function readNumber(value: string): Read {
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return { errors: [`"${value}" is not a number`] };
  return { value: Number(value.replace(',', '.')), errors: [] };
}

const YES = new Set(['true', 'да', 'yes', '1']);
const NO = new Set(['false', 'нет', 'no', '0']);
function readBoolean(value: string): Read {
  const word = value.toLowerCase();
  if (YES.has(word)) return { value: true, errors: [] };
  if (NO.has(word)) return { value: false, errors: [] };
  return { errors: [`"${value}" is not true or false (да/нет, yes/no and 1/0 also do)`] };
}

/**
 * List items are separated by '|', which neither delimiter uses. In free text (an absence's reason) a '|'
 * or '\' is written with a '\' before it; a '\' before anything else stays as it is. Empty items are
 * dropped, so a trailing '|' does no harm.
 */
function splitList(value: string): string[] {
  const items: string[] = [];
  let item = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const next = value[i + 1];
    if (c === '\\' && (next === '|' || next === '\\')) {
      item += next;
      i++;
    } else if (c === '|') {
      items.push(item);
      item = '';
    } else item += c;
  }
  items.push(item);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}
const escapeItem = (item: string) => item.replace(/[\\|]/g, '\\$&');

const DAY_NAMES: Record<string, Weekday> = {
  ...Object.fromEntries(WEEKDAYS.map((d) => [d, d])),
  ...{ пн: 'mon', вт: 'tue', ср: 'wed', чт: 'thu', пт: 'fri', сб: 'sat', вс: 'sun' },
};
const OFF = new Set(['off', 'выходной']);

/** `mon-fri 09:00-13:00,14:00-18:00 | sat 10:00-14:00 | sun off`; the times themselves are the model's to check. */
function readWeek(value: string): Read {
  const week: Partial<Record<Weekday, Shift[]>> = {};
  const errors: string[] = [];
  splitList(value).forEach((item, i) => {
    const [, dayText = '', hours = ''] = /^(\S+)\s+(.+)$/s.exec(item) ?? [];
    const days = dayText === '' ? undefined : dayRange(dayText.toLowerCase());
    if (!days) {
      errors.push(`item ${i + 1}: "${item}" is not days and hours, such as mon-fri 09:00-18:00`);
      return;
    }
    const shifts: Shift[] = [];
    if (!OFF.has(hours.trim().toLowerCase())) {
      for (const span of hours.split(',').map((s) => s.trim())) {
        const [, from, to] = /^([^\s-]+)\s*-\s*([^\s-]+)$/.exec(span) ?? [];
        if (from && to) shifts.push({ from, to });
        else errors.push(`item ${i + 1}: "${span}" is not hours such as 09:00-18:00`);
      }
    }
    for (const day of days) week[day] = [...(week[day] ?? []), ...shifts];
  });
  return errors.length > 0 ? { errors } : { value: week, errors };
}

/** `mon`, or `mon-fri` from the first day to the last; a range that wraps past Sunday is refused. */
function dayRange(spec: string): Weekday[] | undefined {
  const [first, last = first, extra] = spec.split('-').map((d) => DAY_NAMES[d]);
  if (!first || !last || extra !== undefined || spec.split('-').length > 2) return undefined;
  const from = WEEKDAYS.indexOf(first);
  const to = WEEKDAYS.indexOf(last);
  return from <= to ? WEEKDAYS.slice(from, to + 1) : undefined;
}

/** `2026-12-01..2026-12-14 отпуск | 2027-01-10`: both ends included, one date for one day, a reason after a space. */
function readAbsences(value: string): Read {
  const absences: Partial<Absence>[] = [];
  const errors: string[] = [];
  splitList(value).forEach((item, i) => {
    const [, from, to, reason] = /^(\S+?)(?:\.\.(\S+))?(?:\s+(.+))?$/s.exec(item) ?? [];
    if (!from) errors.push(`item ${i + 1}: "${item}" is not dates such as 2026-12-01..2026-12-14`);
    else absences.push({ from, to: to ?? from, ...(reason ? { reason } : {}) });
  });
  return errors.length > 0 ? { errors } : { value: absences, errors };
}

/** A model field's column: managerId is manager_id (workingHours is two columns, told apart below). */
const FIELD_COLUMNS: Record<string, RosterCsvColumn> = Object.fromEntries(
  ROSTER_CSV_COLUMNS.map((c) => [c.replace(/_(\w)/g, (_, l: string) => l.toUpperCase()), c]),
);

function columnOf(path: readonly PropertyKey[]): string {
  const [key, sub] = path;
  if (key === 'workingHours') return sub === 'timeZone' ? 'time_zone' : 'working_hours';
  return FIELD_COLUMNS[String(key)] ?? '';
}

/** Which item of a list cell a model issue is about, counted from 1 as a person reads the cell. */
function whereIn(path: readonly PropertyKey[]): string {
  const [key, ...rest] = path;
  if (key === 'workingHours') {
    const [week, day, shift] = rest;
    if (week !== 'week' || day === undefined) return '';
    return typeof shift === 'number' ? `${String(day)} shift ${shift + 1}: ` : `${String(day)}: `;
  }
  return typeof rest[0] === 'number' ? `item ${rest[0] + 1}: ` : '';
}

/**
 * The roster in the import's format: a header with every column and one row per manager, ',' between
 * cells, quoted as RFC 4180 says, CRLF line ends. It starts with a byte order mark: without one Excel reads
 * UTF-8 as the local code page and shows Russian names as mojibake.
 */
export function formatRosterCsv(entries: RosterEntry[]): string {
  const rows = entries.map((e) => {
    const cells: Record<RosterCsvColumn, string> = {
      manager_id: e.managerId,
      name: e.name,
      email: e.email,
      language: e.language,
      segments: list(e.segments),
      regions: list(e.regions),
      industries: list(e.industries),
      products: list(e.products),
      capacity: String(e.capacity),
      weight: String(e.weight),
      time_zone: e.workingHours.timeZone,
      working_hours: formatWeek(e.workingHours.week),
      holidays: list(e.holidays),
      absences: list(e.absences.map((a) => `${a.from}..${a.to}${a.reason ? ` ${a.reason}` : ''}`)),
      active: String(e.active),
    };
    return ROSTER_CSV_COLUMNS.map((c) => cells[c]);
  });
  return `\uFEFF${[[...ROSTER_CSV_COLUMNS], ...rows].map((r) => `${r.map(quote).join(',')}\r\n`).join('')}`;
}

const list = (items: readonly string[]) => items.map(escapeItem).join(' | ');

/** Days in week order, neighbours with the same shifts joined into a range: `mon-fri 09:00-18:00 | sat off`. */
function formatWeek(week: Partial<Record<Weekday, Shift[]>>): string {
  const hoursOf = (day: Weekday) => {
    const shifts = week[day];
    if (!shifts) return undefined;
    return shifts.length === 0 ? 'off' : shifts.map((s) => `${s.from}-${s.to}`).join(',');
  };
  const items: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const first = WEEKDAYS[i] as Weekday;
    const hours = hoursOf(first);
    let j = i;
    while (j + 1 < WEEKDAYS.length && hours !== undefined && hoursOf(WEEKDAYS[j + 1] as Weekday) === hours)
      j++;
    const last = WEEKDAYS[j] as Weekday;
    if (hours !== undefined) items.push(`${first === last ? first : `${first}-${last}`} ${hours}`);
    i = j + 1;
  }
  return items.join(' | ');
}

/** RFC 4180: a cell holding a delimiter, a quote or a line break is quoted, its quotes doubled. */
function quote(cell: string): string {
  return /[",;\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
