import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/processes.ts';
import { LocalStepFunctions } from '#local/step-functions.ts';

const ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine';
const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;

// A lead is checked through the optimized integration; a function timeout is caught by its AWS name.
const check = {
  StartAt: 'CheckLead',
  States: {
    CheckLead: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('Check'), 'Payload.$': '$' },
      Catch: [{ ErrorEquals: ['Sandbox.Timedout'], ResultPath: '$.failure', Next: 'CheckTimedOut' }],
      End: true,
    },
    CheckTimedOut: { Type: 'Pass', End: true },
  },
};

// The manager is asked with a task token; the asking function itself may fail.
const approval = {
  StartAt: 'AskManager',
  States: {
    AskManager: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('Check'), Payload: { 'token.$': '$$.Task.Token', 'lead.$': '$.lead' } },
      TimeoutSeconds: 30,
      End: true,
    },
  },
};

// Nobody answers the manager's token; States.TaskFailed must not take the timeout, as in AWS.
const unanswered = {
  StartAt: 'AskManager',
  States: {
    AskManager: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('Check'), Payload: { 'token.$': '$$.Task.Token', 'lead.$': '$.lead' } },
      TimeoutSeconds: 1,
      Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Succeed' },
  },
};

// A task on a service the local runtime does not run, behind a Retry and Catch that AWS would not apply.
const unsupported = {
  StartAt: 'Queue',
  States: {
    Queue: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: 'https://sqs.eu-central-1.amazonaws.com/000000000000/q', MessageBody: 'x' },
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Succeed' },
  },
};

const named = (name: string, message: string) => Object.assign(new Error(message), { name });
/** A function error as the Lambda service reports it: the Invoke response payload rides along. */
const functionError = (errorType: string, errorMessage: string, trace: string[]) =>
  Object.assign(named(errorType, errorMessage), { payload: { errorType, errorMessage, trace } });

describe('LocalStepFunctions: Lambda task errors and the caller', () => {
  const callers: { arn: string; stateMachineArn: string }[] = [];
  // The injected Lambda service: each lead asks for one way of answering.
  const answers: Record<string, () => unknown> = {
    'c-1': () => {
      throw functionError('LeadNotFound', 'no lead c-1', ['LeadNotFound: no lead c-1', '    at check']);
    },
    'c-2': () => {
      throw functionError('Sandbox.Timedout', 'RequestId: r-1 Error: Task timed out after 3.00 seconds', []);
    },
    'c-3': () => {
      throw named('Lambda.AWSLambdaException', 'The role may not call lambda:InvokeFunction');
    },
    'c-5': () => {
      throw functionError('DirectoryDown', 'the manager directory is down', []);
    },
  };
  const sfn = new LocalStepFunctions({
    stateMachines: [
      { arn: `${ARN}:Check`, name: 'Check', definition: check },
      { arn: `${ARN}:Approval`, name: 'Approval', definition: approval },
      { arn: `${ARN}:Unsupported`, name: 'Unsupported', definition: unsupported },
      { arn: `${ARN}:Unanswered`, name: 'Unanswered', definition: unanswered },
    ],
    invokeLambda: async (arn, payload, caller) => {
      callers.push({ arn, stateMachineArn: caller.stateMachineArn });
      const { lead } = payload as { lead: string };
      return answers[lead]?.() ?? { checked: lead };
    },
  });
  let client: SFNClient;

  beforeAll(async () => {
    client = new SFNClient({
      endpoint: await sfn.listen(await freePort()),
      region: 'eu-central-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await sfn.close();
  });

  const run = async (machine: string, input: object) => {
    const { executionArn = '' } = await client.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:${machine}`, input: JSON.stringify(input) }),
    );
    for (;;) {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('fails the task with the errorType of a function error and the response payload as the cause', async () => {
    const execution = await run('Check', { lead: 'c-1' });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'LeadNotFound' });
    expect(execution.cause).toBe(
      JSON.stringify({
        errorType: 'LeadNotFound',
        errorMessage: 'no lead c-1',
        trace: ['LeadNotFound: no lead c-1', '    at check'],
      }),
    );
    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({ executionArn: execution.executionArn }),
    );
    const failed = events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails;
    expect(failed).toMatchObject({ error: 'LeadNotFound', cause: execution.cause });
  });

  it('names a function timeout Sandbox.Timedout, with the payload as the cause, for a Catch to take', async () => {
    const execution = await run('Check', { lead: 'c-2' });

    expect(execution.status).toBe('SUCCEEDED');
    const { failure } = JSON.parse(execution.output ?? '');
    expect(failure.Error).toBe('Sandbox.Timedout');
    expect(JSON.parse(failure.Cause)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: r-1 Error: Task timed out after 3.00 seconds',
      trace: [],
    });
  });

  it('passes a refused invoke through with the name and message the invoker gave it', async () => {
    expect(await run('Check', { lead: 'c-3' })).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.AWSLambdaException',
      cause: 'The role may not call lambda:InvokeFunction',
    });
  });

  it('tells the invoker which state machine calls, for its lambda:InvokeFunction check', async () => {
    const execution = await run('Check', { lead: 'c-4' });

    expect(JSON.parse(execution.output ?? '')).toMatchObject({
      Payload: { checked: 'c-4' },
      StatusCode: 200,
    });
    expect(callers).toContainEqual({ arn: fn('Check'), stateMachineArn: `${ARN}:Check` });
  });

  it('fails a .waitForTaskToken task with the function error in the same way', async () => {
    const execution = await run('Approval', { lead: 'c-5' });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'DirectoryDown' });
    expect(JSON.parse(execution.cause ?? '').errorMessage).toBe('the manager directory is down');
    expect(callers).toContainEqual({ arn: fn('Check'), stateMachineArn: `${ARN}:Approval` });
  });

  it('times an unanswered token out with States.Timeout, which States.TaskFailed does not catch', async () => {
    expect(await run('Unanswered', { lead: 'c-6' })).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
    });
  });

  it('lets neither Retry nor Catch take States.Runtime, as AWS does not', async () => {
    const execution = await run('Unsupported', {});

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(execution.cause).toContain('not arn:aws:states:::sqs:sendMessage');
  });
});
