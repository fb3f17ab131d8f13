import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeLocalApp,
  LOCAL_ACCOUNT,
  type LocalApp,
  type LocalFunction,
  synthesizeTemplates,
} from '#local/assembly.ts';
import { bundleFunctions } from '#local/bundles.ts';
import { LocalIam } from '#local/iam.ts';
import { type FunctionCredentials, IamGateway } from '#local/iam-gateway.ts';
import { IamGatewayThread } from '#local/iam-gateway-thread.ts';
import { LambdaFunctionError, LocalLambdas } from '#local/lambdas.ts';
import { LocalQueues } from '#local/queues.ts';
import { type LocalSecret, LocalSecretsManager, SecretStore } from '#local/secrets-manager.ts';
import { ENV } from '#shared/environment.ts';
import { fixtureFunction } from './fixtures/functions.ts';
import { roleAllowing } from './fixtures/roles.ts';

const REGION = 'eu-central-1';
const NOWHERE = 'http://127.0.0.1:9'; // upstreams these tests never reach

let app: LocalApp;
let keys: LocalSecret;
let secretsManager: LocalSecretsManager;
let secretsEndpoint: string;
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-keys-'));
  const store = SecretStore.open();
  app = describeLocalApp(synthesizeTemplates({}, outdir), REGION, store.identities(REGION, LOCAL_ACCOUNT));
  rmSync(outdir, { recursive: true, force: true });
  const [secret] = app.secrets;
  if (!secret) throw new Error('The synthesized app has no secret');
  keys = secret;
  secretsManager = new LocalSecretsManager(app.secrets, store);
  secretsEndpoint = await secretsManager.listen();
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await secretsManager?.close();
});

const functionNamed = (name: string): LocalFunction => {
  const fn = app.functions.find((f) => f.logicalId.startsWith(`LeadIntake${name}`));
  if (!fn) throw new Error(`The synthesized app has no ${name} function`);
  return fn;
};
const roleNameOf = (fn: LocalFunction) => fn.roleArn.slice(fn.roleArn.lastIndexOf('/') + 1);

/** A client as a function builds one, signing with the credentials Lambda put in its environment. */
function secretsClient(
  endpoint: string,
  credentials: FunctionCredentials | { accessKeyId: string; secretAccessKey: string },
) {
  const client = new SecretsManagerClient({ region: REGION, endpoint, credentials });
  closing.push(async () => client.destroy());
  return client;
}

const refusalOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('Expected the call to be refused, it passed');
    },
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
  );

