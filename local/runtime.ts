import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONTEXT_KEYS } from '#infra/config.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { ENV } from '#shared/environment.ts';
import { describeLocalApp, type LocalApp, synthesizeTemplates } from './assembly.ts';
import { DEMO_USERS, seedDemoData } from './demo-data.ts';
import { DevTokenIssuer } from './dev-tokens.ts';
import { LocalEventBus } from './event-bus.ts';
import { LocalHttpApi } from './http-api.ts';
import { LocalLambdas } from './lambdas.ts';
import { freePort, startDynamoDbLocal, startSesLocal } from './processes.ts';
import { LocalQueues } from './queues.ts';
import { LocalStepFunctions } from './step-functions.ts';
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
};

export type LocalRuntime = {
  urls: { api: string; mailbox: string; dynamodb: string; stepFunctions: string; events: string };
  tokens: Record<string, string>;
  app: LocalApp;
  queues: LocalQueues;
  stepFunctions: LocalStepFunctions;
  eventBus: LocalEventBus;
  pollers: DynamoStreamPoller[];
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
    const app = describeLocalApp(synthesizeTemplates(options.context ?? {}, outdir), LOCAL_REGION);

    const [dynamodb, ses] = await Promise.all([
      startDynamoDbLocal({ port: ports.dynamodb }),
      startSesLocal({ port: ports.mailbox }),
    ]);
    stops.push(dynamodb.stop, ses.stop);

    const urls = {
      api: `http://127.0.0.1:${ports.api}`,
      mailbox: ses.endpoint,
      dynamodb: dynamodb.endpoint,
      stepFunctions: `http://127.0.0.1:${ports.stepFunctions}`,
      events: `http://127.0.0.1:${ports.events}`,
    };
    // The handlers' SDK clients find the emulators through the standard endpoint variables.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
      AWS_ENDPOINT_URL_SESV2: urls.mailbox,
      AWS_ENDPOINT_URL_SFN: urls.stepFunctions,
      AWS_ENDPOINT_URL_EVENTBRIDGE: urls.events,
      POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'false',
    });

    const lambdas = new LocalLambdas(app.functions);
    Object.assign(process.env, lambdas.environment());
    const invoke = (arn: string, event: unknown) => lambdas.invoke(arn, event);

    const ddb = new DynamoDBClient({ endpoint: urls.dynamodb, region: LOCAL_REGION });
    for (const table of app.tables) await ddb.send(new CreateTableCommand(table));
    for (const ttl of app.timeToLive) {
      await ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: ttl.tableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: ttl.attribute },
        }),
      );
    }

    const queues = new LocalQueues();
    const stepFunctions = new LocalStepFunctions({
      stateMachines: app.stateMachines,
      invokeLambda: invoke,
    });
    await stepFunctions.listen(ports.stepFunctions);
    stops.push(() => stepFunctions.close());

    const eventBus = new LocalEventBus({
      rules: app.rules,
      queues,
      deliver: async (targetArn, event) => {
        if (lambdas.has(targetArn)) await invoke(targetArn, event);
        // Log-group targets (the audit log) keep what the bus recorded; nothing more to do here.
      },
    });
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

    // Scheduled rules run on their synthesized rate, with the input the rule gives each target.
    for (const schedule of app.schedules) {
      const timer = setInterval(() => {
        for (const target of schedule.targets) {
          const input = target.input
            ? JSON.parse(target.input)
            : { 'detail-type': 'Scheduled Event', source: 'aws.events' };
          invoke(target.arn, input).catch((e: unknown) =>
            console.error(`Schedule ${schedule.name} failed:`, e),
          );
        }
      }, schedule.everyMs);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }

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

    if (options.demoData ?? true) {
      const tableName = process.env[ENV.tableName];
      if (!tableName) throw new Error(`${ENV.tableName} is not set by the synthesized functions`);
      await seedDemoData(new Directory(DynamoDBDocumentClient.from(ddb), tableName));
    }
    ready = true;
    return { urls, tokens, app, queues, stepFunctions, eventBus, pollers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
