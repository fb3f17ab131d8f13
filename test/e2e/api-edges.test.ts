import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, clientAddress, enquiry, headToken } from './client.ts';
import { E2E_RATE_LIMIT } from './global-setup.ts';

describe('bad input gets a clear 4xx and stores nothing', () => {
  it('answers 400 with the path of every field at fault', async () => {
    const bad = enquiry();
    bad.company.inn = '7707083894'; // checksum off by one
    (bad.contact as { email: string }).email = 'not-an-email';
    (bad.contact as { phone?: string }).phone = '8 (495) 123-45-67';
    const reply = await call('POST', '/v1/leads', {
      body: { ...bad, products: [], unexpected: 1 },
      from: clientAddress(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
    const paths = reply.body.error.issues.map((i: { path: string }) => i.path);
    for (const path of ['company.inn', 'contact.email', 'contact.phone', 'products'])
      expect(paths).toContain(path);
  });

  it('refuses a lead without consent to personal data processing', async () => {
    const reply = await call('POST', '/v1/leads', {
      body: enquiry({ consents: [{ purpose: 'marketing', granted: true, textVersion: 'm-1' }] }),
      from: clientAddress(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues.map((i: { path: string }) => i.path)).toContain('consents');
  });

  it('answers 413 over 16 KB, 415 for a non-JSON body, 400 for malformed JSON', async () => {
    const big = enquiry({ message: 'x'.repeat(17 * 1024) });
    expect((await call('POST', '/v1/leads', { body: big, from: clientAddress() })).status).toBe(413);
    const text = await call('POST', '/v1/leads', {
      body: 'company=Romashka',
      headers: { 'content-type': 'text/plain' },
      from: clientAddress(),
    });
    expect(text.status).toBe(415);
    const malformed = await call('POST', '/v1/leads', {
      body: '{"company": ',
      headers: { 'content-type': 'application/json' },
      from: clientAddress(),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });

  it('answers 400 for a malformed Idempotency-Key, naming the header', async () => {
    const reply = await call('POST', '/v1/leads', {
      body: enquiry(),
      headers: { 'idempotency-key': 'k'.repeat(256) },
      from: clientAddress(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['headers.idempotency-key']);
  });

  it('answers a honeypot hit with 202, again with the same id as a person would get, and stores nothing', async () => {
    const bot = enquiry({ fax: '+7 495 000 00 00' });
    const reply = await call('POST', '/v1/leads', { body: bot, from: clientAddress() });
    const again = await call('POST', '/v1/leads', { body: bot, from: clientAddress() });
    expect([reply.status, again.status]).toEqual([202, 202]);
    expect(again.body.leadId).toBe(reply.body.leadId);
    expect((await call('GET', `/v1/leads/${reply.body.leadId}`, { token: headToken() })).status).toBe(404);
  });

  it('answers 429 with Retry-After once one client exceeds its rate', async () => {
    // The limit counts in one-minute windows: start in a window with time to spare, so none ends mid-test.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 100));
    const from = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i <= E2E_RATE_LIMIT; i++) {
      statuses.push((await call('POST', '/v1/leads', { body: { not: 'valid' }, from })).status);
    }
    expect(statuses.slice(0, E2E_RATE_LIMIT)).toEqual(Array(E2E_RATE_LIMIT).fill(400));
    const limited = await call('POST', '/v1/leads', { body: enquiry(), from });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not affected.
    expect((await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() })).status).toBe(202);
  });
});

describe('reading leads', () => {
  it('needs a valid staff token: 401 without one or with a forged one, 404 for an unknown lead', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/v1/leads/${unknown}`)).status).toBe(401);
    const forged = `${headToken().split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`;
    expect((await call('GET', `/v1/leads/${unknown}`, { token: forged })).status).toBe(401);
    const missing = await call('GET', `/v1/leads/${unknown}`, { token: headToken() });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await call('GET', '/v1/leads/not-a-lead-id', { token: headToken() })).status).toBe(404);
  });
});

describe('staff tokens, checked as API Gateway checks them', () => {
  const poolPath = () => {
    const claims = JSON.parse(Buffer.from(headToken().split('.')[1] ?? '', 'base64url').toString('utf8'));
    return `/__local/cognito/${new URL(claims.iss).pathname.split('/').at(-1)}`;
  };
  const signIn = async (username: string, ttlSeconds?: number) => {
    const reply = await call('POST', `${poolPath()}/sign-in`, { body: { username, ttlSeconds } });
    expect(reply.status).toBe(200);
    return reply.body.AuthenticationResult as { IdToken: string; AccessToken: string };
  };

  it('refuses an expired token with 401 and says so in the Bearer challenge', async () => {
    const { IdToken, AccessToken } = await signIn('irina.head', -60);
    for (const token of [IdToken, AccessToken]) {
      const reply = await call('GET', '/v1/leads/00000000-0000-4000-8000-000000000000', { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ message: 'Unauthorized' });
      expect(reply.headers['www-authenticate']).toBe(
        'Bearer scope="" error="invalid_token" error_description="the token has expired"',
      );
    }
  });

  it('answers a missing token with a bare Bearer challenge', async () => {
    const reply = await call('GET', '/v1/leads/00000000-0000-4000-8000-000000000000');
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts an access token (client_id, no aud) as it accepts the ID token, bare or after Bearer', async () => {
    const submitted = await call('POST', '/v1/leads', { body: enquiry(), from: clientAddress() });
    expect(submitted.status).toBe(202);
    const { AccessToken } = await signIn('irina.head');
    const read = await call('GET', `/v1/leads/${submitted.body.leadId}`, { token: AccessToken });
    expect(read.status).toBe(200);
    expect(read.body.leadId).toBe(submitted.body.leadId);
    const bare = await call('GET', `/v1/leads/${submitted.body.leadId}`, {
      headers: { authorization: headToken() },
    });
    expect(bare.status).toBe(200);
  });

  it('publishes the signing key as a Cognito JWKS', async () => {
    const reply = await call('GET', `${poolPath()}/.well-known/jwks.json`);
    expect(reply.status).toBe(200);
    expect(reply.body.keys).toEqual([expect.objectContaining({ alg: 'RS256', kty: 'RSA', use: 'sig' })]);
    const header = JSON.parse(Buffer.from(headToken().split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'RS256', kid: reply.body.keys[0].kid });
  });
});

describe('browsers on the allowed origins', () => {
  it('get a preflight answer and the allowed origin on the form post', async () => {
    const origin = 'http://localhost:3000';
    const preflight = await call('OPTIONS', '/v1/leads', {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    const posted = await call('POST', '/v1/leads', {
      body: enquiry(),
      headers: { origin },
      from: clientAddress(),
    });
    expect(posted.status).toBe(202);
    expect(posted.headers['access-control-allow-origin']).toBe(origin);
    const refused = await call('POST', '/v1/leads', {
      body: enquiry(),
      headers: { origin: 'https://evil.example' },
      from: clientAddress(),
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('API description', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const reply = await call('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    expect(Object.keys(reply.body.paths)).toEqual(
      expect.arrayContaining(['/v1/leads', '/v1/leads/{leadId}']),
    );
    expect(reply.body.components.schemas.LeadSubmission.properties.company).toBeDefined();
  });

  it("describes the gateway's own answers as the gateway gives them", async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const refused = doc.paths['/v1/leads/{leadId}'].get.responses['401'];
    expect(refused.content['application/json'].schema.$ref).toBe('#/components/schemas/GatewayError');
    expect(Object.keys(refused.headers)).toEqual(['www-authenticate']);
    expect(doc.info.description).toContain('404');

    // What the gateway sends has exactly the documented shape.
    const noToken = await call('GET', `/v1/leads/${randomUUID()}`);
    expect(noToken.status).toBe(401);
    expect(Object.keys(noToken.body)).toEqual(['message']);
    expect(noToken.headers['www-authenticate']).toBe('Bearer');
    const noRoute = await call('GET', '/v1/nothing-here');
    expect([noRoute.status, noRoute.body]).toEqual([404, { message: 'Not Found' }]);
  });

  it('does not announce the honeypot field to whoever reads the document', async () => {
    const reply = await call('GET', '/openapi.json');
    expect(reply.body.components.schemas.LeadSubmission.properties.fax).toBeUndefined();
    expect(JSON.stringify(reply.body)).not.toMatch(/fax|honeypot/i);
  });
});
