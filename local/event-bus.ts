import { randomUUID } from 'node:crypto';
import { matchesEventPattern, validateEventPattern } from './event-pattern.ts';
import { AwsError, closeServer, createJsonProtocolServer, listenOn } from './json-protocol.ts';
import type { LocalQueues } from './queues.ts';
import { type DeliverToTarget, type RuleTarget, ruleArn, TargetDelivery } from './target-delivery.ts';

export interface LocalRule {
  name: string;
  eventBusName: string;
  eventPattern: unknown;
  targets: RuleTarget[];
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

const MAX_ENTRIES = 10;

/**
 * A local EventBridge on the AWS JSON 1.1 protocol (PutEvents), so @aws-sdk/client-eventbridge works
 * against it. Rules are checked when created and match with EventBridge patterns; targets get the event
 * asynchronously, with their retry policy and then their dead-letter queue, as in AWS.
 */
export class LocalEventBus {
  private readonly rules: (LocalRule & { arn: string })[];
  private readonly delivery: TargetDelivery;
  private readonly region: string;
  private readonly account: string;
  private readonly accepted: BusEvent[] = [];
  private readonly server = createJsonProtocolServer({
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    operations: { PutEvents: (input) => this.putEvents(input) },
    routes: (method, path) =>
      method === 'GET' && path === '/events' ? { status: 200, body: this.events() } : undefined,
  });

  /** Throws InvalidEventPatternException, as PutRule does, when a rule's pattern is not valid. */
  constructor(opts: {
    rules: LocalRule[];
    deliver: DeliverToTarget;
    queues: LocalQueues;
    region?: string;
    account?: string;
    /** Milliseconds one second of EventBridge's retry backoff lasts here (default 1). */
    msPerAwsSecond?: number;
  }) {
    this.region = opts.region ?? process.env.AWS_REGION ?? 'eu-central-1';
    this.account = opts.account ?? '000000000000';
    this.rules = opts.rules.map((rule) => {
      validateEventPattern(rule.eventPattern);
      return { ...rule, arn: ruleArn(this.region, this.account, busName(rule.eventBusName), rule.name) };
    });
    this.delivery = new TargetDelivery({
      deliver: opts.deliver,
      queues: opts.queues,
      ...(opts.msPerAwsSecond !== undefined ? { msPerAwsSecond: opts.msPerAwsSecond } : {}),
    });
  }

  listen(port: number): Promise<string> {
    return listenOn(this.server, port);
  }

  /** Stops accepting events; pending retries are dropped so no timer keeps the process alive. */
  async close(): Promise<void> {
    this.delivery.stop();
    await closeServer(this.server);
  }

  /** Every accepted event, in EventBridge's envelope. */
  events(): BusEvent[] {
    return structuredClone(this.accepted);
  }

  /** Resolves once every delivery started so far has succeeded, been dead-lettered or dropped. */
  idle(): Promise<void> {
    return this.delivery.idle();
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
        this.delivery.send(rule.arn, target, target.input === undefined ? event : JSON.parse(target.input));
      }
    }
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
