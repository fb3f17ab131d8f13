import { AwsError, LostResponse } from '../json-protocol.ts';
import { parseJson } from './support.ts';

export interface FaultRule {
  operation: string;
  mode: 'fail_before' | 'fail_after';
  count: number;
}

/**
 * Injected faults, for tests only. Both are retryable, as AWS's own failures are: fail_before answers
 * 503 before doing anything, fail_after does the work and then drops the connection (a lost response),
 * so with the SDK's default 3 attempts the caller sees an error only when faults outnumber its retries.
 */
export class FaultInjector {
  private readonly faults: FaultRule[] = [];

  async run(operation: string, work: () => unknown): Promise<unknown> {
    const fault = this.faults.find((f) => f.operation === operation && f.count > 0);
    if (fault) fault.count -= 1;
    if (fault?.count === 0) this.faults.splice(this.faults.indexOf(fault), 1);
    if (fault?.mode === 'fail_before') {
      throw new AwsError('ServiceUnavailable', `Injected fault before ${operation}`, 503);
    }
    const result = await work();
    if (fault?.mode === 'fail_after') throw new LostResponse(`Injected fault after ${operation}`);
    return result;
  }

  /** `/__faults`: POST adds a rule, DELETE clears them, GET lists what is left. */
  route(method: string, body: string): { status: number; body: unknown } | undefined {
    if (method === 'POST') {
      const rule = parseJson(body || '{}', 'SerializationException') as Partial<FaultRule>;
      const count = rule.count ?? 1;
      if (typeof rule.operation !== 'string' || !['fail_before', 'fail_after'].includes(String(rule.mode))) {
        return {
          status: 400,
          body: { message: 'Expected { operation, mode: fail_before|fail_after, count }' },
        };
      }
      if (!Number.isInteger(count) || count < 1) {
        return { status: 400, body: { message: 'count must be >= 1' } };
      }
      this.faults.push({ operation: rule.operation, mode: rule.mode as FaultRule['mode'], count });
      return { status: 200, body: { faults: this.faults } };
    }
    if (method === 'DELETE') {
      this.faults.length = 0;
      return { status: 200, body: { faults: [] } };
    }
    if (method === 'GET') return { status: 200, body: { faults: this.faults } };
    return undefined;
  }
}
