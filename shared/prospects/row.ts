import type { Keys } from '../access/keys.ts';
import { INDUSTRIES, SIZE_BANDS } from '../leads/lead-submission.ts';
import { catalogs } from '../templates/catalog.ts';
import { LOCALES } from '../templates/locale.ts';
import {
  FIELD_PATHS,
  type Prospect,
  type ProspectField,
  ProspectFields,
  type RowReason,
  reasonsOf,
  toProspect,
} from './prospect.ts';

/**
 * One row of an import, from the file's values to a prospect or the reasons it is refused. A row's values
 * arrive by field name: strings from CSV, any JSON value from JSON. Readers only turn them into the model's
 * shapes (an empty cell is no value, `да` is true, `Торговля` is trade); ProspectFields decides.
 */
export type RowValues = Partial<Record<ProspectField, unknown>>;

export type AcceptedRow = { line: number; prospect: Prospect; warnings?: RowReason[] };
export type RejectedRow = { line: number; reasons: RowReason[] };

type Read = { value?: unknown; reason?: string };

const text = (value: unknown): Read => {
  if (typeof value === 'string') return value.trim() === '' ? {} : { value: value.trim() };
  // A JSON exporter writes an INN or a phone as a number.
  if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
  if (value === null || value === undefined) return {};
  return { reason: 'expected text' };
};

/** The catalogs' labels in every language, and the codes themselves, to the code: `Торговля`, `Trade`, `trade`. */
function vocabulary(
  codes: readonly string[],
  labelsOf: (locale: (typeof LOCALES)[number]) => Record<string, string>,
) {
  const byWord = new Map<string, string>();
  for (const code of codes) byWord.set(code, code);
  for (const locale of LOCALES) {
    for (const [code, label] of Object.entries(labelsOf(locale))) byWord.set(label.toLowerCase(), code);
  }
  return (value: unknown): Read => {
    const read = text(value);
    if (typeof read.value !== 'string') return read;
    const word = read.value.replace(/\s+/g, ' ').toLowerCase();
    // An unknown word goes on as it is, so the model refuses it with its list of codes.
    return { value: byWord.get(word) ?? word };
  };
}
const industry = vocabulary(INDUSTRIES, (l) => catalogs[l].labels.industry);
const sizeBand = vocabulary(SIZE_BANDS, (l) => catalogs[l].labels.sizeBand);

const lowerCase = (value: unknown): Read => {
  const read = text(value);
  return typeof read.value === 'string' ? { value: read.value.toLowerCase() } : read;
};

/** Excel drops a leading zero from a number: region 7 is 07. */
const regionCode = (value: unknown): Read => {
  const read = text(value);
  return typeof read.value === 'string' && /^\d$/.test(read.value) ? { value: `0${read.value}` } : read;
};

/** Tags as `|`-separated slugs in a cell (neither CSV delimiter), or a JSON array; lower-cased. */
const tags = (value: unknown): Read => {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split('|') : undefined;
  if (value === null || value === undefined) return {};
  if (!items) return { reason: 'expected tags separated by |, or a list' };
  if (!items.every((t) => typeof t === 'string')) return { reason: 'expected tags as text' };
  return { value: items.map((t) => t.trim().toLowerCase()).filter((t) => t !== '') };
};

const YES = new Set(['true', 'да', 'yes', '1', 'y', 'д']);
const NO = new Set(['false', 'нет', 'no', '0', 'n', 'н']);
const consentGranted = (value: unknown): Read => {
  if (typeof value === 'boolean') return { value };
  const read = text(value);
  if (typeof read.value !== 'string') return read;
  const word = read.value.toLowerCase();
  if (YES.has(word)) return { value: true };
  if (NO.has(word)) return { value: false };
  return { reason: `"${read.value}" is not yes or no (да/нет, true/false and 1/0 also do)` };
};

/** An ISO date, or the Russian DD.MM.YYYY that Excel writes. */
const date = (value: unknown): Read => {
  const read = text(value);
  if (typeof read.value !== 'string') return read;
  const russian = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(read.value);
  return { value: russian ? `${russian[3]}-${russian[2]}-${russian[1]}` : read.value };
};

const READERS: Record<ProspectField, (value: unknown) => Read> = {
  companyName: text,
  inn: text,
  kpp: (v) => {
    const read = text(v);
    return typeof read.value === 'string' ? { value: read.value.toUpperCase() } : read;
  },
  sizeBand,
  industry,
  regionCode,
  website: text,
  contactName: text,
  position: text,
  email: text,
  phone: (v) => {
    const read = text(v);
    // Spaces, dashes and brackets are how people write numbers: +7 (495) 123-45-67.
    return typeof read.value === 'string' ? { value: read.value.replace(/[\s()-]/g, '') } : read;
  },
  language: lowerCase,
  timeZone: text,
  tags,
  consentGranted,
  consentSource: text,
  consentDate: date,
};

/**
 * Cells that a spreadsheet would run as a formula if a person exported them and opened the file: kept as
 * data (a name may begin with `-`), and flagged. A phone's leading `+` is its format, not a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
function formulaWarnings(values: RowValues): RowReason[] {
  const warnings: RowReason[] = [];
  for (const [field, value] of Object.entries(values) as [ProspectField, unknown][]) {
    if (field !== 'phone' && typeof value === 'string' && FORMULA_START.test(value.trim())) {
      const message = 'begins with =, +, - or @: kept as text; a spreadsheet would read it as a formula';
      warnings.push({ field, code: 'formula_like', message });
    }
  }
  return warnings;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (target[head] === undefined) target[head] = {};
  setAt(target[head] as Record<string, unknown>, rest, value);
}

/** The model's input from a row's values, or the values no reader could read. */
function inputOf(values: RowValues): { input: Record<string, unknown>; reasons: RowReason[] } {
  const input: Record<string, unknown> = { company: {}, contact: {} };
  const reasons: RowReason[] = [];
  for (const [field, value] of Object.entries(values) as [ProspectField, unknown][]) {
    const read = READERS[field](value);
    if (read.reason !== undefined) reasons.push({ field, code: 'invalid_type', message: read.reason });
    else if (read.value !== undefined) setAt(input, FIELD_PATHS[field], read.value);
  }
  // The consent's evidence without a yes or no is read as not granted: the file says nothing of a grant.
  const consent = input.marketingConsent as Record<string, unknown> | undefined;
  if (consent && consent.granted === undefined) consent.granted = false;
  return { input, reasons };
}

/** One row checked: a prospect (with any warnings) or every reason it is refused. */
export function checkRow(
  keys: Keys,
  values: RowValues,
  source: { importId: string; line: number },
): { ok: true; row: AcceptedRow } | { ok: false; row: RejectedRow } {
  const { input, reasons } = inputOf(values);
  const parsed = ProspectFields.safeParse(input);
  if (parsed.success && reasons.length === 0) {
    const warnings = formulaWarnings(values);
    const prospect = toProspect(keys, parsed.data, source);
    return { ok: true, row: { line: source.line, prospect, ...(warnings.length > 0 ? { warnings } : {}) } };
  }
  // A value no reader could read is reported once, not again as missing.
  const unread = new Set(reasons.map((r) => r.field));
  const modelReasons = parsed.success ? [] : reasonsOf(parsed.error).filter((r) => !unread.has(r.field));
  return { ok: false, row: { line: source.line, reasons: [...reasons, ...modelReasons] } };
}
