import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Decision, LocalIam } from './iam.ts';
import { refusalMessage, requiredPermissions, type ServiceName } from './iam-requests.ts';
import { type LocalBucket, LocalS3 } from './local-s3.ts';
import { LocalObjectStore } from './object-store.ts';
import type { SecretName } from './secrets-manager.ts';
import {
  AUTHORIZATION,
  type Caller,
  type FunctionCredentials,
  issueCredentials,
  payloadHashOf,
  Signatures,
  signatureSkew,
} from './sigv4.ts';

export { type FunctionCredentials, issueCredentials } from './sigv4.ts';

/** Where the gateway tells how many calls of each operation it forwarded (not an AWS path). */
export const USAGE_PATH = '/__attract/usage';

/**
 * What stands between the functions and the emulators, as AWS's front door does: every request must be
 * signed (SigV4) with the credentials of the function's execution role, and the role's policies must
 * allow the action on each resource the request touches. Allowed requests pass to the emulator untouched;
 * S3 requests (path-style, to a bucket of the templates) are served by local-s3.ts, presigned ones too.
 */
export class IamGateway {
  private readonly usage = new Map<string, number>();
  private readonly server: Server;
  private readonly secret: Buffer;
  private readonly signatures: Signatures;
  private readonly s3: LocalS3 | undefined;
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
    /** S3's buckets, served by the gateway itself, and the directory their objects are kept in. */
    s3?: { buckets: LocalBucket[]; objectsDir: string };
  }) {
    this.secret = opts.secret ?? randomBytes(32);
    this.signatures = new Signatures(this.secret, opts.region);
    this.s3 = opts.s3
      ? new LocalS3({
          buckets: opts.s3.buckets,
          store: new LocalObjectStore(opts.s3.objectsDir),
          signatures: this.signatures,
          iam: opts.iam,
          count: (operation) => this.count(operation, 1),
        })
      : undefined;
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
    // S3 is answered here, its bodies streamed: nothing of an upload is held in memory.
    if (this.s3?.owns(req)) return this.s3.handle(req, res);
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
    const caller = this.signatures.caller(match[1] ?? '', String(req.headers['x-amz-security-token'] ?? ''));
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

  private signatureHolds(
    req: IncomingMessage,
    body: Buffer,
    caller: Caller,
    [
      ,
      accessKeyId = '',
      date = '',
      region = '',
      service = '',
      signedHeaders = '',
      signature = '',
    ]: RegExpExecArray,
  ): boolean {
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const scope = { accessKeyId, date, region, service, signedHeaders, signature, amzDate };
    return this.signatures.holds(req, scope, payloadHashOf(body), caller);
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
