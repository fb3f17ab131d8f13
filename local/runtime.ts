import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONTEXT_KEYS } from '#infra/config.ts';
import { ENV } from '#shared/environment.ts';
import { describeLocalApp, LOCAL_ACCOUNT, type LocalApp, synthesizeTemplates } from './assembly.ts';
import { bundleFunctions } from './bundles.ts';
import { DEMO_USERS, seedDemoData } from './demo-data.ts';
import { DevTokenIssuer } from './dev-tokens.ts';
import { LocalEventBus } from './event-bus.ts';
import { LocalHttpApi } from './http-api.ts';
import { LocalIam } from './iam.ts';
import { USAGE_PATH } from './iam-gateway.ts';
import { IamGatewayThread } from './iam-gateway-thread.ts';
import { LambdaServiceError, LocalLambdas } from './lambdas.ts';
import { freePort, startDynamoDbLocal, startSesLocal } from './processes.ts';
import { LocalQueues } from './queues.ts';
import { LocalScheduler } from './scheduler.ts';
import { LocalSecretsManager, SecretStore } from './secrets-manager.ts';
import { LocalSesAccount, type SesQuota } from './ses-account.ts';
import { type LambdaInvoker, LocalStepFunctions } from './step-functions.ts';
import { DynamoStreamPoller } from './stream-poller.ts';

export const LOCAL_REGION = 'eu-central-1';

/** Ports, by environment variable; 0 or unset picks a free one, except where a default is given. */
export type LocalPorts = {
  api: number;
  mailbox: number;
  dynamodb: number;
  stepFunctions: number;
  events: number;
};

export type LocalRuntimeOptions = {
  ports?: Partial<LocalPorts>;
  /** Deployment settings, by CDK context key (`attract:*`), as `cdk deploy -c` would take them. */
  context?: Record<string, unknown>;
  demoData?: boolean;
  /** Where DynamoDB Local keeps its data, and Secrets Manager its secrets, across restarts; unset: nothing kept. */
  dataDir?: string;
  /** Execution environments one function may have at once (Lambda scales further; this machine has 2 cores). */
  maxEnvironments?: number;
  /** The SES account's sending quota (GetAccount, and SendEmail's refusals); by default a new production account's. */
  ses?: Partial<SesQuota>;
};

export type LocalRuntime = {
  urls: {
    api: string;
    mailbox: string;
    /** The SES account in front of the mailbox (the IAM gateway's SES upstream): quota, configuration sets, events. */
    ses: string;
    dynamodb: string;
    stepFunctions: string;
    events: string;
    secretsManager: string;
  };
  tokens: Record<string, string>;
  app: LocalApp;
  queues: LocalQueues;
  stepFunctions: LocalStepFunctions;
  eventBus: LocalEventBus;
  pollers: DynamoStreamPoller[];
  lambdas: LocalLambdas;
  /** The SES account in front of the mailbox: its quota, injected faults, the events it publishes. */
  ses: LocalSesAccount;
  stop: () => Promise<void>;
};

