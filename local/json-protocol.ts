import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An error the AWS SDK turns into its typed exception, found by `__type`. */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

/** Thrown by an operation after its work is done to drop the connection: the caller never hears back. */
export class LostResponse extends Error {}

export type Operation = (input: Record<string, unknown>) => unknown;

/** A plain HTTP route next to the protocol (admin and debugging pages); answers undefined to pass. */
export type ExtraRoute = (
  method: string,
  path: string,
  body: string,
) => Promise<{ status: number; body?: unknown } | undefined> | { status: number; body?: unknown } | undefined;

export interface JsonProtocolOptions {
  /** The X-Amz-Target prefix, e.g. `AWSStepFunctions` or `AWSEvents`. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` or `application/x-amz-json-1.1`. */
  contentType: string;
  operations: Record<string, Operation>;
  routes?: ExtraRoute;
}

/** A server for the AWS JSON protocol: `POST /` with `X-Amz-Target: <prefix>.<Operation>`. */
export function createJsonProtocolServer(options: JsonProtocolOptions): Server {
  const server = createServer((req, res) => {
    void handle(options, req, res).catch((error: unknown) => {
      if (error instanceof LostResponse) {
        res.destroy();
        return;
      }
      const e = error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500);
      if (!(error instanceof AwsError)) {
        console.error(`${req.headers['x-amz-target'] ?? req.url} failed:`, error);
      }
      if (!res.headersSent) send(res, options.contentType, e.status, { __type: e.type, message: e.message });
    });
  });
  // Idle connections are the client's to close: a server that closes them races a client sending its next
  // request on the same socket ("other side closed"); stopping the runtime closes them all.
  server.keepAliveTimeout = 0;
  return server;
}

async function handle(
  options: JsonProtocolOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://local');
  const target = req.headers['x-amz-target'];
  if (req.method === 'POST' && url.pathname === '/' && typeof target === 'string') {
    const [prefix, name = ''] = target.split('.');
    const operation = prefix === options.targetPrefix ? options.operations[name] : undefined;
    if (!operation) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
    send(res, options.contentType, 200, (await operation(parseInput(body))) ?? {});
    return;
  }
  const answer = await options.routes?.(req.method ?? 'GET', url.pathname, body);
  if (answer) send(res, 'application/json', answer.status, answer.body);
  else send(res, 'application/json', 404, { message: `No route for ${req.method} ${url.pathname}` });
}

function parseInput(body: string): Record<string, unknown> {
  try {
    return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, contentType: string, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(text);
}

/** Listens on loopback and answers the base URL. */
export function listenOn(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
    });
  });
}

/** Closes the server, including the SDK's idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
