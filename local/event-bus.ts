import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { matchesEventPattern } from './event-pattern.ts';
import { AwsError, closeServer, createJsonProtocolServer, listenOn } from './json-protocol.ts';
import type { LocalQueues } from './queues.ts';

export interface LocalRule {
  name: string;
  eventBusName: string;
  eventPattern: unknown;
  targets: {
    id: string;
    arn: string;
    input?: string;
    deadLetterArn?: string;
    maximumRetryAttempts?: number;
  }[];
}

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const DEFAULT_RETRY_ATTEMPTS = 185; // EventBridge's default retry policy (its 24 hours shrink to seconds here)
const MAX_ENTRIES = 10;

/**
 * A local EventBridge on the AWS JSON 1.1 protocol (PutEvents), so @aws-sdk/client-eventbridge works
 * against it. Rules match with EventBridge patterns; targets get the event asynchronously, with retries
 * and then their dead-letter queue, as in AWS.
 */
export class LocalEventBus {
  private readonly rules: LocalRule[];
  private readonly deliver: (targetArn: string, event: unknown) => Promise<void>;
  private readonly queues: LocalQueues;
  private readonly region: string;
  private readonly account: string;
  private readonly accepted: BusEvent[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly server = createJsonProtocolServer({
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    operations: { PutEvents: (input) => this.putEvents(input) },
    routes: (method, path) =>
      method === 'GET' && path === '/events' ? { status: 200, body: this.events() } : undefined,
  });

  constructor(opts: {
    rules: LocalRule[];
    deliver: (targetArn: string, event: unknown) => Promise<void>;
    queues: LocalQueues;
    region?: string;
    account?: string;
  }) {
    this.rules = opts.rules;
    this.deliver = opts.deliver;
    this.queues = opts.queues;
    this.region = opts.region ?? process.env.AWS_REGION ?? 'eu-central-1';
    this.account = opts.account ?? '000000000000';
  }

  listen(port: number): Promise<string> {
    return listenOn(this.server, port);
  }

  /** Stops accepting events; pending retries are dropped so no timer keeps the process alive. */
  async close(): Promise<void> {
    this.stopping.abort();
    await closeServer(this.server);
  }

  /** Every accepted event, in EventBridge's envelope. */
  events(): BusEvent[] {
    return structuredClone(this.accepted);
  }

  /** Resolves once every delivery started so far has succeeded or been dead-lettered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private putEvents(input: Record<string, unknown>) {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new AwsError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} events`);
    }
    const results = entries.map((entry: Record<string, unknown>) => {
      const problem = invalidEntry(entry);
      if (problem) return problem;
      const event = this.envelope(entry);
      this.accepted.push(event);
      this.route(busName(entry.EventBusName), event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private envelope(entry: Record<string, unknown>): BusEvent {
    const time = typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date();
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': String(entry.DetailType),
      source: String(entry.Source),
      account: this.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail: JSON.parse(String(entry.Detail)) as Record<string, unknown>,
    };
  }

  private route(bus: string, event: BusEvent): void {
    for (const rule of this.rules) {
      if (busName(rule.eventBusName) !== bus || !matchesEventPattern(rule.eventPattern, event)) continue;
      for (const target of rule.targets) {
        const payload = target.input === undefined ? event : JSON.parse(target.input);
        const delivery = this.deliverWithRetries(rule, target, payload);
        this.inFlight.add(delivery);
        void delivery.finally(() => this.inFlight.delete(delivery));
      }
    }
  }

  private async deliverWithRetries(rule: LocalRule, target: LocalRule['targets'][number], payload: unknown) {
    const retries = target.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deliver(target.arn, structuredClone(payload));
        return;
      } catch (error) {
        if (attempt >= retries) return this.deadLetter(rule, target, payload, error);
        // AWS backs off over hours; locally tens of milliseconds.
        const stopped = await sleep(Math.min(10 * 2 ** attempt, 250), false, {
          signal: this.stopping.signal,
        }).catch(() => true);
        if (stopped) return;
      }
    }
  }

  private deadLetter(
    rule: LocalRule,
    target: LocalRule['targets'][number],
    payload: unknown,
    error: unknown,
  ) {
    const message = error instanceof Error ? error.message : String(error);
    if (!target.deadLetterArn) {
      console.error(
        `Event bus: ${rule.name} gave up on ${target.arn} without a dead-letter queue: ${message}`,
      );
      return;
    }
    // The attributes EventBridge puts on a dead-lettered event.
    this.queues.send(target.deadLetterArn, JSON.stringify(payload), {
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: message,
      RULE_ARN: `arn:aws:events:${this.region}:${this.account}:rule/${rule.eventBusName}/${rule.name}`,
      TARGET_ARN: target.arn,
    });
  }
}

/** A bus given by name or by ARN (`arn:aws:events:region:account:event-bus/NAME`). */
const busName = (nameOrArn: unknown) =>
  typeof nameOrArn === 'string' && nameOrArn
    ? nameOrArn.replace(/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, '')
    : 'default';

function invalidEntry(
  entry: Record<string, unknown>,
): { ErrorCode: string; ErrorMessage: string } | undefined {
  for (const field of ['Source', 'DetailType', 'Detail']) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  try {
    const detail = JSON.parse(String(entry.Detail));
    if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) return undefined;
  } catch {
    // reported below, as EventBridge does
  }
  return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
}
