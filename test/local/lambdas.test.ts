import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalFunction } from '#local/assembly.ts';
import { LambdaFunctionError, LambdaServiceError, LocalLambdas } from '#local/lambdas.ts';
import { LocalQueues } from '#local/queues.ts';
import type { ProbeEvent, ProbeReport } from './fixtures/environment-probe.ts';
import { FIXTURE_REGION, fixtureFunction } from './fixtures/functions.ts';
import { logLinesDuring } from './fixtures/worker-output.ts';

// What the host gives every function (local/runtime.ts adds credentials and the IAM gateway's endpoint).
const HOST_ENVIRONMENT = { AWS_REGION: FIXTURE_REGION, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
const runtimeEnvironment = () => HOST_ENVIRONMENT;
/** Names Lambda defines in every execution environment (reserved and runtime variables in the Lambda guide). */
const LAMBDA_DEFINED =
  /^(AWS_|LAMBDA_|_HANDLER$|_X_AMZN_TRACE_ID$|TZ$|LANG$|PATH$|LD_LIBRARY_PATH$|NODE_PATH$)/;

const scratch = mkdtempSync(path.join(tmpdir(), 'attract-lambdas-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const scratchFile = () => path.join(scratch, randomUUID());
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** The function's error as the invoker receives it (a test fails if the invoke succeeds). */
async function failureOf(invocation: Promise<unknown>): Promise<LambdaFunctionError> {
  const error = await invocation.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LambdaFunctionError)) throw new Error(`Expected a function error, got ${error}`);
  return error;
}

/** A LocalLambdas for one test group, stopped after it. */
function lambdasFor(functions: LocalFunction[], options: { maxEnvironments?: number } = {}) {
  const queues = new LocalQueues();
  const lambdas = new LocalLambdas({
    functions,
    runtimeEnvironment,
    queues,
    asyncRetryDelayMs: () => 10,
    ...options,
  });
  afterAll(() => lambdas.stop());
  const invoke = (fn: LocalFunction, event: ProbeEvent = {}) =>
    lambdas.invoke(fn.arn, event) as Promise<ProbeReport>;
  return { lambdas, queues, invoke };
}

describe('each function has only its own synthesized environment', () => {
  const capture = fixtureFunction('CaptureLead', 'environment-probe.ts', {
    environment: { ATTRACT_TABLE_NAME: 'Leads', ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE: '20' },
  });
  const notify = fixtureFunction('NotifyManager', 'environment-probe.ts', {
    environment: { ATTRACT_TABLE_NAME: 'Leads', ATTRACT_SENDER_EMAIL: 'attract@bank.example' },
  });
  const { invoke } = lambdasFor([capture, notify]);

  beforeAll(() => {
    process.env.ATTRACT_ONLY_IN_THE_TEST_PROCESS = 'leaked';
  });
  afterAll(() => {
    delete process.env.ATTRACT_ONLY_IN_THE_TEST_PROCESS;
  });

  it("sees its template's variables and Lambda's, none of another function's or the host process's", async () => {
    const [seenByCapture, seenByNotify] = await Promise.all([invoke(capture), invoke(notify)]);

    expect(seenByCapture.variables).toMatchObject({ ...capture.environment, ...HOST_ENVIRONMENT });
    expect(seenByNotify.variables).toMatchObject({ ...notify.environment, ...HOST_ENVIRONMENT });
    const beyondOwn = (fn: LocalFunction, seen: ProbeReport) =>
      Object.keys(seen.variables).filter((name) => !(name in fn.environment) && !LAMBDA_DEFINED.test(name));
    expect(beyondOwn(capture, seenByCapture)).toEqual([]);
    expect(beyondOwn(notify, seenByNotify)).toEqual([]);
    expect(seenByCapture.variables.ATTRACT_SENDER_EMAIL).toBeUndefined();
    expect(seenByNotify.variables.ATTRACT_ONLY_IN_THE_TEST_PROCESS).toBeUndefined();
  });

  it('has the variables Lambda itself defines, whatever the host adds', async () => {
    const seen = await invoke(capture);

    expect(seen.variables).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'CaptureLead',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      // Powertools reports cold_start only where this says on-demand, as Lambda sets it.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
  });

  it('has module instances of its own: a module both functions import counts separately', async () => {
    const first = await invoke(capture);
    const second = await invoke(capture);
    const other = await invoke(notify);

    expect(second.environmentId).toBe(first.environmentId);
    expect(second.invocation).toBe(first.invocation + 1);
    expect(other.environmentId).not.toBe(first.environmentId);
    expect(other.invocation).toBeLessThan(second.invocation);
  });
});

describe('cold and warm starts', () => {
  const probe = fixtureFunction('AssessLead', 'environment-probe.ts');
  const { invoke } = lambdasFor([probe]);

  it('runs module scope on the first invocation only', async () => {
    const first = await invoke(probe);
    const second = await invoke(probe);

    expect(first).toMatchObject({ coldStart: true, invocation: 1 });
    expect(second).toMatchObject({ coldStart: false, invocation: 2, environmentId: first.environmentId });
  });
});

describe('injected faults, for tests of failure paths', () => {
  const probe = fixtureFunction('NotifyManager', 'environment-probe.ts');
  const { lambdas, invoke } = lambdasFor([probe]);

  it('fails the next invocations whose event matches, as an unhandled error, before the handler runs', async () => {
    const attempts = scratchFile();
    lambdas.injectFaults(probe.arn, { count: 2, errorType: 'MailServiceDown', match: 'lead-1' });

    const other = await invoke(probe, { attemptLog: attempts, note: 'lead-2' } as ProbeEvent);
    const failures = [
      await failureOf(invoke(probe, { attemptLog: attempts, note: 'lead-1' } as ProbeEvent)),
      await failureOf(invoke(probe, { attemptLog: attempts, note: 'lead-1' } as ProbeEvent)),
    ];
    const recovered = await invoke(probe, { attemptLog: attempts, note: 'lead-1' } as ProbeEvent);

    expect(failures.map((f) => [f.name, f.payload.errorMessage])).toEqual([
      ['MailServiceDown', 'Injected fault'],
      ['MailServiceDown', 'Injected fault'],
    ]);
    expect(recovered.invocation).toBeGreaterThan(other.invocation);
    // The handler ran for the unmatched and the recovered invocations only.
    expect(lines(attempts)).toHaveLength(2);
  });
});

describe('the shared Powertools logger, one instance per environment', () => {
  const assess = fixtureFunction('AssessLead', 'lead-step.ts');
  const assign = fixtureFunction('AssignManager', 'lead-step.ts');
  const { lambdas } = lambdasFor([assess, assign]);
  const step = (fn: LocalFunction, leadId: string) => lambdas.invoke(fn.arn, { leadId });

  it("stamps each line with its own function's name and lead id, cold_start true only on a first invocation", async () => {
    const [assessed, assigned, assessedAgain] = [randomUUID(), randomUUID(), randomUUID()];
    const logged = await logLinesDuring('Lead step ran', 3, async () => {
      await Promise.all([step(assess, assessed), step(assign, assigned)]);
      await step(assess, assessedAgain);
    });

    const lineOf = (leadId: string) => logged.find((line) => line.leadId === leadId);
    expect(lineOf(assessed)).toMatchObject({ function_name: 'AssessLead', cold_start: true });
    expect(lineOf(assigned)).toMatchObject({ function_name: 'AssignManager', cold_start: true });
    expect(lineOf(assessedAgain)).toMatchObject({ function_name: 'AssessLead', cold_start: false });
  });
});

describe('a variable missing from the environment', () => {
  const initLog = scratchFile();
  // The template left out ATTRACT_TABLE_NAME, which the handler reads at module scope through shared/runtime.ts.
  const misconfigured = fixtureFunction('ReadLead', 'requires-setting.ts', {
    environment: { INIT_LOG: initLog },
  });
  const configured = fixtureFunction('ReadLeadConfigured', 'requires-setting.ts', {
    environment: { INIT_LOG: scratchFile(), ATTRACT_TABLE_NAME: 'AttractTable' },
  });
  const { lambdas } = lambdasFor([misconfigured, configured]);

  it('fails the invoke with the init error, as Lambda returns it, and the next invoke runs init again', async () => {
    const first = await failureOf(lambdas.invoke(misconfigured.arn, {}));
    const second = await failureOf(lambdas.invoke(misconfigured.arn, {}));

    for (const failure of [first, second]) {
      expect(failure.payload).toMatchObject({
        errorType: 'Error',
        errorMessage: 'Missing environment variable ATTRACT_TABLE_NAME',
      });
      expect(failure.payload.trace[0]).toBe('Error: Missing environment variable ATTRACT_TABLE_NAME');
    }
    expect(lines(initLog)).toEqual(['init', 'init']);
  });

  it('fails only that function: the same handler with the variable set answers', async () => {
    await expect(lambdas.invoke(configured.arn, {})).resolves.toEqual({ tableName: 'AttractTable' });
  });
});

describe("the function's timeout", () => {
  const slow = fixtureFunction('EnrichLead', 'environment-probe.ts', { timeoutSeconds: 1 });
  const { invoke } = lambdasFor([slow]);

  it('ends the invocation with Sandbox.Timedout and starts the next one cold', async () => {
    const warm = await invoke(slow);
    const timedOut = await failureOf(invoke(slow, { holdMs: 30_000 }));
    const next = await invoke(slow);

    expect(timedOut.name).toBe('Sandbox.Timedout');
    expect(timedOut.payload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
      ),
      trace: [],
    });
    expect(next.coldStart).toBe(true);
    expect(next.environmentId).not.toBe(warm.environmentId);
  });
});

