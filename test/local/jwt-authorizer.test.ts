import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRoute } from '#local/assembly.ts';
import { type DemoUser, DevTokenIssuer } from '#local/dev-tokens.ts';
import { LocalHttpApi } from '#local/http-api.ts';
import { REFUSALS } from '#local/jwt-authorizer.ts';
import { freePort } from '#local/processes.ts';
import { signInLocally } from '#local/sign-in.ts';

const ISSUER = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_StaffDirectory';
const CLIENT_ID = 'console-client-id';
const HEAD: DemoUser = { username: 'irina.head', email: 'i.head@bank.example', groups: ['head_of_unit'] };
const PM: DemoUser = {
  username: 'pm-ivanova',
  email: 'e.ivanova@bank.example',
  groups: ['personal_manager', 'head_of_unit'],
  managerId: 'pm-ivanova',
};
const FN = 'arn:aws:lambda:eu-central-1:000000000000:function:Echo';
const routes: LocalRoute[] = [
  {
    method: 'GET',
    path: '/v1/leads/{leadId}',
    functionArn: FN,
    jwt: { issuer: ISSUER, audience: [CLIENT_ID] },
  },
  {
    method: 'GET',
    path: '/v1/reports',
    functionArn: FN,
    jwt: { issuer: ISSUER, audience: [CLIENT_ID], scopes: ['attract/reports.read'] },
  },
];

type Reply = { status: number; challenge: string | null; body: Record<string, unknown> };

