import { describe, expect, it } from 'vitest';
import type { ApiEvent, HttpError } from '#shared/http/api.ts';
import { postedForm } from '#shared/http/html-page.ts';

const eventOf = (contentType: string, body: string | Buffer): ApiEvent =>
  ({
    headers: { 'content-type': contentType },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  }) as unknown as ApiEvent;

/** A body as a browser or a mail provider encodes it, with the content type that goes with it. */
async function encoded(fields: FormData | URLSearchParams) {
  const request = new Request('http://mail.provider.example/', { method: 'POST', body: fields });
  return eventOf(request.headers.get('content-type') ?? '', Buffer.from(await request.arrayBuffer()));
}

describe('a posted form (RFC 8058 one-click and the pages)', () => {
  it('reads List-Unsubscribe=One-Click urlencoded and as multipart/form-data', async () => {
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    const urlencoded = new URLSearchParams({ 'List-Unsubscribe': 'One-Click' });
    for (const body of [multipart, urlencoded]) {
      expect((await postedForm(await encoded(body), 8 * 1024)).get('List-Unsubscribe')).toBe('One-Click');
    }
  });

  it('refuses another media type (415) or a body over the limit (413), and reads a broken multipart as empty', async () => {
    const refusal = (event: ApiEvent, types?: string[]) =>
      postedForm(event, 64, types).then(
        () => undefined,
        (error: HttpError) => error.status,
      );
    expect(await refusal(eventOf('application/json', '{}'))).toBe(415);
    expect(
      await refusal(eventOf('multipart/form-data; boundary=x', 'a'), ['application/x-www-form-urlencoded']),
    ).toBe(415);
    expect(await refusal(eventOf('application/x-www-form-urlencoded', 'a='.padEnd(65, 'b')))).toBe(413);
    const broken = await postedForm(eventOf('multipart/form-data; boundary=x', '--x\r\nnonsense'), 64);
    expect([...broken.keys()]).toEqual([]);
  });
});
