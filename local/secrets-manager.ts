import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { AwsError, closeServer, createJsonProtocolServer, listenOn } from './json-protocol.ts';

/**
 * Secrets Manager on this machine, for the secrets the templates declare (AWS::SecretsManager::Secret):
 * their values generated as CloudFormation has Secrets Manager generate them, their ARNs shaped as AWS
 * shapes them, and GetSecretValue/DescribeSecret in the AWS JSON 1.1 protocol. Functions reach it only
 * through the IAM gateway.
 */

/** The GenerateSecretString property of AWS::SecretsManager::Secret. */
export type GenerateSecretString = {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
};

/** How a secret is known to callers: the name and the ARN (the name, a hyphen and six random characters). */
export type SecretName = { name: string; arn: string };

/** A secret of the templates: its identity here, and where its value comes from. */
export interface LocalSecret extends SecretName {
  logicalId: string;
  description?: string;
  /** The template's SecretString, or how to generate the value; with neither it is an empty secret. */
  secretString?: string;
  generate?: GenerateSecretString;
}

/** The name and ARN a template's secret gets, by logical id and the Name the template gives it, if any. */
export type SecretIdentities = (logicalId: string, declaredName: string | undefined) => SecretName;

type SecretVersion = { versionId: string; secretString: string; createdDate: number };

/** The value source of a template secret, as CloudFormation takes it from the resource's properties. */
export function secretSource(
  logicalId: string,
  props: Record<string, unknown>,
): Pick<LocalSecret, 'description' | 'secretString' | 'generate'> {
  const generate = props.GenerateSecretString as GenerateSecretString | undefined;
  if (generate && props.SecretString !== undefined)
    throw new Error(`${logicalId}: a secret takes SecretString or GenerateSecretString, not both`);
  if (generate) generateSecretString(generate); // refused options fail the start, as they fail the stack
  return {
    ...(props.Description !== undefined ? { description: String(props.Description) } : {}),
    ...(props.SecretString !== undefined ? { secretString: String(props.SecretString) } : {}),
    ...(generate ? { generate } : {}),
  };
}

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const ALPHANUMERIC = LOWERCASE + UPPERCASE + NUMBERS;

/** node:crypto randomness, without the modulo bias of a byte taken modulo the alphabet's length. */
const pick = (alphabet: string) => alphabet.charAt(randomInt(alphabet.length));
const randomText = (alphabet: string, length: number) =>
  Array.from({ length }, () => pick(alphabet)).join('');

/**
 * A value as Secrets Manager generates one (GetRandomPassword's rules): 32 characters unless told, from
 * letters, digits and punctuation less what is excluded, at least one of each included type unless
 * RequireEachIncludedType is false (the space is never required); put under GenerateStringKey in the
 * SecretStringTemplate when there is one.
 */
export function generateSecretString(options: GenerateSecretString): string {
  const length = options.PasswordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096)
    throw new Error(`PasswordLength ${length} is outside 1-4096`);
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const allowed = (set: string) => [...set].filter((c) => !excluded.has(c)).join('');
  const types = [
    options.ExcludeLowercase ? '' : allowed(LOWERCASE),
    options.ExcludeUppercase ? '' : allowed(UPPERCASE),
    options.ExcludeNumbers ? '' : allowed(NUMBERS),
    options.ExcludePunctuation ? '' : allowed(PUNCTUATION),
  ].filter(Boolean);
  const alphabet = types.join('') + (options.IncludeSpace ? allowed(' ') : '');
  if (!alphabet) throw new Error('GenerateSecretString excludes every character');
  const required = (options.RequireEachIncludedType ?? true) ? types : [];
  if (required.length > length)
    throw new Error(`PasswordLength ${length} cannot hold one of each of ${required.length} character types`);
  const chars = [
    ...required.map(pick),
    ...Array.from({ length: length - required.length }, () => pick(alphabet)),
  ];
  // Fisher-Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  const password = chars.join('');

  const { SecretStringTemplate: template, GenerateStringKey: key } = options;
  if ((template === undefined) !== (key === undefined))
    throw new Error('SecretStringTemplate and GenerateStringKey go together');
  if (template === undefined || key === undefined) return password;
  const object: unknown = JSON.parse(template);
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new Error('SecretStringTemplate must be a JSON object');
  return JSON.stringify({ ...object, [key]: password });
}

const COMPLETE_ARN = /-[A-Za-z0-9]{6}$/;

/**
 * The secret a SecretId names, as Secrets Manager finds it: by name, by complete ARN, or by an ARN without
 * its random suffix. An ARN ending in a hyphen and six characters is taken as complete, so it must match
 * exactly; a name with the suffix appended is no name at all.
 */
export function findSecret<T extends SecretName>(secrets: readonly T[], secretId: string): T | undefined {
  if (!secretId.startsWith('arn:')) return secrets.find((s) => s.name === secretId);
  const exact = secrets.find((s) => s.arn === secretId);
  if (exact || COMPLETE_ARN.test(secretId)) return exact;
  const partial = secrets.filter((s) => s.arn.slice(0, -7) === secretId);
  return partial.length === 1 ? partial[0] : undefined;
}

