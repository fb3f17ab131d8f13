import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Decision, LocalIam } from './iam.ts';
import { refusalMessage, requiredPermissions, type ServiceName } from './iam-requests.ts';
import type { SecretName } from './secrets-manager.ts';

export type FunctionCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
type Caller = FunctionCredentials & { roleArn: string; sessionName: string };

/** sha256 and HMAC-sha256 from node:crypto, in the shape the SigV4 signer takes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
class NodeSha256 {
  private hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/**
 * What stands between the functions and the emulators, as AWS's front door does: every request must be
 * signed (SigV4) with the credentials of the function's execution role, and the role's policies must
 * allow the action on each resource the request touches. Allowed requests pass to the emulator untouched.
 */
export class IamGateway {
  private readonly server: Server;
  private readonly secret: Buffer;
  private readonly signers = new Map<string, SignatureV4>();
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
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
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
    const caller = callerOf(this.secret, match[1] ?? '', String(req.headers['x-amz-security-token'] ?? ''));
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
    if (!(await this.signatureHolds(req, body, caller, match))) {
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
    await this.forward(req, res, body, upstream);
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

  private async signatureHolds(
    req: IncomingMessage,
    body: Buffer,
    caller: Caller,
    [, , date, region, service, signedHeaders, signature]: RegExpExecArray,
  ): Promise<boolean> {
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(date ?? '-') || region !== this.region) return false;
    const names = String(signedHeaders).split(';');
    const headers: Record<string, string> = {};
    for (const name of names) headers[name] = String(req.headers[name] ?? '');
    const url = new URL(req.url ?? '/', 'http://local');
    // One signer per caller and service: it keeps the derived signing key, as the SDK's does.
    const key = `${caller.accessKeyId}/${service}`;
    let signer = this.signers.get(key);
    if (!signer) {
      signer = new SignatureV4({
        credentials: caller,
        region: String(region),
        service: String(service),
        sha256: NodeSha256,
      });
      this.signers.set(key, signer);
    }
    const signed = await signer.sign(
      {
        method: req.method ?? 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
      },
      { signingDate: parseAmzDate(amzDate), signableHeaders: new Set(names) },
    );
    return String(signed.headers.authorization ?? '').endsWith(`Signature=${signature}`);
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
