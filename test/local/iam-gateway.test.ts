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
import { freePort, type LocalProcess, startDynamoDbLocal, startSesLocal } from '#local/processes.ts';
import { DynamoRateLimiter } from '#shared/adapters/rate-limiter.ts';

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

const tableArn = () => `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${tableName}`;
const statement = (Action: string[], Resource: string[]) => ({ Effect: 'Allow', Action, Resource });

describe('a DynamoDB role written by hand', () => {
  const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/LeadRecorderRole`;
  let endpoint: string;
  let gateway: IamGateway;
  let leads: DynamoDBDocumentClient;

  beforeAll(async () => {
    // It may write and read leads on the table, but not delete, update, or query the indexes.
    const recorder: LocalRole = {
      arn: roleArn,
      name: 'LeadRecorderRole',
      policies: [
        {
          name: 'LeadRecorderPolicy',
          document: {
            Version: '2012-10-17',
            Statement: [statement(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'], [tableArn()])],
          },
        },
      ],
      managedPolicyArns: [],
    };
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
    const client = new DynamoDBClient({
      region: REGION,
      endpoint,
      credentials: gateway.credentialsFor(roleArn, 'RecordLead'),
    });
    closing.push(async () => client.destroy());

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
  /** The role as synthesized, but with dynamodb:UpdateItem dropped from every statement. */
  const withoutUpdateItem = (role: LocalRole): LocalRole => {
    const trimmed = structuredClone(role);
    for (const policy of trimmed.policies) {
      const statements = [policy.document.Statement].flat() as { Action?: string | string[] }[];
      for (const s of statements) {
        if (s.Action !== undefined) s.Action = [s.Action].flat().filter((a) => a !== 'dynamodb:UpdateItem');
      }
    }
    return trimmed;
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
      app.roles.map((role) => (role.arn === captureRole().arn ? withoutUpdateItem(role) : role)),
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
