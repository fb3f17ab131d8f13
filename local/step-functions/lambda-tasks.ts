import { type JSONValue, namedError } from './support.ts';
import { taskTimeout, withTimeout } from './task-timeouts.ts';
import type { TaskTokens } from './task-tokens.ts';

/** Who calls a function: the state machine, whose role must allow lambda:InvokeFunction. */
export interface LambdaCaller {
  stateMachineArn: string;
}

/**
 * Invokes a function synchronously and answers its result. A function error (or timeout) rejects with an
 * Error carrying `payload`, the Invoke response payload Lambda returns with FunctionError set; a refused
 * invoke (no permission, no such function) rejects with an Error already named as the state's error.
 */
export type LambdaInvoker = (functionArn: string, payload: unknown, caller: LambdaCaller) => Promise<unknown>;

/** What Lambda answers for a function error: `{ errorType, errorMessage, trace }`. */
export interface FunctionErrorPayload {
  errorType?: unknown;
  errorMessage?: unknown;
  trace?: unknown;
}

interface AslState {
  Type?: string;
  Resource?: unknown;
  TimeoutSeconds?: unknown;
  TimeoutSecondsPath?: unknown;
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
  Branches?: AslMachine[];
}
export interface AslMachine {
  States?: Record<string, AslState>;
}
interface InvokeParameters {
  FunctionName?: unknown;
  Payload?: unknown;
}
type TaskHandler = (input: unknown) => Promise<JSONValue>;
/** A task's work under way, and the token it waits for when it waits for one. */
type TaskWork = (input: unknown) => { running: Promise<JSONValue>; token?: string };

/** One local handler per Task state (by name, as the library wants), nested Map and Parallel states included. */
export function taskHandlers(
  definition: AslMachine,
  invoke: LambdaInvoker,
  tokens: TaskTokens,
  caller: LambdaCaller,
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of statesOf(definition)) {
    if (state.Type === 'Task') handlers[name] = taskHandler(state, invoke, tokens, caller);
  }
  return handlers;
}

function* statesOf(definition: AslMachine): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const nested of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]) {
      if (nested) yield* statesOf(nested);
    }
  }
}

/** A Task state's handler: its work, raced with its timeout (TimeoutSeconds, TimeoutSecondsPath or 60 s). */
function taskHandler(state: AslState, invoke: LambdaInvoker, tokens: TaskTokens, caller: LambdaCaller) {
  const timeout = taskTimeout(state);
  const work = taskWork(state, invoke, tokens, caller);
  return async (received: unknown): Promise<JSONValue> => {
    const { input, timeoutMs } = timeout(received);
    const { running, token } = work(input);
    // A timed-out task's token is spent, so a late answer gets TaskTimedOut, as in AWS.
    return withTimeout(running, timeoutMs, (error) => token && tokens.settle(token, error));
  };
}

function taskWork(
  state: AslState,
  invoke: LambdaInvoker,
  tokens: TaskTokens,
  caller: LambdaCaller,
): TaskWork {
  const resource = String(state.Resource);
  const call = (arn: unknown, payload: unknown) =>
    callLambda(invoke, unqualified(String(arn)), payload, caller);
  if (/^arn:[\w-]+:lambda:/.test(resource)) return (input: unknown) => ({ running: call(resource, input) });
  if (/^arn:[\w-]+:states:::lambda:invoke$/.test(resource)) {
    const invokeTask = async (input: InvokeParameters): Promise<JSONValue> => ({
      ExecutedVersion: '$LATEST',
      Payload: await call(input.FunctionName, input.Payload),
      StatusCode: 200,
    });
    return (input: unknown) => ({ running: invokeTask(input as InvokeParameters) });
  }
  if (/^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/.test(resource)) {
    const callThenWait = async (token: string, input: InvokeParameters) => {
      try {
        await call(input.FunctionName, input.Payload);
      } catch (error) {
        tokens.settle(token, error as Error);
        throw error;
      }
      return tokens.result(token);
    };
    return (input: unknown) => {
      const token = tokens.claim(input);
      return { running: callThenWait(token, input as InvokeParameters), token };
    };
  }
  return () => ({
    running: Promise.reject(
      namedError('States.Runtime', `The local Step Functions runs Lambda tasks only, not ${resource}`),
    ),
  });
}

/** Calls a function as Step Functions does: JSON in and out, its failure turned into the task's error. */
async function callLambda(
  invoke: LambdaInvoker,
  arn: string,
  payload: unknown,
  caller: LambdaCaller,
): Promise<JSONValue> {
  let result: unknown;
  try {
    result = await invoke(arn, JSON.parse(JSON.stringify(payload ?? null)), caller);
  } catch (error) {
    throw taskError(error);
  }
  return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as JSONValue);
}

/**
 * The task's error as AWS reports it: a function error (timeouts included, as `Sandbox.Timedout`) is its
 * errorType with the response payload as the cause; a refused invoke keeps its own name and message.
 */
export function taskError(error: unknown): Error {
  if (!(error instanceof Error)) {
    return namedError('States.Runtime', `The Lambda invoker rejected with a non-Error: ${String(error)}`);
  }
  const payload: unknown = (error as { payload?: unknown }).payload;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const { errorType } = payload as FunctionErrorPayload;
    // Lambda.Unknown is AWS's name for a function error whose payload names no type.
    return namedError(typeof errorType === 'string' ? errorType : 'Lambda.Unknown', JSON.stringify(payload));
  }
  return namedError(error.name, error.message);
}

/** `arn:...:function:NAME:QUALIFIER` → `arn:...:function:NAME`, the ARN the local functions are known by. */
const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');