/** What an emulator itself holds, bypassing the gateway. */
async function storedKey(endpoint = secretsEndpoint): Promise<string> {
  const direct = secretsClient(endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
  return (await direct.send(new GetSecretValueCommand({ SecretId: keys.arn }))).SecretString ?? '';
}

describe('Secrets Manager behind the IAM gateway, as the local runtime wires it', () => {
  let gateway: IamGatewayThread;

  beforeAll(async () => {
    // The settings local/runtime.ts gives the gateway thread, plus a role that may read any secret.
    const settings = {
      roles: [...app.roles, roleAllowing('AnySecretReader', ['secretsmanager:GetSecretValue'], ['*'])],
      upstreams: {
        dynamodb: NOWHERE,
        ses: NOWHERE,
        states: NOWHERE,
        events: NOWHERE,
        secretsmanager: secretsEndpoint,
      },
      secrets: app.secrets.map(({ name, arn }) => ({ name, arn })),
      region: REGION,
      account: LOCAL_ACCOUNT,
    };
    gateway = await IamGatewayThread.start(settings);
    closing.push(() => gateway.close());
  });

  const clientOf = (fn: LocalFunction) =>
    secretsClient(gateway.url, gateway.credentialsFor(fn.roleArn, fn.logicalId));

  it("passes CaptureLead's GetSecretValue, by the ARN it is given and by the secret's name", async () => {
    const capture = clientOf(functionNamed('CaptureLead'));
    const key = await storedKey();

    for (const SecretId of [functionNamed('CaptureLead').environment[ENV.keysSecretArn], keys.name]) {
      const answer = await capture.send(new GetSecretValueCommand({ SecretId }));
      expect(answer.SecretString).toBe(key);
    }
    expect(key).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('refuses a function without the grant with AccessDeniedException, worded as Secrets Manager words it', async () => {
    const reader = functionNamed('ReadLead');
    const client = clientOf(reader);
    const user = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleNameOf(reader)}/${reader.logicalId}`;
    const because = 'because no identity-based policy allows the secretsmanager:GetSecretValue action';

    const byArn = await refusalOf(client.send(new GetSecretValueCommand({ SecretId: keys.arn })));
    expect(byArn.name).toBe('AccessDeniedException');
    expect(byArn.$metadata?.httpStatusCode).toBe(400);
    expect(byArn.message).toBe(
      `User: ${user} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${keys.arn} ${because}`,
    );
    // Named as the caller named it, but judged on the secret's ARN.
    const byName = await refusalOf(client.send(new GetSecretValueCommand({ SecretId: keys.name })));
    expect(byName.message).toBe(
      `User: ${user} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${keys.name} ${because}`,
    );
  });

  it('refuses CaptureLead what it is not granted: describing the key, or reading another secret', async () => {
    const capture = clientOf(functionNamed('CaptureLead'));

    const describing = await refusalOf(capture.send(new DescribeSecretCommand({ SecretId: keys.arn })));
    expect(describing.name).toBe('AccessDeniedException');
    expect(describing.message).toContain(`secretsmanager:DescribeSecret on resource: ${keys.arn}`);
    // IAM answers before Secrets Manager looks, so an unknown secret is AccessDenied too.
    const unknown = await refusalOf(capture.send(new GetSecretValueCommand({ SecretId: 'attract/other' })));
    expect(unknown.name).toBe('AccessDeniedException');
    expect(unknown.message).toContain('on resource: attract/other because');
  });

  it('passes a granted request for a secret that does not exist to Secrets Manager, which cannot find it', async () => {
    const client = secretsClient(
      gateway.url,
      gateway.credentialsFor(`arn:aws:iam::${LOCAL_ACCOUNT}:role/AnySecretReader`, 'Probe'),
    );
    const refusal = await refusalOf(client.send(new GetSecretValueCommand({ SecretId: 'attract/other' })));
    expect(refusal.name).toBe('ResourceNotFoundException');
    expect(refusal.message).toBe("Secrets Manager can't find the specified secret.");
  });
});

describe('keyMaterial() in an execution environment, bundled as Lambda runs it', () => {
  const capture = () => functionNamed('CaptureLead');
  let lambdas: LocalLambdas;
  let remove = () => {};
  let upstream: LocalSecretsManager;
  let upstreamEndpoint: string;
  /** The fixture as CaptureLead (role and key variable from the template), and as ReadLead (no grant). */
  const asCapture = () => fixtureFunction('KeyAsCapture', 'key-material.ts', { roleArn: capture().roleArn });
  const asReader = () =>
    fixtureFunction('KeyAsReader', 'key-material.ts', { roleArn: functionNamed('ReadLead').roleArn });

  beforeAll(async () => {
    // Its own Secrets Manager (the same secrets), so this block can stop it without touching the others.
    upstream = new LocalSecretsManager(app.secrets);
    upstreamEndpoint = await upstream.listen();
    const gateway = new IamGateway({
      iam: new LocalIam(app.roles),
      upstreams: { secretsmanager: upstreamEndpoint },
      secrets: app.secrets,
      region: REGION,
      account: LOCAL_ACCOUNT,
    });
    const endpoint = await gateway.listen();
    closing.push(() => gateway.close());
    const environment = { [ENV.keysSecretArn]: capture().environment[ENV.keysSecretArn] ?? '' };
    const functions = [asCapture(), asReader()].map((fn) => ({ ...fn, environment }));
    const bundled = await bundleFunctions(functions);
    remove = bundled.remove;
    // The wiring local/runtime.ts does: the role's session credentials and the gateway as the one endpoint.
    lambdas = new LocalLambdas({
      functions,
      bundles: bundled.bundles,
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
    closing.push(async () => {
      await lambdas.stop();
      remove();
      await upstream.close();
    });
  });

  it('reads the key through the gateway with the role it runs as, and keeps it for the life of the environment', async () => {
    const key = await storedKey(upstreamEndpoint);
    const expected = { length: 64, sha256: createHash('sha256').update(key).digest('hex') };

    expect(await lambdas.invoke(asCapture().arn, {})).toEqual(expected);

    // With Secrets Manager gone, the warm environment still has its key: one read per cold start.
    await upstream.close();
    expect(await lambdas.invoke(asCapture().arn, {})).toEqual(expected);
  });

  it('fails the invocation with the AccessDenied message for a role without the grant', async () => {
    const failure = await refusalOf(lambdas.invoke(asReader().arn, {}));

    expect(failure).toBeInstanceOf(LambdaFunctionError);
    expect((failure as LambdaFunctionError).payload.errorMessage).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleNameOf(functionNamed('ReadLead'))}/KeyAsReader is not authorized to perform: secretsmanager:GetSecretValue on resource: ${keys.arn} `,
      ),
    );
  });
});