describe('an error the handler throws', () => {
  const failing = fixtureFunction('AssignManager', 'environment-probe.ts');
  const { invoke } = lambdasFor([failing]);

  it('comes back as a LambdaFunctionError with the payload Lambda returns', async () => {
    const failure = await failureOf(
      invoke(failing, { fail: { name: 'NoManagerAvailable', message: 'Every manager is at capacity' } }),
    );

    expect(failure.name).toBe('NoManagerAvailable');
    expect(failure.message).toBe('Every manager is at capacity');
    expect(Object.keys(failure.payload).sort()).toEqual(['errorMessage', 'errorType', 'trace']);
    expect(failure.payload.errorType).toBe('NoManagerAvailable');
    expect(failure.payload.errorMessage).toBe('Every manager is at capacity');
    expect(failure.payload.trace[0]).toBe('NoManagerAvailable: Every manager is at capacity');
    expect(failure.payload.trace[1]).toMatch(/^\s+at .*environment-probe\.ts/);
  });

  it('reports a thrown value that is not an Error by its typeof, as the Node.js runtime does', async () => {
    const failure = await failureOf(invoke(failing, { throwValue: 'No manager for this region' }));

    expect(failure.payload).toEqual({
      errorType: 'string',
      errorMessage: 'No manager for this region',
      trace: [],
    });
  });

  it('fails the invocation with an uncaught exception itself and replaces the environment', async () => {
    const before = await invoke(failing);
    const failure = await failureOf(
      invoke(failing, { crash: { kind: 'uncaughtException', message: 'Socket closed' }, holdMs: 30_000 }),
    );
    const after = await invoke(failing);

    expect(failure.payload).toMatchObject({ errorType: 'Error', errorMessage: 'Socket closed' });
    expect(failure.payload.trace[0]).toBe('Error: Socket closed');
    expect(after.coldStart).toBe(true);
    expect(after.environmentId).not.toBe(before.environmentId);
  });

  it('fails the invocation with Runtime.UnhandledPromiseRejection and replaces the environment', async () => {
    const before = await invoke(failing);
    const failure = await failureOf(
      invoke(failing, { crash: { kind: 'unhandledRejection', message: 'yikes' }, holdMs: 30_000 }),
    );
    const after = await invoke(failing);

    expect(failure.payload).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: yikes',
    });
    expect(after.coldStart).toBe(true);
    expect(after.environmentId).not.toBe(before.environmentId);
  });

  it('names an unknown function as the Lambda API does', async () => {
    const unknown = `arn:aws:lambda:${FIXTURE_REGION}:000000000000:function:NoSuchFunction`;
    const refusal = await invoke({ ...failing, arn: unknown }).catch((e: unknown) => e);

    expect(refusal).toBeInstanceOf(LambdaServiceError);
    expect(refusal).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('one invocation at a time per execution environment', () => {
  const probe = fixtureFunction('CaptureLead', 'environment-probe.ts');
  const { invoke } = lambdasFor([probe]);

  it('runs two concurrent invocations in two environments, each cold', async () => {
    const [a, b] = await Promise.all([invoke(probe, { holdMs: 200 }), invoke(probe, { holdMs: 200 })]);

    expect(a.environmentId).not.toBe(b.environmentId);
    expect([a, b]).toEqual([
      expect.objectContaining({ coldStart: true, invocation: 1, inFlight: 1 }),
      expect.objectContaining({ coldStart: true, invocation: 1, inFlight: 1 }),
    ]);
  });
});

describe('the pool limit (maxEnvironments)', () => {
  const probe = fixtureFunction('CaptureLead', 'environment-probe.ts');
  const { invoke } = lambdasFor([probe], { maxEnvironments: 1 });

  it('queues invocations beyond it instead of failing them', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => invoke(probe, { holdMs: 50 })));

    expect(new Set(answers.map((a) => a.environmentId)).size).toBe(1);
    expect(answers.map((a) => a.invocation).sort()).toEqual([1, 2, 3]);
    expect(answers.every((a) => a.inFlight === 1)).toBe(true);
  });
});

