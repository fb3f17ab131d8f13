import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CONFIGURATION_SET_TAG, SES_EVENT_SOURCE, type SesEventType } from '#events/ses-events.ts';
import { type SesFault, SesFaultPlan } from './ses-faults.ts';
import { type AcceptedLetter, bareAddress, isSimulatorAddress, simulatedEvents } from './ses-simulator.ts';
import { type Counted, SlidingCount } from './sliding-count.ts';

/** The account's sending quota, as GetAccount reports it and SendEmail enforces it (per recipient). */
export type SesQuota = { maxSendRate: number; max24HourSend: number };
/** A new account once out of the sandbox. */
export const NEW_PRODUCTION_ACCOUNT: SesQuota = { maxSendRate: 14, max24HourSend: 50_000 };

/** A configuration set and its EventBridge destinations (AWS::SES::ConfigurationSet*, resolved). */
export interface LocalConfigurationSet {
  name: string;
  eventBridge: { busArn: string; eventTypes: SesEventType[] }[];
}

/** CloudFormation's MatchingEventTypes (any case) as SES names the events. */
const EVENT_TYPES: Record<string, SesEventType> = {
  send: 'Send',
  reject: 'Reject',
  bounce: 'Bounce',
  complaint: 'Complaint',
  delivery: 'Delivery',
  open: 'Open',
  click: 'Click',
  renderingfailure: 'Rendering Failure',
  deliverydelay: 'DeliveryDelay',
};

type Json = Record<string, unknown>;

/** The sets from the template's resources (properties resolved): enabled EventBridge destinations only. */
export function configurationSetsFromTemplate(sets: Json[], destinations: Json[]): LocalConfigurationSet[] {
  return sets.map((set) => {
    const name = String(set.Name);
    const eventBridge = destinations
      .filter((d) => String(d.ConfigurationSetName) === name)
      .map((d) => d.EventDestination as Json)
      .filter((d) => d.Enabled !== false && (d.EventBridgeDestination as Json | undefined)?.EventBusArn)
      .map((d) => ({
        busArn: String((d.EventBridgeDestination as Json).EventBusArn),
        eventTypes: ((d.MatchingEventTypes ?? []) as string[]).flatMap((t) => {
          const type = EVENT_TYPES[t.toLowerCase()];
          return type ? [type] : [];
        }),
      }));
    return { name, eventBridge };
  });
}