/** Deployment settings from `ATTRACT_*` environment variables, e.g. ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE. */
export function contextFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [field, key] of Object.entries(CONTEXT_KEYS)) {
    const name = `ATTRACT_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const value = env[name];
    if (value) context[key] = value;
  }
  return context;
}

/**
 * Brings Attract up on this machine from the synthesized CDK app: DynamoDB Local and the SES v2 emulator
 * as child processes; the state machines, event bus, stream pollers and HTTP API in this process.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const port = async (p: number | undefined) => (p && p > 0 ? p : freePort());
  const ports: LocalPorts = {
    api: await port(options.ports?.api),
    mailbox: await port(options.ports?.mailbox),
    dynamodb: await port(options.ports?.dynamodb),
    stepFunctions: await port(options.ports?.stepFunctions),
    events: await port(options.ports?.events),
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of [...stops].reverse()) await s().catch((e: unknown) => console.error('Stopping:', e));
  };

  try {
    const outdir = mkdtempSync(path.join(tmpdir(), 'attract-cdk-'));
    stops.push(async () => rmSync(outdir, { recursive: true, force: true }));
    // Secrets keep their ARNs (which the templates' references resolve to) and values with a data directory.
    const secretStore = SecretStore.open(options.dataDir);
    const templates = synthesizeTemplates(options.context ?? {}, outdir);
    const app = describeLocalApp(
      templates,
      LOCAL_REGION,
      secretStore.identities(LOCAL_REGION, LOCAL_ACCOUNT),
      `http://127.0.0.1:${ports.api}`,
    );
    const secretsManager = new LocalSecretsManager(app.secrets, secretStore);
    const secretsManagerUrl = await secretsManager.listen();
    stops.push(() => secretsManager.close());

    const [dynamodb, sesEmulator] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb, ...(options.dataDir ? { dbPath: options.dataDir } : {}) }),
      startSesLocal({ port: ports.mailbox }),
    ]);
    stops.push(dynamodb.stop, sesEmulator.stop);

    // SES as the account behaves: quota, configuration sets and their events, in front of the emulator.
    const events = new EventBridgeClient({
      endpoint: `http://127.0.0.1:${ports.events}`,
      region: LOCAL_REGION,
    });
    const ses = new LocalSesAccount({
      mailbox: sesEmulator.endpoint,
      configurationSets: app.configurationSets,
      ...(options.ses ? { quota: options.ses } : {}),
      publish: async (entries) => {
        const { FailedEntryCount } = await events.send(new PutEventsCommand({ Entries: entries }));
        if (FailedEntryCount) throw new Error(`The local bus refused ${FailedEntryCount} SES events`);
      },
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
    });
    const sesUrl = await ses.listen();
    stops.push(async () => {
      await ses.close();
      events.destroy();
    });

    const urls = {
      api: `http://127.0.0.1:${ports.api}`,
      mailbox: sesEmulator.endpoint,
      ses: sesUrl,
      dynamodb: dynamodb.endpoint,
      stepFunctions: `http://127.0.0.1:${ports.stepFunctions}`,
      events: `http://127.0.0.1:${ports.events}`,
      secretsManager: secretsManagerUrl,
    };
    // The runtime's own clients (tables, seeding, stream pollers) speak to the emulators directly.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });

    // Objects are kept with the tables when there is a data directory, else in a directory of this run.
    const objectsDir = options.dataDir
      ? path.join(options.dataDir, 's3-objects')
      : mkdtempSync(path.join(tmpdir(), 'attract-s3-'));
    mkdirSync(objectsDir, { recursive: true });
    if (!options.dataDir) stops.push(async () => rmSync(objectsDir, { recursive: true, force: true }));

    // Functions reach the emulators only through the IAM gateway, with their role's credentials; S3 is
    // served by the gateway itself.
    const iam = new LocalIam(app.roles);
    const gatewaySettings = {
      roles: app.roles,
      upstreams: {
        dynamodb: urls.dynamodb,
        ses: sesUrl,
        states: urls.stepFunctions,
        events: urls.events,
        secretsmanager: urls.secretsManager,
      },
      secrets: app.secrets.map(({ name, arn }) => ({ name, arn })),
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      s3: { buckets: app.buckets, objectsDir },
    };
    const gateway = await IamGatewayThread.start(gatewaySettings);
    stops.push(() => gateway.close());

    const queues = new LocalQueues();
    const { bundles, remove: removeBundles } = await bundleFunctions(app.functions);
    stops.push(async () => removeBundles());
    const lambdas = new LocalLambdas({
      functions: app.functions,
      bundles,
      queues,
      ...(options.maxEnvironments ? { maxEnvironments: options.maxEnvironments } : {}),
      runtimeEnvironment: (fn) => {
        const credentials = gateway.credentialsFor(fn.roleArn, fn.logicalId);
        return {
          AWS_REGION: LOCAL_REGION,
          AWS_DEFAULT_REGION: LOCAL_REGION,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
          AWS_ENDPOINT_URL: gateway.url,
        };
      },
    });
    stops.push(() => lambdas.stop());
    const invoke = (arn: string, event: unknown) => lambdas.invoke(arn, event);
    // A state machine invokes with its own role, which must allow lambda:InvokeFunction on the function.
    const invokeFromStateMachine: LambdaInvoker = async (arn, event, caller) => {
      const machine = app.stateMachines.find((m) => m.arn === caller.stateMachineArn);
      if (!machine) throw new LambdaServiceError('Lambda.AWSLambdaException', `Unknown caller of ${arn}`);
      const decision = await iam.authorize(
        { roleArn: machine.roleArn, sessionName: machine.name },
        'lambda:InvokeFunction',
        [arn],
      );
      if (!decision.allowed) throw new LambdaServiceError('Lambda.AWSLambdaException', decision.message);
      return invoke(arn, event);
    };
    await checkEventSourcePermissions(app, iam);

    const ddb = new DynamoDBClient({ endpoint: urls.dynamodb, region: LOCAL_REGION });
    // With a data directory the tables (and the demo data in them) may already be there from a last run.
    const { TableNames: existing = [] } = await ddb.send(new ListTablesCommand({}));
    const fresh = app.tables.filter((table) => !existing.includes(table.TableName ?? ''));
    for (const table of fresh) await ddb.send(new CreateTableCommand(table));
    for (const ttl of app.timeToLive.filter((t) => fresh.some((table) => table.TableName === t.tableName))) {
      await ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: ttl.tableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: ttl.attribute },
        }),
      );
    }

    const stepFunctions = new LocalStepFunctions({
      stateMachines: app.stateMachines,
      invokeLambda: invokeFromStateMachine,
    });
    await stepFunctions.listen(ports.stepFunctions);
    stops.push(() => stepFunctions.close());

    // EventBridge invokes a Lambda target asynchronously: delivered once Lambda accepts the event.
    // Log-group targets (the audit log) keep what the bus recorded; nothing more to do for them here.
    const deliverToTarget = async (targetArn: string, event: unknown) => {
      if (lambdas.has(targetArn)) await lambdas.invokeAsync(targetArn, event);
    };
    const eventBus = new LocalEventBus({ rules: app.rules, queues, deliver: deliverToTarget });
    await eventBus.listen(ports.events);
    stops.push(() => eventBus.close());

    const pollers = app.streamMappings.map(
      (mapping) =>
        new DynamoStreamPoller({
          endpoint: urls.dynamodb,
          region: LOCAL_REGION,
          mapping,
          queues,
          invoke: (event) => invoke(mapping.functionArn, event),
        }),
    );
    for (const poller of pollers) {
      await poller.start();
      stops.push(() => poller.stop());
    }

    // Scheduled rules fire on their synthesized rate and deliver as rule targets do.
    const scheduler = new LocalScheduler({
      schedules: app.schedules,
      queues,
      deliver: deliverToTarget,
      region: LOCAL_REGION,
    });
    scheduler.start();
    stops.push(async () => scheduler.stop());

    const staffRoute = app.routes.find((r) => r.jwt);
    if (!staffRoute?.jwt) throw new Error('The synthesized API has no JWT-protected route');
    const issuer = await DevTokenIssuer.create(staffRoute.jwt.issuer, staffRoute.jwt.audience[0] ?? '');
    const tokens: Record<string, string> = {};
    for (const user of DEMO_USERS) tokens[user.username] = await issuer.sign(user);

    let ready = false;
    const api = new LocalHttpApi({
      routes: app.routes,
      ...(app.cors ? { cors: app.cors } : {}),
      tokens: issuer,
      invoke,
      injectFaults: (arn, fault) => lambdas.injectFaults(arn, fault),
      ses,
      usage: async () => ({
        ses: ses.usage(),
        awsCalls: await (await fetch(`${gateway.url}${USAGE_PATH}`)).json(),
        lambdaInvocations: lambdas.invocationCounts(),
      }),
      functions: app.functions,
      deadLetters: () =>
        Object.fromEntries(
          app.queues.map((q) => [q.name, queues.messages(q.arn).map((m) => JSON.parse(m.body))]),
        ),
      // Each part is asked, not assumed: the store answers a call, the servers answer on their ports.
      health: async () => {
        const answers = (probe: Promise<unknown>) => probe.then(() => true).catch(() => false);
        const [dynamodb, mailbox, stepFunctions, events] = await Promise.all([
          answers(ddb.send(new ListTablesCommand({ Limit: 1 }))),
          fetch(`${urls.mailbox}/health-check`).then(
            (r) => r.ok,
            () => false,
          ),
          answers(fetch(`${urls.stepFunctions}/__faults`)),
          answers(fetch(`${urls.events}/events`, { method: 'HEAD' })),
        ]);
        return { dynamodb, mailbox, stepFunctions, events, streamPollers: ready };
      },
    });
    await api.listen(ports.api);
    stops.push(() => api.close());

    if ((options.demoData ?? true) && fresh.length > 0) {
      const tableName = app.functions.map((fn) => fn.environment[ENV.tableName]).find(Boolean);
      if (!tableName) throw new Error(`${ENV.tableName} is not set by the synthesized functions`);
      await seedDemoData(DynamoDBDocumentClient.from(ddb), tableName);
    }
    ready = true;
    return { urls, tokens, app, queues, stepFunctions, eventBus, pollers, lambdas, ses, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Lambda refuses to create an event source mapping whose function role cannot read the stream or send to
 * the on-failure destination; so does the local runtime, before it polls anything.
 */
async function checkEventSourcePermissions(app: LocalApp, iam: LocalIam): Promise<void> {
  for (const mapping of app.streamMappings) {
    const fn = app.functions.find((f) => f.arn === mapping.functionArn);
    if (!fn) throw new Error(`The stream mapping of ${mapping.tableName} names no known function`);
    const caller = { roleArn: fn.roleArn, sessionName: fn.logicalId };
    const streamArn = mapping.eventSourceArn;
    const checks: [string, string][] = [
      ['dynamodb:DescribeStream', streamArn],
      ['dynamodb:GetRecords', streamArn],
      ['dynamodb:GetShardIterator', streamArn],
      ['dynamodb:ListStreams', '*'],
      ...(mapping.onFailureQueueArn
        ? [['sqs:SendMessage', mapping.onFailureQueueArn] as [string, string]]
        : []),
    ];
    for (const [action, resource] of checks) {
      const decision = await iam.authorize(caller, action, [resource]);
      if (!decision.allowed) {
        throw new Error(`Cannot create the event source mapping of ${fn.logicalId}: ${decision.message}`);
      }
    }
  }
}
