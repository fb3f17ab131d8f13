import { randomUUID } from 'node:crypto';
import aslValidator from 'asl-validator';
import {
  ExecutionAbortedError,
  ExecutionError,
  type RunOptions,
  StateMachine,
} from 'aws-local-stepfunctions';
import { AwsError, closeServer, createJsonProtocolServer, listenOn } from './json-protocol.ts';
import { FaultInjector } from './step-functions/faults.ts';
import { type EventLog, recordHistory, withoutData } from './step-functions/history.ts';
import { type AslMachine, type LambdaInvoker, taskHandlers } from './step-functions/lambda-tasks.ts';
import { type LongTimer, startLongTimer } from './step-functions/long-timer.ts';
import {
  type Input,
  type JSONValue,
  optional,
  page,
  parseJson,
  seconds,
  str,
  stripUndefined,
} from './step-functions/support.ts';
import { libraryDefinition, statesTimeoutError } from './step-functions/task-timeouts.ts';
import { TaskTokens } from './step-functions/task-tokens.ts';

export type { FaultRule } from './step-functions/faults.ts';
export type { LambdaCaller, LambdaInvoker } from './step-functions/lambda-tasks.ts';

export interface LocalStateMachineDefinition {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

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
  /** The execution's TimeoutSeconds, kept here rather than in the library (see task-timeouts.ts). */
  timeout?: LongTimer;
}

/** AWS lets a name hold 1-80 characters, none of them whitespace, brackets, wildcards or controls. */
const validName = (name: string) =>
  name.length >= 1 &&
  name.length <= 80 &&
  !/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name) &&
  ![...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

/**
 * A local AWS Step Functions service on the AWS JSON 1.0 protocol, so @aws-sdk/client-sfn works against
 * it unchanged. aws-local-stepfunctions runs the ASL; Lambda tasks call `invokeLambda`.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly listeners = new Set<(e: { executionArn: string; status: string }) => void>();
  private readonly faults = new FaultInjector();
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
      }).map(([name, operation]) => [name, (input: Input) => this.faults.run(name, () => operation(input))]),
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
      const machine = new StateMachine(libraryDefinition(definition), {
        validationOptions: { noValidate: true },
      });
      const handlers = taskHandlers(definition as AslMachine, opts.invokeLambda, this.tokens, {
        stateMachineArn: arn,
      });
      this.machines.set(arn, { arn, name, definition, machine, handlers });
    }
    // Ready before the first task can time out; a failure shows when a task awaits it.
    statesTimeoutError().catch(() => undefined);
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
    const timeoutSeconds = machine.definition.TimeoutSeconds;
    if (typeof timeoutSeconds === 'number') {
      execution.timeout = startLongTimer(timeoutSeconds * 1000, () => this.timeOut(execution));
    }
    void recordHistory(
      execution.history,
      run.eventLogs as AsyncGenerator<EventLog>,
      () => execution.status === 'TIMED_OUT',
    );
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

  /** TimeoutSeconds has passed: TIMED_OUT with States.Timeout, and the run stopped where it stands. */
  private timeOut(execution: Execution): void {
    this.finish(execution, {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution timed out',
    });
    execution.abort();
  }

  private finish(execution: Execution, outcome: Partial<Execution> & { status: ExecutionStatus }): void {
    if (execution.status !== 'RUNNING') return; // already stopped; the library's late verdict is moot
    Object.assign(execution, stripUndefined(outcome), { stopDate: new Date() });
    execution.timeout?.cancel();
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

  private adminRoute(method: string, path: string, body: string) {
    if (path === '/__faults') return this.faults.route(method, body);
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

function outcomeOf(error: unknown): Partial<Execution> & { status: ExecutionStatus } {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: String(error) };
}

/** What DescribeExecution and ListExecutions both say about an execution. */
const executionSummary = (e: Execution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
});
