import { createHash, createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { type FunctionCredentials, IamGateway } from '#local/iam-gateway.ts';
import { roleAllowing } from './fixtures/roles.ts';
import { LOCAL_AWS, startAttractTable } from './support/attract-table.ts';

/**
 * The gateway checks each signature over what actually arrived, however often a caller has been seen:
 * it keeps checked sessions and signing keys, never a verdict on a request.
 */
const REGION = LOCAL_AWS.region;
const NOWHERE = 'http://127.0.0.1:9';

let table: Awaited<ReturnType<typeof startAttractTable>>;
let gateway: IamGateway;
let endpoint: string;
const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/LeadWriterRole`;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  table = await startAttractTable();
  const tableArn = `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${table.tableName}`;
  gateway = new IamGateway({
    iam: new LocalIam([roleAllowing('LeadWriterRole', ['dynamodb:PutItem', 'dynamodb:GetItem'], [tableArn])]),
    upstreams: { dynamodb: table.process.endpoint, ses: NOWHERE, states: NOWHERE, events: NOWHERE },
    region: REGION,
    account: LOCAL_ACCOUNT,
  });
  endpoint = await gateway.listen();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await gateway?.close();
  await table?.stop();
});

const documentClient = (credentials: FunctionCredentials) => {
  const client = new DynamoDBClient({ region: REGION, endpoint, credentials, maxAttempts: 1 });
  clients.push(client);
  return DynamoDBDocumentClient.from(client);
};
const putItem = (pk: string) =>
  JSON.stringify({ TableName: table.tableName, Item: { pk: { S: pk }, sk: { S: 'SIGNED' } } });
const stored = async (pk: string) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'SIGNED' } })))
    .Item;

const bytes = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** sha256 and HMAC-sha256 in the shape the SDK's signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

/** A PutItem signed as the SDK signs one, naming its payload hash in x-amz-content-sha256; sent with `sentBody`. */
async function sendSignedPut(credentials: FunctionCredentials, signedBody: string, sentBody: string) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region: REGION, service: 'dynamodb', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.PutItem',
      'x-amz-content-sha256': createHash('sha256').update(signedBody).digest('hex'),
    },
    body: signedBody,
  });
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(endpoint, { method: 'POST', headers, body: sentBody });
  return { status: response.status, body: (await response.json()) as { __type?: string } };
}

describe('signatures through the IAM gateway', () => {
  it('refuses a body other than the one signed, though the request names the signed body hash in x-amz-content-sha256', async () => {
    const credentials = gateway.credentialsFor(roleArn, 'CaptureLead');

    const honest = await sendSignedPut(credentials, putItem('LEAD#honest'), putItem('LEAD#honest'));
    const swapped = await sendSignedPut(credentials, putItem('LEAD#signed'), putItem('LEAD#swapped'));

    expect(honest.status).toBe(200);
    expect(await stored('LEAD#honest')).toBeDefined();
    expect(swapped.status).toBe(400);
    expect(swapped.body.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    expect(await stored('LEAD#swapped')).toBeUndefined();
  });

  it("refuses one session's access key with another session's token, after both were seen", async () => {
    const first = gateway.credentialsFor(roleArn, 'CaptureLead');
    const second = gateway.credentialsFor(roleArn, 'NotifyManager');
    for (const credentials of [first, second]) {
      const item = { pk: `LEAD#${credentials.accessKeyId}`, sk: 'SIGNED' };
      await documentClient(credentials).send(new PutCommand({ TableName: table.tableName, Item: item }));
    }

    const mixed = documentClient({ ...first, sessionToken: second.sessionToken });
    const refusal = await mixed
      .send(new PutCommand({ TableName: table.tableName, Item: { pk: 'LEAD#mixed', sk: 'SIGNED' } }))
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );

    expect(refusal?.name).toBe('UnrecognizedClientException');
    expect(await stored('LEAD#mixed')).toBeUndefined();
  });
});
