import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4';
import type { Decision, LocalIam } from './iam.ts';
import { refusalMessage, requiredPermissions, type ServiceName } from './iam-requests.ts';
import type { SecretName } from './secrets-manager.ts';

export type FunctionCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
type Caller = FunctionCredentials & { roleArn: string; sessionName: string };

/**
 * SigV4 checked as AWS checks it: the canonical request built by the SDK's own code (path escaping, query
 * and header canonicalization) from the request as it arrived and the headers it names as signed, the hash
 * of the body that arrived, and the caller's signing key for that day, region and service. The key is
 * derived once per access key and scope, as the SDK derives it once when signing.
 */
class SignatureCheck extends SignatureV4Base {
  private readonly keys = new Map<string, { inner: Uint8Array; outer: Uint8Array }>();

  constructor() {
    // Service, region and credentials come with each request; this class hashes with node:crypto itself.
    super({ service: '', region: '', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: NoHash });
  }

  signature(
    request: { method: string; path: string; query: Record<string, string | string[]> },
    headers: Record<string, string>,
    body: Buffer,
    caller: Caller,
    longDate: string,
    scope: string,
  ): string {
    const whole = { ...request, protocol: 'http:', hostname: '', headers };
    const signed = getCanonicalHeaders(whole, undefined, new Set(Object.keys(headers)));
    const canonical = this.createCanonicalRequest(whole, signed, hash('sha256', body, 'hex'));
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
const MAX_KEPT = 10_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * What stands between the functions and the emulators, as AWS's front door does: every request must be
 * signed (SigV4) with the credentials of the function's execution role, and the role's policies must
 * allow the action on each resource the request touches. Allowed requests pass to the emulator untouched.
 */
/** Where the gateway tells how many calls of each operation it forwarded (not an AWS path). */
export const USAGE_PATH = '/__attract/usage';

export class IamGateway {
  private readonly usage = new Map<string, number>();
  private readonly server: Server;
  private readonly secret: Buffer;
  private readonly signatures = new SignatureCheck();
  private readonly sessions = new Map<string, Caller>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly iam: LocalIam;
  private readonly upstreams: Partial<Record<ServiceName, string>>;
  private readonly secrets: readonly SecretName[];
  private readonly region: string;
  private readonly account: string;

  constructor(opts: {
    iam: LocalIam;
    upstreams: Partial<Record<ServiceName, string>>;
    /** Secrets Manager's secrets, for requests that name one by name rather than by ARN. */
    secrets?: readonly SecretName[];
    region: string;
    account: string;
    /** The key sessions are issued under (the local STS's); a fresh one when not given. */
    secret?: Buffer;
  }) {
    this.secret = opts.secret ?? randomBytes(32);
    this.iam = opts.iam;
    this.upstreams = opts.upstreams;
    this.secrets = opts.secrets ?? [];
    this.region = opts.region;
    this.account = opts.account;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('IAM gateway failure', error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  /** Temporary credentials of the role's session, as Lambda gives a function in its environment. */
  credentialsFor(roleArn: string, sessionName: string): FunctionCredentials {
    return issueCredentials(this.secret, roleArn, sessionName);
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // What the functions have asked of AWS so far, by operation: the bench prices a lead from it.
    if (req.method === 'GET' && req.url === USAGE_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(Object.fromEntries(this.usage)));
    }
    const body = await bodyOf(req);
    const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
    const service = match?.[4] as ServiceName | undefined;
    const protocol = protocolOf(service);
    if (!match || !service) {
      return refuse(
        res,
        protocol,
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        403,
      );
    }
    const caller = this.callerOf(match[1] ?? '', String(req.headers['x-amz-security-token'] ?? ''));
    if (!caller) {
      return refuse(
        res,
        protocol,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const skew = signatureSkew(String(req.headers['x-amz-date'] ?? ''));
    if (skew) return refuse(res, protocol, 'InvalidSignatureException', skew);
    if (!this.signatureHolds(req, body, caller, match)) {
      return refuse(
        res,
        protocol,
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    const upstream = this.upstreams[service];
    if (!upstream) {
      return refuse(
        res,
        protocol,
        'UnknownOperationException',
        `The local runtime does not emulate ${service}`,
      );
    }
    const checks = requiredPermissions(service, {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://local').pathname,
      target: String(req.headers['x-amz-target'] ?? ''),
      body,
      region: this.region,
      account: this.account,
      secrets: this.secrets,
    });
    if ('unknown' in checks) {
      return refuse(
        res,
        protocol,
        'AccessDeniedException',
        `The local IAM gateway cannot authorize ${checks.unknown}`,
      );
    }
    for (const check of checks) {
      const { action, resources, anyOf } = check;
      const decision = anyOf
        ? await this.anyAllowed(caller, action, resources)
        : await this.iam.authorize(caller, action, resources);
      if (!decision.allowed) {
        return refuse(res, protocol, 'AccessDeniedException', refusalMessage(check, decision.message));
      }
    }
    // JSON protocols name the operation in X-Amz-Target; SES's REST calls by the action they need.
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.split('.')[1] ?? checks[0]?.action.split(':')[1] ?? `${req.method} ${req.url}`;
    this.count(`${service}:${operation}`, 1);
    // A transaction is priced by its items.
    if (operation.startsWith('Transact')) this.count(`${service}:${operation}:items`, checks.length);
    await this.forward(req, res, body, upstream);
  }

  private count(name: string, n: number): void {
    this.usage.set(name, (this.usage.get(name) ?? 0) + n);
  }

  /** For SES identities: the address or its domain, whichever the account verified, may carry the grant. */
  private async anyAllowed(caller: Caller, action: string, resources: string[]): Promise<Decision> {
    let decision: Decision = { allowed: false, message: 'because the request names no resource' };
    for (const resource of resources) {
      decision = await this.iam.authorize(caller, action, [resource]);
      if (decision.allowed) break;
    }
    return decision;
  }

  /** A session token is checked once: the same token always names the same caller. */
  private callerOf(accessKeyId: string, sessionToken: string): Caller | undefined {
    let caller = this.sessions.get(sessionToken);
    if (!caller) {
      caller = callerOf(this.secret, accessKeyId, sessionToken);
      if (!caller) return undefined;
      if (this.sessions.size >= MAX_KEPT) this.sessions.clear();
      this.sessions.set(sessionToken, caller);
    }
    return caller.accessKeyId === accessKeyId ? caller : undefined;
  }

  private signatureHolds(
    req: IncomingMessage,
    body: Buffer,
    caller: Caller,
    [, , date, region, service, signedHeaders, signature]: RegExpExecArray,
  ): boolean {
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(date ?? '-') || region !== this.region) return false;
    // The date is signed as written, so only a well-formed one is taken.
    if (!/^\d{8}T\d{6}Z$/.test(amzDate) || Number.isNaN(parseAmzDate(amzDate).getTime())) return false;
    const headers: Record<string, string> = {};
    for (const name of String(signedHeaders).split(';')) headers[name] = String(req.headers[name] ?? '');
    const url = new URL(req.url ?? '/', 'http://local');
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const expected = this.signatures.signature(
      { method: req.method ?? 'GET', path: url.pathname, query },
      headers,
      body,
      caller,
      amzDate,
      `${date}/${region}/${service}/aws4_request`,
    );
    return timingSafeEqual(Buffer.from(expected), Buffer.from(String(signature)));
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, upstream: string): Promise<void> {
    const target = new URL(req.url ?? '/', upstream);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host }, agent: this.agent },
        (answer) => {
          // Answers are small JSON: one write back, not one per chunk.
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const { 'transfer-encoding': _chunked, ...headers } = answer.headers;
            const payload = Buffer.concat(chunks);
            res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': payload.length });
            res.end(payload);
            resolve();
          });
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

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

function callerOf(secret: Buffer, accessKeyId: string, sessionToken: string): Caller | undefined {
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

type Protocol = 'json' | 'rest';
const protocolOf = (service: string | undefined): Protocol => (service === 'ses' ? 'rest' : 'json');

/** An error as the service's protocol carries it: `__type` in AWS JSON, `x-amzn-ErrorType` in REST-JSON. */
function refuse(
  res: ServerResponse,
  protocol: Protocol,
  code: string,
  message: string,
  status?: number,
): void {
  if (protocol === 'rest') {
    res.writeHead(status ?? 403, { 'content-type': 'application/json', 'x-amzn-errortype': code });
    res.end(JSON.stringify({ message }));
    return;
  }
  res.writeHead(status ?? 400, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message }));
}

const SIGNATURE_WINDOW_MS = 15 * 60_000;
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/** AWS refuses a request signed more than 15 minutes before or after its own clock (a replay or a skew). */
function signatureSkew(value: string): string | undefined {
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
const parseAmzDate = (value: string) =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
