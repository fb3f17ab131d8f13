import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeLocalApp,
  LOCAL_ACCOUNT,
  type LocalApp,
  type LocalRole,
  synthesizeTemplates,
} from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { type FunctionCredentials, IamGateway } from '#local/iam-gateway.ts';
import { LambdaFunctionError, LocalLambdas } from '#local/lambdas.ts';
import { freePort, type LocalProcess, startDynamoDbLocal, startSesLocal } from '#local/processes.ts';
import { LocalQueues } from '#local/queues.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';
import { fixtureFunction } from './fixtures/functions.ts';
import { roleAllowing, withoutAction } from './fixtures/roles.ts';

const REGION = 'eu-central-1';
const NOWHERE = 'http://127.0.0.1:9'; // upstreams these tests never reach

let app: LocalApp;
let dynamodb: LocalProcess;
let ses: LocalProcess;
let tableName: string;
/** The emulator itself, bypassing the gateway: to see what was (not) written. */
let direct: DynamoDBDocumentClient;
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-iam-'));
  app = describeLocalApp(synthesizeTemplates({}, outdir), REGION);
  rmSync(outdir, { recursive: true, force: true });
  [dynamodb, ses] = await Promise.all([
    startDynamoDbLocal({ port: await freePort() }),
    startSesLocal({ port: await freePort() }),
  ]);
  const [table] = app.tables;
  if (!table?.TableName) throw new Error('The synthesized app has no table');
  tableName = table.TableName;
  const client = new DynamoDBClient({
    region: REGION,
    endpoint: dynamodb.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(table));
  direct = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  direct?.destroy();
  await Promise.all([dynamodb?.stop(), ses?.stop()]);
});

/** A gateway in front of the emulators that checks every request against these roles. */
async function gatewayFor(roles: LocalRole[]) {
  const gateway = new IamGateway({
    iam: new LocalIam(roles),
    upstreams: { dynamodb: dynamodb.endpoint, ses: ses.endpoint, states: NOWHERE, events: NOWHERE },
    region: REGION,
    account: LOCAL_ACCOUNT,
  });
  const endpoint = await gateway.listen();
  closing.push(() => gateway.close());
  return { gateway, endpoint };
}

/** A client as a function builds one, signing with the credentials Lambda put in its environment. */
function dynamoClient(endpoint: string, credentials: FunctionCredentials, maxAttempts = 3) {
  const client = new DynamoDBClient({ region: REGION, endpoint, credentials, maxAttempts });
  closing.push(async () => client.destroy());
  return DynamoDBDocumentClient.from(client);
}

/** What the call was refused with (a test fails if it passed). */
async function refusalOf(
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('Expected the call to be refused, it passed');
  return error;
}

