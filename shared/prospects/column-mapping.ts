import * as z from 'zod';
import { PROSPECT_FIELDS, type ProspectField, REQUIRED_FIELDS } from './prospect.ts';

/**
 * How a file's columns (CSV headers, or JSON keys) become the model's fields, e.g.
 * `{ "ИНН": "inn", "Компания": "companyName", "E-mail": "email" }`. Column names are matched trimmed, with
 * runs of spaces as one and case ignored, so `ИНН`, `инн ` and `Инн` are one column. Columns the mapping
 * does not name are not read.
 */
export const ColumnMapping = z
  .record(z.string().max(200), z.string())
  .refine((m) => Object.keys(m).length <= 100, 'at most 100 columns');
export type ColumnMapping = Record<string, string>;

/** What is wrong with a mapping, or with a file's header against it; `column` is the file's name for it. */
export type MappingIssue = {
  code:
    | 'not_a_mapping'
    | 'unknown_field'
    | 'field_twice'
    | 'column_twice'
    | 'required_unmapped'
    | 'missing_column';
  column?: string;
  field?: string;
  message: string;
};

/** Why a whole file is refused: before its first row (mapping, header) or at the line where reading stopped. */
export const FILE_ERROR_CODES = [
  'mapping_invalid',
  'header_invalid',
  'empty',
  'not_utf8',
  'binary',
  'not_csv',
  'column_count',
  'record_too_large',
  'too_many_rows',
  'not_json',
  'json_too_large',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export class ProspectImportError extends Error {
  readonly code: FileErrorCode;
  /** The file's line where reading stopped (1 is the first line); absent for a mapping that is wrong in itself. */
  readonly line?: number;
  readonly issues: MappingIssue[];

  constructor(
    code: FileErrorCode,
    message: string,
    options: { line?: number; issues?: MappingIssue[] } = {},
  ) {
    super(options.line === undefined ? message : `line ${options.line}: ${message}`);
    this.name = 'ProspectImportError';
    this.code = code;
    if (options.line !== undefined) this.line = options.line;
    this.issues = options.issues ?? [];
  }
}

/** A column name as matched: trimmed, inner spaces as one, lower-case. */
export const columnKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** A checked mapping: the field each column (by its key) feeds. */
export type Columns = ReadonlyMap<string, { column: string; field: ProspectField }>;

const isField = (name: string): name is ProspectField =>
  (PROSPECT_FIELDS as readonly string[]).includes(name);

/** Checks a mapping in itself, every fault at once; throws one `mapping_invalid` error naming them all. */
export function checkColumnMapping(mapping: unknown): Columns {
  const parsed = ColumnMapping.safeParse(mapping);
  if (!parsed.success) {
    const message = 'a column mapping is an object of column names to field names';
    throw new ProspectImportError('mapping_invalid', message, {
      issues: [{ code: 'not_a_mapping', message }],
    });
  }
  const issues: MappingIssue[] = [];
  const columns = new Map<string, { column: string; field: ProspectField }>();
  const mapped = new Map<ProspectField, string>();
  for (const [column, field] of Object.entries(parsed.data)) {
    const key = columnKey(column);
    if (!isField(field)) {
      const message = `"${field}" is no field; the fields are ${PROSPECT_FIELDS.join(', ')}`;
      issues.push({ code: 'unknown_field', column, field, message });
      continue;
    }
    const earlier = mapped.get(field);
    if (earlier !== undefined) {
      const message = `"${column}" and "${earlier}" both feed ${field}`;
      issues.push({ code: 'field_twice', column, field, message });
      continue;
    }
    const same = columns.get(key);
    if (key === '' || same) {
      const message =
        key === '' ? 'a column name is empty' : `"${column}" and "${same?.column}" are one column`;
      issues.push({ code: 'column_twice', column, field, message });
      continue;
    }
    columns.set(key, { column, field });
    mapped.set(field, column);
  }
  for (const field of REQUIRED_FIELDS) {
    if (!mapped.has(field) && !issues.some((i) => i.field === field)) {
      issues.push({
        code: 'required_unmapped',
        field,
        message: `no column is mapped to ${field}, a required field`,
      });
    }
  }
  if (issues.length > 0) {
    const message = `the column mapping is wrong: ${issues.map((i) => i.message).join('; ')}`;
    throw new ProspectImportError('mapping_invalid', message, { issues });
  }
  return columns;
}

/**
 * A CSV header against a checked mapping: each mapped column found once. Returns the field of each cell
 * position (undefined for columns not read); throws one `header_invalid` error naming every fault.
 */
export function fieldsOfHeader(
  columns: Columns,
  header: readonly string[],
  line: number,
): (ProspectField | undefined)[] {
  const keys = header.map(columnKey);
  const issues: MappingIssue[] = [];
  for (const [key, { column, field }] of columns) {
    const count = keys.filter((k) => k === key).length;
    if (count === 0) {
      issues.push({ code: 'missing_column', column, field, message: `the file has no column "${column}"` });
    } else if (count > 1) {
      issues.push({ code: 'column_twice', column, field, message: `the file has column "${column}" twice` });
    }
  }
  if (issues.length > 0) {
    const message = `the header does not fit the column mapping: ${issues.map((i) => i.message).join('; ')}`;
    throw new ProspectImportError('header_invalid', message, { line, issues });
  }
  return keys.map((key) => columns.get(key)?.field);
}
