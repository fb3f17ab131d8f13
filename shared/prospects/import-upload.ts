import * as z from 'zod';
import type { Keys } from '../access/keys.ts';
import { ColumnMapping, checkColumnMapping, ProspectImportError } from './column-mapping.ts';
import type { ImportFormat } from './import-parser.ts';
import { type ImportOutcome, importProspects } from './import-prospects.ts';
import type { ImportFailure, ImportState, ProspectImports } from './ports.ts';

/**
 * How a file of prospects reaches the import (docs/prospects.md, "The upload and the job"): the campaign
 * manager declares it (name, type, size, mapping) and gets a presigned upload for exactly that file; once
 * it is uploaded, starting the import checks the object against the declaration and hands it to the job,
 * which runs the import a bounded time at a go until it ends.
 */

/** The largest file an import takes: 50 MB is about 300,000 rows of a bank's CSV, over MAX_IMPORT_ROWS. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The media types a file may be declared with, and how each is read. */
export const IMPORT_CONTENT_TYPES = {
  'text/csv': 'csv',
  'application/json': 'json',
} as const satisfies Record<string, ImportFormat>;
export type ImportContentType = keyof typeof IMPORT_CONTENT_TYPES;

export const NewImportBody = z
  .strictObject({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .meta({ description: "The file's name, as the person chose it" }),
    contentType: z
      .enum(Object.keys(IMPORT_CONTENT_TYPES) as [ImportContentType, ...ImportContentType[]])
      .meta({
        description:
          'The type the upload must be sent with: `text/csv` or `application/json` (an array or JSON Lines)',
      }),
    size: z
      .int()
      .min(1)
      .max(MAX_IMPORT_BYTES, `a file is at most ${MAX_IMPORT_BYTES} bytes (50 MB)`)
      .meta({ description: 'Bytes; the upload must be exactly this long' }),
    mapping: ColumnMapping.meta({
      description: "The file's columns (or JSON keys) to the prospect's fields (docs/prospects.md)",
    }),
  })
  .meta({ id: 'NewProspectImport' });
export type NewImportBody = z.infer<typeof NewImportBody>;

/** A presigned upload: PUT the file to `url` with exactly these headers before `expiresAt`. */
export type Upload = { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };

/** Where an import's file is kept (S3: `imports/<importId>`). */
export interface ImportFiles {
  /** A presigned PUT of exactly this type and size; nothing is stored until the file is sent. */
  uploadUrl(importId: string, file: { contentType: string; size: number }): Promise<Upload>;
  /** The uploaded object's size and type, or undefined when nothing was uploaded. */
  describe(importId: string): Promise<{ size: number; contentType: string } | undefined>;
  /** The object's bytes as they stream in. */
  open(importId: string): Promise<AsyncIterable<Uint8Array> & { destroy(): void }>;
}

/** Starts the import job once per import: the execution is named by the import id. */
export interface ImportJobs {
  start(importId: string): Promise<'started' | 'already_started'>;
}

export type UploadDeps = {
  imports: ProspectImports;
  files: ImportFiles;
  jobs: ImportJobs;
  now: () => Date;
  newId: () => string;
};

/** The declaration's faults, each with its field path (`size`, `mapping.<column>`). */
export class ImportRequestInvalid extends Error {
  override name = 'ImportRequestInvalid';
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    super('the import request has invalid fields');
    this.issues = issues;
  }
}

/** Declares an import and answers its id and the presigned upload of exactly the declared file. */
export async function declareImport(
  deps: UploadDeps,
  by: string,
  body: unknown,
): Promise<{ importId: string; upload: Upload }> {
  const parsed = NewImportBody.safeParse(body);
  if (!parsed.success) {
    throw new ImportRequestInvalid(
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const { fileName, contentType, size, mapping } = parsed.data;
  try {
    checkColumnMapping(mapping);
  } catch (error) {
    if (!(error instanceof ProspectImportError)) throw error;
    throw new ImportRequestInvalid(
      error.issues.map((issue) => ({
        path: issue.column === undefined ? 'mapping' : `mapping.${issue.column}`,
        message: issue.message,
      })),
    );
  }
  const importId = deps.newId();
  const file = { name: fileName, contentType, format: IMPORT_CONTENT_TYPES[contentType], size };
  const declared = await deps.imports.declare(
    { importId, file, mapping, createdBy: by },
    deps.now().toISOString(),
  );
  // A fresh random id is never taken; if it were, no second import may share its file.
  if (declared === 'exists') throw new Error(`import id ${importId} is taken`);
  return { importId, upload: await deps.files.uploadUrl(importId, { contentType, size }) };
}

/** Why an import cannot start: its file is not there, or is not the file declared. */
export type StartRefusal = 'not_found' | 'not_uploaded' | 'upload_mismatch';

/**
 * Starts the import of an uploaded file: the object must be the declared size and type. A second start
 * (or one after the import ended) answers the import as it stands and starts no second run.
 */
export async function startImport(
  deps: UploadDeps,
  importId: string,
): Promise<{ started: ImportState } | { refused: StartRefusal }> {
  const state = await deps.imports.importState(importId);
  if (!state?.file) return { refused: 'not_found' };
  if (state.status === 'awaiting_upload') {
    const object = await deps.files.describe(importId);
    if (!object) return { refused: 'not_uploaded' };
    const type = object.contentType.split(';')[0]?.trim().toLowerCase();
    if (object.size !== state.file.size || type !== state.file.contentType)
      return { refused: 'upload_mismatch' };
    // Released before the job starts: a start that dies between the two is completed by the next one.
    await deps.imports.release(importId, deps.now().toISOString());
  }
  const now = await deps.imports.importState(importId);
  if (now?.status === 'running') await deps.jobs.start(importId);
  return { started: now ?? state };
}

export type RunDeps = { imports: ProspectImports; files: ImportFiles; keys: Keys; now: () => Date };

/**
 * One run of the import job: reads the file from its start and imports until the import ends or
 * `pauseNow` says time is up, at a checkpoint. `done` tells the job to stop looping.
 */
export async function runImport(
  deps: RunDeps,
  importId: string,
  pauseNow: () => boolean,
): Promise<{ importId: string; status: ImportState['status']; done: boolean }> {
  const state = await deps.imports.importState(importId);
  if (!state?.file || !state.mapping) throw new Error(`import ${importId} was never declared`);
  if (state.status !== 'running') return { importId, status: state.status, done: true };
  const input = await deps.files.open(importId);
  let outcome: ImportOutcome;
  try {
    outcome = await importProspects({ imports: deps.imports, keys: deps.keys, now: deps.now }, input, {
      importId,
      format: state.file.format,
      mapping: state.mapping,
      pauseNow,
    });
  } finally {
    input.destroy();
  }
  return { importId, status: outcome.status, done: outcome.status !== 'running' };
}

/** The job gave up on the import (its retries spent): recorded as failed, never left running silently. */
export async function abandonImport(
  deps: { imports: ProspectImports; now: () => Date },
  importId: string,
  error: string,
): Promise<void> {
  const failure: ImportFailure = {
    code: 'job_failed',
    message: `the import job stopped after its retries (${error}); start a new import of the file`,
  };
  await deps.imports.abandon(importId, failure, deps.now().toISOString());
}
