import { randomUUID } from 'node:crypto';
import aslValidator from 'asl-validator';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { AwsError, closeServer, createJsonProtocolServer, LostResponse, listenOn } from './json-protocol.ts';

export type LambdaInvoker = (functionArn: string, payload: unknown) => Promise<unknown>;

export interface LocalStateMachineDefinition {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface FaultRule {
  operation: string;
  mode: 'fail_before' | 'fail_after';
  count: number;
}

interface Machine {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
  machine: StateMachine;
  handlers: Record<string, (input: unknown) => Promise<JSONValue>>;
}

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: Record<string, unknown>[];
  abort: () => void;
}

type JSONValue = Parameters<StateMachine['run']>[0];
/** The fields of the library's event logs that the history uses. */
interface EventLog {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
}
interface AslState {
  Type?: string;
  Resource?: unknown;
  TimeoutSeconds?: unknown;
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
  Branches?: AslMachine[];
}
interface AslMachine {
  States?: Record<string, AslState>;
}
interface InvokeParameters {
  FunctionName?: unknown;
  Payload?: unknown;
}
type Input = Record<string, unknown>;

/** AWS lets a name hold 1-80 characters, none of them whitespace, brackets, wildcards or controls. */
const validName = (name: string) =>
  name.length >= 1 &&
  name.length <= 80 &&
  !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name) &&
  ![...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));
const DEFAULT_TASK_TIMEOUT_S = 60; // the library's default; AWS waits about a year: set taskTimeout in CDK

