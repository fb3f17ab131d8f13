import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { PROJECT_ROOT } from '#infra/constructs/attract-function.ts';
import type { LocalFunction } from './assembly.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the synthesized functions in this process: each ARN maps to the handler module its
 * AttractFunction names, loaded once (module scope runs once, as in a warm Lambda).
 */
export class LocalLambdas {
  private readonly functions: Map<string, LocalFunction>;
  private readonly loaded = new Map<string, Promise<Handler>>();

  constructor(functions: LocalFunction[]) {
    this.functions = new Map(functions.map((fn) => [fn.arn, fn]));
  }

  /**
   * The functions' environments, merged: they run in one process, so one name must mean one value.
   * The infrastructure gives every function the same names for the same things, which this checks.
   */
  environment(): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const fn of this.functions.values()) {
      for (const [name, value] of Object.entries(fn.environment)) {
        if (name in merged && merged[name] !== value) {
          throw new Error(`Functions disagree on ${name}: ${merged[name]} vs ${value} (${fn.logicalId})`);
        }
        merged[name] = value;
      }
    }
    return merged;
  }

  has(arn: string): boolean {
    return this.functions.has(arn);
  }

  async invoke(arn: string, event: unknown): Promise<unknown> {
    const fn = this.functions.get(arn);
    if (!fn) throw new Error(`No local function for ${arn}`);
    let handler = this.loaded.get(arn);
    if (!handler) {
      handler = import(pathToFileURL(path.join(PROJECT_ROOT, fn.entry)).href).then(
        (m) => m.handler as Handler,
      );
      this.loaded.set(arn, handler);
    }
    return (await handler)(structuredClone(event), lambdaContext(fn));
  }
}

function lambdaContext(fn: LocalFunction): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.logicalId,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.logicalId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
