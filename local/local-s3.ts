import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { LocalIam } from './iam.ts';
import { s3Permissions } from './iam-requests.ts';
import type { LocalObjectStore, StoredObject } from './object-store.ts';
import {
  AUTHORIZATION,
  type Caller,
  parseAmzDate,
  type Signatures,
  type SignedScope,
  signatureSkew,
} from './sigv4.ts';

/** A bucket's CORS rule, as `AWS::S3::Bucket` `CorsConfiguration.CorsRules` holds it. */
export type S3CorsRule = {
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge?: number;
};
export type LocalBucket = { name: string; cors: S3CorsRule[] };

const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
/** The longest a presigned URL may be valid, as S3 allows it: seven days. */
const MAX_EXPIRES_SECONDS = 604_800;
/** A presigned request signs no body: S3 takes it as sent. */
const UNSIGNED = 'UNSIGNED-PAYLOAD';

class S3Refusal extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, string>;
  constructor(status: number, code: string, message: string, extra: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/**
 * S3's REST protocol on the IAM gateway, path-style (`/<bucket>/<key>`), for the buckets the templates
 * define: object PUT, GET, HEAD and DELETE. Every request is signed, in the Authorization header (the
 * SDK) or in the query string (a presigned URL: its expiry enforced, its signed headers such as the
 * content length and type held to what arrives), and the signer's role must allow the action on the
 * object, as S3 checks the signer's permissions at request time. Refusals are S3's XML errors; CORS
 * preflights are answered from the bucket's rules. Objects are kept by a LocalObjectStore.
 */
export class LocalS3 {
  private readonly buckets: Map<string, LocalBucket>;
  private readonly store: LocalObjectStore;
  private readonly signatures: Signatures;
  private readonly iam: LocalIam;
  private readonly count: (operation: string) => void;

  constructor(opts: {
    buckets: LocalBucket[];
    store: LocalObjectStore;
    signatures: Signatures;
    iam: LocalIam;
    count: (operation: string) => void;
  }) {
    this.buckets = new Map(opts.buckets.map((bucket) => [bucket.name, bucket]));
    this.store = opts.store;
    this.signatures = opts.signatures;
    this.iam = opts.iam;
    this.count = opts.count;
  }

  /** Whether the request is for one of the buckets (its path's first segment). */
  owns(req: IncomingMessage): boolean {
    try {
      return this.buckets.has(decodeURIComponent((req.url ?? '/').split(/[/?]/)[1] ?? ''));
    } catch {
      return false; // a malformed escape names no bucket
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const bucket = this.buckets.get(decodeURIComponent(bucketName)) as LocalBucket;
    const method = req.method ?? 'GET';
    const cors = corsHeaders(bucket, req);
    try {
      if (method === 'OPTIONS') return this.preflight(bucket, req, res);
      const key = keyOf(rest.join('/'));
      const caller = this.authenticate(req, url);
      const check = s3Permissions(method, bucket.name, key);
      if ('unknown' in check)
        throw new S3Refusal(501, 'NotImplemented', `The local runtime does not emulate ${check.unknown}`);
      const decision = await this.iam.authorize(caller, check.action, check.resources);
      if (!decision.allowed) throw new S3Refusal(403, 'AccessDenied', decision.message);
      this.count(`s3:${method === 'HEAD' ? 'HeadObject' : check.action.slice(3)}`);
      switch (method) {
        case 'PUT':
          return await this.put(bucket, key, req, res, cors);
        case 'DELETE':
          await this.store.delete(bucket.name, key);
          return void res.writeHead(204, cors).end();
        default:
          return await this.get(bucket, key, caller, method === 'HEAD', res, cors);
      }
    } catch (error) {
      if (!(error instanceof S3Refusal)) throw error;
      // The rest of a refused upload is read and dropped, so the client sees the answer, not a reset.
      req.resume();
      refuse(res, error, method === 'HEAD', cors);
    }
  }

  /** The caller whose signature holds over the request, from the Authorization header or the query. */
  private authenticate(req: IncomingMessage, url: URL): Caller {
    const query = url.searchParams;
    if (query.has('X-Amz-Algorithm')) return this.presigned(req, query);
    const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
    if (!match) throw new S3Refusal(403, 'AccessDenied', 'Access Denied');
    const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] =
      match;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const skew = signatureSkew(amzDate);
    if (skew) throw new S3Refusal(403, 'RequestTimeTooSkewed', skew);
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (!payloadHash) {
      throw new S3Refusal(
        400,
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    }
    const scope = { accessKeyId, date, region, service, signedHeaders, signature, amzDate };
    return this.signed(req, scope, String(req.headers['x-amz-security-token'] ?? ''), payloadHash);
  }

  private presigned(req: IncomingMessage, query: URLSearchParams): Caller {
    const credential = CREDENTIAL.exec(query.get('X-Amz-Credential') ?? '');
    const amzDate = query.get('X-Amz-Date') ?? '';
    const expires = Number(query.get('X-Amz-Expires'));
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !credential || !query.get('X-Amz-Signature')) {
      throw new S3Refusal(
        400,
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      throw new S3Refusal(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Expires must be between 1 and 604800 seconds',
      );
    }
    const signedAt = parseAmzDate(amzDate).getTime();
    if (!Number.isNaN(signedAt) && Date.now() > signedAt + expires * 1000) {
      const expiredAt = new Date(signedAt + expires * 1000).toISOString();
      throw new S3Refusal(403, 'AccessDenied', 'Request has expired', {
        Expires: expiredAt,
        ServerTime: new Date().toISOString(),
      });
    }
    const [, accessKeyId = '', date = '', region = '', service = ''] = credential;
    const scope = {
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: query.get('X-Amz-SignedHeaders') ?? '',
      signature: query.get('X-Amz-Signature') ?? '',
      amzDate,
    };
    return this.signed(req, scope, query.get('X-Amz-Security-Token') ?? '', UNSIGNED);
  }

  private signed(
    req: IncomingMessage,
    scope: SignedScope,
    sessionToken: string,
    payloadHash: string,
  ): Caller {
    const caller = this.signatures.caller(scope.accessKeyId, sessionToken);
    if (!caller) {
      throw new S3Refusal(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    }
    if (scope.service !== 's3' || !this.signatures.holds(req, scope, payloadHash, caller, false)) {
      throw new S3Refusal(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    return caller;
  }

  private async put(
    bucket: LocalBucket,
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    cors: Record<string, string>,
  ): Promise<void> {
    const length = req.headers['content-length'];
    if (length === undefined)
      throw new S3Refusal(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? UNSIGNED);
    const stored = await this.store.put(bucket.name, key, req, {
      length: Number(length),
      contentType: String(req.headers['content-type'] ?? ''),
      ...(/^[0-9a-f]{64}$/.test(payloadHash) ? { sha256: payloadHash } : {}),
    });
    if ('refused' in stored) {
      throw stored.refused === 'IncompleteBody'
        ? new S3Refusal(
            400,
            'IncompleteBody',
            'You did not provide the number of bytes specified by the Content-Length HTTP header',
          )
        : new S3Refusal(
            400,
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
          );
    }
    res.writeHead(200, { ...cors, etag: stored.etag, 'content-length': 0 }).end();
  }

  private async get(
    bucket: LocalBucket,
    key: string,
    caller: Caller,
    headOnly: boolean,
    res: ServerResponse,
    cors: Record<string, string>,
  ): Promise<void> {
    const object = await this.store.head(bucket.name, key);
    if (!object) {
      // S3 tells a missing key (404) only to a caller who may list the bucket; anyone else gets a 403.
      const listing = await this.iam.authorize(caller, 's3:ListBucket', [`arn:aws:s3:::${bucket.name}`]);
      if (!listing.allowed) throw new S3Refusal(403, 'AccessDenied', 'Access Denied');
      throw new S3Refusal(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    }
    res.writeHead(200, { ...cors, ...objectHeaders(object) });
    if (headOnly) return void res.end();
    await pipeline(await this.store.read(bucket.name, key), res);
  }

  /** A preflight, answered from the bucket's CORS rules: the first rule that allows it, or a 403. */
  private preflight(bucket: LocalBucket, req: IncomingMessage, res: ServerResponse): void {
    const origin = String(req.headers.origin ?? '');
    const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    const requested = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const rule = bucket.cors.find(
      (r) =>
        originAllowed(r, origin) &&
        r.allowedMethods.includes(method) &&
        requested.every((h) =>
          r.allowedHeaders.some((allowed) => allowed === '*' || allowed.toLowerCase() === h),
        ),
    );
    if (!origin || !method || !rule) {
      refuse(
        res,
        new S3Refusal(
          403,
          'AccessForbidden',
          "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        ),
        false,
        {},
      );
      return;
    }
    res
      .writeHead(200, {
        'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
        'access-control-allow-methods': rule.allowedMethods.join(', '),
        ...(requested.length ? { 'access-control-allow-headers': requested.join(', ') } : {}),
        ...(rule.exposedHeaders.length
          ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') }
          : {}),
        ...(rule.maxAge !== undefined ? { 'access-control-max-age': String(rule.maxAge) } : {}),
        vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
        'content-length': 0,
      })
      .end();
  }
}

/** The object key of the path after the bucket; a malformed escape is S3's InvalidURI. */
function keyOf(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new S3Refusal(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

const originAllowed = (rule: S3CorsRule, origin: string) =>
  rule.allowedOrigins.includes('*') || rule.allowedOrigins.includes(origin);

/** The CORS headers of an answer to a browser's request: the first rule allowing its origin and method. */
function corsHeaders(bucket: LocalBucket, req: IncomingMessage): Record<string, string> {
  const origin = String(req.headers.origin ?? '');
  const rule = origin
    ? bucket.cors.find((r) => originAllowed(r, origin) && r.allowedMethods.includes(req.method ?? ''))
    : undefined;
  if (!rule) return {};
  return {
    'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    ...(rule.exposedHeaders.length
      ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') }
      : {}),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

const objectHeaders = (object: StoredObject) => ({
  'content-type': object.contentType,
  'content-length': object.size,
  etag: object.etag,
  'last-modified': object.lastModified,
  'accept-ranges': 'bytes',
});

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/** S3's error document; a HEAD's error has none, only its status. */
function refuse(
  res: ServerResponse,
  error: S3Refusal,
  headOnly: boolean,
  cors: Record<string, string>,
): void {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const extra = Object.entries(error.extra)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body = headOnly
    ? ''
    : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(error.status, {
    ...cors,
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  res.end(body);
}