const roleArnOf = (name: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;
const tableArn = () => `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${tableName}`;

describe('a DynamoDB role written by hand', () => {
  const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/LeadRecorderRole`;
  let endpoint: string;
  let gateway: IamGateway;
  let leads: DynamoDBDocumentClient;

  beforeAll(async () => {
    // It may write and read leads on the table, but not delete, update, or query the indexes.
    const recorder = roleAllowing(
      'LeadRecorderRole',
      ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      [tableArn()],
    );
    ({ gateway, endpoint } = await gatewayFor([recorder]));
    leads = dynamoClient(endpoint, gateway.credentialsFor(roleArn, 'RecordLead'));
  });

  const leadKey = (id: string) => ({ pk: `LEAD#${id}`, sk: 'LEAD' });

  it('passes an allowed PutItem to the emulator', async () => {
    await leads.send(new PutCommand({ TableName: tableName, Item: { ...leadKey('allowed'), stage: 'new' } }));

    const { Item } = await direct.send(new GetCommand({ TableName: tableName, Key: leadKey('allowed') }));
    expect(Item).toMatchObject({ stage: 'new' });
  });

  it('refuses a DeleteItem the role lacks with AccessDeniedException, worded as AWS words it', async () => {
    const refusal = await refusalOf(
      leads.send(new DeleteCommand({ TableName: tableName, Key: leadKey('allowed') })),
    );

    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.$metadata?.httpStatusCode).toBe(400);
    expect(refusal.message).toBe(
      `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/LeadRecorderRole/RecordLead is not authorized to perform: ` +
        `dynamodb:DeleteItem on resource: ${tableArn()} because no identity-based policy allows the dynamodb:DeleteItem action`,
    );
    const { Item } = await direct.send(new GetCommand({ TableName: tableName, Key: leadKey('allowed') }));
    expect(Item).toBeDefined();
  });

  it('refuses a whole transaction when one of its items needs an action not granted, and writes nothing', async () => {
    const refusal = await refusalOf(
      leads.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { ...leadKey('in-transaction'), stage: 'new' } } },
            {
              Update: {
                TableName: tableName,
                Key: leadKey('allowed'),
                UpdateExpression: 'SET stage = :stage',
                ExpressionAttributeValues: { ':stage': 'assigned' },
              },
            },
          ],
        }),
      ),
    );

    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.message).toContain(`dynamodb:UpdateItem on resource: ${tableArn()}`);
    const written = await direct.send(
      new GetCommand({ TableName: tableName, Key: leadKey('in-transaction') }),
    );
    expect(written.Item).toBeUndefined();
    const untouched = await direct.send(new GetCommand({ TableName: tableName, Key: leadKey('allowed') }));
    expect(untouched.Item).toMatchObject({ stage: 'new' });
  });

  it('passes a Query on the table but refuses one on an index the role is not granted', async () => {
    const onTable = await leads.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LEAD#allowed' },
      }),
    );
    expect(onTable.Items).toHaveLength(1);

    const refusal = await refusalOf(
      leads.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': 'MANAGER#1' },
        }),
      ),
    );
    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.message).toContain(`dynamodb:Query on resource: ${tableArn()}/index/gsi1`);
  });

  it('refuses credentials it never issued with UnrecognizedClientException', async () => {
    const stranger = dynamoClient(endpoint, {
      accessKeyId: 'ASIAUNKNOWNUNKNOWN00',
      secretAccessKey: 'not-a-secret-we-gave',
      sessionToken: 'not-a-token-we-gave',
    });

    const refusal = await refusalOf(
      stranger.send(new GetCommand({ TableName: tableName, Key: leadKey('allowed') })),
    );
    expect(refusal.name).toBe('UnrecognizedClientException');
    expect(refusal.message).toBe('The security token included in the request is invalid.');
  });

  it('refuses issued credentials signed with the wrong secret with InvalidSignatureException', async () => {
    const issued = gateway.credentialsFor(roleArn, 'RecordLead');
    // One attempt: the SDK treats a bad signature as clock skew and would retry it.
    const forger = dynamoClient(endpoint, { ...issued, secretAccessKey: `${issued.secretAccessKey}x` }, 1);

    const refusal = await refusalOf(
      forger.send(new GetCommand({ TableName: tableName, Key: leadKey('allowed') })),
    );
    expect(refusal.name).toBe('InvalidSignatureException');
    expect(refusal.message).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    );
  });

  it('refuses a request signed more than 15 minutes ago, as AWS does a replayed one', async () => {
    const credentials = gateway.credentialsFor(roleArn, 'RecordLead');
    // The SDK signs with its clock moved back 20 minutes; one attempt, as it would correct the skew and retry.
    const client = new DynamoDBClient({
      region: REGION,
      endpoint,
      credentials,
      maxAttempts: 1,
      systemClockOffset: -20 * 60_000,
    });
    closing.push(async () => client.destroy());

    const refusal = await refusalOf(
      client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'LEAD#allowed' }, sk: { S: 'LEAD' } } }),
      ),
    );
    expect(refusal.name).toBe('InvalidSignatureException');
    expect(refusal.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
  });

  it('refuses an operation it cannot authorize rather than passing it through', async () => {
    const client = dynamoClient(endpoint, gateway.credentialsFor(roleArn, 'RecordLead'));
    const refusal = await refusalOf(
      client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true })),
    );
    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.message).toContain('dynamodb:UpdateTable');
  });
});

describe('removing a grant from the synthesized CaptureLead role', () => {
  const captureRole = () => {
    const role = app.roles.find((r) => r.name.includes('CaptureLead'));
    if (!role) throw new Error('The synthesized app has no CaptureLead role');
    return role;
  };
  const captureFunction = () => {
    const fn = app.functions.find((f) => f.roleArn === captureRole().arn);
    if (!fn) throw new Error('No function runs with the CaptureLead role');
    return fn;
  };

  /** The rate limiter as the CaptureLead function builds it, its client signing through a gateway. */
  async function rateLimiterBehind(roles: LocalRole[]) {
    const { gateway, endpoint } = await gatewayFor(roles);
    const fn = captureFunction();
    const client = dynamoClient(endpoint, gateway.credentialsFor(fn.roleArn, fn.logicalId));
    return new DynamoRateLimiter(client, tableName, 20);
  }

  it("passes the rate limiter's UpdateItem as synthesized, and refuses it once the grant is gone", async () => {
    const asSynthesized = await rateLimiterBehind(app.roles);
    const withoutGrant = await rateLimiterBehind(
      app.roles.map((role) =>
        role.arn === captureRole().arn ? withoutAction(role, 'dynamodb:UpdateItem') : role,
      ),
    );

    await expect(asSynthesized.hit('203.0.113.7', Date.now())).resolves.toEqual({ allowed: true });
    const refusal = await refusalOf(withoutGrant.hit('203.0.113.8', Date.now()));
    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.message).toBe(
      `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${captureRole().name}/${captureFunction().logicalId} ` +
        `is not authorized to perform: dynamodb:UpdateItem on resource: ${tableArn()} ` +
        'because no identity-based policy allows the dynamodb:UpdateItem action',
    );
  });
});

