import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/**
 * One Lambda execution environment: a worker thread with the function's own environment and module
 * instances. It imports the handler once (the cold start), then runs one invocation at a time, as Lambda
 * does. Module scope runs here, so a missing variable fails this function's initialization, not another's.
 */
export type EnvironmentData = {
  /** The handler module: the function's bundle, as Lambda loads it (or its source, in unit tests). */
  modulePath: string;
  functionName: string;
  functionArn: string;
  memoryMB: number;
};
/** The event and the result travel as JSON text, as Lambda's Invoke carries them. */
export type Invocation = { requestId: string; event: string; deadline: number };
/** What Lambda returns for an unhandled error: the Invoke response payload when FunctionError is set. */
export type FunctionErrorPayload = { errorType: string; errorMessage: string; trace: string[] };
export type InvocationResult = { requestId: string } & (
  | { ok: true; payload: string }
  /** `initFailed`: the handler module could not load, so Lambda discards this environment. */
  | { ok: false; error: FunctionErrorPayload; initFailed: boolean; fatal?: boolean }
);

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const data = workerData as EnvironmentData;
// NODE_OPTIONS=--enable-source-maps, as the functions set it, does not reach a worker thread.
process.setSourceMapsEnabled(true);
const port = parentPort;
if (!port) throw new Error('local/lambda-worker.ts runs only as a worker thread');

/** As the Node.js runtime reports it: an Error by name, message and stack; any other value by its typeof. */
function errorPayload(error: unknown): FunctionErrorPayload {
  if (!(error instanceof Error)) return { errorType: typeof error, errorMessage: String(error), trace: [] };
  return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
}

/** An unhandled rejection as the Node.js runtime names it (its message is the reason as a string). */
class UnhandledPromiseRejection extends Error {
  constructor(reason: unknown) {
    super(String(reason));
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

let running: string | undefined;
/** The runtime fails the running invocation with the error and exits, so Lambda replaces the environment. */
const failFatally = (error: unknown) => {
  if (running) {
    const result: InvocationResult = {
      requestId: running,
      ok: false,
      error: errorPayload(error),
      initFailed: false,
      fatal: true,
    };
    port.postMessage(result);
  }
  process.exit(129);
};
process.on('uncaughtException', failFatally);
process.on('unhandledRejection', (reason) => failFatally(new UnhandledPromiseRejection(reason)));

let handler: Promise<Handler> | undefined;
const loadHandler = () => {
  handler ??= import(pathToFileURL(data.modulePath).href).then((module) => {
    if (typeof module.handler !== 'function') {
      throw Object.assign(new Error(`${data.modulePath} does not export a handler function`), {
        name: 'Runtime.HandlerNotFound',
      });
    }
    return module.handler as Handler;
  });
  return handler;
};

port.on('message', async ({ requestId, event, deadline }: Invocation) => {
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: data.functionArn,
    memoryLimitInMB: String(data.memoryMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: `local/[$LATEST]${data.functionName}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let fn: Handler;
  try {
    fn = await loadHandler();
  } catch (error) {
    return port.postMessage({ requestId, ok: false, error: errorPayload(error), initFailed: true });
  }
  let result: InvocationResult;
  running = requestId;
  try {
    const payload = await fn(JSON.parse(event), context);
    // Lambda answers with the result serialized as JSON, so only what survives that reaches the caller.
    result = { requestId, ok: true, payload: JSON.stringify(payload ?? null) ?? 'null' };
  } catch (error) {
    result = { requestId, ok: false, error: errorPayload(error), initFailed: false };
  }
  running = undefined;
  port.postMessage(result);
});
