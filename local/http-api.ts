import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROLES } from '#shared/access/roles.ts';
import type { LocalFunction, LocalRoute } from './assembly.ts';
import { type CorsConfiguration, corsResponseHeaders, isPreflight, preflightHeaders } from './cors.ts';
import type { DevTokenIssuer } from './dev-tokens.ts';
import { LocalJwtAuthorizer } from './jwt-authorizer.ts';
import { PortInUseError } from './processes.ts';
import type { LocalSesAccount } from './ses-account.ts';
import { sesRoute } from './ses-faults.ts';

type Invoke = (functionArn: string, event: unknown) => Promise<unknown>;

const MAX_PAYLOAD = 10 * 1024 * 1024; // API Gateway's own limit; handlers enforce their smaller ones

const EXAMPLE_FORM = new URL('./example-form.html', import.meta.url);

/**
 * The HTTP API as API Gateway runs it: the synthesized routes, payload format 2.0 events, the JWT
 * authorizer's checks and its claims in the request context, the API's CORS configuration. `/health` and
 * `/__local/*` (the user pool's keys and sign-in, the function invoker, an example form) are local only.
 */
export class LocalHttpApi {
  private readonly server: Server;
  private readonly routes: (LocalRoute & { pattern: RegExp; params: string[] })[];
  private readonly invoke: Invoke;
  private readonly usage: (() => Promise<unknown>) | undefined;
  private readonly injectFaults:
    | ((arn: string, fault: { count: number; errorType: string; match?: string }) => void)
    | undefined;
  private readonly ses: LocalSesAccount | undefined;
  private readonly tokens: DevTokenIssuer;
  private readonly authorizer: LocalJwtAuthorizer;
  private readonly cors: CorsConfiguration | undefined;
  private readonly health: () => Promise<Record<string, boolean>>;
  private readonly deadLetters: () => unknown;

  private readonly functions: LocalFunction[];

