import { randomUUID } from 'node:crypto';
import type { LocalSchedule } from './assembly.ts';
import type { LocalQueues } from './queues.ts';
import { type DeliverToTarget, ruleArn, TargetDelivery } from './target-delivery.ts';

/** The event a scheduled rule sends a target that has no fixed Input. */
export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: [string];
  detail: Record<string, never>;
}

/**
 * Runs the scheduled rules (on the default bus, as EventBridge schedules are): each fires on its rate and
 * delivers to its targets exactly as rule targets are delivered, with their retry policy and dead-letter
 * queue. The assembly refuses cron(...) expressions; only rate(...) is emulated.
 */
export class LocalScheduler {
  private readonly schedules: LocalSchedule[];
  private readonly delivery: TargetDelivery;
  private readonly region: string;
  private readonly account: string;
  private readonly timeScale: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(opts: {
    schedules: LocalSchedule[];
    deliver: DeliverToTarget;
    queues: LocalQueues;
    region?: string;
    account?: string;
    /** Real milliseconds per scheduled millisecond: 1 runs rate(5 minutes) every 5 minutes (for tests). */
    timeScale?: number;
    /** Milliseconds one second of EventBridge's retry backoff lasts here (default 1). */
    msPerAwsSecond?: number;
  }) {
    for (const { name, everyMs } of opts.schedules) {
      if (!(Number.isFinite(everyMs) && everyMs > 0))
        throw new Error(`Schedule ${name} has no rate: ${everyMs}`);
    }
    this.schedules = opts.schedules;
    this.region = opts.region ?? process.env.AWS_REGION ?? 'eu-central-1';
    this.account = opts.account ?? '000000000000';
    this.timeScale = opts.timeScale ?? 1;
    this.delivery = new TargetDelivery({
      deliver: opts.deliver,
      queues: opts.queues,
      ...(opts.msPerAwsSecond !== undefined ? { msPerAwsSecond: opts.msPerAwsSecond } : {}),
    });
  }

  /** Starts every schedule; the first firing comes one period after the start, as after PutRule. */
  start(): void {
    if (this.timers.length > 0) return;
    for (const schedule of this.schedules) {
      const timer = setInterval(() => this.fire(schedule), schedule.everyMs * this.timeScale);
      timer.unref(); // a schedule alone must not keep the process alive
      this.timers.push(timer);
    }
  }

  /** Stops firing and drops pending retries. */
  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.delivery.stop();
  }

  /** Resolves once every delivery started so far has succeeded, been dead-lettered or dropped. */
  idle(): Promise<void> {
    return this.delivery.idle();
  }

  private fire(schedule: LocalSchedule): void {
    const rule = ruleArn(this.region, this.account, 'default', schedule.name);
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.account,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [rule],
      detail: {},
    };
    for (const target of schedule.targets) {
      this.delivery.send(rule, target, target.input === undefined ? event : JSON.parse(target.input));
    }
  }
}
