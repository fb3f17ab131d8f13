import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '#infra/constructs/attract-function.ts';
import type { LocalFunction } from './assembly.ts';
import type { EnvironmentData, FunctionErrorPayload, Invocation, InvocationResult } from './lambda-worker.ts';
import type { LocalQueues } from './queues.ts';

/** A function's unhandled error as Lambda reports it: `name` is its errorType, `payload` the Invoke payload. */
export class LambdaFunctionError extends Error {
  readonly payload: FunctionErrorPayload;
  constructor(payload: FunctionErrorPayload) {
    super(payload.errorMessage);
    this.name = payload.errorType;
    this.payload = payload;
  }
}

/** An error of the Lambda service itself (the invoke was refused), named as the Lambda API names it. */
export class LambdaServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Pending = {
  resolve: (payload: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
};
type Environment = { worker: Worker; busy: boolean; retired: boolean; pending?: Pending };
type Waiter = { resolve: (env: Environment) => void; reject: (error: Error) => void };
const stopped = () => new LambdaServiceError('ServiceException', 'The local Lambda service has stopped');

export type LocalLambdasOptions = {
  functions: LocalFunction[];
  /** Variables Lambda itself sets (region, credentials, endpoints), added to each function's own. */
  runtimeEnvironment: (fn: LocalFunction) => Record<string, string>;
  queues: LocalQueues;
  /** Execution environments one function may have at once on this machine; further invokes wait. */
  maxEnvironments?: number;
  /** The module each function loads, by entry: its bundle (the runtime bundles as `cdk deploy` does). */
  bundles?: Map<string, string>;
  /** Delay before async retry `attempt` (AWS waits about 1 and then 2 minutes). */
  asyncRetryDelayMs?: (attempt: number) => number;
};

/**
 * The local Lambda service. Each function runs in execution environments of its own: worker threads with
 * only the function's synthesized environment, its own module instances, its memory as heap limit and its
 * timeout, serving one invocation at a time. A timed-out or crashed environment is discarded, as in Lambda,
 * and the next invocation starts cold.
 */
export class LocalLambdas {
  private readonly functions: Map<string, LocalFunction>;
  private readonly pools = new Map<string, Environment[]>();
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly asyncInFlight = new Set<Promise<void>>();
  private readonly invocations = new Map<string, number>();
  private readonly faults: { arn: string; count: number; errorType: string; match?: string }[] = [];
  private readonly stopping = new AbortController();
  private readonly options: Required<Omit<LocalLambdasOptions, 'bundles'>> &
    Pick<LocalLambdasOptions, 'bundles'>;

  constructor(options: LocalLambdasOptions) {
    this.options = {
      maxEnvironments: 4,
      asyncRetryDelayMs: (attempt) => 100 * 2 ** attempt,
      ...options,
    };
    this.functions = new Map(options.functions.map((fn) => [fn.arn, fn]));
  }

  has(arn: string): boolean {
    return this.functions.has(unqualified(arn));
  }

  /**
   * Fault injection, for tests of failure paths: the function's next `count` invocations (only those
   * whose event's JSON contains `match`, when given) fail with an unhandled error of this type before
   * its handler runs, as a function that throws would.
   */
  injectFaults(arn: string, fault: { count: number; errorType: string; match?: string }): void {
    this.faults.push({ arn: this.functionOf(arn).arn, ...fault });
  }

  /** Invocations so far by function (logical id), each attempt counted, as Lambda bills them. */
  invocationCounts(): Record<string, number> {
    return Object.fromEntries(this.invocations);
  }

