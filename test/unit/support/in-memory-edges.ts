import type {
  AcceptanceAnswer,
  RateDecision,
  RateLimiter,
  WorkflowAnswers,
  WorkflowStarter,
} from '#shared/leads/ports.ts';

/** The in-memory stand-ins at the edges of the use cases: the workflow starter, the rate limiter, the clock. */

/** Executions by name, as Step Functions keeps them: a second start of one name is refused. */
export class InMemoryStarter implements WorkflowStarter {
  readonly executions = new Set<string>();

  async startLeadIntake(leadId: string, run = leadId): Promise<'started' | 'already_started'> {
    if (this.executions.has(run)) return 'already_started';
    this.executions.add(run);
    return 'started';
  }
}

/** Task tokens as Step Functions holds them: each answered once; an unknown or answered one is closed. */
export class InMemoryAnswers implements WorkflowAnswers {
  readonly waiting = new Set<string>();
  readonly answered: { taskToken: string; answer: AcceptanceAnswer }[] = [];

  async answer(taskToken: string, answer: AcceptanceAnswer): Promise<'delivered' | 'closed'> {
    if (!this.waiting.delete(taskToken)) return 'closed';
    this.answered.push({ taskToken, answer });
    return 'delivered';
  }
}

/** Fixed one-minute windows per client, as the DynamoDB rate limiter counts them. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, number>();

  private readonly perMinute: number;
  constructor(perMinute: number) {
    this.perMinute = perMinute;
  }

  async hit(clientKey: string, nowMs: number): Promise<RateDecision> {
    const windowStart = Math.floor(nowMs / 60_000) * 60;
    const key = `${clientKey}#${windowStart}`;
    const hits = this.windows.get(key) ?? 0;
    if (hits >= this.perMinute) {
      return { allowed: false, retryAfterSeconds: Math.max(1, windowStart + 60 - Math.floor(nowMs / 1000)) };
    }
    this.windows.set(key, hits + 1);
    return { allowed: true };
  }
}

/** A clock the test moves by hand. */
export function testClock(start = '2026-11-23T10:00:00.000Z') {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}
