import { type ApiEvent, type ApiResult, HttpError } from './api.ts';

/**
 * A page answered to a person who followed a link: the bank's alone, no framing, no scripts, no referrer
 * carrying the link's token elsewhere, never cached.
 */
export const htmlPage = (
  statusCode: number,
  html: string,
  headers: Record<string, string> = {},
): ApiResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    ...headers,
  },
  body: html,
});

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * A posted form's fields, urlencoded or multipart (RFC 8058 one-click posts may be either), read by the
 * platform's own Request parser within a size limit: 415 or 413 otherwise. A form it cannot read (a broken
 * multipart body) has no fields: the page then asks again, with the 400 its route declares.
 */
export async function postedForm(
  event: ApiEvent,
  maxBytes: number,
  types: readonly string[] = FORM_TYPES,
): Promise<FormData> {
  const contentType = event.headers['content-type'] ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!types.includes(type)) {
    throw new HttpError(415, 'unsupported_media_type', `Send the body as ${types.join(' or ')}`);
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > maxBytes) {
    throw new HttpError(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes`);
  }
  try {
    return await new Request('http://form.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch {
    return new FormData();
  }
}