describe('asynchronous invocation', () => {
  const onFailure = `arn:aws:sqs:${FIXTURE_REGION}:000000000000:IntakeFailures`;
  const deadLetters = `arn:aws:sqs:${FIXTURE_REGION}:000000000000:NotifyDeadLetters`;
  const withDestination = fixtureFunction('RecordIntakeFailure', 'environment-probe.ts', {
    asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onFailureArn: onFailure },
  });
  const withDeadLetterQueue = fixtureFunction('NotifyManager', 'environment-probe.ts', {
    asyncInvoke: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 21_600, deadLetterArn: deadLetters },
  });
  const { lambdas, queues } = lambdasFor([withDestination, withDeadLetterQueue]);
  const fail = { name: 'LeadNotFound', message: 'No lead 42' };

  it('retries maximumRetryAttempts times, then sends the on-failure record Lambda sends', async () => {
    const attemptLog = scratchFile();
    const event = { fail, attemptLog };
    const { requestId } = await lambdas.invokeAsync(withDestination.arn, event);
    await lambdas.idle();

    expect(lines(attemptLog)).toHaveLength(3);
    const records = queues.messages(onFailure).map((m) => JSON.parse(m.body));
    expect(records).toEqual([
      {
        version: '1.0',
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        requestContext: {
          requestId,
          functionArn: `${withDestination.arn}:$LATEST`,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: event,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: {
          errorType: 'LeadNotFound',
          errorMessage: 'No lead 42',
          trace: expect.arrayContaining(['LeadNotFound: No lead 42']),
        },
      },
    ]);
  });

  it('sends the event to the dead-letter queue with the attributes Lambda adds', async () => {
    const attemptLog = scratchFile();
    const event = { fail, attemptLog };
    const { requestId } = await lambdas.invokeAsync(withDeadLetterQueue.arn, event);
    await lambdas.idle();

    expect(lines(attemptLog)).toHaveLength(2);
    const [message, ...more] = queues.messages(deadLetters);
    expect(more).toEqual([]);
    expect(JSON.parse(message?.body ?? '')).toEqual(event);
    expect(message?.attributes).toEqual({
      RequestID: requestId,
      ErrorCode: '200',
      ErrorMessage: 'No lead 42',
    });
  });

  it('succeeds without a failure record when an attempt succeeds', async () => {
    const attemptLog = scratchFile();
    const recordsBefore = queues.depth(onFailure);
    await lambdas.invokeAsync(withDestination.arn, { attemptLog });
    await lambdas.idle();

    expect(lines(attemptLog)).toHaveLength(1);
    expect(queues.depth(onFailure)).toBe(recordsBefore);
  });
});

describe('stop()', () => {
  it('ends every environment, a running and a waiting invocation fail, and the process exits by itself', async () => {
    const script = fileURLToPath(new URL('./fixtures/stop-then-exit.ts', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // A worker left alive keeps the child running; after a generous while, end it and fail.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(guard);

    expect(signal, 'the process did not exit: an execution environment outlived stop()').toBeNull();
    expect(code).toBe(0);
    const outcomes = JSON.parse(output.trim()) as Record<string, string>;
    expect(outcomes.running).not.toBe('succeeded');
    expect(outcomes.waiting).toMatch(/./);
    expect(outcomes.waiting).not.toBe('succeeded');
  });
});