/**
 * A local AWS Step Functions service on the AWS JSON 1.0 protocol, so @aws-sdk/client-sfn works against
 * it unchanged. aws-local-stepfunctions runs the ASL; Lambda tasks call `invokeLambda`.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly listeners = new Set<(e: { executionArn: string; status: string }) => void>();
  private readonly faults: FaultRule[] = [];
  private readonly runOverrides: RunOptions['overrides'];
  private readonly server = createJsonProtocolServer({
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    // Every operation passes through fault injection first.
    operations: Object.fromEntries(
      Object.entries({
        StartExecution: (i: Input) => this.startExecution(i),
        DescribeExecution: (i: Input) => this.describeExecution(i),
        ListExecutions: (i: Input) => this.listExecutions(i),
        GetExecutionHistory: (i: Input) => this.getExecutionHistory(i),
        StopExecution: (i: Input) => this.stopExecution(i),
        SendTaskSuccess: (i: Input) =>
          this.tokens.succeed(str(i, 'taskToken'), parseJson(i.output, 'InvalidOutput')),
        SendTaskFailure: (i: Input) => this.tokens.fail(str(i, 'taskToken'), i.error, i.cause),
        SendTaskHeartbeat: (i: Input) => this.tokens.heartbeat(str(i, 'taskToken')),
        ListStateMachines: () => this.listStateMachines(),
        DescribeStateMachine: (i: Input) => this.describeStateMachine(i),
      }).map(([name, operation]) => [name, (input: Input) => this.withFaults(name, () => operation(input))]),
    ),
    routes: (method, path, body) => this.adminRoute(method, path, body),
  });

  constructor(opts: {
    stateMachines: LocalStateMachineDefinition[];
    invokeLambda: LambdaInvoker;
    waitTimeOverrides?: Record<string, number>;
    /** Milliseconds to wait before each retry, by state name (the library's retryIntervalOverrides). */
    retryIntervalOverrides?: Record<string, number | number[]>;
  }) {
    this.runOverrides = {
      ...(opts.waitTimeOverrides ? { waitTimeOverrides: opts.waitTimeOverrides } : {}),
      ...(opts.retryIntervalOverrides ? { retryIntervalOverrides: opts.retryIntervalOverrides } : {}),
    };
    for (const { arn, name, definition } of opts.stateMachines) {
      const { isValid, errorsText } = aslValidator(structuredClone(definition), {
        checkPaths: true,
        checkArn: true,
      });
      if (!isValid) throw new Error(`State machine ${name} is not valid ASL: ${errorsText('; ')}`);
      // Validated once here; the library would validate again per run of every Map and Parallel branch.
      const machine = new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      });
      const handlers = taskHandlers(definition, opts.invokeLambda, this.tokens);
      this.machines.set(arn, { arn, name, definition, machine, handlers });
    }
  }

  listen(port: number): Promise<string> {
    return listenOn(this.server, port);
  }

  /** Aborts running executions, rejects pending task tokens and closes the server. */
  async close(): Promise<void> {
    for (const execution of this.executions.values()) {
      if (execution.status === 'RUNNING') {
        this.abort(execution, 'States.Aborted', 'The local runtime stopped');
      }
    }
    await closeServer(this.server);
  }

  onExecutionFinished(listener: (e: { executionArn: string; status: string }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private startExecution(input: Input) {
    const machine = this.machineOf(input.stateMachineArn);
    const name = input.name === undefined ? randomUUID() : str(input, 'name');
    if (!validName(name)) throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
    const executionInput = input.input === undefined ? '{}' : String(input.input);
    const parsedInput = parseJson(executionInput, 'InvalidExecutionInput');
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: StartExecution is idempotent for a running execution with the same name and input.
      if (existing.status === 'RUNNING' && existing.input === executionInput) {
        return { executionArn, startDate: seconds(existing.startDate) };
      }
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: executionInput,
      status: 'RUNNING',
      startDate: new Date(),
      history: [],
      abort: () => undefined,
    };
    this.executions.set(executionArn, execution);
    const tokens = this.tokens;
    const run = machine.machine.run(parsedInput as JSONValue, {
      overrides: { ...this.runOverrides, taskResourceLocalHandlers: machine.handlers },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: `${machine.arn}:role` },
        StateMachine: { Id: machine.arn, Name: machine.name },
        // The library leaves $$.Task.Token empty: a getter hands each task attempt its own token.
        Task: {
          get Token() {
            return tokens.issue(executionArn);
          },
        },
      },
    });
    execution.abort = run.abort;
    void recordHistory(execution, run.eventLogs as AsyncGenerator<EventLog>);
    run.result.then(
      (output) => this.finish(execution, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) }),
      (error: unknown) => this.finish(execution, outcomeOf(error)),
    );
    return { executionArn, startDate: seconds(execution.startDate) };
  }

  private describeExecution(input: Input) {
    const e = this.executionOf(input.executionArn);
    return {
      ...executionSummary(e),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
    };
  }

  private listExecutions(input: Input) {
    const machine = this.machineOf(input.stateMachineArn);
    const all = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === machine.arn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .reverse(); // newest first, as AWS lists them
    const { items, nextToken } = page(all, input, 100);
    return {
      executions: items.map(executionSummary),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private getExecutionHistory(input: Input) {
    const e = this.executionOf(input.executionArn);
    const events = input.reverseOrder === true ? [...e.history].reverse() : e.history;
    const { items, nextToken } = page(events, input, 100);
    const withData = input.includeExecutionData !== false;
    return { events: withData ? items : items.map(withoutData), ...(nextToken ? { nextToken } : {}) };
  }

  private stopExecution(input: Input) {
    const e = this.executionOf(input.executionArn);
    if (e.status === 'RUNNING') this.abort(e, optional(input.error), optional(input.cause));
    return { stopDate: seconds(e.stopDate ?? new Date()) };
  }

  private listStateMachines() {
    return {
      stateMachines: [...this.machines.values()].map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: 'STANDARD',
        creationDate: 0,
      })),
    };
  }

  private describeStateMachine(input: Input) {
    const m = this.machineOf(input.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: JSON.stringify(m.definition),
      roleArn: `${m.arn}:role`,
      type: 'STANDARD',
      creationDate: 0,
    };
  }

  private abort(execution: Execution, error: string | undefined, cause: string | undefined): void {
    this.finish(execution, { status: 'ABORTED', error, cause });
    execution.abort();
  }

  private finish(execution: Execution, outcome: Partial<Execution> & { status: ExecutionStatus }): void {
    if (execution.status !== 'RUNNING') return; // already stopped; the library's late verdict is moot
    Object.assign(execution, stripUndefined(outcome), { stopDate: new Date() });
    this.tokens.closeExecution(execution.executionArn);
    for (const listener of this.listeners) {
      try {
        listener({ executionArn: execution.executionArn, status: outcome.status });
      } catch (error) {
        console.error('An onExecutionFinished listener failed:', error); // must not fail the execution
      }
    }
  }

  private machineOf(arn: unknown): Machine {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
      throw new AwsError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const machine = this.machines.get(arn);
    if (!machine) throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private executionOf(arn: unknown): Execution {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
      throw new AwsError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const execution = this.executions.get(arn);
    if (!execution) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /**
   * Injected faults, for tests only. Both are retryable, as AWS's own failures are: fail_before answers
   * 503 before doing anything, fail_after does the work and then drops the connection (a lost response),
   * so with the SDK's default 3 attempts the caller sees an error only when faults outnumber its retries.
   */
  private async withFaults(operation: string, run: () => unknown): Promise<unknown> {
    const fault = this.faults.find((f) => f.operation === operation && f.count > 0);
    if (fault) fault.count -= 1;
    if (fault?.count === 0) this.faults.splice(this.faults.indexOf(fault), 1);
    if (fault?.mode === 'fail_before') {
      throw new AwsError('ServiceUnavailable', `Injected fault before ${operation}`, 503);
    }
    const result = await run();
    if (fault?.mode === 'fail_after') throw new LostResponse(`Injected fault after ${operation}`);
    return result;
  }

  private adminRoute(method: string, path: string, body: string) {
    if (path === '/__faults' && method === 'POST') {
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
    if (path === '/__faults' && method === 'DELETE') {
      this.faults.length = 0;
      return { status: 200, body: { faults: [] } };
    }
    if (path === '/__faults' && method === 'GET') return { status: 200, body: { faults: this.faults } };
    if (path === '/__executions' && method === 'GET') {
      return {
        status: 200,
        body: [...this.executions.values()].map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: e.startDate.toISOString(),
          ...(e.error !== undefined ? { error: e.error } : {}),
        })),
      };
    }
    return undefined;
  }
}

