import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalQueues } from './queues.ts';

/** A rule's target as the template gives it: the ARN, its fixed Input, its retry policy and dead-letter queue. */
export interface RuleTarget {
  id: string;
  arn: string;
  input?: string;
  deadLetterArn?: string;
  maximumRetryAttempts?: number;
  maximumEventAgeSeconds?: number;
}

/**
 * Hands an event to a target. For a Lambda target that is an asynchronous invoke: it resolves once Lambda
 * accepts the event (function errors are then Lambda's own retries and destinations) and rejects only
 * when the invoke is refused. Reject with a DeliveryError, or an Error named as the service's API error.
 */
export type DeliverToTarget = (targetArn: string, event: unknown) => Promise<void>;

/** A delivery failure as EventBridge records it: its dead-letter ERROR_CODE and whether a retry may help. */
export class DeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.name = 'DeliveryError';
    this.code = code;
    this.retryable = retryable;
  }
}

// EventBridge's defaults when a target sets no RetryPolicy: 185 retries within 24 hours.
const DEFAULT_RETRY_ATTEMPTS = 185;
const DEFAULT_MAXIMUM_EVENT_AGE_S = 86_400;
/** Seconds before retry n: exponential up to five minutes (AWS documents the shape, not the numbers). */
const backoffSeconds = (retry: number) => Math.min(2 ** retry, 300);

/** `arn:aws:events:REGION:ACCOUNT:rule/NAME` on the default bus, `rule/BUS/NAME` on another. */
export function ruleArn(region: string, account: string, busName: string, ruleName: string): string {
  const path = busName === 'default' ? ruleName : `${busName}/${ruleName}`;
  return `arn:aws:events:${region}:${account}:rule/${path}`;
}

/**
 * Delivers events to rule targets as EventBridge does: retries a retryable failure with exponential
 * backoff until MaximumRetryAttempts or MaximumEventAgeInSeconds runs out, sends a permission or missing
 * resource failure straight on, then dead-letters with EventBridge's attributes or drops the event.
 * Time is compressed: one second of AWS backoff waits `msPerAwsSecond` milliseconds here, and the event's
 * age counts the backoff only (the attempts themselves take no time on the AWS clock).
 */
export class TargetDelivery {
  private readonly deliver: DeliverToTarget;
  private readonly queues: LocalQueues;
  private readonly msPerAwsSecond: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(opts: { deliver: DeliverToTarget; queues: LocalQueues; msPerAwsSecond?: number }) {
    this.deliver = opts.deliver;
    this.queues = opts.queues;
    this.msPerAwsSecond = opts.msPerAwsSecond ?? 1;
  }

  /** Starts delivering `payload` to `target` for the rule `rule` (an ARN); `idle()` waits for it. */
  send(rule: string, target: RuleTarget, payload: unknown): void {
    const delivery = this.deliverWithRetries(rule, target, payload);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves once every delivery started so far has succeeded, been dead-lettered or dropped. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Drops pending retries so no timer keeps the process alive. */
  stop(): void {
    this.stopping.abort();
  }

  private async deliverWithRetries(rule: string, target: RuleTarget, payload: unknown): Promise<void> {
    const retries = target.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    const maximumAge = target.maximumEventAgeSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_S;
    let ageSeconds = 0;
    for (let retry = 0; ; retry++) {
      try {
        await this.deliver(target.arn, structuredClone(payload));
        return;
      } catch (error) {
        const failure = classify(error);
        const wait = backoffSeconds(retry);
        if (!failure.retryable) return this.deadLetter(rule, target, payload, { ...failure, retry });
        const exhausted =
          retry >= retries
            ? 'MaximumRetryAttempts'
            : ageSeconds + wait > maximumAge
              ? 'MaximumEventAgeInSeconds'
              : undefined;
        if (exhausted) return this.deadLetter(rule, target, payload, { ...failure, retry, exhausted });
        ageSeconds += wait;
        const stopped = await sleep(wait * this.msPerAwsSecond, false, {
          signal: this.stopping.signal,
        }).catch(() => true);
        if (stopped) return;
      }
    }
  }

  private deadLetter(
    rule: string,
    target: RuleTarget,
    payload: unknown,
    failure: { code: string; message: string; retry: number; exhausted?: string },
  ): void {
    if (!target.deadLetterArn) {
      console.error(`${rule} dropped an event for ${target.arn} (no dead-letter queue): ${failure.message}`);
      return;
    }
    this.queues.send(target.deadLetterArn, JSON.stringify(payload), {
      RULE_ARN: rule,
      TARGET_ARN: target.arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      RETRY_ATTEMPTS: String(failure.retry),
      ...(failure.exhausted ? { EXHAUSTED_RETRY_CONDITION: failure.exhausted } : {}),
    });
  }
}

/** EventBridge sends permission and missing-resource failures to the DLQ at once, and retries the rest. */
function classify(error: unknown): { code: string; message: string; retryable: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DeliveryError) return { code: error.code, message, retryable: error.retryable };
  const name = error instanceof Error ? error.name.replace(/^Lambda\./, '') : '';
  if (/AccessDenied|NotAuthorized|Unauthorized/.test(name)) {
    return { code: 'NO_PERMISSIONS', message, retryable: false };
  }
  if (/NotFound|NoSuch/.test(name)) return { code: 'NO_RESOURCE', message, retryable: false };
  if (/TooManyRequests|Throttl/.test(name)) return { code: 'THROTTLING', message, retryable: true };
  return { code: 'ERROR_FROM_TARGET', message, retryable: true };
}
