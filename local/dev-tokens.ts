import { exportJWK, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** A demo member of staff; `managerId` ties a personal manager's login to the directory. */
type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export type DemoUser = { username: string; email: string; groups: string[]; managerId?: string };

/**
 * The local stand-in for the Cognito user pool: it signs ID tokens for demo users and verifies bearer
 * tokens the way API Gateway's JWT authorizer does (signature, issuer, audience or client_id, expiry).
 */
export class DevTokenIssuer {
  private readonly keys: KeyPair;
  readonly issuer: string;
  readonly audience: string;

  private constructor(keys: KeyPair, issuer: string, audience: string) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
  }

  static async create(issuer: string, audience: string): Promise<DevTokenIssuer> {
    const keys = await generateKeyPair('ES256');
    return new DevTokenIssuer(keys, issuer, audience);
  }

  async sign(user: DemoUser, ttlSeconds = 12 * 3600): Promise<string> {
    return new SignJWT({
      email: user.email,
      'cognito:username': user.username,
      'cognito:groups': user.groups,
      token_use: 'id',
      ...(user.managerId ? { 'custom:managerId': user.managerId } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'local' })
      .setSubject(user.username)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.keys.privateKey);
  }

  /** The claims of a valid token for one of the given audiences, or undefined. */
  async verify(token: string, audiences: string[]): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, { issuer: this.issuer });
      const aud = [payload.aud ?? []].flat();
      const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
      return aud.some((a) => audiences.includes(a)) || (clientId && audiences.includes(clientId))
        ? payload
        : undefined;
    } catch {
      return undefined;
    }
  }

  async jwks() {
    return { keys: [{ ...(await exportJWK(this.keys.publicKey)), kid: 'local', alg: 'ES256', use: 'sig' }] };
  }
}