describe('SES SendEmail through the gateway', () => {
  const notifyRole = () => {
    const role = app.roles.find((r) => r.name.includes('NotifyManager'));
    if (!role) throw new Error('The synthesized app has no NotifyManager role');
    return role;
  };
  let mail: SESv2Client;

  beforeAll(async () => {
    const { gateway, endpoint } = await gatewayFor(app.roles);
    const credentials = gateway.credentialsFor(notifyRole().arn, 'NotifyManager');
    mail = new SESv2Client({ region: REGION, endpoint, credentials });
    closing.push(async () => mail.destroy());
  });

  const send = (from: string, subject: string) =>
    mail.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: ['manager@bank.example'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'A new lead' } } } },
      }),
    );
  const subjectsInMailbox = async () => {
    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { subject: string }[] };
    return store.emails.map((e) => e.subject);
  };

  it('delivers mail from the sender identity the NotifyManager role is granted', async () => {
    const sender = app.functions.find((f) => f.roleArn === notifyRole().arn)?.environment
      .ATTRACT_SENDER_EMAIL;
    expect(sender).toBe('attract@bank.example');

    const sent = await send(String(sender), 'Granted sender');
    expect(sent.MessageId).toBeTruthy();
    expect(await subjectsInMailbox()).toContain('Granted sender');
  });

  it('refuses mail from an identity the role is not granted, and the mailbox stays without it', async () => {
    const refusal = await refusalOf(send('offers@elsewhere.example', 'Ungranted sender'));

    expect(refusal.name).toBe('AccessDeniedException');
    expect(refusal.$metadata?.httpStatusCode).toBe(403);
    expect(refusal.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${notifyRole().name}/NotifyManager is not authorized to perform: ses:SendEmail on resource: arn:aws:ses:${REGION}:${LOCAL_ACCOUNT}:identity/`,
      ),
    );
    expect(await subjectsInMailbox()).not.toContain('Ungranted sender');
  });
});

describe("a function's own SDK calls, from its execution environment", () => {
  const recorder = fixtureFunction('RecordLead', 'lead-janitor.ts', { roleArn: roleArnOf('RecordLeadRole') });
  const janitor = fixtureFunction('PurgeLead', 'lead-janitor.ts', { roleArn: roleArnOf('PurgeLeadRole') });
  let lambdas: LocalLambdas;

  beforeAll(async () => {
    const { gateway, endpoint } = await gatewayFor([
      roleAllowing('RecordLeadRole', ['dynamodb:PutItem'], [tableArn()]),
      roleAllowing('PurgeLeadRole', ['dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn()]),
    ]);
    // The wiring local/runtime.ts does: the role's session credentials and the gateway as the endpoint.
    lambdas = new LocalLambdas({
      functions: [recorder, janitor].map((fn) => ({ ...fn, environment: { ATTRACT_TABLE_NAME: tableName } })),
      queues: new LocalQueues(),
      runtimeEnvironment: (fn) => {
        const credentials = gateway.credentialsFor(fn.roleArn, fn.logicalId);
        return {
          AWS_REGION: REGION,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
          AWS_ENDPOINT_URL: endpoint,
        };
      },
    });
    closing.push(() => lambdas.stop());
  });

  it('passes what the role allows and fails the invocation with AccessDeniedException for what it does not', async () => {
    await expect(lambdas.invoke(janitor.arn, { leadId: 'purged' })).resolves.toBe('deleted');

    const failure = await refusalOf(lambdas.invoke(recorder.arn, { leadId: 'kept' }));
    expect(failure).toBeInstanceOf(LambdaFunctionError);
    expect((failure as LambdaFunctionError).payload).toMatchObject({
      errorType: 'AccessDeniedException',
      errorMessage: `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/RecordLeadRole/RecordLead is not authorized to perform: dynamodb:DeleteItem on resource: ${tableArn()} because no identity-based policy allows the dynamodb:DeleteItem action`,
    });
    const kept = await direct.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'LEAD#kept', sk: 'LEAD' } }),
    );
    expect(kept.Item).toMatchObject({ stage: 'new' });
  });
});
