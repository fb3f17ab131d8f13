import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/processes.ts';
import { LocalStepFunctions } from '#local/step-functions.ts';

const ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine';
const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;

// A lead is scored (retried when flaky, caught when nobody can take it), then notified when it scores high.
const scoring = {
  StartAt: 'Score',
  States: {
    Score: {
      Type: 'Task',
      Resource: fn('Score'),
      ResultPath: '$.score',
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['NoManagerAvailable'], ResultPath: '$.failure', Next: 'Unassigned' }],
      Next: 'IsHigh',
    },
    IsHigh: {
      Type: 'Choice',
      Choices: [{ Variable: '$.score.value', NumericGreaterThan: 50, Next: 'Notify' }],
      Default: 'Low',
    },
    Notify: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('Notify'), 'Payload.$': '$' },
      ResultSelector: { 'sent.$': '$.Payload.sent', 'status.$': '$.StatusCode' },
      ResultPath: '$.notify',
      End: true,
    },
    Low: { Type: 'Succeed' },
    Unassigned: { Type: 'Fail', Error: 'Unassigned', CausePath: '$.failure.Cause' },
  },
};

// The manager answers through a task token; the task gives up after one second.
const approval = {
  StartAt: 'AskManager',
  States: {
    AskManager: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('Ask'), Payload: { 'token.$': '$$.Task.Token', 'lead.$': '$.lead' } },
      TimeoutSeconds: 1,
      End: true,
    },
  },
};

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A function error as the Lambda service reports it: the Invoke response payload rides along. */
const functionError = (e: Error) =>
  Object.assign(new NamedError(e.name, e.message), {
    payload: { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') },
  });

describe('LocalStepFunctions', () => {
  const asked: { token: string; lead: string }[] = [];
  const attempts = new Map<string, number>();
  type Payload = {
    lead: string;
    token: string;
    points?: number;
    flaky?: boolean;
    nobody?: boolean;
    broken?: boolean;
  };
  const handlers: Record<string, (payload: Payload) => Promise<unknown>> = {
    [fn('Score')]: async (input) => {
      const seen = (attempts.get(input.lead) ?? 0) + 1;
      attempts.set(input.lead, seen);
      if (input.flaky && seen === 1) throw new NamedError('Flaky', 'try again');
      if (input.nobody) throw new NamedError('NoManagerAvailable', 'all managers are full');
      if (input.broken) throw new TypeError('score is not a function');
      return { value: input.points };
    },
    [fn('Notify')]: async (input) => ({ sent: `to ${input.lead}` }),
    [fn('Ask')]: async (input) => {
      asked.push(input);
      // A function may answer its own token before it returns.
      if (input.lead === 'l-9')
        await client.send(new SendTaskSuccessCommand({ taskToken: input.token, output: '"now"' }));
      return { asked: true };
    },
  };
  const sfn = new LocalStepFunctions({
    stateMachines: [
      { arn: `${ARN}:Scoring`, name: 'Scoring', definition: scoring },
      { arn: `${ARN}:Approval`, name: 'Approval', definition: approval },
    ],
    // Stands in for the Lambda service: what a handler throws comes back as Lambda reports a function error.
    invokeLambda: async (arn, payload) => {
      const handler = handlers[arn];
      if (!handler) throw new NamedError('Lambda.ResourceNotFoundException', `Function not found: ${arn}`);
      return handler(payload as Payload).catch((error: Error) => Promise.reject(functionError(error)));
    },
    retryIntervalOverrides: { Score: 0 },
  });
  let endpoint = '';
  let client: SFNClient;
  let noRetry: SFNClient;

  beforeAll(async () => {
    endpoint = await sfn.listen(await freePort());
    const config = {
      endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    };
    client = new SFNClient(config);
    noRetry = new SFNClient({ ...config, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    noRetry.destroy();
    await sfn.close();
  });

  const start = (machine: string, input: object, name?: string) =>
    client.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:${machine}`, input: JSON.stringify(input), name }),
    );
  const describeExecution = (executionArn: string) =>
    client.send(new DescribeExecutionCommand({ executionArn }));
  const finished = async (executionArn: string) => {
    for (;;) {
      const execution = await describeExecution(executionArn);
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const askedFor = async (lead: string) => {
    for (;;) {
      const found = asked.find((a) => a.lead === lead);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('runs Lambda tasks, a Choice and a Retry on a named error to SUCCEEDED', async () => {
    const { executionArn } = await start('Scoring', { lead: 'l-1', points: 80, flaky: true }, 'l-1');
    expect(executionArn).toBe('arn:aws:states:eu-central-1:000000000000:execution:Scoring:l-1');

    const execution = await finished(executionArn ?? '');

    expect(execution.status).toBe('SUCCEEDED');
    expect(attempts.get('l-1')).toBe(2);
    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      score: { value: 80 },
      notify: { sent: 'to l-1', status: 200 },
    });
    expect(execution.startDate).toBeInstanceOf(Date);
    expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate?.getTime() ?? 0);
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', id: 1 });
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.filter((e) => e.type === 'TaskFailed')).toHaveLength(1);
    const entered = events.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean);
    expect(entered).toEqual(['Score', 'IsHigh', 'Notify']);
  });

  it('catches a named error and fails with the error and the Lambda-shaped cause', async () => {
    const { executionArn = '' } = await start('Scoring', { lead: 'l-2', nobody: true });

    const execution = await finished(executionArn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Unassigned');
    expect(JSON.parse(execution.cause ?? '')).toMatchObject({
      errorType: 'NoManagerAvailable',
      errorMessage: 'all managers are full',
    });
  });

  it('fails with the thrown error name when nothing catches it', async () => {
    const { executionArn = '' } = await start('Scoring', { lead: 'l-3', broken: true });

    const execution = await finished(executionArn);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(execution.cause ?? '').errorMessage).toBe('score is not a function');
  });

  it('answers typed exceptions for unknown machines and reused names', async () => {
    await expect(start('Missing', {})).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    const { executionArn = '' } = await start('Scoring', { lead: 'l-4', points: 1 }, 'l-4');
    await finished(executionArn);

    await expect(start('Scoring', { lead: 'l-4', points: 1 }, 'l-4')).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });

  it('returns the same execution for the same name and input while it runs, and refuses other input', async () => {
    const first = await start('Approval', { lead: 'l-5' }, 'l-5');
    const again = await start('Approval', { lead: 'l-5' }, 'l-5');

    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(start('Approval', { lead: 'other' }, 'l-5')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const { token } = await askedFor('l-5');
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"accepted":true}' }));
    expect((await finished(first.executionArn ?? '')).output).toBe('{"accepted":true}');
  });

  it('takes an answer sent before the function returned', async () => {
    const { executionArn = '' } = await start('Approval', { lead: 'l-9' });

    expect(await finished(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"now"' });
  });

  it('settles a task token with SendTaskFailure as the named ASL error', async () => {
    const { executionArn = '' } = await start('Approval', { lead: 'l-6' });
    const { token } = await askedFor('l-6');

    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Declined', cause: 'busy' }));

    expect(await finished(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Declined',
      cause: 'busy',
    });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times a task token out after TimeoutSeconds, and refuses late answers with TaskTimedOut', async () => {
    const { executionArn = '' } = await start('Approval', { lead: 'l-7' });
    const { token } = await askedFor('l-7');

    expect(await finished(executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  it('stops a running execution as ABORTED and rejects its pending token', async () => {
    const { executionArn = '' } = await start('Approval', { lead: 'l-8' });
    const { token } = await askedFor('l-8');

    await client.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by test' }));

    expect(await describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    const { executions = [] } = await client.send(
      new ListExecutionsCommand({ stateMachineArn: `${ARN}:Approval`, statusFilter: 'ABORTED' }),
    );
    expect(executions.map((e) => e.executionArn)).toContain(executionArn);
  });

  describe('fault injection', () => {
    const faults = (body?: object) =>
      fetch(`${endpoint}/__faults`, {
        method: body ? 'POST' : 'DELETE',
        headers: { 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const executions = async () =>
      (await (await fetch(`${endpoint}/__executions`)).json()) as { name: string; status: string }[];
    const startOnce = (name: string) =>
      noRetry.send(
        new StartExecutionCommand({
          stateMachineArn: `${ARN}:Approval`,
          name,
          input: JSON.stringify({ lead: name }),
        }),
      );

    it('fail_before answers 503 without starting anything', async () => {
      expect((await faults({ operation: 'StartExecution', mode: 'fail_before', count: 1 })).ok).toBe(true);

      await expect(startOnce('f-1')).rejects.toMatchObject({
        name: 'ServiceUnavailable',
        $metadata: { httpStatusCode: 503 },
      });

      expect((await executions()).some((e) => e.name === 'f-1')).toBe(false);
      await expect(startOnce('f-1')).resolves.toMatchObject({
        executionArn: expect.stringContaining(':f-1'),
      });
    });

    it('fail_after starts the execution, then loses the response', async () => {
      await faults({ operation: 'StartExecution', mode: 'fail_after', count: 1 });

      await expect(startOnce('f-2')).rejects.toThrow();

      expect((await executions()).find((e) => e.name === 'f-2')?.status).toBe('RUNNING');
    });

    it('the SDK retries both faults and lands on the one execution already started', async () => {
      await faults({ operation: 'StartExecution', mode: 'fail_after', count: 1 });
      await faults({ operation: 'StartExecution', mode: 'fail_before', count: 1 });

      const { executionArn } = await client.send(
        new StartExecutionCommand({
          stateMachineArn: `${ARN}:Approval`,
          name: 'f-3',
          input: '{"lead":"f-3"}',
        }),
      );

      expect(executionArn).toContain(':f-3');
      expect((await executions()).filter((e) => e.name === 'f-3')).toHaveLength(1);
      expect(((await (await fetch(`${endpoint}/__faults`)).json()) as { faults: unknown[] }).faults).toEqual(
        [],
      );
    });

    it('DELETE /__faults clears what is left', async () => {
      await faults({ operation: 'StartExecution', mode: 'fail_before', count: 5 });
      await faults();

      await expect(startOnce('f-4')).resolves.toBeDefined();
    });
  });
});
