import { apiHandler, json } from '#shared/http/api.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

const document = openApiDocument();

/** GET /openapi.json (public): the API description, generated from the zod schemas. */
export const handler = apiHandler(async () =>
  json(200, document, { 'cache-control': 'public, max-age=300' }),
);