/** Task tokens: the library ignores `.waitForTaskToken`, so tokens are issued, awaited and settled here. */
class TaskTokens {
  private readonly tokens = new Map<string, PendingToken>();
  private readonly byExecution = new Map<string, Set<string>>();

  /** A fresh token for one task attempt ($$.Task.Token). */
  issue(executionArn: string): string {
    const token = Buffer.from(`${randomUUID()}:${randomUUID()}`).toString('base64url');
    const { promise, resolve, reject } = Promise.withResolvers<JSONValue>();
    promise.catch(() => undefined); // settled tokens nobody awaits must not be unhandled rejections
    this.tokens.set(token, { executionArn, promise, resolve, reject, open: true });
    const ofExecution = this.byExecution.get(executionArn) ?? new Set<string>();
    this.byExecution.set(executionArn, ofExecution.add(token));
    return token;
  }

  /** The token a task passed in its parameters, now bound to expire when the task times out. */
  claim(parameters: unknown, timeoutMs: number): string {
    const token = stringsIn(parameters).find((s) => this.tokens.get(s)?.open);
    if (!token) throw namedError('States.Runtime', 'A .waitForTaskToken task must pass $$.Task.Token');
    const pending = this.tokens.get(token) as PendingToken;
    pending.timer = setTimeout(
      () => this.settle(token, namedError('States.Timeout', 'Task timed out')),
      timeoutMs,
    );
    return token;
  }

  result(token: string): Promise<JSONValue> {
    return (this.tokens.get(token) as PendingToken).promise;
  }

  succeed(token: string, output: unknown) {
    this.settle(this.open(token), output as JSONValue);
    return {};
  }

  fail(token: string, error: unknown, cause: unknown) {
    this.settle(this.open(token), namedError(optional(error) ?? 'States.TaskFailed', optional(cause) ?? ''));
    return {};
  }

  heartbeat(token: string) {
    this.open(token); // HeartbeatSeconds is not enforced locally; a heartbeat only proves the token is live
    return {};
  }

  /** Rejects what an execution still waits for, so no timer outlives it. */
  closeExecution(executionArn: string): void {
    for (const token of this.byExecution.get(executionArn) ?? []) {
      this.settle(token, namedError('States.Aborted', 'The execution is closed'));
    }
    this.byExecution.delete(executionArn);
  }

