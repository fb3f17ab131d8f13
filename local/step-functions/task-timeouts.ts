import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { MAX_TIMER_MS, startLongTimer } from './long-timer.ts';
import { type JSONValue, namedError } from './support.ts';

/**
 * Timeouts the library cannot hold. It arms each with one setTimeout, which Node fires after 1 ms past
 * 24.8 days: an execution's TimeoutSeconds of 90 days, or a task's of 30, would end at once. So the copy of
 * the definition it runs carries no execution timeout (LocalStepFunctions keeps it, in chunks) and gives
 * each Task a backstop it can hold, while the task's handler enforces the task's own timeout under it.
 */

/** The backstop every Task gets in the library's copy: the longest its single timer keeps. */
export const LIBRARY_TASK_TIMEOUT_S = Math.floor(MAX_TIMER_MS / 1000);
/**
 * The longest task timeout enforced here, a second under the backstop so the handler always fires first.
 * A longer TimeoutSeconds (AWS takes up to 99999999) ends the task this early: the library races every task
 * with its own timer, and that race cannot be re-armed from outside.
 */
export const MAX_TASK_TIMEOUT_S = LIBRARY_TASK_TIMEOUT_S - 1;
const DEFAULT_TASK_TIMEOUT_S = 60; // the library's default; AWS waits about a year: set taskTimeout in CDK

interface AslState {
  Type?: string;
  TimeoutSeconds?: unknown;
  TimeoutSecondsPath?: unknown;
  Parameters?: unknown;
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Branches?: AslDefinition[];
}
interface AslDefinition {
  TimeoutSeconds?: unknown;
  States?: Record<string, AslState>;
}

/** What a task with TimeoutSecondsPath receives from the library: its Parameters and the resolved timeout. */
interface WithTimeout {
  input: unknown;
  timeoutSeconds: unknown;
}

/**
 * The copy the library runs: no execution timeout, and every Task with the backstop instead of its own.
 * A TimeoutSecondsPath is resolved next to the Parameters, against the input after InputPath, which is where
 * AWS resolves it (the library would resolve it against the Parameters' result).
 */
export function libraryDefinition(definition: Record<string, unknown>): StateMachineDefinition {
  const copy = structuredClone(definition) as AslDefinition;
  delete copy.TimeoutSeconds;
  for (const state of tasksOf(copy)) {
    const path = state.TimeoutSecondsPath;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_S;
    if (path === undefined) continue;
    const input = 'Parameters' in state ? { input: state.Parameters } : { 'input.$': '$' };
    state.Parameters = { ...input, 'timeoutSeconds.$': path };
  }
  return copy as unknown as StateMachineDefinition;
}

function* tasksOf(definition: AslDefinition): Generator<AslState> {
  for (const state of Object.values(definition.States ?? {})) {
    if (state.Type === 'Task') yield state;
    for (const nested of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])]) {
      if (nested) yield* tasksOf(nested);
    }
  }
}

/**
 * For one Task state of the original definition: its effective input and timeout from what the library
 * hands the handler. A TimeoutSecondsPath that selects no positive integer fails as AWS fails it.
 */
export function taskTimeout(state: AslState): (received: unknown) => { input: unknown; timeoutMs: number } {
  if (state.TimeoutSecondsPath === undefined) {
    const seconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_S;
    return (input) => ({ input, timeoutMs: cappedMs(seconds) });
  }
  return (received) => {
    const { input, timeoutSeconds } = received as WithTimeout;
    if (!Number.isInteger(timeoutSeconds) || (timeoutSeconds as number) < 1) {
      throw namedError(
        'States.Runtime',
        `TimeoutSecondsPath '${state.TimeoutSecondsPath}' selected ${JSON.stringify(timeoutSeconds)}, not a positive integer`,
      );
    }
    return { input, timeoutMs: cappedMs(timeoutSeconds as number) };
  };
}

const cappedMs = (seconds: number) => Math.min(seconds, MAX_TASK_TIMEOUT_S) * 1000;

/**
 * Races a task's work with its timeout. On timeout it rejects with the library's own States.Timeout error,
 * so Retry and Catch treat it as the library's timeout, and hands that error to `onTimeout` (to spend the
 * task's token). Work that ends after the timeout is ignored, as AWS ignores it.
 */
export async function withTimeout(
  running: Promise<JSONValue>,
  timeoutMs: number,
  onTimeout: (error: Error) => void = () => undefined,
): Promise<JSONValue> {
  running.catch(() => undefined); // settles after the timeout are nobody's to handle
  const TimeoutError = await statesTimeoutError();
  const { promise, resolve, reject } = Promise.withResolvers<JSONValue>();
  const timer = startLongTimer(timeoutMs, () => {
    const error = new TimeoutError();
    reject(error);
    onTimeout(error);
  });
  running.then(resolve, reject).finally(() => timer.cancel());
  return promise;
}

let timeoutErrorClass: Promise<new () => Error> | undefined;

/**
 * The library's States.Timeout error class, which it does not export. Retry and Catch tell it apart by class
 * (`States.TaskFailed` must not take a timeout), so a timeout enforced here has to be one of its instances:
 * the class is taken, once, from a one-state machine whose task times out after 1 ms.
 */
export function statesTimeoutError(): Promise<new () => Error> {
  timeoutErrorClass ??= probeTimeoutError();
  return timeoutErrorClass;
}

async function probeTimeoutError(): Promise<new () => Error> {
  const probe = new StateMachine(
    {
      StartAt: 'Probe',
      States: {
        Probe: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
          TimeoutSeconds: 0.001,
          End: true,
        },
      },
    } as unknown as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  const never = () => new Promise<JSONValue>(() => undefined);
  const { result } = probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: never } } });
  const failure = await result.then(
    () => undefined,
    (error: unknown) => error,
  );
  const timeout = failure instanceof ExecutionError ? failure.cause : undefined;
  if (!(timeout instanceof Error) || timeout.name !== 'States.Timeout') {
    throw namedError(
      'States.Runtime',
      'aws-local-stepfunctions no longer fails a late task with States.Timeout',
    );
  }
  return timeout.constructor as new () => Error;
}
