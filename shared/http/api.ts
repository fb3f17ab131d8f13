import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import { type Role, type StaffMember, staffMemberFromClaims } from '../access/roles.ts';
import { logger } from '../runtime.ts';
import { errorBody, HttpError } from './errors.ts';
import type { ApiRoute } from './routes.ts';

export { HttpError, type Issue } from './errors.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer & { jsonBody?: unknown; staff?: StaffMember };
export type ApiResult = APIGatewayProxyStructuredResultV2;
export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * A route's answer, typed by the route table: only a status the route declares, with a body its schema
 * accepts, so a handler cannot drift from the published description.
 */
export function reply<R extends ApiRoute, S extends keyof R['responses'] & number>(
  _route: R,
  status: S,
  body: z.input<NonNullable<R['responses'][S]>['schema']>,
  headers: Record<string, string> = {},
): ApiResult {
  return json(status, body, headers);
}

/** Errors become JSON; unknown ones become a bare 500 whose details stay in the log. */
const errorResponses = (): MiddlewareObj<ApiEvent, ApiResult> => ({
  onError: async (request) => {
    const error = request.error;
    if (error instanceof HttpError) {
      request.response = json(
        error.status,
        errorBody(error.code, error.message, error.issues),
        error.headers,
      );
      return;
    }
    logger.error('Unhandled error', {
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
    request.response = json(500, errorBody('internal_error', 'Something went wrong on our side'));
  },
});

/** The body as text, if it has the media type and is within the size limit: 415 or 413 otherwise. */
export function bodyText(event: ApiEvent, mediaType: string, maxBytes: number): string {
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== mediaType) {
    throw new HttpError(415, 'unsupported_media_type', `Send the body as ${mediaType}`);
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (raw.byteLength > maxBytes) {
    throw new HttpError(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes`);
  }
  return raw.toString('utf8');
}

/** The body parsed as JSON: 415, 413 as `bodyText`, 400 when malformed. */
export function parseJsonBody(event: ApiEvent, maxBytes: number): unknown {
  const text = bodyText(event, 'application/json', maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The body is not valid JSON', {
      issues: [{ path: '', message: 'Malformed JSON' }],
    });
  }
}

/** The query string parsed by its schema; a 400 naming every bad parameter as `query.<name>` otherwise. */
export function parseQuery<S extends z.ZodType>(schema: S, event: ApiEvent): z.output<S> {
  const query = schema.safeParse(event.queryStringParameters ?? {});
  if (query.success) return query.data;
  throw new HttpError(400, 'validation_failed', 'The query has invalid parameters', {
    issues: query.error.issues.map((i) => ({ path: `query.${i.path.join('.')}`, message: i.message })),
  });
}

/** Reads a JSON body within a size limit: 415 for other media types, 413 when too large, 400 when malformed. */
export const jsonBody = (maxBytes: number): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: async ({ event }) => {
    event.jsonBody = parseJsonBody(event, maxBytes);
  },
});

/** Staff routes: the JWT was verified by the authorizer; here we check it is there and carries a role. */
/** Refuses (403) a staff member without the role, for a route other roles may read but only it may act on. */
export function requireRole(event: ApiEvent, role: Role, message = 'Your role does not allow this'): void {
  if (!event.staff?.roles.includes(role)) throw new HttpError(403, 'forbidden', message);
}

/** The path's parameters by their schema: a malformed id names nothing, so it is a 404 with `notFound`. */
export function pathOf<S extends z.ZodType>(schema: S, event: ApiEvent, notFound: string): z.output<S> {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) throw new HttpError(404, 'not_found', notFound);
  return parsed.data;
}

/** Sets `event.staff` from the authorizer's claims, or refuses: 401 without them, 403 for another role. */
export function admitStaff(
  event: ApiEvent,
  allowed: readonly Role[],
  message = 'Your role does not allow this',
) {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new HttpError(401, 'unauthorized', 'Sign in to use this route');
  const staff = staffMemberFromClaims(claims);
  if (!staff.roles.some((role) => allowed.includes(role))) throw new HttpError(403, 'forbidden', message);
  event.staff = staff;
  return staff;
}

export const staffOnly = (allowed: readonly Role[]): MiddlewareObj<ApiEvent, ApiResult> => ({
  before: async ({ event }) => {
    admitStaff(event, allowed);
  },
});

/** The pipeline every API handler runs in: headers normalized, context logged, errors as JSON. */
export function apiHandler(
  handler: (event: ApiEvent, context: Context) => Promise<ApiResult>,
  ...middlewares: MiddlewareObj<ApiEvent, ApiResult>[]
) {
  return middy<ApiEvent, ApiResult>()
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger))
    .use(errorResponses())
    .use(middlewares)
    .handler(handler);
}