  /** Settles a token once; spent tokens stay known so late calls get TaskTimedOut, as in AWS. */
  settle(token: string, outcome: JSONValue | Error): void {
    const pending = this.tokens.get(token);
    if (!pending?.open) return;
    pending.open = false;
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private open(token: string): string {
    const pending = this.tokens.get(token);
    if (!pending) throw new AwsError('InvalidToken', 'Invalid Token');
    if (!pending.open) {
      throw new AwsError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    return token;
  }
}

interface PendingToken {
  executionArn: string;
  promise: Promise<JSONValue>;
  resolve: (value: JSONValue) => void;
  reject: (error: Error) => void;
  open: boolean;
  timer?: NodeJS.Timeout;
}

/** One local handler per Task state (by name, as the library wants), nested Map and Parallel states included. */
function taskHandlers(definition: AslMachine, invoke: LambdaInvoker, tokens: TaskTokens) {
  const handlers: Record<string, (input: unknown) => Promise<JSONValue>> = {};
  for (const [name, state] of statesOf(definition)) {
    if (state.Type === 'Task') handlers[name] = taskHandler(state, invoke, tokens);
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

function taskHandler(state: AslState, invoke: LambdaInvoker, tokens: TaskTokens) {
  const resource = String(state.Resource);
  const timeoutMs =
    (typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_S) * 1000;
  const call = (arn: unknown, payload: unknown) => callLambda(invoke, unqualified(String(arn)), payload);
  if (/^arn:[\w-]+:lambda:/.test(resource)) return (input: unknown) => call(resource, input);
  if (/^arn:[\w-]+:states:::lambda:invoke$/.test(resource)) {
    return async (input: unknown) => ({
      ExecutedVersion: '$LATEST',
      Payload: await call((input as InvokeParameters).FunctionName, (input as InvokeParameters).Payload),
      StatusCode: 200,
    });
  }
  if (/^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/.test(resource)) {
    return async (parameters: unknown) => {
      const input = parameters as InvokeParameters;
      const token = tokens.claim(input, timeoutMs);
      try {
        await call(input.FunctionName, input.Payload);
      } catch (error) {
        tokens.settle(token, error as Error);
        throw error;
      }
      return tokens.result(token);
    };
  }
  return async (): Promise<JSONValue> => {
    throw namedError('States.Runtime', `The local Step Functions runs Lambda tasks only, not ${resource}`);
  };
}

/** Calls a handler as Lambda would: JSON in and out; a thrown error's name becomes the ASL error. */
async function callLambda(invoke: LambdaInvoker, arn: string, payload: unknown): Promise<JSONValue> {
  try {
    const result = await invoke(arn, JSON.parse(JSON.stringify(payload ?? null)));
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as JSONValue);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const trace = (e.stack ?? '').split('\n');
    return Promise.reject(
      namedError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message, trace })),
    );
  }
}

/** `arn:...:function:NAME:QUALIFIER` → `arn:...:function:NAME`, the ARN the local functions are known by. */
const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');

function outcomeOf(error: unknown): Partial<Execution> & { status: ExecutionStatus } {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
  }
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: String(error) };
}

/** The library's event log, mapped to AWS history events (type, id, timestamp and details). */
async function recordHistory(execution: Execution, logs: AsyncGenerator<EventLog>): Promise<void> {
  for await (const log of logs) {
    const details = historyDetails(log);
    if (!details) continue;
    const id = execution.history.length + 1;
    execution.history.push({ timestamp: log.timestamp / 1000, id, previousEventId: id - 1, ...details });
  }
}

function historyDetails(log: EventLog): Record<string, unknown> | undefined {
  const json = (value: unknown) => JSON.stringify(value ?? null);
  const state = log.state;
  switch (log.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', executionStartedEventDetails: { input: json(log.input) } };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(log.output) } };
    case 'ExecutionFailed':
      return {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: log.Error, cause: String(log.Cause) },
      };
    case 'ExecutionAborted':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: {} };
    case 'StateEntered':
      return {
        type: `${state?.type}StateEntered`,
        stateEnteredEventDetails: { name: state?.name, input: json(state?.input) },
      };
    case 'StateExited':
      return {
        type: `${state?.type}StateExited`,
        stateExitedEventDetails: { name: state?.name, output: json(state?.output) },
      };
    case 'StateFailed':
      if (state?.type === 'Task') {
        const failure = {
          resourceType: 'lambda',
          resource: 'invoke',
          error: log.Error,
          cause: String(log.Cause),
        };
        return { type: 'TaskFailed', taskFailedEventDetails: failure };
      }
      return state?.type === 'Map' || state?.type === 'Parallel'
        ? { type: `${state.type}StateFailed` }
        : undefined;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const key = `${log.type[0]?.toLowerCase()}${log.type.slice(1)}EventDetails`;
      return { type: log.type, [key]: { name: log.parentState?.name, index: log.index } };
    }
    default:
      return undefined; // retries and catches show as the failure and the next state entered, as in AWS
  }
}

function withoutData(event: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(event, (key, value) => (key === 'input' || key === 'output' ? undefined : value)),
  );
}

function page<T>(items: T[], input: Input, defaultSize: number): { items: T[]; nextToken?: string } {
  const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : defaultSize;
  const start = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidToken', 'Invalid nextToken');
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function parseJson(text: unknown, errorType: string): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    throw new AwsError(errorType, `Invalid JSON: ${String(text).slice(0, 100)}`);
  }
}

function str(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') throw new AwsError('ValidationException', `${field} must be a string`);
  return value;
}

const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
const seconds = (date: Date) => date.getTime() / 1000;
const stripUndefined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What DescribeExecution and ListExecutions both say about an execution. */
const executionSummary = (e: Execution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
});
