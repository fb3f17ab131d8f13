import { request } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { signInLocally } from '#local/sign-in.ts';
import { Directory } from '#shared/adapters/directory.ts';
import { ApiContract } from './contract.ts';

export const api = () => inject('api');
export const tokens = () => inject('tokens');

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert on what they read
type Body = any;
export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Body };

type CallOptions = {
  body?: string | object;
  headers?: Record<string, string>;
  from?: string;
  token?: string;
};

/**
 * An HTTP call from a chosen loopback address: each test (or each simulated client) speaks from its own
 * 127.x address, so the per-client rate limit sees distinct clients, as it would on the internet.
 * Every answer of the API is checked against the description it serves: a status, header or body the
 * description does not allow fails the call, whatever the test then asserts.
 */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await send(method, path, options);
  if (!outsideTheApi(method, path, options)) {
    const problems = (await contract()).problems({ method, path, ...reply });
    if (problems.length) {
      throw new Error(
        `${method} ${path} answered ${reply.status} outside the API description:\n- ${problems.join('\n- ')}\n` +
          `body: ${JSON.stringify(reply.body).slice(0, 2000)}`,
      );
    }
  }
  return reply;
}

/**
 * Answers the description does not cover, on purpose: the local runtime's own endpoints (`/health`,
 * `/__local/...`, not part of the API) and CORS preflights, which API Gateway answers from its CORS
 * configuration before any route.
 */
const outsideTheApi = (method: string, path: string, options: CallOptions) =>
  path === '/health' ||
  path.startsWith('/__local/') ||
  (method === 'OPTIONS' && options.headers?.['access-control-request-method'] !== undefined);

let described: Promise<ApiContract> | undefined;
/** The description as the running API serves it, loaded once per test file. */
const contract = () => {
  described ??= send('GET', '/openapi.json', {}).then((reply) => ApiContract.of(reply.body as object));
  return described;
};

/** The HTTP exchange itself, unchecked. */
function send(method: string, path: string, options: CallOptions): Promise<Reply> {
  const url = new URL(path, api());
  const body =
    typeof options.body === 'string' ? options.body : options.body ? JSON.stringify(options.body) : undefined;
  const headers: Record<string, string> = {
    ...(options.body !== undefined && typeof options.body !== 'string'
      ? { 'content-type': 'application/json' }
      : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers,
        localAddress: options.from ?? '127.0.0.1',
        // A connection per call: a kept-alive socket the server closes after its idle timeout, while a
        // busy test process still thinks it open, fails the next call with "socket hang up".
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Each test file starts from a random point of 127/8, so files never share a client (and its rate window).
let nextAddress = 1 + Math.floor(Math.random() * 0xfe0000);
/** A fresh loopback address for a simulated client. */
export const clientAddress = () => {
  nextAddress += (nextAddress & 0xff) === 0xff ? 2 : 1; // skip .0 host addresses
  return `127.${(nextAddress >> 16) & 0xff}.${(nextAddress >> 8) & 0xff}.${nextAddress & 0xff}`;
};

export { demoEnquiry as enquiry } from '#local/demo-data.ts';

const localAws = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
export const sfn = () => new SFNClient({ ...localAws, endpoint: inject('stepFunctions') });
export const dynamo = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...localAws, endpoint: inject('dynamodb') }));

/** The Attract table's name, as the local runtime created it from the template. */
export async function tableName(): Promise<string> {
  const { TableNames = [] } = await dynamo().send(new ListTablesCommand({}));
  const name = TableNames.find((n) => n.includes('AttractTable'));
  if (!name) throw new Error('The Attract table was not found');
  return name;
}

/** The directory (managers, clients, referral codes) over the local table: for seeding what a test needs. */
export const directory = async () => new Directory(dynamo(), await tableName());

/** Polls until `check` returns a value (not undefined); no fixed sleeps. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const LEAD_INTAKE_NAME = 'LeadIntake';

/** The LeadIntake executions named after this lead (the name is the lead id). */
export async function executionsOf(leadId: string) {
  const client = sfn();
  const machines = await client.send(new ListStateMachinesCommand({}));
  const machine = machines.stateMachines?.find((m) => m.name?.includes(LEAD_INTAKE_NAME));
  if (!machine?.stateMachineArn) throw new Error('LeadIntake state machine not found');
  const { executions = [] } = await client.send(
    new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }),
  );
  return executions.filter((e) => e.name === leadId);
}

/** Waits for the lead's execution to finish and returns its status. */
export async function finishedExecution(leadId: string) {
  const [execution] = await eventually(async () => {
    const found = await executionsOf(leadId);
    return found.length ? found : undefined;
  }, `an execution for ${leadId}`);
  return eventually(async () => {
    const d = await sfn().send(new DescribeExecutionCommand({ executionArn: execution?.executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, `execution ${leadId} to finish`);
}

export type StoredEmail = { to: string[]; from: string; subject: string; html: string; text: string };

/** The local SES mailbox, as stored by the emulator (recipients under `destination`, bodies under `body`). */
export async function mailbox(): Promise<StoredEmail[]> {
  const res = await fetch(`${inject('mailbox')}/store`);
  const store = (await res.json()) as {
    emails: {
      from: string;
      subject: string;
      destination: { to: string[] };
      body: { html?: string; text?: string };
    }[];
  };
  return store.emails.map((e) => ({
    to: e.destination.to,
    from: e.from,
    subject: e.subject,
    html: e.body.html ?? '',
    text: e.body.text ?? '',
  }));
}

/** The head of unit's dev token: reads every lead. */
export const headToken = () => tokens()['irina.head'] ?? '';

/** A personal manager of the roster, signed in: the token carries their directory id. */
export const managerToken = (managerId: string) =>
  signInLocally(api(), headToken(), { username: managerId, groups: ['personal_manager'], managerId });

/**
 * The lead once its execution is at rest: finished, or waiting for its manager's answer with the manager
 * told (one `manager_notified` entry per offer). Answers the lead as the head of unit reads it.
 */
export async function leadAtRest(leadId: string) {
  return eventually(async () => {
    const [execution] = await executionsOf(leadId);
    if (!execution) return undefined;
    const lead = (await call('GET', `/v1/leads/${leadId}`, { token: headToken() })).body;
    if (execution.status !== 'RUNNING') return lead;
    const notified = lead.timeline.filter((e: { kind: string }) => e.kind === 'manager_notified').length;
    const waiting = lead.assignedManager && !lead.assignedManager.acceptedAt;
    return waiting && notified >= lead.assignedManager.attempt ? lead : undefined;
  }, `lead ${leadId} at rest`);
}