/** SESv2's answers to a send it will not take, as the SDK reads them (x-amzn-ErrorType and the status). */
const REFUSALS = {
  rate: { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  daily: { status: 429, type: 'TooManyRequestsException', message: 'Daily message quota exceeded.' },
  transient: {
    status: 500,
    type: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
} as const;

const SECOND = 1_000;
const DAY = 86_400_000;
/** SES's rule for EmailTags names and values. */
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The SES account in front of aws-ses-v2-local, between the IAM gateway and the emulator: GetAccount's
 * quota; SendEmail refused above the maximum send rate (a sliding second) or the daily quota, or for an
 * unknown configuration set, as SESv2 refuses; injected faults; and, after the emulator takes a letter
 * sent with a configuration set, its events (the mailbox simulator's outcomes) published to that set's
 * EventBridge destination, asynchronously, as SES does. Everything else passes to the emulator untouched.
 */
export class LocalSesAccount {
  private readonly server: Server;
  private readonly quota: SesQuota;
  private readonly sets: Map<string, LocalConfigurationSet>;
  private readonly mailbox: string;
  private readonly publish: (entries: PutEventsRequestEntry[]) => Promise<void>;
  private readonly now: () => number;
  private readonly region: string;
  private readonly account: string;
  /** Recipients accepted in the last second (all), and in the last day (the simulator's are not counted). */
  private readonly lastSecond = new SlidingCount(SECOND);
  private readonly lastDay = new SlidingCount(DAY);
  private readonly faults = new SesFaultPlan();
  private readonly pending = new Set<Promise<void>>();
  private readonly tally = { accepted: 0, throttled: 0, overDailyQuota: 0, injected: 0 };

  constructor(opts: {
    /** The emulator's URL. */
    mailbox: string;
    configurationSets: LocalConfigurationSet[];
    quota?: Partial<SesQuota>;
    /** PutEvents on the local event bus. */
    publish: (entries: PutEventsRequestEntry[]) => Promise<void>;
    region: string;
    account: string;
    /** The clock the quotas count by (tests may hold it still). */
    now?: () => number;
  }) {
    this.mailbox = opts.mailbox;
    this.sets = new Map(opts.configurationSets.map((set) => [set.name, set]));
    this.quota = { ...NEW_PRODUCTION_ACCOUNT, ...opts.quota };
    this.publish = opts.publish;
    this.region = opts.region;
    this.account = opts.account;
    this.now = opts.now ?? Date.now;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('Local SES account failure', error);
        if (!res.headersSent) refuse(res, REFUSALS.transient);
      });
    });
  }

  /** Where it listens, once it does: the IAM gateway's `ses` upstream. */
  url = '';

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Faults for the next sends (replacing any left); see SesFault. */
  injectFaults(fault: SesFault): void {
    this.faults.set(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** What GetAccount answers. */
  accountDetails() {
    this.forget(this.now());
    return {
      DedicatedIpAutoWarmupEnabled: false,
      EnforcementStatus: 'HEALTHY',
      ProductionAccessEnabled: true,
      SendQuota: {
        Max24HourSend: this.quota.max24HourSend,
        MaxSendRate: this.quota.maxSendRate,
        SentLast24Hours: this.lastDay.total,
      },
      SendingEnabled: true,
      SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    };
  }

  /** Sends taken and refused since the start, by cause, with the faults still to come (`GET /__local/ses`). */
  usage() {
    return { ...this.tally, quota: this.quota, faultsLeft: this.faults.left() };
  }

  /** Resolves once every event publication started so far has ended. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method === 'GET' && path === '/v2/email/account') return json(res, 200, this.accountDetails());
    if (req.method === 'POST' && path === '/v2/email/outbound-emails') return this.sendEmail(req, res, body);
    return this.pass(req, res, body);
  }

  private async sendEmail(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    let input: Json;
    try {
      input = JSON.parse(body.toString('utf8')) as Json;
    } catch {
      return this.pass(req, res, body); // the emulator refuses what is not JSON
    }
    const setName = input.ConfigurationSetName;
    const set = typeof setName === 'string' ? this.sets.get(setName) : undefined;
    if (typeof setName === 'string' && !set) {
      return refuse(res, {
        status: 404,
        type: 'NotFoundException',
        message: `Configuration set <${setName}> does not exist.`,
      });
    }
    const tags = ((input.EmailTags ?? []) as { Name?: unknown; Value?: unknown }[]).map((t) => ({
      name: String(t.Name ?? ''),
      value: String(t.Value ?? ''),
    }));
    const badTag = tags.find((t) => !TAG.test(t.name) || !TAG.test(t.value));
    if (badTag) {
      return refuse(res, {
        status: 400,
        type: 'BadRequestException',
        message: `Invalid message tag <${badTag.name}>: names and values take ASCII letters, digits, _ and - only (1-256).`,
      });
    }
    const injected = this.faults.draw();
    if (injected) {
      this.tally.injected += 1;
      return refuse(res, injected === 'throttle' ? REFUSALS.rate : REFUSALS.transient);
    }
    const destination = destinationOf(input);
    const now = this.now();
    this.forget(now);
    // Taken as SES takes it: a send needs room left, and may then use more than is left.
    const second: Counted = { at: now, recipients: destination.length };
    const day: Counted = { at: now, recipients: destination.filter((r) => !isSimulatorAddress(r)).length };
    if (day.recipients > 0 && this.lastDay.total >= this.quota.max24HourSend) {
      this.tally.overDailyQuota += 1;
      return refuse(res, REFUSALS.daily);
    }
    if (this.lastSecond.total >= this.quota.maxSendRate) {
      this.tally.throttled += 1;
      return refuse(res, REFUSALS.rate);
    }
    // Counted before the emulator answers, so concurrent sends see each other.
    this.lastSecond.add(second);
    this.lastDay.add(day);
    const untaken = () => {
      this.lastSecond.remove(second);
      this.lastDay.remove(day);
    };
    const answer = await this.forward(req, body).catch((error: unknown) => {
      untaken();
      throw error;
    });
    if (answer.status !== 200) {
      untaken();
      return reply(res, answer);
    }
    this.tally.accepted += 1;
    reply(res, answer);
    const { MessageId } = JSON.parse(answer.body.toString('utf8')) as { MessageId: string };
    if (set) this.publishLater(set, this.letterOf(req, input, MessageId, new Date(now), destination, tags));
  }

  private forget(now: number): void {
    this.lastSecond.forget(now);
    this.lastDay.forget(now);
  }

  private letterOf(
    req: IncomingMessage,
    input: Json,
    messageId: string,
    at: Date,
    destination: string[],
    tags: { name: string; value: string }[],
  ): AcceptedLetter {
    const source = String(input.FromEmailAddress ?? '');
    const domain = bareAddress(source).split('@')[1] ?? '';
    const simple = ((input.Content as Json | undefined)?.Simple ?? {}) as Json;
    const subject = String((simple.Subject as Json | undefined)?.Data ?? '');
    const own = ((simple.Headers ?? []) as { Name: string; Value: string }[]).map((h) => ({
      name: h.Name,
      value: h.Value,
    }));
    const caller = callerOf(String(req.headers['x-amz-security-token'] ?? ''));
    const sesTags: Record<string, string[]> = {
      [CONFIGURATION_SET_TAG]: [String(input.ConfigurationSetName)],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': [domain],
      ...(caller ? { 'ses:caller-identity': [caller] } : {}),
    };
    for (const { name, value } of tags) sesTags[name] = [value];
    return {
      messageId,
      at,
      source,
      sourceArn: String(
        input.FromEmailAddressIdentityArn ?? `arn:aws:ses:${this.region}:${this.account}:identity/${domain}`,
      ),
      account: this.account,
      destination,
      subject,
      headers: [
        { name: 'From', value: source },
        { name: 'To', value: destination.join(', ') },
        { name: 'Subject', value: subject },
        ...own,
      ],
      tags: sesTags,
    };
  }

  private publishLater(set: LocalConfigurationSet, letter: AcceptedLetter): void {
    const setArn = `arn:aws:ses:${this.region}:${this.account}:configuration-set/${set.name}`;
    const job = (async () => {
      await new Promise((resolve) => setImmediate(resolve)); // after the answer, as SES publishes
      for (const { busArn, eventTypes } of set.eventBridge) {
        const entries = simulatedEvents(letter, new Set(eventTypes)).map((event) => ({
          EventBusName: busArn,
          Source: SES_EVENT_SOURCE,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
          Resources: [setArn],
          Time: letter.at,
        }));
        for (let i = 0; i < entries.length; i += 10) await this.publish(entries.slice(i, i + 10));
      }
    })()
      .catch((error: unknown) => console.error('Local SES could not publish events', error))
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  private async pass(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    reply(res, await this.forward(req, body));
  }

  private async forward(req: IncomingMessage, body: Buffer) {
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))
        .map(([name, value]) => [name, String(value)]),
    );
    const answer = await fetch(new URL(req.url ?? '/', this.mailbox), {
      method: req.method ?? 'GET',
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
    return {
      status: answer.status,
      contentType: answer.headers.get('content-type') ?? 'application/json',
      body: Buffer.from(await answer.arrayBuffer()),
    };
  }
}

function destinationOf(input: Json): string[] {
  const to = (input.Destination ?? {}) as Json;
  return ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) =>
    ((to[field] ?? []) as unknown[]).map(String),
  );
}

/** The role's name, from the session token the local STS issued (iam-gateway.ts), as SES tags the caller. */
function callerOf(sessionToken: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(sessionToken.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return String(claims.roleArn).split('/').pop() || undefined;
  } catch {
    return undefined;
  }
}

function bodyOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, answer: { status: number; contentType: string; body: Buffer }): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
  res.end(answer.body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  reply(res, { status, contentType: 'application/json', body: payload });
}

/** An SESv2 (REST-JSON) error: the type in x-amzn-ErrorType, the message in the body. */
function refuse(res: ServerResponse, refusal: { status: number; type: string; message: string }): void {
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': refusal.type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ message: refusal.message }));
}
