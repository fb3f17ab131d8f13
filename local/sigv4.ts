import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4';

/**
 * AWS Signature Version 4 as the local IAM gateway checks it, in the Authorization header (every SDK call)
 * or in the query string (a presigned URL), and the credentials it issues to functions.
 */
export type FunctionCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
export type Caller = FunctionCredentials & { roleArn: string; sessionName: string };

/**
 * SigV4 checked as AWS checks it: the canonical request built by the SDK's own code (path escaping, query
 * and header canonicalization) from the request as it arrived and the headers it names as signed, the hash
 * of the body that arrived, and the caller's signing key for that day, region and service. The key is
 * derived once per access key and scope, as the SDK derives it once when signing.
 */
export class SignatureCheck extends SignatureV4Base {
  private readonly keys = new Map<string, { inner: Uint8Array; outer: Uint8Array }>();

  /** `uriEscapePath`: false for S3, whose canonical path is the path as sent, not escaped again. */
  constructor(uriEscapePath = true) {
    // Service, region and credentials come with each request; this class hashes with node:crypto itself.
    super({
      service: '',
      region: '',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: NoHash,
      uriEscapePath,
    });
  }

  signature(
    request: { method: string; path: string; query: Record<string, string | string[]> },
    headers: Record<string, string>,
    payloadHash: string,
    caller: Caller,
    longDate: string,
    scope: string,
  ): string {
    const whole = { ...request, protocol: 'http:', hostname: '', headers };
    const signed = getCanonicalHeaders(whole, undefined, new Set(Object.keys(headers)));
    const canonical = this.createCanonicalRequest(whole, signed, payloadHash);
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${hash('sha256', canonical, 'hex')}`;
    // HMAC (RFC 2104) over one-shot hashes with the key's pads kept: a node:crypto Hmac object costs
    // more to create than the whole check.
    const { inner, outer } = this.signingKey(caller, scope);
    const innerHash = hash('sha256', Buffer.concat([inner, Buffer.from(stringToSign)]), 'buffer');
    return hash('sha256', Buffer.concat([outer, innerHash]), 'hex');
  }

  private signingKey(caller: Caller, scope: string): { inner: Uint8Array; outer: Uint8Array } {
    const id = `${caller.accessKeyId}/${scope}`;
    let pads = this.keys.get(id);
    if (!pads) {
      let key = Buffer.from(`AWS4${caller.secretAccessKey}`);
      for (const part of scope.split('/')) key = createHmac('sha256', key).update(part).digest();
      // A 32-byte key, zero-padded to sha256's 64-byte block.
      const block = Buffer.concat([key, Buffer.alloc(64 - key.length)]);
      pads = { inner: block.map((b) => b ^ 0x36), outer: block.map((b) => b ^ 0x5c) };
      if (this.keys.size >= MAX_KEPT) this.keys.clear();
      this.keys.set(id, pads);
    }
    return pads;
  }
}

class NoHash {
  update(): void {
    throw new Error('SignatureCheck hashes with node:crypto');
  }
  async digest(): Promise<Uint8Array> {
    throw new Error('SignatureCheck hashes with node:crypto');
  }
  reset(): void {}
}

/** Bound on the per-caller caches (signing keys, checked sessions): about one entry per environment started. */
export const MAX_KEPT = 10_000;

/** SigV4 in the Authorization header: access key, date, region, service, signed headers, signature. */
export const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** What a signature names: who signed, for which day, region and service, over which headers. */
export type SignedScope = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string;
  signature: string;
  /** X-Amz-Date as sent: the time the string to sign starts with. */
  amzDate: string;
};

/**
 * The checked sessions and the signature check of one gateway: a session token is checked once (the same
 * token always names the same caller), a signature over each request as it arrived.
 */
export class Signatures {
  private readonly sessions = new Map<string, Caller>();
  private readonly escaped = new SignatureCheck();
  private readonly unescaped = new SignatureCheck(false);
  private readonly secret: Buffer;
  private readonly region: string;

  constructor(secret: Buffer, region: string) {
    this.secret = secret;
    this.region = region;
  }

  caller(accessKeyId: string, sessionToken: string): Caller | undefined {
    let caller = this.sessions.get(sessionToken);
    if (!caller) {
      caller = callerOf(this.secret, accessKeyId, sessionToken);
      if (!caller) return undefined;
      if (this.sessions.size >= MAX_KEPT) this.sessions.clear();
      this.sessions.set(sessionToken, caller);
    }
    return caller.accessKeyId === accessKeyId ? caller : undefined;
  }

  /**
   * Whether the signature holds over the request as it arrived: `query` without X-Amz-Signature for a
   * presigned URL; `uriEscapePath` false for S3.
   */
  holds(
    req: IncomingMessage,
    scope: SignedScope,
    payloadHash: string,
    caller: Caller,
    uriEscapePath = true,
  ): boolean {
    const { amzDate, date, region, service, signedHeaders, signature } = scope;
    if (!amzDate.startsWith(date) || region !== this.region) return false;
    // The date is signed as written, so only a well-formed one is taken.
    if (!/^\d{8}T\d{6}Z$/.test(amzDate) || Number.isNaN(parseAmzDate(amzDate).getTime())) return false;
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
    const url = new URL(req.url ?? '/', 'http://local');
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const expected = (uriEscapePath ? this.escaped : this.unescaped).signature(
      { method: req.method ?? 'GET', path: url.pathname, query },
      headers,
      payloadHash,
      caller,
      amzDate,
      `${date}/${region}/${service}/aws4_request`,
    );
    return (
      signature.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
    );
  }
}

/** The hex SHA-256 of a body, as a signed payload hash. */
export const payloadHashOf = (body: Buffer) => hash('sha256', body, 'hex');

/**
 * Credentials as STS issues them, and as statelessly checked: the session token carries the role and
 * session, sealed with the issuer's key, and the secret key is derived from the access key id. So the
 * gateway can run in a thread of its own and still know every caller.
 */
export function issueCredentials(secret: Buffer, roleArn: string, sessionName: string): FunctionCredentials {
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const claims = Buffer.from(JSON.stringify({ accessKeyId, roleArn, sessionName })).toString('base64url');
  return {
    accessKeyId,
    secretAccessKey: createHmac('sha256', secret).update(`secret:${accessKeyId}`).digest('base64'),
    sessionToken: `${claims}.${createHmac('sha256', secret).update(`token:${claims}`).digest('base64url')}`,
  };
}

export function callerOf(secret: Buffer, accessKeyId: string, sessionToken: string): Caller | undefined {
  const [claims = '', seal = ''] = sessionToken.split('.');
  const expected = createHmac('sha256', secret).update(`token:${claims}`).digest();
  const given = Buffer.from(seal, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const session = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
    accessKeyId: string;
    roleArn: string;
    sessionName: string;
  };
  if (session.accessKeyId !== accessKeyId) return undefined;
  return {
    accessKeyId,
    secretAccessKey: createHmac('sha256', secret).update(`secret:${accessKeyId}`).digest('base64'),
    sessionToken,
    roleArn: session.roleArn,
    sessionName: session.sessionName,
  };
}

export const SIGNATURE_WINDOW_MS = 15 * 60_000;
export const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/** AWS refuses a request signed more than 15 minutes before or after its own clock (a replay or a skew). */
export function signatureSkew(value: string): string | undefined {
  const signedAt = parseAmzDate(value).getTime();
  const now = Date.now();
  if (Number.isNaN(signedAt)) return undefined; // the signature check refuses it
  if (signedAt < now - SIGNATURE_WINDOW_MS) {
    return `Signature expired: ${value} is now earlier than ${amzDate(now - SIGNATURE_WINDOW_MS)} (${amzDate(now)} - 15 min.)`;
  }
  if (signedAt > now + SIGNATURE_WINDOW_MS) {
    return `Signature not yet current: ${value} is still later than ${amzDate(now + SIGNATURE_WINDOW_MS)} (${amzDate(now)} + 15 min.)`;
  }
  return undefined;
}

/** `20261123T154500Z` as a Date. */
export const parseAmzDate = (value: string) =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
