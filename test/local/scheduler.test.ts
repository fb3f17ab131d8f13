import { afterEach, describe, expect, it } from 'vitest';
import { describeLocalApp } from '#local/assembly.ts';
import { LocalQueues } from '#local/queues.ts';
import { LocalScheduler, type ScheduledEvent } from '#local/scheduler.ts';
import { DeliveryError } from '#local/target-delivery.ts';

const fn = (name: string) => `arn:aws:lambda:eu-central-1:000000000000:function:${name}`;
const DLQ = 'arn:aws:sqs:eu-central-1:000000000000:SweepDlq';
const FIVE_MINUTES = 300_000;
// Five minutes pass in 15 ms: the schedule's rate is kept, only the clock runs faster.
const timeScale = 15 / FIVE_MINUTES;

/** Polls until `check` holds; no fixed sleeps, no timed assertions. */
async function eventually<T>(check: () => T | undefined): Promise<T> {
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LocalScheduler', () => {
  let scheduler: LocalScheduler | undefined;
  afterEach(() => scheduler?.stop());

  it('fires each schedule on its rate, with the target Input or the Scheduled Event envelope', async () => {
    const delivered: { target: string; event: unknown }[] = [];
    scheduler = new LocalScheduler({
      schedules: [
        {
          name: 'SweepPendingIntake',
          everyMs: FIVE_MINUTES,
          targets: [
            { id: 'Sweep', arn: fn('Sweep'), input: '{"graceMinutes":2}' },
            { id: 'Report', arn: fn('Report') },
          ],
        },
      ],
      queues: new LocalQueues(),
      deliver: async (target, event) => {
        delivered.push({ target, event });
      },
      timeScale,
    });

    scheduler.start();
    await eventually(() => (delivered.length >= 6 ? true : undefined));

    const sweeps = delivered.filter((d) => d.target === fn('Sweep')).map((d) => d.event);
    expect(sweeps.slice(0, 3)).toEqual([{ graceMinutes: 2 }, { graceMinutes: 2 }, { graceMinutes: 2 }]);
    const reports = delivered.filter((d) => d.target === fn('Report')).map((d) => d.event as ScheduledEvent);
    expect(reports[0]).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'eu-central-1',
      resources: ['arn:aws:events:eu-central-1:000000000000:rule/SweepPendingIntake'],
      detail: {},
    });
    expect(new Set(reports.map((r) => r.id)).size).toBe(reports.length); // one event per firing
  });

  it('retries a failed delivery with the target retry policy, then dead-letters it as a rule does', async () => {
    const queues = new LocalQueues();
    let attempts = 0;
    scheduler = new LocalScheduler({
      schedules: [
        {
          name: 'SweepPendingIntake',
          everyMs: FIVE_MINUTES,
          targets: [
            {
              id: 'Sweep',
              arn: fn('Sweep'),
              input: '{"graceMinutes":2}',
              deadLetterArn: DLQ,
              maximumRetryAttempts: 4,
            },
          ],
        },
      ],
      queues,
      deliver: async () => {
        attempts += 1;
        throw new DeliveryError('THROTTLING', 'Rate exceeded', true);
      },
      timeScale,
      msPerAwsSecond: 0.01,
    });

    scheduler.start();
    const [message] = await eventually(() => {
      const messages = queues.messages(DLQ);
      return messages.length > 0 ? messages : undefined;
    });
    scheduler.stop();
    await scheduler.idle();

    expect(JSON.parse(message?.body ?? '')).toEqual({ graceMinutes: 2 });
    expect(message?.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:eu-central-1:000000000000:rule/SweepPendingIntake',
      TARGET_ARN: fn('Sweep'),
      ERROR_CODE: 'THROTTLING',
      ERROR_MESSAGE: 'Rate exceeded',
      RETRY_ATTEMPTS: '4',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    expect(attempts).toBeGreaterThanOrEqual(5); // the first attempt and its four retries, at least
  });

  it('refuses a schedule without a rate', () => {
    const create = () =>
      new LocalScheduler({
        schedules: [{ name: 'Broken', everyMs: Number.NaN, targets: [] }],
        queues: new LocalQueues(),
        deliver: async () => undefined,
      });

    expect(create).toThrow('Schedule Broken has no rate');
  });
});

describe('rule targets read from the template', () => {
  const template = (target: Record<string, unknown>) => ({
    Resources: {
      Sweeper: { Type: 'AWS::Lambda::Function', Properties: {} },
      SweepDlq: { Type: 'AWS::SQS::Queue', Properties: {} },
      SweepSchedule: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'rate(5 minutes)', Targets: [target] },
      },
      LeadAudit: {
        Type: 'AWS::Events::Rule',
        Properties: { EventPattern: { source: ['attract.leads'] }, Targets: [target] },
      },
    },
  });
  const target = {
    Id: 'Target0',
    Arn: { 'Fn::GetAtt': ['Sweeper', 'Arn'] },
    Input: '{"graceMinutes":2}',
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['SweepDlq', 'Arn'] } },
    RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 600 },
  };

  it('gives scheduled and event rules alike their Input, retry policy and dead-letter queue', () => {
    const app = describeLocalApp([template(target)], 'eu-central-1');

    const expected = {
      id: 'Target0',
      arn: 'arn:aws:lambda:eu-central-1:000000000000:function:Sweeper',
      input: '{"graceMinutes":2}',
      deadLetterArn: 'arn:aws:sqs:eu-central-1:000000000000:SweepDlq',
      maximumRetryAttempts: 4,
      maximumEventAgeSeconds: 600,
    };
    expect(app.schedules).toEqual([{ name: 'SweepSchedule', everyMs: 300_000, targets: [expected] }]);
    expect(app.rules[0]?.targets).toEqual([expected]);
  });

  it('refuses an input transformation, which the local runtime does not apply', () => {
    const transformed = { ...target, Input: undefined, InputTransformer: { InputTemplate: '"<x>"' } };

    expect(() => describeLocalApp([template(transformed)], 'eu-central-1')).toThrow(/not emulated/);
  });
});