  /** A synchronous invoke (RequestResponse): the function's result, or its error as a LambdaFunctionError. */
  async invoke(arn: string, event: unknown): Promise<unknown> {
    const fn = this.functionOf(arn);
    this.invocations.set(fn.logicalId, (this.invocations.get(fn.logicalId) ?? 0) + 1);
    const fault = this.faults.find(
      (f) => f.arn === fn.arn && f.count > 0 && (!f.match || JSON.stringify(event).includes(f.match)),
    );
    if (fault) {
      fault.count -= 1;
      throw new LambdaFunctionError({
        errorType: fault.errorType,
        errorMessage: 'Injected fault',
        trace: [],
      });
    }
    const env = await this.acquire(fn);
    const requestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    try {
      // Lambda passes the event as JSON: what JSON cannot carry does not reach the handler.
      const payload = JSON.stringify(event ?? null);
      return await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.retire(fn, env);
          reject(
            new LambdaFunctionError({
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              trace: [],
            }),
          );
        }, timeoutMs);
        env.pending = { resolve, reject, timer };
        const deadline = Date.now() + timeoutMs;
        const invocation: Invocation = { requestId, event: payload, deadline };
        env.worker.postMessage(invocation);
      });
    } finally {
      env.pending = undefined;
      this.release(fn, env);
    }
  }

  /**
   * An asynchronous invoke (Event): accepted at once; Lambda then runs it with the function's async
   * retry policy and sends what still fails to its on-failure destination or dead-letter queue.
   */
  async invokeAsync(arn: string, event: unknown): Promise<{ requestId: string }> {
    const fn = this.functionOf(arn);
    const requestId = randomUUID();
    const run = this.runAsync(fn, requestId, structuredClone(event));
    this.asyncInFlight.add(run);
    void run.finally(() => this.asyncInFlight.delete(run));
    return { requestId };
  }

  /** Resolves once every asynchronous invocation so far has succeeded or been sent to its failure path. */
  async idle(): Promise<void> {
    while (this.asyncInFlight.size > 0) await Promise.all(this.asyncInFlight);
  }

  /** Ends every execution environment; invocations still running fail. */
  async stop(): Promise<void> {
    this.stopping.abort();
    // Invocations still waiting for an environment end here rather than start one after the stop.
    for (const queue of this.waiting.values()) for (const waiter of queue.splice(0)) waiter.reject(stopped());
    const all = [...this.pools.entries()].flatMap(([arn, envs]) =>
      envs.map((env) => ({ fn: this.functionOf(arn), env })),
    );
    await Promise.all(all.map(({ fn, env }) => this.retire(fn, env)));
  }

  private functionOf(arn: string): LocalFunction {
    const fn = this.functions.get(unqualified(arn));
    if (!fn) throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${arn}`);
    return fn;
  }

  private async runAsync(fn: LocalFunction, requestId: string, event: unknown): Promise<void> {
    const { maximumRetryAttempts, maximumEventAgeSeconds } = fn.asyncInvoke;
    const acceptedAt = Date.now();
    let failure: FunctionErrorPayload | undefined;
    let attempts = 0;
    let condition = 'RetriesExhausted';
    for (let attempt = 0; attempt <= maximumRetryAttempts; attempt++) {
      if (Date.now() - acceptedAt > maximumEventAgeSeconds * 1000) {
        condition = 'EventAgeExceeded';
        break;
      }
      attempts += 1;
      try {
        await this.invoke(fn.arn, event);
        return;
      } catch (error) {
        failure =
          error instanceof LambdaFunctionError
            ? error.payload
            : { errorType: 'Error', errorMessage: String(error), trace: [] };
      }
      if (attempt === maximumRetryAttempts) break;
      const stopped = await sleep(this.options.asyncRetryDelayMs(attempt), false, {
        signal: this.stopping.signal,
      }).catch(() => true);
      if (stopped) return;
    }
    this.asyncFailed(fn, requestId, event, failure, attempts, condition);
  }

  /** Where an async invocation goes when it still fails: the destination record or the DLQ message AWS sends. */
  private asyncFailed(
    fn: LocalFunction,
    requestId: string,
    event: unknown,
    failure: FunctionErrorPayload | undefined,
    attempts: number,
    condition: string,
  ): void {
    const { onFailureArn, deadLetterArn } = fn.asyncInvoke;
    if (onFailureArn) {
      this.options.queues.send(
        onFailureArn,
        JSON.stringify({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId,
            functionArn: `${fn.arn}:$LATEST`,
            condition,
            approximateInvokeCount: attempts,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: failure ?? null,
        }),
      );
    }
    if (deadLetterArn) {
      this.options.queues.send(deadLetterArn, JSON.stringify(event), {
        RequestID: requestId,
        ErrorCode: '200',
        ErrorMessage: failure?.errorMessage ?? condition,
      });
    }
    if (!onFailureArn && !deadLetterArn) {
      console.error(
        `Lambda: ${fn.logicalId} dropped async request ${requestId} (${condition}); it has no DLQ`,
      );
    }
  }

  /** An idle environment of the function, a new one (a cold start), or the next one freed. */
  private acquire(fn: LocalFunction): Promise<Environment> {
    if (this.stopping.signal.aborted) return Promise.reject(stopped());
    const pool = this.pools.get(fn.arn) ?? [];
    this.pools.set(fn.arn, pool);
    const idle = pool.find((env) => !env.busy);
    if (idle || pool.length < this.options.maxEnvironments) {
      const env = idle ?? this.start(fn);
      env.busy = true;
      return Promise.resolve(env);
    }
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(fn.arn) ?? [];
      queue.push({ resolve, reject });
      this.waiting.set(fn.arn, queue);
    });
  }

  /** Hands the environment to the next invocation in line (a fresh one if it died), or marks it idle. */
  private release(fn: LocalFunction, env: Environment): void {
    const next = this.waiting.get(fn.arn)?.shift();
    if (!next) {
      env.busy = false;
      return;
    }
    const handed = env.retired ? this.start(fn) : env;
    handed.busy = true;
    next.resolve(handed);
  }

  private start(fn: LocalFunction): Environment {
    const workerData: EnvironmentData = {
      modulePath: this.options.bundles?.get(fn.entry) ?? path.join(PROJECT_ROOT, fn.entry),
      functionName: fn.logicalId,
      functionArn: fn.arn,
      memoryMB: fn.memoryMB,
    };
    const worker = new Worker(new URL('./lambda-worker.ts', import.meta.url), {
      env: { ...fn.environment, ...lambdaDefined(fn), ...this.options.runtimeEnvironment(fn) },
      workerData,
      resourceLimits: heapLimits(fn.memoryMB),
    });
    const env: Environment = { worker, busy: false, retired: false };
    this.pools.get(fn.arn)?.push(env);
    worker.on('message', (result: InvocationResult) => {
      const pending = env.pending;
      if (!pending) return;
      clearTimeout(pending.timer);
      if (result.ok) return pending.resolve(JSON.parse(result.payload));
      // A handler module that failed to load leaves no usable environment, as in Lambda.
      if (result.initFailed || result.fatal) void this.retire(fn, env);
      pending.reject(new LambdaFunctionError(result.error));
    });
    const crashed = (errorType: string, errorMessage: string) => {
      const pending = env.pending;
      void this.retire(fn, env);
      if (!pending) return;
      clearTimeout(pending.timer);
      pending.reject(new LambdaFunctionError({ errorType, errorMessage, trace: [] }));
    };
    worker.on('error', (error: Error & { code?: string }) =>
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? crashed('Runtime.OutOfMemory', `Runtime exited with error: out of memory (${fn.memoryMB} MB)`)
        : crashed('Runtime.ExitError', `Runtime exited with error: ${error.message}`),
    );
    worker.on('exit', (code) =>
      crashed('Runtime.ExitError', `Runtime exited with error: exit status ${code}`),
    );
    return env;
  }

  private async retire(fn: LocalFunction, env: Environment): Promise<void> {
    if (env.retired) return;
    env.retired = true;
    const pool = this.pools.get(fn.arn) ?? [];
    if (pool.includes(env)) pool.splice(pool.indexOf(env), 1);
    await env.worker.terminate();
  }
}

/** Variables Lambda defines in every execution environment; Powertools reads cold starts from the last one. */
const lambdaDefined = (fn: LocalFunction): Record<string, string> => ({
  AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMB),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.logicalId}`,
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  TZ: ':UTC',
});

/**
 * The heap Lambda's Node.js bootstrap gives a function of this memory size: a tenth of it as new space
 * (`--max-semi-space-size` of half that) and the rest as old space; V8's young generation is three
 * semi-spaces. With only the old space set, a worker takes the main thread's young generation (192 MB
 * here), so a 128 MB function could hold 320 MB.
 */
function heapLimits(memoryMB: number): {
  maxYoungGenerationSizeMb: number;
  maxOldGenerationSizeMb: number;
} {
  const newSpace = Math.floor(memoryMB / 10);
  const semiSpace = Math.floor(newSpace / 2);
  return { maxYoungGenerationSizeMb: 3 * semiSpace, maxOldGenerationSizeMb: memoryMB - newSpace };
}

/** `arn:...:function:Name:qualifier` without its qualifier. */
const unqualified = (arn: string) => arn.replace(/^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+):.+$/, '$1');
