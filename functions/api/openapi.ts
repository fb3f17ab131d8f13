import type { ApiResult } from '#shared/http/api.ts';
import { apiHandler, reply } from '#shared/http/api.ts';
import { embedScript } from '#shared/http/embed-script.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { API_ROUTES } from '#shared/http/routes.ts';

const document = openApiDocument();
const script = embedScript();

/**
 * The API's public documents: GET /openapi.json, its description generated from the route table and its
 * zod schemas; GET /v1/embed.js, the script the bank's site includes to post its forms (docs/web-forms.md).
 */
export const handler = apiHandler(async (event): Promise<ApiResult> => {
  if (event.routeKey === 'GET /v1/embed.js') {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        // Short enough that a new version reaches the bank's pages within minutes.
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
      },
      body: script,
    };
  }
  return reply(API_ROUTES.describeApi, 200, document, { 'cache-control': 'public, max-age=300' });
});
