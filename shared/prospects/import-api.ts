import * as z from 'zod';
import { FILE_ERROR_CODES } from './column-mapping.ts';
import type { ImportState } from './ports.ts';
import { ImportId, ROW_REASON_CODES } from './prospect.ts';

/** The import API's shapes (shared/http/import-routes.ts): what a console sends and reads. */

export const importPath = z.object({ importId: z.uuid() });

export const CreatedImport = z
  .strictObject({
    importId: z.uuid(),
    upload: z.strictObject({
      url: z.url().meta({ description: 'Presigned: valid until `expiresAt`, for this file only' }),
      method: z.literal('PUT'),
      headers: z
        .record(z.string(), z.string())
        .meta({ description: 'Send exactly these (`content-type`, `content-length`): they are signed' }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({
    id: 'CreatedProspectImport',
    description: 'The import, awaiting its file, and where to upload it',
  });

const Counts = z.strictObject({
  rows: z.int(),
  created: z.int(),
  known: z.int(),
  rejected: z.int(),
});

export const ImportView = z
  .strictObject({
    importId: ImportId,
    status: z.enum(['awaiting_upload', 'running', 'finished', 'failed']),
    file: z.strictObject({ name: z.string(), contentType: z.string(), size: z.int() }),
    line: z.int().meta({ description: 'The last line of the file fully handled' }),
    counts: Counts.meta({ description: '`rows = created + known + rejected`' }),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
    failure: z
      .strictObject({
        code: z.enum([...FILE_ERROR_CODES, 'job_failed']),
        message: z.string(),
        line: z.int().optional(),
      })
      .optional()
      .meta({ description: "Why a failed import stopped: the file's fault at its line, or the job's" }),
  })
  .meta({ id: 'ProspectImport', description: 'An import of prospects: where it stands and its counts' });

export const importView = (state: ImportState): z.input<typeof ImportView> => ({
  importId: state.importId,
  status: state.status,
  file: {
    name: state.file?.name ?? '',
    contentType: state.file?.contentType ?? '',
    size: state.file?.size ?? 0,
  },
  line: state.line,
  counts: state.counts,
  createdAt: state.createdAt ?? state.startedAt ?? state.updatedAt,
  ...(state.startedAt ? { startedAt: state.startedAt } : {}),
  updatedAt: state.updatedAt,
  ...(state.endedAt ? { endedAt: state.endedAt } : {}),
  ...(state.failure ? { failure: state.failure } : {}),
});

export const RejectionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(1).optional().meta({ description: 'The last line of the page before' }),
});

export const RejectionsPage = z
  .strictObject({
    rows: z.array(
      z.strictObject({
        line: z.int().meta({ description: 'The line the row starts on (the header is line 1)' }),
        reasons: z.array(
          z.strictObject({
            field: z.string().meta({ description: "The prospect's field, `''` for the row as a whole" }),
            code: z.enum(ROW_REASON_CODES),
            message: z.string(),
          }),
        ),
      }),
    ),
    next: z.int().nullable().meta({ description: 'The `after` of the next page; null on the last' }),
  })
  .meta({ id: 'ProspectImportRejections', description: "The import's rejected rows, in file order" });