  constructor(opts: {
    functions: LocalFunction[];
    deadLetters: () => unknown;
    routes: LocalRoute[];
    invoke: Invoke;
    /** What the functions have used of AWS so far (`GET /__local/usage`): calls by operation, invocations. */
    usage?: () => Promise<unknown>;
    /** Makes a function's next invocations fail (`POST /__local/functions/<name>/faults`), for tests. */
    injectFaults?: (arn: string, fault: { count: number; errorType: string; match?: string }) => void;
    /** The SES account: its state (`GET /__local/ses`) and faults in its sends (`/__local/ses/faults`). */
    ses?: LocalSesAccount;
    tokens: DevTokenIssuer;
    health: () => Promise<Record<string, boolean>>;
    /** The API's synthesized CORS configuration; none means API Gateway adds no CORS headers. */
    cors?: CorsConfiguration;
  }) {
    this.routes = opts.routes.map((route) => {
      const params: string[] = [];
      const source = route.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
          params.push(name);
          return '([^/]+)';
        });
      return { ...route, pattern: new RegExp(`^${source}$`), params };
    });
    this.invoke = opts.invoke;
    this.injectFaults = opts.injectFaults;
    this.ses = opts.ses;
    this.usage = opts.usage;
    this.tokens = opts.tokens;
    // The authorizer fetches keys from the configured issuer's JWKS; locally the one pool publishes them.
    this.authorizer = new LocalJwtAuthorizer((issuer) =>
      issuer === opts.tokens.issuer ? opts.tokens.jwks() : undefined,
    );
    this.cors = opts.cors;
    this.health = opts.health;
    this.deadLetters = opts.deadLetters;
    this.functions = opts.functions;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('Local API failure', error);
        send(res, 500, { message: 'Internal Server Error' });
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const refused = (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PortInUseError('The local API', port) : error);
      this.server.once('error', refused);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.removeListener('error', refused);
        resolve();
      });
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/health') {
      const parts = await this.health();
      const ok = Object.values(parts).every(Boolean);
      return send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'starting', parts });
    }
    if (url.pathname.startsWith('/__local/')) return this.handleLocal(req, res, method, url.pathname);
    if (this.cors && isPreflight(method, req.headers) && !this.routeFor('OPTIONS', url.pathname)) {
      // API Gateway answers preflights itself unless a route takes OPTIONS.
      res.writeHead(204, preflightHeaders(this.cors, req.headers));
      return void res.end();
    }
    const route = this.routeFor(method, url.pathname);
    if (!route) return send(res, 404, { message: 'Not Found' });

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD) return send(res, 413, { message: 'Request Entity Too Large' });
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);

    let authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
    if (route.jwt) {
      const verdict = await this.authorizer.authorize(req.headers.authorization, route.jwt);
      if (!verdict.allowed) {
        res.writeHead(verdict.status, {
          'content-type': 'application/json',
          'www-authenticate': verdict.wwwAuthenticate,
        });
        return void res.end(JSON.stringify({ message: verdict.message }));
      }
      authorizer = { jwt: { claims: verdict.claims, scopes: verdict.scopes } };
    }

    const match = route.pattern.exec(url.pathname) ?? [];
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const now = new Date();
    const textual = body.length === 0 || /json|text|xml|form-urlencoded/.test(headers['content-type'] ?? '');
    const event = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      ...(route.params.length
        ? {
            pathParameters: Object.fromEntries(
              route.params.map((p, i) => [p, decodeURIComponent(match[i + 1] ?? '')]),
            ),
          }
        : {}),
      ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: !textual,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(authorizer ? { authorizer } : {}),
      },
    };

    let result: unknown;
    try {
      result = await this.invoke(route.functionArn, event);
    } catch (error) {
      console.error(`Function ${route.functionArn} failed:`, error instanceof Error ? error.message : error);
      return send(res, 500, { message: 'Internal Server Error' });
    }
    const structured =
      result && typeof result === 'object' && 'statusCode' in result
        ? (result as {
            statusCode: number;
            headers?: Record<string, string>;
            body?: string;
            isBase64Encoded?: boolean;
          })
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
    const responseHeaders = structured.headers ?? {};
    res.writeHead(
      structured.statusCode,
      this.cors ? corsResponseHeaders(this.cors, req.headers, responseHeaders) : responseHeaders,
    );
    res.end(
      structured.body
        ? Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8')
        : undefined,
    );
  }

  private routeFor(method: string, path: string) {
    return this.routes.find((r) => (r.method === method || r.method === 'ANY') && r.pattern.test(path));
  }

  /** The local runtime's own endpoints: what an engineer uses instead of the AWS console and CLI. */
  private async handleLocal(req: IncomingMessage, res: ServerResponse, method: string, path: string) {
    // The local stand-in for the dead-letter queues' consoles: what the engineer on call would look at.
    if (method === 'GET' && path === '/__local/dead-letters') return send(res, 200, this.deadLetters());
    // The local `aws lambda invoke`: an engineer runs a function by its name, e.g. the pending-intake sweeper.
    if (method === 'GET' && path === '/__local/functions')
      return send(
        res,
        200,
        this.functions.map((f) => ({ name: f.logicalId, entry: f.entry })),
      );
    const invoked = /^\/__local\/functions\/([^/]+)\/invoke$/.exec(path);
    if (method === 'POST' && invoked)
      return this.invokeFunction(req, res, decodeURIComponent(invoked[1] ?? ''));
    if (method === 'GET' && path === '/__local/usage' && this.usage)
      return send(res, 200, await this.usage());
    const faulted = /^\/__local\/functions\/([^/]+)\/faults$/.exec(path);
    if (method === 'POST' && faulted && this.injectFaults)
      return this.faultFunction(req, res, decodeURIComponent(faulted[1] ?? ''));
    if (this.ses && path.startsWith('/__local/ses')) {
      const body = method === 'POST' ? await readJson(req) : { value: undefined };
      const answer = sesRoute(this.ses, method, path, 'value' in body ? body.value : undefined);
      return send(res, answer.status, answer.body);
    }
    // The user pool's public keys, where Cognito publishes them under the issuer.
    if (method === 'GET' && path === this.tokens.jwksPath) return send(res, 200, this.tokens.jwks());
    if (method === 'POST' && path === `/__local/cognito/${this.tokens.poolId}/sign-in`)
      return this.signIn(req, res);
    if (method === 'POST' && path === `/__local/cognito/${this.tokens.poolId}/users`)
      return this.addUser(req, res);
    if (method === 'GET' && path === '/__local/example-form') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(await readFile(EXAMPLE_FORM));
    }
    return send(res, 404, { message: 'Not Found' });
  }

  private async invokeFunction(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const found = functionNamed(this.functions, name);
    if ('error' in found) return send(res, found.status, { message: found.error });
    const payload = await readJson(req);
    // As Lambda's Invoke answers a payload that is not JSON: 400, InvalidRequestContentException.
    if ('error' in payload)
      return send(res, 400, {
        Type: 'User',
        message: `Could not parse request body into json: ${payload.error}`,
      });
    return send(res, 200, (await this.invoke(found.fn.arn, payload.value)) ?? null);
  }

  /**
   * `{"count": n, "errorType"?: name, "match"?: text}`: the function's next n invocations (whose event
   * contains the text, when given) fail with that error.
   */
  private async faultFunction(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const found = functionNamed(this.functions, name);
    if ('error' in found) return send(res, found.status, { message: found.error });
    const body = await readJson(req);
    const {
      count,
      errorType = 'InjectedFault',
      match,
    } = ('value' in body ? body.value : {}) as Record<string, unknown>;
    if (
      !Number.isInteger(count) ||
      (count as number) < 1 ||
      typeof errorType !== 'string' ||
      (match !== undefined && typeof match !== 'string')
    )
      return send(res, 400, { message: 'Give {"count": n >= 1, "errorType"?: "Name", "match"?: "text"}' });
    const fault = { count: count as number, errorType, ...(match ? { match } : {}) };
    this.injectFaults?.(found.fn.arn, fault);
    return send(res, 200, { function: found.fn.logicalId, ...fault });
  }

  /** The local sign-in: fresh ID and access tokens for a demo user; `ttlSeconds` <= 0 gives expired ones. */
  /**
   * `{"username", "email", "groups": [role...], "managerId"?}`: a member of staff the pool will sign in,
   * as the bank's administrators add people to Cognito; tests use it for managers they put in the roster.
   */
  private async addUser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const { username, email, groups, managerId } = ('value' in body ? body.value : {}) as Record<
      string,
      unknown
    >;
    const valid =
      typeof username === 'string' &&
      /^[\w.@-]{1,128}$/.test(username) &&
      typeof email === 'string' &&
      Array.isArray(groups) &&
      groups.every((g) => (ROLES as readonly unknown[]).includes(g)) &&
      (managerId === undefined || typeof managerId === 'string');
    if (!valid) {
      return send(res, 400, {
        message: `Give {"username", "email", "groups": one or more of ${ROLES.join(', ')}, "managerId"?}`,
      });
    }
    this.tokens.addUser({ username, email, groups, ...(managerId ? { managerId } : {}) });
    return send(res, 201, { username });
  }

  private async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const { username, ttlSeconds } = ('value' in body ? body.value : {}) as Record<string, unknown>;
    const user = typeof username === 'string' ? this.tokens.user(username) : undefined;
    if (!user)
      return send(res, 400, { message: 'Give the username of a demo user, e.g. {"username":"irina.head"}' });
    const ttl = typeof ttlSeconds === 'number' && Number.isInteger(ttlSeconds) ? ttlSeconds : 3600;
    return send(res, 200, {
      AuthenticationResult: {
        IdToken: await this.tokens.sign(user, ttl),
        AccessToken: await this.tokens.signAccessToken(user, ttl),
        ExpiresIn: ttl,
        TokenType: 'Bearer',
      },
    });
  }
}

/**
 * A function by its logical id or by the construct's own name, as in `SweepPendingIntake` for
 * `LeadIntakeSweepPendingIntake1234ABCD` (CDK joins the construct path and adds an 8-character hash).
 */
export function functionNamed(
  functions: LocalFunction[],
  name: string,
): { fn: LocalFunction } | { status: 400 | 404; error: string } {
  const exact = functions.find((f) => f.logicalId === name);
  if (exact) return { fn: exact };
  const matches = functions.filter((f) => f.logicalId.replace(/[0-9A-F]{8}$/, '').endsWith(name));
  const [only] = matches;
  if (only && matches.length === 1) return { fn: only };
  if (matches.length > 1)
    return {
      status: 400,
      error: `${name} names several functions: ${matches.map((f) => f.logicalId).join(', ')}`,
    };
  return { status: 404, error: `No function named ${name}; GET /__local/functions lists them` };
}

async function readJson(req: IncomingMessage): Promise<{ value: unknown } | { error: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
