import type { ColumnMapping, FileErrorCode } from './column-mapping.ts';
import type { ImportFormat } from './import-parser.ts';
import type { Prospect, ProspectSource } from './prospect.ts';
import type { RejectedRow } from './row.ts';

/**
 * What an import of prospects needs from storage, in the domain's words. The use case
 * (shared/prospects/import-prospects.ts) depends on this; shared/adapters/prospect-store.ts keeps it in the
 * table, test/unit/support/in-memory-prospects.ts in memory, and one contract holds both to it.
 */

/**
 * An import's tally so far: `rows = created + known + rejected`. `created`: prospects this import stored;
 * `known`: rows whose prospect was already stored by another import (left as it was); `rejected`: rows
 * refused, by the file's checks or as an existing client, each with its reasons in the report.
 */
export type ImportCounts = { rows: number; created: number; known: number; rejected: number };

export const NO_ROWS: ImportCounts = { rows: 0, created: 0, known: 0, rejected: 0 };

/**
 * Why an import ended without reading its whole file: the file's fault, at its line, or `job_failed` when
 * the import job kept failing (retries spent) and recorded it rather than leave it running for ever.
 */
export type ImportFailure = { code: FileErrorCode | 'job_failed'; message: string; line?: number };

/** The file an import was declared with: what the presigned upload must be, and how it is read. */
export type ImportFile = { name: string; contentType: string; format: ImportFormat; size: number };

/** An import as the campaign manager declares it, before its file is uploaded. */
export type DeclaredImport = {
  importId: string;
  file: ImportFile;
  mapping: ColumnMapping;
  createdBy: string;
};

/**
 * Where an import stands. `line` is the last line of the file fully handled: every row up to it is
 * counted and written. `awaiting_upload`: declared, its file not yet there (nothing read). `running` may
 * be a run in progress or one that crashed: running it again resumes after `line`. `finished` and
 * `failed` imports have ended and are not run again. A declared import carries its file and mapping.
 */
export type ImportState = {
  importId: string;
  status: 'awaiting_upload' | 'running' | 'finished' | 'failed';
  line: number;
  counts: ImportCounts;
  createdAt?: string;
  startedAt?: string;
  updatedAt: string;
  endedAt?: string;
  failure?: ImportFailure;
  file?: ImportFile;
  mapping?: ColumnMapping;
  createdBy?: string;
};

/** A page of an import's rejected rows, in file order, and where the next page starts. */
export type RejectionsPage = { rows: RejectedRow[]; after?: number };

/**
 * 'stale': the import is not where the caller last saw it (another run of it advanced it, or it ended);
 * nothing was changed.
 */
export type Advance = 'advanced' | 'stale';

export interface ProspectImports {
  /** Stores a declared import, `awaiting_upload`; 'exists' (nothing changed) when the id is taken. */
  declare(upload: DeclaredImport, at: string): Promise<'declared' | 'exists'>;
  /** Moves an import from `awaiting_upload` to `running` (its file is there); anything else is 'stale'. */
  release(importId: string, at: string): Promise<Advance>;
  /** Ends a running import, at whatever line, as `failed` by its job; 'stale' if it is not running. */
  abandon(importId: string, failure: ImportFailure, at: string): Promise<Advance>;
  /**
   * The import's state, started now (`running`, at line 0, no rows) if it was never seen: one call, so two
   * runs starting together get the same import.
   */
  begin(importId: string, at: string): Promise<ImportState>;
  importState(importId: string): Promise<ImportState | undefined>;
  /**
   * Of these prospect ids, the ones already stored, each with where it came from: a prospect stored by
   * this very import (a run that crashed before its checkpoint) is told from one another import brought.
   */
  knownOf(prospectIds: readonly string[]): Promise<Map<string, ProspectSource>>;
  /** Of these INNs, the ones of the bank's existing clients. */
  clientsAmong(inns: readonly string[]): Promise<Set<string>>;
  /** Stores new prospects; storing one again (a resumed run) rewrites it with the same values. */
  store(prospects: readonly Prospect[]): Promise<void>;
  /** Keeps rejected rows in the import's report, by line; a row reported again is the same entry. */
  report(importId: string, rows: readonly RejectedRow[]): Promise<void>;
  /** The import's report of rejected rows, in file order, a page at a time (`after`: the last line seen). */
  rejections(importId: string, page: { limit: number; after?: number }): Promise<RejectionsPage>;
  /** Moves a running import from `expectedLine` to `line` with its counts; anything else is 'stale'. */
  checkpoint(
    importId: string,
    expectedLine: number,
    line: number,
    counts: ImportCounts,
    at: string,
  ): Promise<Advance>;
  /** Ends a running import still at `expectedLine`: `finished`, or `failed` with its file's fault. */
  end(
    importId: string,
    expectedLine: number,
    ending: { counts: ImportCounts; at: string; failure?: ImportFailure },
  ): Promise<Advance>;
}
