import type { IncomingHttpHeaders } from 'node:http';

/** An HTTP API's CORS configuration, as `AWS::ApiGatewayV2::Api` `CorsConfiguration` holds it. */
export interface CorsConfiguration {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

/** Reads the synthesized `CorsConfiguration` (already resolved), or undefined when the API has none. */
export function corsFromTemplate(raw: unknown): CorsConfiguration | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    allowOrigins: list(c.AllowOrigins),
    allowMethods: list(c.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: list(c.AllowHeaders).map((h) => h.toLowerCase()),
    exposeHeaders: list(c.ExposeHeaders).map((h) => h.toLowerCase()),
    allowCredentials: c.AllowCredentials === true,
    ...(c.MaxAge !== undefined ? { maxAge: Number(c.MaxAge) } : {}),
  };
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A preflight is an OPTIONS request with both an Origin and an Access-Control-Request-Method header. */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && !!one(headers.origin) && !!one(headers['access-control-request-method']);
}

/**
 * API Gateway's own answer to a preflight: 204, with the configured CORS headers only when the origin,
 * the method and every requested header are allowed (otherwise none, and the browser refuses).
 */
export function preflightHeaders(
  cors: CorsConfiguration,
  headers: IncomingHttpHeaders,
): Record<string, string> {
  const origin = one(headers.origin) ?? '';
  const method = (one(headers['access-control-request-method']) ?? '').toUpperCase();
  const requested = (one(headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const allowsMethod = cors.allowMethods.includes('*') || cors.allowMethods.includes(method);
  const allowsHeaders =
    cors.allowHeaders.includes('*') || requested.every((h) => cors.allowHeaders.includes(h));
  const allowed = allowedOrigin(cors, origin);
  if (!allowed || !allowsMethod || !allowsHeaders) return {};
  return {
    'access-control-allow-origin': allowed,
    'access-control-allow-methods': cors.allowMethods.join(','),
    ...(cors.allowHeaders.length ? { 'access-control-allow-headers': cors.allowHeaders.join(',') } : {}),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
  };
}

/**
 * The headers of an integration's answer to a CORS request: API Gateway drops the integration's own
 * `access-control-*` headers and adds the configured ones when the origin is allowed.
 */
export function corsResponseHeaders(
  cors: CorsConfiguration,
  requestHeaders: IncomingHttpHeaders,
  responseHeaders: Record<string, string>,
): Record<string, string> {
  const kept = Object.fromEntries(
    Object.entries(responseHeaders).filter(([name]) => !name.toLowerCase().startsWith('access-control-')),
  );
  const allowed = allowedOrigin(cors, one(requestHeaders.origin) ?? '');
  if (!allowed) return kept;
  return {
    ...kept,
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders.length ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(cors.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
  };
}

function allowedOrigin(cors: CorsConfiguration, origin: string): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes(origin)) return origin;
  return cors.allowOrigins.includes('*') ? '*' : undefined;
}
