import { describe, expect, it } from 'vitest';
import { call } from './client.ts';

describe("the bank site's forms, end to end", () => {
  it('serves the embeddable form script as JavaScript, cached for minutes', async () => {
    const served = await call('GET', '/v1/embed.js');
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(served.headers['cache-control']).toBe('public, max-age=300');
    expect(String(served.body)).toContain('form[data-attract-form]');
  });
});