type KeptSecret = SecretName & { declaredName?: string; definition?: string; version?: SecretVersion };
const STORE_FILE = 'secrets-manager.json';

/**
 * Names, ARNs and values of the template secrets. With a data directory they are kept there across
 * restarts, as a deployed secret keeps its ARN and value across deploys (the hashes keyed with it must
 * keep matching); without one each start has new ones, as the in-memory table is new.
 */
export class SecretStore {
  private readonly file: string | undefined;
  private readonly kept: Record<string, KeptSecret>;
  private readonly current: Record<string, KeptSecret> = {};

  private constructor(file: string | undefined, kept: Record<string, KeptSecret>) {
    this.file = file;
    this.kept = kept;
  }

  static open(dataDir?: string): SecretStore {
    if (!dataDir) return new SecretStore(undefined, {});
    const file = path.join(path.resolve(dataDir), STORE_FILE);
    const kept = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, KeptSecret>)
      : {};
    return new SecretStore(file, kept);
  }

  /**
   * The kept identity while the template's Name is unchanged; otherwise a new one (a new Name replaces the
   * secret in CloudFormation). Without a Name, CloudFormation names it `<logical id>-<12 random characters>`.
   */
  identities(region: string, account: string): SecretIdentities {
    return (logicalId, declaredName) => {
      const known = this.current[logicalId] ?? this.kept[logicalId];
      if (known && known.declaredName === declaredName) {
        this.current[logicalId] = known;
        return { name: known.name, arn: known.arn };
      }
      const name = declaredName ?? `${logicalId}-${randomText(ALPHANUMERIC, 12)}`;
      const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${randomText(ALPHANUMERIC, 6)}`;
      this.current[logicalId] = { name, arn, ...(declaredName !== undefined ? { declaredName } : {}) };
      return { name, arn };
    };
  }

  /** The secret's current version: the kept one while its definition is unchanged, else a new value. */
  versionOf(secret: LocalSecret): SecretVersion | undefined {
    const definition = createHash('sha256')
      .update(JSON.stringify([secret.secretString ?? null, secret.generate ?? null]))
      .digest('hex');
    const known = this.current[secret.logicalId] ?? this.kept[secret.logicalId];
    const entry: KeptSecret =
      known?.arn === secret.arn ? known : { name: secret.name, arn: secret.arn, definition: '' };
    if (entry.definition !== definition || !entry.version) {
      const value = secret.generate ? generateSecretString(secret.generate) : secret.secretString;
      const { version: _old, ...rest } = entry;
      const version =
        value === undefined
          ? undefined
          : { versionId: randomUUID(), secretString: value, createdDate: Date.now() / 1000 };
      this.current[secret.logicalId] = { ...rest, definition, ...(version ? { version } : {}) };
    } else {
      this.current[secret.logicalId] = entry;
    }
    return this.current[secret.logicalId]?.version;
  }

  /** Writes what this run uses, readable by this user only (it holds keys), replacing the file at once. */
  save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(this.current, null, 2), { mode: 0o600 });
    renameSync(partial, this.file);
  }
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const CURRENT = 'AWSCURRENT';

/** The Secrets Manager endpoint: GetSecretValue and DescribeSecret over the template secrets. */
export class LocalSecretsManager {
  private readonly secrets: (LocalSecret & { version: SecretVersion | undefined })[];
  private readonly server: Server;

  constructor(secrets: LocalSecret[], store: SecretStore = SecretStore.open()) {
    this.secrets = secrets.map((secret) => ({ ...secret, version: store.versionOf(secret) }));
    store.save();
    this.server = createJsonProtocolServer({
      targetPrefix: 'secretsmanager',
      contentType: 'application/x-amz-json-1.1',
      operations: {
        GetSecretValue: (input) => this.getSecretValue(input),
        DescribeSecret: (input) => this.describeSecret(input),
      },
    });
  }

  listen(port = 0): Promise<string> {
    return listenOn(this.server, port);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private find(input: Record<string, unknown>) {
    if (typeof input.SecretId !== 'string' || !input.SecretId) {
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
      );
    }
    const secret = findSecret(this.secrets, input.SecretId);
    if (!secret) throw new AwsError('ResourceNotFoundException', NOT_FOUND);
    return secret;
  }

  private getSecretValue(input: Record<string, unknown>) {
    const secret = this.find(input);
    const { version } = secret;
    if (input.VersionId !== undefined && input.VersionId !== version?.versionId) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`,
      );
    }
    const stage = input.VersionId === undefined ? String(input.VersionStage ?? CURRENT) : CURRENT;
    if (!version || stage !== CURRENT) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      SecretString: version.secretString,
      VersionStages: [CURRENT],
      CreatedDate: version.createdDate,
    };
  }

  private describeSecret(input: Record<string, unknown>) {
    const secret = this.find(input);
    const { version } = secret;
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      ...(version
        ? {
            CreatedDate: version.createdDate,
            LastChangedDate: version.createdDate,
            VersionIdsToStages: { [version.versionId]: [CURRENT] },
          }
        : {}),
    };
  }
}
