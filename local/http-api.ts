import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalFunction, LocalRoute } from './assembly.ts';
import type { DevTokenIssuer } from './dev-tokens.ts';

type Invoke = (functionArn: string, event: unknown) => Promise<unknown>;

const MAX_PAYLOAD = 10 * 1024 * 1024; // API Gateway's own limit; handlers enforce their smaller ones

/**
 * The HTTP API as API Gateway runs it: the synthesized routes, payload format 2.0 events, the JWT
 * authorizer's checks and its claims in the request context. `/health` and `/__local/*` are the local
 * runtime's own.
 */
export class LocalHttpApi {
  private readonly server: Server;
  private readonly routes: (LocalRoute & { pattern: RegExp; params: string[] })[];
  private readonly invoke: Invoke;
  private readonly tokens: DevTokenIssuer;
  private readonly health: () => Promise<Record<string, boolean>>;
  private readonly deadLetters: () => unknown;

  private readonly functions: LocalFunction[];

  constructor(opts: {
    functions: LocalFunction[];
    deadLetters: () => unknown;
    routes: LocalRoute[];
    invoke: Invoke;
    tokens: DevTokenIssuer;
    health: () => Promise<Record<string, boolean>>;
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
    this.tokens = opts.tokens;
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
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
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
    // The local stand-in for the dead-letter queues' consoles: what the engineer on call would look at.
    if (method === 'GET' && url.pathname === '/__local/dead-letters')
      return send(res, 200, this.deadLetters());
    // The local `aws lambda invoke`: an engineer runs a function by its name, e.g. the pending-intake sweeper.
    if (method === 'GET' && url.pathname === '/__local/functions') {
      return send(
        res,
        200,
        this.functions.map((f) => ({ name: f.logicalId, entry: f.entry })),
      );
    }
    const invoked = /^\/__local\/functions\/([^/]+)\/invoke$/.exec(url.pathname);
    if (method === 'POST' && invoked) {
      const fn = this.functions.find((f) => f.logicalId === invoked[1]);
      if (!fn) return send(res, 404, { message: 'No such function' });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const payload = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      return send(res, 200, (await this.invoke(fn.arn, payload)) ?? null);
    }
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) return send(res, 404, { message: 'Not Found' });

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD) return send(res, 413, { message: 'Request Entity Too Large' });
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);

    let claims: Record<string, string> | undefined;
    if (route.jwt) {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const payload = token ? await this.tokens.verify(token, route.jwt.audience) : undefined;
      if (!payload || payload.iss !== route.jwt.issuer) return send(res, 401, { message: 'Unauthorized' });
      // The HTTP API authorizer hands claims over as strings, arrays as "[a b]".
      claims = Object.fromEntries(
        Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
      );
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
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
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
    res.writeHead(structured.statusCode, structured.headers ?? {});
    res.end(
      structured.body
        ? Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8')
        : undefined,
    );
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
