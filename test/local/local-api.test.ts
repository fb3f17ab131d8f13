import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLocalApp, type LocalApp, synthesizeTemplates } from '#local/assembly.ts';
import { DevTokenIssuer } from '#local/dev-tokens.ts';
import { LocalHttpApi } from '#local/http-api.ts';
import { freePort } from '#local/processes.ts';

const BANK_SITE = 'https://www.bank.example';
const ELSEWHERE = 'https://evil.example';

/** The synthesized API (routes, CORS) in front of a trivial function that also sets CORS headers of its own. */
describe('the local API in front of the synthesized routes', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-api-'));
  let app: LocalApp;
  let base: string;
  let bare: string;
  const apis: LocalHttpApi[] = [];
  const invoked: { arn: string; event: unknown }[] = [];

  beforeAll(async () => {
    app = describeLocalApp(
      synthesizeTemplates({ 'attract:allowedOrigins': `${BANK_SITE},https://bank.example` }, outdir),
      'eu-central-1',
    );
    const staff = app.routes.find((r) => r.jwt)?.jwt;
    const tokens = await DevTokenIssuer.create(staff?.issuer ?? '', staff?.audience[0] ?? '');
    const start = async (cors: LocalApp['cors']) => {
      const api = new LocalHttpApi({
        routes: app.routes,
        ...(cors ? { cors } : {}),
        tokens,
        functions: app.functions,
        deadLetters: () => ({}),
        health: async () => ({}),
        invoke: async (arn, event) => {
          invoked.push({ arn, event });
          return {
            statusCode: 202,
            headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
            body: JSON.stringify({ leadId: 'L-1' }),
          };
        },
      });
      apis.push(api);
      return api.listen(await freePort());
    };
    base = await start(app.cors);
    bare = await start(undefined);
  });
  afterAll(async () => {
    for (const api of apis) await api.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  const preflight = (origin: string, headers = 'content-type,idempotency-key', url = base) =>
    fetch(`${url}/v1/leads`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
    });
  const corsHeaders = (res: Response) =>
    Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));

  describe('CORS, as API Gateway applies the configured CorsConfiguration', () => {
    it('answers a preflight from an allowed origin itself, without calling the function', async () => {
      const before = invoked.length;
      const res = await preflight(BANK_SITE);
      expect(res.status).toBe(204);
      expect(corsHeaders(res)).toEqual({
        'access-control-allow-origin': BANK_SITE,
        'access-control-allow-methods': 'GET,POST,PUT',
        'access-control-allow-headers': 'content-type,idempotency-key,authorization',
        'access-control-max-age': '3600',
      });
      expect(invoked.length).toBe(before);
    });

    it('gives a refused origin, or a header not on the list, no CORS headers', async () => {
      const refused = await preflight(ELSEWHERE);
      expect(refused.status).toBe(204);
      expect(corsHeaders(refused)).toEqual({});
      expect(corsHeaders(await preflight(BANK_SITE, 'content-type,x-debug'))).toEqual({});
    });

    it("sets the allowed origin on the function's answer and drops the function's own CORS headers", async () => {
      const post = (origin: string) =>
        fetch(`${base}/v1/leads`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: '{}',
        });
      const allowed = await post(BANK_SITE);
      expect(allowed.status).toBe(202);
      expect(corsHeaders(allowed)).toEqual({
        'access-control-allow-origin': BANK_SITE,
        'access-control-expose-headers': 'retry-after',
      });
      const refused = await post(ELSEWHERE);
      expect(refused.status).toBe(202);
      expect(corsHeaders(refused)).toEqual({});
    });

    it('answers no preflight when the API has no CORS configuration: there is no OPTIONS route', async () => {
      const res = await preflight(BANK_SITE, 'content-type', bare);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    });
  });

  describe('the local `aws lambda invoke`', () => {
    const invoke = (name: string, body: string) =>
      fetch(`${base}/__local/functions/${name}/invoke`, { method: 'POST', body });

    it("takes the construct's short name as well as the logical id", async () => {
      const sweeper = app.functions.find((f) =>
        /^LeadIntakeSweepPendingIntake[0-9A-F]{8}$/.test(f.logicalId),
      );
      expect(sweeper).toBeDefined();
      for (const name of ['SweepPendingIntake', sweeper?.logicalId ?? '']) {
        const res = await invoke(name, '{"graceMinutes": 0}');
        expect(res.status, name).toBe(200);
        expect(invoked.at(-1)).toEqual({ arn: sweeper?.arn, event: { graceMinutes: 0 } });
      }
    });

    it('answers a payload that is not JSON with 400, an ambiguous name with 400, an unknown one with 404', async () => {
      const before = invoked.length;
      const malformed = await invoke('SweepPendingIntake', '{"graceMinutes": ');
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { message: string }).message).toMatch(
        /^Could not parse request body into json/,
      );
      const ambiguous = await invoke('Lead', '{}');
      expect(ambiguous.status).toBe(400);
      expect(((await ambiguous.json()) as { message: string }).message).toMatch(/names several functions/);
      expect((await invoke('NoSuchFunction', '{}')).status).toBe(404);
      expect(invoked.length).toBe(before);
    });
  });

  it('serves the example form, in Russian, posted by the embeddable script as the bank site would', async () => {
    const res = await fetch(`${base}/__local/example-form`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Название компании');
    expect(html).toContain('/v1/embed.js');
    expect(html).toContain('data-attract-form="lead"');
    expect(html).toContain('name="company.inn"');
  });
});
