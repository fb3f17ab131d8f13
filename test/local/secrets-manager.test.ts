import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLocalApp, LOCAL_ACCOUNT, type LocalApp } from '#local/assembly.ts';
import { LocalSecretsManager, SecretStore } from '#local/secrets-manager.ts';

const REGION = 'eu-central-1';

/** A template with these secrets, and a function and policy that refer to the `Plain` one, as CDK writes them. */
function template(secrets: Record<string, Record<string, unknown>>) {
  return {
    Resources: {
      ...Object.fromEntries(
        Object.entries(secrets).map(([id, Properties]) => [
          id,
          { Type: 'AWS::SecretsManager::Secret', Properties },
        ]),
      ),
      ReaderRole: { Type: 'AWS::IAM::Role', Properties: {} },
      ReaderPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'ReaderRole' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: 'Plain' } },
            ],
          },
        },
      },
      Reader: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Role: { 'Fn::GetAtt': ['ReaderRole', 'Arn'] },
          Environment: {
            Variables: { KEY_ARN: { Ref: 'Plain' }, KEY_ID: { 'Fn::GetAtt': ['Plain', 'Id'] } },
          },
        },
        Metadata: { 'attract:entry': 'functions/reader.ts' },
      },
    },
  };
}

const closing: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});

/** The emulator for these templates' secrets, and an SDK client pointed straight at it. */
async function serve(app: LocalApp, store?: SecretStore) {
  const manager = new LocalSecretsManager(app.secrets, store);
  const endpoint = await manager.listen();
  const client = new SecretsManagerClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  closing.push(async () => {
    client.destroy();
    await manager.close();
  });
  return client;
}

const secretValue = async (client: SecretsManagerClient, SecretId: string) =>
  (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '';

const refusalOf = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('Expected the call to be refused, it passed');
    },
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
  );

