import {
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type ProtectedHeaderParameters,
} from 'jose';

/** A route's JWT authorizer, as synthesized: issuer, audience list and the route's authorization scopes. */
export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
  scopes?: string[];
}

export type Authorization =
  | { allowed: true; claims: Record<string, string>; scopes: string[] | null }
  | { allowed: false; status: 401 | 403; message: string; wwwAuthenticate: string };

/** API Gateway verifies only RSA signatures ("Currently, only RSA-based algorithms are supported"). */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/**
 * Refusal descriptions. Confirmed from AWS's troubleshooting page or observed gateway answers: no token
 * (`Bearer`), `invalidSegments`, `audience`. The others follow their wording; AWS does not publish them.
 */
export const REFUSALS = {
  invalidSegments: 'token contains an invalid number of segments',
  malformed: 'the token is malformed',
  algorithm: 'the token is not signed with a supported algorithm',
  kid: 'the token does not have a valid key id',
  signature: 'the token signature is invalid',
  issuer: 'the token does not have a valid issuer',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
  notYetValid: 'the token is not valid yet',
  issuedInFuture: 'the token was issued in the future',
} as const;

/**
 * The HTTP API JWT authorizer, check for check as AWS documents it: a token (bare or after `Bearer `) from
 * the Authorization header; an RSA signature by the key the header's `kid` names in the issuer's JWKS;
 * `iss` equal to the configured issuer; `aud`, or `client_id` when there is no `aud`, in the audience list;
 * `exp` in the future; `nbf` and `iat` not in the future; one of the route's scopes, if it has any.
 */
export class LocalJwtAuthorizer {
  private readonly keySetOf: (issuer: string) => JSONWebKeySet | undefined;

  /** `keySetOf` plays the issuer's `jwks_uri`: the keys published under a configured issuer. */
  constructor(keySetOf: (issuer: string) => JSONWebKeySet | undefined) {
    this.keySetOf = keySetOf;
  }

  async authorize(authorization: string | undefined, config: JwtAuthorizerConfig): Promise<Authorization> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { allowed: false, status: 401, message: 'Unauthorized', wwwAuthenticate: 'Bearer' };
    if (token.split('.').length !== 3) return invalid(REFUSALS.invalidSegments);

    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return invalid(REFUSALS.malformed);
    }
    if (!header.alg || !RSA_ALGORITHMS.includes(header.alg)) return invalid(REFUSALS.algorithm);
    const keys = this.keySetOf(config.issuer);
    if (!header.kid || !keys?.keys.some((k) => k.kid === header.kid)) return invalid(REFUSALS.kid);

    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(token, createLocalJWKSet(keys), { algorithms: RSA_ALGORITHMS });
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch (error) {
      return invalid(error instanceof SyntaxError ? REFUSALS.malformed : REFUSALS.signature);
    }
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return invalid(REFUSALS.malformed);

    if (claims.iss !== config.issuer) return invalid(REFUSALS.issuer);
    // AWS: "API Gateway validates client_id only if aud is not present."
    const audiences = 'aud' in claims ? [claims.aud].flat() : [claims.client_id];
    if (!audiences.some((a) => typeof a === 'string' && config.audience.includes(a)))
      return invalid(REFUSALS.audience);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return invalid(REFUSALS.expired);
    if ('nbf' in claims && (typeof claims.nbf !== 'number' || claims.nbf > now))
      return invalid(REFUSALS.notYetValid);
    if ('iat' in claims && (typeof claims.iat !== 'number' || claims.iat > now))
      return invalid(REFUSALS.issuedInFuture);

    const routeScopes = config.scopes ?? [];
    if (routeScopes.length === 0) return { allowed: true, claims: claimsAsPassed(claims), scopes: null };
    const granted = scopesOf(claims);
    if (!routeScopes.some((s) => granted.includes(s))) {
      const wanted = routeScopes.join(' ');
      return {
        allowed: false,
        status: 403,
        message: 'Forbidden',
        wwwAuthenticate: `Bearer scope="${wanted}" error="insufficient_scope" error_description="expected scopes: [${wanted}]"`,
      };
    }
    return { allowed: true, claims: claimsAsPassed(claims), scopes: granted };
  }
}

function invalid(description: string): Authorization {
  return {
    allowed: false,
    status: 401,
    message: 'Unauthorized',
    wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
  };
}

/** `scope` (space-separated, as Cognito writes it) or `scp` (a list or a string), as the authorizer reads them. */
function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/** The authorizer hands claims to the integration as strings: lists as "[a b]", numbers as written. */
export function claimsAsPassed(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, claimText(value)]));
}

function claimText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  // Cognito's claims are never nested; how AWS renders a nested one is unpublished, so JSON it is.
  return value && typeof value === 'object' ? JSON.stringify(value) : String(value);
}
