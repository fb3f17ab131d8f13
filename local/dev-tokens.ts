import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
} from 'jose';

/** A demo member of staff; `managerId` ties a personal manager's login to the directory. */
export type DemoUser = { username: string; email: string; groups: string[]; managerId?: string };

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** The scope Cognito puts in access tokens from its own sign-in API (USER_SRP_AUTH and the like). */
export const COGNITO_SIGNIN_SCOPE = 'aws.cognito.signin.user.admin';
const DEFAULT_TTL_SECONDS = 12 * 3600;

/**
 * The local stand-in for the Cognito user pool: it signs RS256 ID and access tokens for demo users with a
 * key named by `kid`, with the claims Cognito puts in each, and publishes the public key as Cognito does
 * (a JWKS under the issuer). Checking tokens is the authorizer's job (`jwt-authorizer.ts`), not the pool's.
 */
export class DevTokenIssuer {
  private readonly keys: KeyPair;
  private readonly publicJwks: JSONWebKeySet;
  private readonly users = new Map<string, DemoUser>();
  readonly issuer: string;
  readonly audience: string;
  readonly kid: string;

  private constructor(
    keys: KeyPair,
    publicJwks: JSONWebKeySet,
    kid: string,
    issuer: string,
    audience: string,
  ) {
    this.keys = keys;
    this.publicJwks = publicJwks;
    this.kid = kid;
    this.issuer = issuer;
    this.audience = audience;
  }

  static async create(issuer: string, audience: string): Promise<DevTokenIssuer> {
    const keys = await generateKeyPair('RS256', { modulusLength: 2048 });
    const jwk = await exportJWK(keys.publicKey);
    // Cognito's kids are opaque strings; the key's thumbprint is one that never repeats across runs.
    const kid = await calculateJwkThumbprint(jwk);
    const jwks = { keys: [{ alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' }] };
    return new DevTokenIssuer(keys, jwks, kid, issuer, audience);
  }

  /** The user pool id: the last segment of the issuer, as in `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  get poolId(): string {
    return new URL(this.issuer).pathname.split('/').filter(Boolean).at(-1) ?? 'local';
  }

  /** Where the local API publishes the pool's keys (Cognito: `<issuer>/.well-known/jwks.json`). */
  get jwksPath(): string {
    return `/__local/cognito/${this.poolId}/.well-known/jwks.json`;
  }

  /** The public keys, shaped as Cognito's JWKS document. */
  jwks(): JSONWebKeySet {
    return structuredClone(this.publicJwks);
  }

  /** Adds a member of staff to the pool (Cognito's AdminCreateUser with its groups), to sign in as. */
  addUser(user: DemoUser): void {
    this.users.set(user.username, structuredClone(user));
  }

  /** A user this pool has signed a token for, by username. */
  user(username: string): DemoUser | undefined {
    return this.users.get(username);
  }

  /** An ID token for a demo user (`token_use: id`, `aud` = the app client id), as Cognito issues it. */
  async sign(user: DemoUser, ttlSeconds = DEFAULT_TTL_SECONDS): Promise<string> {
    this.users.set(user.username, user);
    const now = Math.floor(Date.now() / 1000);
    return this.signClaims({
      sub: user.username,
      'cognito:groups': user.groups,
      email_verified: true,
      iss: this.issuer,
      'cognito:username': user.username,
      origin_jti: randomUUID(),
      aud: this.audience,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: now,
      exp: now + ttlSeconds,
      iat: now,
      jti: randomUUID(),
      email: user.email,
      ...(user.managerId ? { 'custom:managerId': user.managerId } : {}),
    });
  }

  /**
   * An access token for a demo user (`token_use: access`, `client_id` and `scope`, no `aud`), as Cognito
   * issues it: without email or custom attributes, which Cognito adds only through a pre-token-generation trigger.
   */
  async signAccessToken(
    user: DemoUser,
    ttlSeconds = DEFAULT_TTL_SECONDS,
    scope = COGNITO_SIGNIN_SCOPE,
  ): Promise<string> {
    this.users.set(user.username, user);
    const now = Math.floor(Date.now() / 1000);
    return this.signClaims({
      sub: user.username,
      'cognito:groups': user.groups,
      iss: this.issuer,
      version: 2,
      client_id: this.audience,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope,
      auth_time: now,
      exp: now + ttlSeconds,
      iat: now,
      jti: randomUUID(),
      username: user.username,
    });
  }

  /** Exactly these claims, signed with the pool's key: for tests and tools that need an unusual token. */
  async signClaims(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(this.keys.privateKey);
  }
}