describe('the local JWT authorizer, checked as API Gateway checks HTTP API tokens', () => {
  let pool: DevTokenIssuer;
  let api: LocalHttpApi;
  let base: string;
  // The trivial function: it answers with the authorizer part of the event it was given.
  const seen: unknown[] = [];

  beforeAll(async () => {
    pool = await DevTokenIssuer.create(ISSUER, CLIENT_ID);
    api = new LocalHttpApi({
      routes,
      tokens: pool,
      functions: [],
      deadLetters: () => ({}),
      health: async () => ({}),
      invoke: async (_arn, event) => {
        seen.push(event);
        const { requestContext } = event as { requestContext: { authorizer?: unknown } };
        return { statusCode: 200, body: JSON.stringify(requestContext.authorizer ?? null) };
      },
    });
    base = await api.listen(await freePort());
  });
  afterAll(() => api.close());

  const get = async (path: string, authorization?: string): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  const lead = (authorization?: string) => get('/v1/leads/L-1', authorization);
  const now = () => Math.floor(Date.now() / 1000);
  const idClaims = () => ({
    sub: 'irina.head',
    iss: ISSUER,
    aud: CLIENT_ID,
    token_use: 'id',
    iat: now(),
    exp: now() + 600,
  });
  const refusedWith = (description: string) => ({
    status: 401,
    challenge: `Bearer scope="" error="invalid_token" error_description="${description}"`,
    body: { message: 'Unauthorized' },
  });

  it('passes an ID token (by aud) and hands its claims over as strings, lists as "[a b]"', async () => {
    const reply = await lead(`Bearer ${await pool.sign(PM)}`);
    expect(reply.status).toBe(200);
    const { jwt } = reply.body as { jwt: { claims: Record<string, string>; scopes: unknown } };
    expect(jwt.scopes).toBeNull();
    expect(jwt.claims).toMatchObject({
      'cognito:groups': '[personal_manager head_of_unit]',
      'custom:managerId': 'pm-ivanova',
      'cognito:username': 'pm-ivanova',
      email: 'e.ivanova@bank.example',
      email_verified: 'true',
      token_use: 'id',
      aud: CLIENT_ID,
      sub: 'pm-ivanova',
    });
    expect(jwt.claims.exp).toMatch(/^\d{10}$/);
  });

  it('passes an access token by client_id (it has no aud), with Cognito access-token claims only', async () => {
    const reply = await lead(`Bearer ${await pool.signAccessToken(HEAD)}`);
    expect(reply.status).toBe(200);
    const { claims } = (reply.body as { jwt: { claims: Record<string, string> } }).jwt;
    expect(claims).toMatchObject({
      token_use: 'access',
      client_id: CLIENT_ID,
      username: 'irina.head',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': '[head_of_unit]',
    });
    expect(claims.aud).toBeUndefined();
    expect(claims.email).toBeUndefined();
  });

  it('takes the token bare, as the identity source may hold it without "Bearer "', async () => {
    expect((await lead(await pool.sign(HEAD))).status).toBe(200);
  });

  it('answers a request without a token with 401 and a bare Bearer challenge, and calls no function', async () => {
    const before = seen.length;
    expect(await lead()).toEqual({ status: 401, challenge: 'Bearer', body: { message: 'Unauthorized' } });
    expect(seen.length).toBe(before);
  });

  it('refuses what is not a JWT', async () => {
    expect(await lead('Bearer not-a-token')).toEqual(refusedWith(REFUSALS.invalidSegments));
  });

  it('refuses an expired token and one without exp', async () => {
    expect(await lead(await pool.sign(HEAD, -1))).toEqual(refusedWith(REFUSALS.expired));
    const { exp: _, ...noExp } = idClaims();
    expect(await lead(await pool.signClaims(noExp))).toEqual(refusedWith(REFUSALS.expired));
  });

  it('refuses a token not valid yet (nbf) and one issued in the future (iat)', async () => {
    const early = await pool.signClaims({ ...idClaims(), nbf: now() + 300 });
    expect(await lead(early)).toEqual(refusedWith(REFUSALS.notYetValid));
    const future = await pool.signClaims({ ...idClaims(), iat: now() + 300 });
    expect(await lead(future)).toEqual(refusedWith(REFUSALS.issuedInFuture));
  });

  it('refuses a wrong audience, and judges by aud even when client_id would match', async () => {
    const other = await pool.signClaims({ ...idClaims(), aud: 'another-client' });
    expect(await lead(other)).toEqual(refusedWith(REFUSALS.audience));
    const both = await pool.signClaims({ ...idClaims(), aud: 'another-client', client_id: CLIENT_ID });
    expect(await lead(both)).toEqual(refusedWith(REFUSALS.audience));
    const { aud: _, ...neither } = idClaims();
    expect(await lead(await pool.signClaims(neither))).toEqual(refusedWith(REFUSALS.audience));
  });

  it('refuses a wrong issuer', async () => {
    const foreign = await pool.signClaims({ ...idClaims(), iss: `${ISSUER}-other` });
    expect(await lead(foreign)).toEqual(refusedWith(REFUSALS.issuer));
  });

  it('refuses a key id the JWKS does not hold, and a token without one', async () => {
    const otherPool = await DevTokenIssuer.create(ISSUER, CLIENT_ID);
    expect(await lead(await otherPool.sign(HEAD))).toEqual(refusedWith(REFUSALS.kid));
    const { privateKey } = await generateKeyPair('RS256');
    const noKid = await new SignJWT(idClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(await lead(noKid)).toEqual(refusedWith(REFUSALS.kid));
  });

  it('refuses a bad signature: a payload changed after signing, or the right kid on another key', async () => {
    const [header, , signature] = (await pool.sign(HEAD)).split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...idClaims(), 'cognito:groups': ['head_of_unit'] }),
    ).toString('base64url');
    expect(await lead(`${header}.${payload}.${signature}`)).toEqual(refusedWith(REFUSALS.signature));
    const { privateKey } = await generateKeyPair('RS256');
    const impostor = await new SignJWT(idClaims())
      .setProtectedHeader({ alg: 'RS256', kid: pool.kid })
      .sign(privateKey);
    expect(await lead(impostor)).toEqual(refusedWith(REFUSALS.signature));
  });

  it('refuses alg none and HS256, even with the pool kid', async () => {
    const none = new UnsecuredJWT(idClaims()).encode();
    expect(await lead(none)).toEqual(refusedWith(REFUSALS.algorithm));
    const hmac = await new SignJWT(idClaims())
      .setProtectedHeader({ alg: 'HS256', kid: pool.kid })
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!'));
    expect(await lead(hmac)).toEqual(refusedWith(REFUSALS.algorithm));
  });

  it('checks scopes only on a route that has them: 403 without one, the scopes handed over with one', async () => {
    const plain = await get('/v1/reports', `Bearer ${await pool.signAccessToken(HEAD)}`);
    expect(plain.status).toBe(403);
    expect(plain.body).toEqual({ message: 'Forbidden' });
    expect(plain.challenge).toMatch(/^Bearer scope="attract\/reports.read" error="insufficient_scope"/);
    const idToken = await get('/v1/reports', `Bearer ${await pool.sign(HEAD)}`);
    expect(idToken.status).toBe(403);
    const scoped = await pool.signAccessToken(HEAD, 600, 'openid attract/reports.read');
    const reply = await get('/v1/reports', `Bearer ${scoped}`);
    expect(reply.status).toBe(200);
    expect((reply.body as { jwt: { scopes: string[] } }).jwt.scopes).toEqual([
      'openid',
      'attract/reports.read',
    ]);
  });

  it('publishes the public key as Cognito does and signs demo users in locally', async () => {
    const jwks = (await (await fetch(`${base}${pool.jwksPath}`)).json()) as {
      keys: Record<string, string>[];
    };
    expect(pool.jwksPath).toBe('/__local/cognito/eu-central-1_StaffDirectory/.well-known/jwks.json');
    expect(jwks.keys).toEqual([
      { alg: 'RS256', e: 'AQAB', kid: pool.kid, kty: 'RSA', n: expect.any(String), use: 'sig' },
    ]);
    await pool.sign(HEAD); // the pool knows the users it has signed in
    const signIn = await fetch(`${base}/__local/cognito/${pool.poolId}/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ username: 'irina.head' }),
    });
    const { AuthenticationResult: result } = (await signIn.json()) as {
      AuthenticationResult: { IdToken: string; AccessToken: string; TokenType: string };
    };
    expect(result.TokenType).toBe('Bearer');
    expect((await lead(`Bearer ${result.IdToken}`)).status).toBe(200);
    expect((await lead(`Bearer ${result.AccessToken}`)).status).toBe(200);
    const unknown = await fetch(`${base}/__local/cognito/${pool.poolId}/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ username: 'nobody' }),
    });
    expect(unknown.status).toBe(400);
  });

  it('adds members of staff to sign in, with known groups only', async () => {
    const users = `${base}/__local/cognito/${pool.poolId}/users`;
    const pm = {
      username: 'pm-new',
      email: 'pm.new@bank.example',
      groups: ['personal_manager'],
      managerId: 'pm-new',
    };
    expect((await fetch(users, { method: 'POST', body: JSON.stringify(pm) })).status).toBe(201);
    const token = await signInLocally(base, await pool.sign(HEAD), pm);
    const [, claims = ''] = token.split('.');
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({
      'cognito:groups': ['personal_manager'],
      'custom:managerId': 'pm-new',
    });
    const admin = { ...pm, username: 'pm-admin', groups: ['administrator'] };
    expect((await fetch(users, { method: 'POST', body: JSON.stringify(admin) })).status).toBe(400);
  });
});
