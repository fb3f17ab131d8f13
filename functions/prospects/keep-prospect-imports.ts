import { uploadDeps } from '#shared/composition-import-api.ts';
import { apiHandler, HttpError, parseJsonBody, parseQuery, reply, staffOnly } from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { importPath, importView, RejectionsQuery } from '#shared/prospects/import-api.ts';
import { declareImport, ImportRequestInvalid, startImport } from '#shared/prospects/import-upload.ts';

const deps = uploadDeps();
const REFUSALS = {
  not_uploaded: 'The file is not uploaded yet: PUT it to the upload URL, then start the import',
  upload_mismatch: 'The uploaded file is not the size or type declared: declare a new import for it',
} as const;

/** `/v1/prospect-imports`: campaign managers declare an import, upload its file, start it, read its report. */
export const handler = apiHandler(
  async (event) => {
    if (event.routeKey === 'POST /v1/prospect-imports') {
      try {
        const created = await declareImport(deps, event.staff?.userId ?? '', parseJsonBody(event, 64 * 1024));
        return reply(API_ROUTES.createProspectImport, 201, created);
      } catch (error) {
        if (!(error instanceof ImportRequestInvalid)) throw error;
        throw new HttpError(400, 'validation_failed', 'The import has invalid fields', {
          issues: error.issues,
        });
      }
    }
    const parsed = importPath.safeParse(event.pathParameters ?? {});
    if (!parsed.success) throw new HttpError(404, 'not_found', 'No such import');
    const { importId } = parsed.data;
    switch (event.routeKey) {
      case 'POST /v1/prospect-imports/{importId}/start': {
        const outcome = await startImport(deps, importId);
        if ('started' in outcome)
          return reply(API_ROUTES.startProspectImport, 202, importView(outcome.started));
        if (outcome.refused === 'not_found') throw new HttpError(404, 'not_found', 'No such import');
        throw new HttpError(409, outcome.refused, REFUSALS[outcome.refused]);
      }
      case 'GET /v1/prospect-imports/{importId}': {
        const state = await deps.imports.importState(importId);
        if (!state?.file) throw new HttpError(404, 'not_found', 'No such import');
        return reply(API_ROUTES.readProspectImport, 200, importView(state));
      }
      default: {
        const query = parseQuery(RejectionsQuery, event);
        if (!(await deps.imports.importState(importId))?.file)
          throw new HttpError(404, 'not_found', 'No such import');
        const page = await deps.imports.rejections(importId, query);
        return reply(API_ROUTES.listProspectImportRejections, 200, {
          rows: page.rows,
          next: page.after ?? null,
        });
      }
    }
  },
  staffOnly(['campaign_manager']),
);