describe('secrets generated as the template says (GenerateSecretString)', () => {
  let app: LocalApp;
  let client: SecretsManagerClient;
  const arnOf = (id: string) => app.secrets.find((s) => s.logicalId === id)?.arn ?? '';

  beforeAll(async () => {
    app = describeLocalApp(
      [
        template({
          Plain: { GenerateSecretString: {} },
          Keys: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
          UpperOnly: {
            GenerateSecretString: {
              PasswordLength: 40,
              ExcludeCharacters: 'abcdefghijklmnopqrstuvwxyz0123456789',
              ExcludePunctuation: true,
            },
          },
          PunctuationOnly: {
            GenerateSecretString: {
              PasswordLength: 20,
              ExcludeLowercase: true,
              ExcludeUppercase: true,
              ExcludeNumbers: true,
            },
          },
          SpacesOnly: {
            GenerateSecretString: {
              PasswordLength: 5,
              IncludeSpace: true,
              ExcludeLowercase: true,
              ExcludeUppercase: true,
              ExcludeNumbers: true,
              ExcludePunctuation: true,
            },
          },
          ShortAnyTypes: { GenerateSecretString: { PasswordLength: 2, RequireEachIncludedType: false } },
          Credentials: {
            GenerateSecretString: {
              SecretStringTemplate: '{"username":"attract"}',
              GenerateStringKey: 'password',
            },
          },
          Given: {
            SecretString: 'given-in-template',
            Name: 'attract/given',
            Description: 'A value the template gives',
          },
          Empty: {},
        }),
      ],
      REGION,
    );
    client = await serve(app);
  });

  it('makes 32 characters of every type by default, at least one of each', async () => {
    const value = await secretValue(client, arnOf('Plain'));
    expect(value).toHaveLength(32);
    for (const type of [/[a-z]/, /[A-Z]/, /[0-9]/, /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/])
      expect(value).toMatch(type);
  });

  it('honours the length, excluded punctuation, characters and types, and the space', async () => {
    const keys = await secretValue(client, arnOf('Keys'));
    expect(keys).toMatch(/^[A-Za-z0-9]{64}$/);
    for (const type of [/[a-z]/, /[A-Z]/, /[0-9]/]) expect(keys).toMatch(type);
    expect(await secretValue(client, arnOf('UpperOnly'))).toMatch(/^[A-Z]{40}$/);
    expect(await secretValue(client, arnOf('PunctuationOnly'))).toMatch(
      /^[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{20}$/,
    );
    expect(await secretValue(client, arnOf('SpacesOnly'))).toBe('     ');
    // Two characters cannot hold four types: allowed only because the template does not require each.
    expect(await secretValue(client, arnOf('ShortAnyTypes'))).toHaveLength(2);
  });

  it('gives every secret its own random value', async () => {
    const again = describeLocalApp([template({ Plain: { GenerateSecretString: {} } })], REGION);
    const other = await serve(again);
    expect(await secretValue(other, again.secrets[0]?.arn ?? '')).not.toBe(
      await secretValue(client, arnOf('Plain')),
    );
  });

  it('puts the generated value under GenerateStringKey in the SecretStringTemplate', async () => {
    const credentials = JSON.parse(await secretValue(client, arnOf('Credentials')));
    expect(Object.keys(credentials)).toEqual(['username', 'password']);
    expect(credentials.username).toBe('attract');
    expect(credentials.password).toHaveLength(32);
  });

  it('keeps a SecretString as given; a secret with neither has no value yet', async () => {
    expect(await secretValue(client, 'attract/given')).toBe('given-in-template');
    const refusal = await refusalOf(client.send(new GetSecretValueCommand({ SecretId: arnOf('Empty') })));
    expect(refusal.name).toBe('ResourceNotFoundException');
    expect(refusal.message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );
  });

  it('refuses templates CloudFormation refuses, when the runtime reads them', () => {
    const reading = (props: Record<string, unknown>) => () =>
      describeLocalApp([template({ Plain: props })], REGION);
    expect(reading({ SecretString: 'x', GenerateSecretString: {} })).toThrow(/not both/);
    expect(reading({ GenerateSecretString: { SecretStringTemplate: '{}' } })).toThrow(/go together/);
    expect(reading({ GenerateSecretString: { PasswordLength: 3 } })).toThrow(/cannot hold one of each/);
    expect(reading({ GenerateSecretString: { PasswordLength: 0 } })).toThrow(/outside 1-4096/);
  });
});

describe('names, ARNs and references as in AWS', () => {
  let app: LocalApp;
  let client: SecretsManagerClient;
  const plain = () => app.secrets.find((s) => s.logicalId === 'Plain');
  const named = () => app.secrets.find((s) => s.logicalId === 'Named');

  beforeAll(async () => {
    app = describeLocalApp(
      [
        template({
          Plain: { GenerateSecretString: {}, Description: 'The key' },
          Named: { Name: 'attract/keys', SecretString: 'named' },
        }),
      ],
      REGION,
    );
    client = await serve(app);
  });

  it('names a secret with a hyphen and six random characters after its name (CloudFormation names an unnamed one)', () => {
    const prefix = `arn:aws:secretsmanager:${REGION}:${LOCAL_ACCOUNT}:secret:`;
    expect(plain()?.name).toMatch(/^Plain-[A-Za-z0-9]{12}$/);
    expect(plain()?.arn).toBe(`${prefix}${plain()?.name}-${plain()?.arn.slice(-6)}`);
    expect(named()?.arn).toMatch(new RegExp(`^${prefix}attract/keys-[A-Za-z0-9]{6}$`));
  });

  it('resolves Ref and Fn::GetAtt Id of a secret to its ARN, in variables and in policies', () => {
    const reader = app.functions.find((fn) => fn.logicalId === 'Reader');
    expect(reader?.environment).toEqual({ KEY_ARN: plain()?.arn, KEY_ID: plain()?.arn });
    const statements = app.roles.find((r) => r.name === 'ReaderRole')?.policies[0]?.document.Statement;
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: plain()?.arn },
    ]);
  });

  it('finds a secret by name, by full ARN and by an ARN without its suffix', async () => {
    const secret = named();
    if (!secret) throw new Error('No named secret');
    for (const id of ['attract/keys', secret.arn, secret.arn.slice(0, -7)]) {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: id }));
      expect(answer).toMatchObject({ ARN: secret.arn, Name: 'attract/keys', SecretString: 'named' });
      expect(answer.VersionStages).toEqual(['AWSCURRENT']);
    }
  });

  it('answers ResourceNotFoundException for an unknown id, a name with the suffix, or an ARN with another suffix', async () => {
    const secret = named();
    if (!secret) throw new Error('No named secret');
    const ids = [
      'attract/unknown',
      `attract/keys${secret.arn.slice(-7)}`,
      `${secret.arn.slice(0, -6)}ZZZZZZ`,
    ];
    for (const SecretId of ids) {
      const refusal = await refusalOf(client.send(new GetSecretValueCommand({ SecretId })));
      expect(refusal.name, SecretId).toBe('ResourceNotFoundException');
      expect(refusal.message).toBe("Secrets Manager can't find the specified secret.");
      expect(refusal.$metadata?.httpStatusCode).toBe(400);
    }
  });

  it('answers only the current version', async () => {
    const refusal = await refusalOf(
      client.send(new GetSecretValueCommand({ SecretId: 'attract/keys', VersionStage: 'AWSPREVIOUS' })),
    );
    expect(refusal.message).toBe(
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
  });

  it('describes a secret without its value', async () => {
    const description = await client.send(new DescribeSecretCommand({ SecretId: plain()?.arn }));
    expect(description).toMatchObject({ ARN: plain()?.arn, Name: plain()?.name, Description: 'The key' });
    expect(Object.values(description.VersionIdsToStages ?? {})).toEqual([['AWSCURRENT']]);
    expect(JSON.stringify(description)).not.toContain('SecretString');
  });

  it('refuses an operation it does not emulate', async () => {
    const refusal = await refusalOf(client.send(new ListSecretsCommand({})));
    expect(refusal.name).toBe('UnknownOperationException');
  });
});

describe('a data directory (ATTRACT_DATA_DIR)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attract-secrets-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const keys = { Plain: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } } };

  /** One start of the runtime's secrets part, as local/runtime.ts does it. */
  async function start(templateSecrets: Record<string, Record<string, unknown>>, dir?: string) {
    const store = SecretStore.open(dir);
    const app = describeLocalApp(
      [template(templateSecrets)],
      REGION,
      store.identities(REGION, LOCAL_ACCOUNT),
    );
    const client = await serve(app, store);
    const arn = app.functions[0]?.environment.KEY_ARN ?? '';
    return { arn, value: await secretValue(client, arn) };
  }

  it('keeps the ARN and the generated value across restarts, in a file only its user may read', async () => {
    const first = await start(keys, dataDir);
    const second = await start(keys, dataDir);

    expect(second).toEqual(first);
    expect(first.value).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(statSync(path.join(dataDir, 'secrets-manager.json')).mode & 0o777).toBe(0o600);
  });

  it('makes a new value, under the same ARN, when the template changes how it is generated', async () => {
    const before = await start(keys, dataDir);
    const after = await start({ Plain: { GenerateSecretString: { PasswordLength: 48 } } }, dataDir);

    expect(after.arn).toBe(before.arn);
    expect(after.value).toHaveLength(48);
  });

  it('makes new ones at each start without a data directory', async () => {
    const first = await start(keys);
    const second = await start(keys);

    expect(second.arn).not.toBe(first.arn);
    expect(second.value).not.toBe(first.value);
  });
});
