import { apiHandler, reply } from '#shared/http/api.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { API_ROUTES } from '#shared/http/routes.ts';

const document = openApiDocument();

/** GET /openapi.json (public): the API description, generated from the route table and its zod schemas. */
export const handler = apiHandler(async () =>
  reply(API_ROUTES.describeApi, 200, document, { 'cache-control': 'public, max-age=300' }),
);
