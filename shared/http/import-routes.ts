import {
  CreatedImport,
  ImportView,
  importPath,
  RejectionsPage,
  RejectionsQuery,
} from '../prospects/import-api.ts';
import { NewImportBody } from '../prospects/import-upload.ts';
import { type ApiRoute, failure } from './route-kit.ts';

const notFound = failure('No such import');

/** Imports of prospects (docs/prospects.md): campaign managers upload a file and follow its import. */
export const IMPORT_ROUTES = {
  createProspectImport: {
    method: 'POST',
    path: '/v1/prospect-imports',
    access: 'staff',
    summary:
      'Declare an import of prospects (file name, type, size, column mapping) and get a presigned upload for exactly that file (campaign manager)',
    function: 'keepProspectImports',
    request: { body: NewImportBody },
    responses: {
      201: { description: 'The import awaits its file', schema: CreatedImport },
      400: failure(
        'Invalid fields: `issues` name each (`size` over 50 MB, `mapping.<column>` feeding no field, `mapping` leaving a required field unmapped, ...)',
      ),
      403: failure('Only campaign managers import prospects'),
      413: failure('The body is over 64 KB'),
      415: failure('The body is not application/json'),
    },
  },
  startProspectImport: {
    method: 'POST',
    path: '/v1/prospect-imports/{importId}/start',
    access: 'staff',
    summary:
      'Start the import of the uploaded file; a second start answers the same import and starts nothing (campaign manager)',
    function: 'keepProspectImports',
    request: { params: importPath },
    responses: {
      202: { description: 'The import runs (or ran): read it for its progress', schema: ImportView },
      403: failure('Only campaign managers import prospects'),
      404: notFound,
      409: failure(
        '`not_uploaded`: the file is not there yet; `upload_mismatch`: the object is not the size or type declared',
      ),
    },
  },
  readProspectImport: {
    method: 'GET',
    path: '/v1/prospect-imports/{importId}',
    access: 'staff',
    summary: 'An import: status, counts, and why it failed (campaign manager)',
    function: 'keepProspectImports',
    request: { params: importPath },
    responses: {
      200: { description: 'The import', schema: ImportView },
      403: failure('Only campaign managers import prospects'),
      404: notFound,
    },
  },
  listProspectImportRejections: {
    method: 'GET',
    path: '/v1/prospect-imports/{importId}/rejections',
    access: 'staff',
    summary: "The import's rejected rows with their lines and reasons, a page at a time (campaign manager)",
    function: 'keepProspectImports',
    request: { params: importPath, query: RejectionsQuery },
    responses: {
      200: { description: 'A page of rejected rows', schema: RejectionsPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('Only campaign managers import prospects'),
      404: notFound,
    },
  },
} as const satisfies Record<string, ApiRoute>;
