import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/processes.ts';
import { MAX_TIMER_MS } from '#local/step-functions/long-timer.ts';
import { libraryDefinition, MAX_TASK_TIMEOUT_S, taskTimeout } from '#local/step-functions/task-timeouts.ts';
import { LocalStepFunctions } from '#local/step-functions.ts';

const ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine';
const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;
const DAY_S = 24 * 60 * 60;

const askManager = (fields: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fn('Ask'), Payload: { 'token.$': '$$.Task.Token', 'lead.$': '$.id' } },
  ...fields,
});

// The acceptance loop's shape: an execution allowed 90 days, whose manager has 30 days to answer.
const longWait = {
  TimeoutSeconds: 90 * DAY_S,
  StartAt: 'AskManager',
  States: { AskManager: askManager({ TimeoutSeconds: 30 * DAY_S, End: true }) },
};

// The manager's time is the lead's SLA, read from the state input (after InputPath), not from the
// Parameters; nobody answering is escalated, and States.TaskFailed must not take that timeout.
const slaWait = {
  TimeoutSeconds: 90 * DAY_S,
  StartAt: 'PerLead',
  States: {
    PerLead: {
      Type: 'Parallel',
      End: true,
      Branches: [
        {
          StartAt: 'AskManager',
          States: {
            AskManager: askManager({
              InputPath: '$.lead',
              TimeoutSecondsPath: '$.sla.seconds',
              Catch: [
                { ErrorEquals: ['States.TaskFailed'], Next: 'Failed' },
                { ErrorEquals: ['States.Timeout'], Next: 'Escalate' },
                { ErrorEquals: ['States.ALL'], Next: 'Failed' },
              ],
              End: true,
            }),
            Escalate: { Type: 'Pass', Result: 'escalated', End: true },
            Failed: { Type: 'Pass', Result: 'failed', End: true },
          },
        },
      ],
    },
  },
};

// The same manager's task in an execution that may only run one second.
const brief = {
  TimeoutSeconds: 1,
  StartAt: 'AskManager',
  States: { AskManager: askManager({ TimeoutSeconds: 30 * DAY_S, End: true }) },
};

describe('LocalStepFunctions: timeouts longer than a Node timer holds (24.8 days)', () => {
  const asked = new Map<string, string>();
  const sfn = new LocalStepFunctions({
    stateMachines: [
      { arn: `${ARN}:LongWait`, name: 'LongWait', definition: longWait },
      { arn: `${ARN}:SlaWait`, name: 'SlaWait', definition: slaWait },
      { arn: `${ARN}:Brief`, name: 'Brief', definition: brief },
    ],
    invokeLambda: async (_arn, payload) => {
      const { lead, token } = payload as { lead: string; token: string };
      asked.set(lead, token);
      return { asked: true };
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

  const start = async (machine: string, input: object) => {
    const { executionArn = '' } = await client.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:${machine}`, input: JSON.stringify(input) }),
    );
    return executionArn;
  };
  const describeExecution = (executionArn: string) =>
    client.send(new DescribeExecutionCommand({ executionArn }));
  const finished = async (executionArn: string) => {
    for (;;) {
      const execution = await describeExecution(executionArn);
      if (execution.status !== 'RUNNING') return execution;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const tokenOf = async (lead: string) => {
    for (;;) {
      const token = asked.get(lead);
      if (token) return token;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const answer = (token: string, output: unknown) =>
    client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));

  it('holds a 90-day execution and 30-day tasks while a 1-second execution times out, then takes the answers', async () => {
    const longArn = await start('LongWait', { id: 'l-1' });
    const slaArn = await start('SlaWait', { lead: { id: 'l-2', sla: { seconds: 30 * DAY_S } } });
    const briefArn = await start('Brief', { id: 'l-3' });

    // Anything that would fire at once (Node's overflowed 1 ms) has fired by the time the 1-second one has.
    expect(await finished(briefArn)).toMatchObject({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution timed out',
    });
    expect((await describeExecution(longArn)).status).toBe('RUNNING');
    expect((await describeExecution(slaArn)).status).toBe('RUNNING');

    await answer(await tokenOf('l-1'), { accepted: 'm-1' });
    await answer(await tokenOf('l-2'), { accepted: 'm-2' });

    expect(await finished(longArn)).toMatchObject({ status: 'SUCCEEDED', output: '{"accepted":"m-1"}' });
    expect(await finished(slaArn)).toMatchObject({ status: 'SUCCEEDED', output: '[{"accepted":"m-2"}]' });
  });

  it('ends a timed-out execution as AWS does: ExecutionTimedOut in its history, its token spent', async () => {
    const executionArn = await start('Brief', { id: 'l-4' });
    const token = await tokenOf('l-4');

    expect(await finished(executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.at(-1)?.type).toBe('ExecutionTimedOut');
    expect(events.map((e) => e.type)).not.toContain('ExecutionAborted');
    await expect(answer(token, {})).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times a task out after the seconds its TimeoutSecondsPath selects, for a Catch on States.Timeout', async () => {
    const executionArn = await start('SlaWait', { lead: { id: 'l-5', sla: { seconds: 1 } } });
    const token = await tokenOf('l-5');

    expect(await finished(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '["escalated"]' });
    await expect(answer(token, {})).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails with States.Runtime, which no Catch takes, when TimeoutSecondsPath selects no positive integer', async () => {
    for (const seconds of ['soon', 0, 1.5]) {
      const executionArn = await start('SlaWait', { lead: { id: `l-6-${seconds}`, sla: { seconds } } });

      const execution = await finished(executionArn);

      expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(execution.cause).toContain('TimeoutSecondsPath');
    }
  });
});

describe('a task timeout past what the library holds', () => {
  it('ends the task a second before the backstop the library gets, which still fits in a Node timer', () => {
    const definition = {
      StartAt: 'AskManager',
      States: { AskManager: askManager({ TimeoutSeconds: 30 * DAY_S }) },
    };
    const { TimeoutSeconds: backstop } = libraryDefinition(definition).States.AskManager as {
      TimeoutSeconds: number;
    };

    expect(taskTimeout(definition.States.AskManager)({}).timeoutMs).toBe(MAX_TASK_TIMEOUT_S * 1000);
    expect(MAX_TASK_TIMEOUT_S).toBeLessThan(backstop);
    expect(backstop * 1000).toBeLessThanOrEqual(MAX_TIMER_MS);
  });
});
