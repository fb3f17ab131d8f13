import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { type FunctionCredentials, IamGateway } from '#local/iam-gateway.ts';
import { roleAllowing } from './fixtures/roles.ts';

/**
 * S3 on the IAM gateway: presigned URLs checked as S3 checks them (expiry, signature, the signed content
 * length and type, the signer's permissions at request time), refusals as S3's XML errors, CORS preflights
 * from the bucket's rules.
 */
const REGION = 'eu-central-1';
const BUCKET = 'importsbucket';
const ORIGIN = 'https://console.bank.example';
const NOWHERE = 'http://127.0.0.1:9';
const role = (name: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;

let gateway: IamGateway;
let endpoint: string;
let objectsDir: string;
const clients: S3Client[] = [];

beforeAll(async () => {
  objectsDir = mkdtempSync(path.join(tmpdir(), 'attract-s3-test-'));
  const objects = `arn:aws:s3:::${BUCKET}/imports/*`;
  gateway = new IamGateway({
    iam: new LocalIam([
      {
        ...roleAllowing('Importer', ['s3:PutObject', 's3:GetObject'], [objects]),
        policies: [
          ...roleAllowing('Importer', ['s3:PutObject', 's3:GetObject'], [objects]).policies,
          ...roleAllowing('Lister', ['s3:ListBucket'], [`arn:aws:s3:::${BUCKET}`]).policies,
        ],
      },
      roleAllowing('Reader', ['s3:GetObject'], [objects]),
    ]),
    upstreams: { dynamodb: NOWHERE, ses: NOWHERE, states: NOWHERE, events: NOWHERE },
    region: REGION,
    account: LOCAL_ACCOUNT,
    s3: {
      buckets: [
        {
          name: BUCKET,
          cors: [
            {
              allowedMethods: ['PUT'],
              allowedOrigins: [ORIGIN],
              allowedHeaders: ['content-type'],
              exposedHeaders: ['etag'],
              maxAge: 600,
            },
          ],
        },
      ],
      objectsDir,
    },
  });
  endpoint = await gateway.listen();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await gateway?.close();
  rmSync(objectsDir, { recursive: true, force: true });
});

const s3As = (credentials: FunctionCredentials) => {
  const client = new S3Client({
    region: REGION,
    endpoint,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
};
const importer = () => s3As(gateway.credentialsFor(role('Importer'), 'KeepProspectImports'));
const reader = () => s3As(gateway.credentialsFor(role('Reader'), 'RunProspectImport'));

const CSV = 'ИНН;Компания\n7707083893;ПАО Сбербанк\n';
const size = Buffer.byteLength(CSV);

/** A presigned PUT of a CSV of `size` bytes, signed content type and length, as the import API makes one. */
const presignedPut = (
  client: S3Client,
  key: string,
  options: { expiresIn?: number; signingDate?: Date } = {},
) =>
  getSignedUrl(
    client,
    new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: 'text/csv', ContentLength: size }),
    {
      expiresIn: options.expiresIn ?? 900,
      signableHeaders: new Set(['content-type', 'content-length']),
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );

const put = async (
  url: string,
  body: string,
  contentType = 'text/csv',
  headers: Record<string, string> = {},
) => {
  const response = await fetch(url, {
    method: 'PUT',
    body,
    headers: { 'content-type': contentType, ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1],
    text,
  };
};

const headOf = async (key: string) => {
  try {
    return await importer().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
};

describe('S3 through the IAM gateway', () => {
  it('takes the file a presigned PUT was made for, and gives it back to a caller allowed to read it', async () => {
    const url = await presignedPut(importer(), 'imports/good');
    expect(new URL(url).pathname).toBe(`/${BUCKET}/imports/good`);
    const answer = await put(url, CSV, 'text/csv', { origin: ORIGIN });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    expect(await headOf('imports/good')).toMatchObject({ ContentLength: size, ContentType: 'text/csv' });
    const object = await reader().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'imports/good' }));
    expect(await object.Body?.transformToString()).toBe(CSV);
  });

  it('refuses an expired URL, an altered signature, another size and another type, storing nothing', async () => {
    const expired = await presignedPut(importer(), 'imports/expired', {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 5 * 60_000),
    });
    const refusedExpired = await put(expired, CSV);
    expect([refusedExpired.status, refusedExpired.code]).toEqual([403, 'AccessDenied']);
    expect(refusedExpired.text).toContain('<Message>Request has expired</Message>');

    const url = await presignedPut(importer(), 'imports/altered');
    const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
    const altered = url.replace(signature, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    expect(await put(altered, CSV)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // The declared size and type are signed: another file is not this upload.
    expect(await put(url, `${CSV}7736050003;ПАО Газпром\n`)).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(await put(url, CSV, 'application/json')).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    for (const key of ['imports/expired', 'imports/altered']) expect(await headOf(key)).toBeUndefined();
    // The URL itself still holds for the file it was made for.
    expect((await put(url, CSV)).status).toBe(200);
  });

  it("refuses a URL whose signer may not put the object: S3 checks the signer's permissions when it is used", async () => {
    const byReader = await presignedPut(reader(), 'imports/by-reader');
    expect(await put(byReader, CSV)).toMatchObject({ status: 403, code: 'AccessDenied' });
    const elsewhere = await presignedPut(importer(), 'elsewhere/file');
    expect(await put(elsewhere, CSV)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await headOf('imports/by-reader')).toBeUndefined();
  });

  it('tells a missing object (404) only to a caller who may list the bucket; others get a 403', async () => {
    expect(await headOf('imports/never')).toBeUndefined();
    const refused = await reader()
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'imports/never' }))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(S3ServiceException);
    expect((refused as S3ServiceException).$metadata.httpStatusCode).toBe(403);
    expect((refused as S3ServiceException).name).toBe('AccessDenied');
  });

  it("answers a browser's preflight from the bucket's CORS rules", async () => {
    const preflight = (origin: string, method = 'PUT') =>
      fetch(`${endpoint}/${BUCKET}/imports/cors`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expect((await preflight('https://evil.example')).status).toBe(403);
    expect((await preflight(ORIGIN, 'DELETE')).status).toBe(403);
  });
});
