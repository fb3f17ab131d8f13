import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendFailureOf } from '#shared/adapters/letter-mailer.ts';
import { NewCampaignInput } from '#shared/campaigns/campaign.ts';
import { largestTake, Pacer, refill, takeFrom } from '#shared/campaigns/send-allowance.ts';
import { inLanes } from '#shared/concurrency.ts';

describe("the account's letters per second", () => {
  it('never grants more than the rate allows over any run of takes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 400 }), want: fc.integer({ min: 1, max: 100 }) }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (perSecond, takes) => {
          let bucket: ReturnType<typeof refill> | undefined;
          let now = 1_000_000;
          const start = now;
          let granted = 0;
          for (const { gapMs, want } of takes) {
            now += gapMs;
            const taken = takeFrom(bucket, now, want, perSecond);
            expect(taken.granted).toBeLessThanOrEqual(Math.min(want, largestTake(perSecond)));
            granted += taken.granted;
            bucket = taken.after;
            if (taken.granted === 0) expect(taken.waitMs).toBeGreaterThan(0);
          }
          // A full bucket at the start (one second's worth), then the rate.
          expect(granted).toBeLessThanOrEqual(perSecond + ((now - start) / 1000) * perSecond + 1e-9);
        },
      ),
    );
  });

  it('refills at the rate and holds at most one second of letters', () => {
    expect(refill({ tokens: 0, at: 0 }, 500, 10)).toEqual({ tokens: 5, at: 500 });
    expect(refill({ tokens: 8, at: 0 }, 10_000, 10)).toEqual({ tokens: 10, at: 10_000 });
    expect(refill(undefined, 42, 14)).toEqual({ tokens: 14, at: 42 });
  });

  it('paces one campaign at its own rate', () => {
    const pacer = new Pacer(4);
    expect([pacer.reserve(0), pacer.reserve(0), pacer.reserve(100), pacer.reserve(2000)]).toEqual([
      0, 250, 400, 0,
    ]);
  });
});

describe("SES's answers, as the sender reads them", () => {
  const sdkError = (name: string, status?: number, message = '') =>
    Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

  it('tells a slow-down from a failure, a refusal of the letter from one of the account, and no answer at all', () => {
    expect(sendFailureOf(sdkError('TooManyRequestsException', 429)).kind).toBe('throttled');
    expect(sendFailureOf(sdkError('Throttling', 400, 'Maximum sending rate exceeded.')).kind).toBe(
      'throttled',
    );
    expect(sendFailureOf(sdkError('Throttling', 400, 'Daily message quota exceeded.')).kind).toBe('account');
    expect(sendFailureOf(sdkError('SendingPausedException', 400)).kind).toBe('account');
    expect(sendFailureOf(sdkError('InternalFailure', 500)).kind).toBe('transient');
    expect(sendFailureOf(sdkError('MessageRejected', 400))).toMatchObject({
      kind: 'refused',
      code: 'MessageRejected',
    });
    expect(sendFailureOf(sdkError('TimeoutError')).kind).toBe('unknown_outcome');
  });
});

describe('a new campaign', () => {
  const step = { offerId: '0b7a9c1e-3f1d-4c55-9a59-4b1f7b7f0c11', version: 1 };
  const valid = {
    name: 'Зарплатный проект',
    audienceIds: ['aud-1'],
    steps: [step],
    signatory: { name: 'Иван Иванов', email: 'i.ivanov@bank.example', phone: '+74951234567' },
  };

  it('takes the defaults for the rate and the error guard', () => {
    expect(NewCampaignInput.parse(valid)).toMatchObject({ sendRate: 10, pauseAfterErrors: 25 });
  });

  it('names the field at fault: a follow-up without its wait, a wait on the first step, an audience twice', () => {
    const paths = (input: unknown) =>
      NewCampaignInput.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ ...valid, steps: [step, step] })).toEqual(['steps.1.waitDays']);
    expect(paths({ ...valid, steps: [{ ...step, waitDays: 3 }] })).toEqual(['steps.0.waitDays']);
    expect(paths({ ...valid, audienceIds: ['a', 'a'] })).toEqual(['audienceIds']);
    expect(paths({ ...valid, sendRate: 0 })).toEqual(['sendRate']);
  });
});

describe('work in lanes', () => {
  it('runs at most the given number at once and keeps the order of the results', async () => {
    let running = 0;
    let most = 0;
    const tasks = Array.from({ length: 20 }, (_, i) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
      running--;
      return i;
    });
    expect(await inLanes(tasks, 4)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(4);
  });

  it('starts nothing after a failure, and rejects once the running tasks have ended', async () => {
    const ended: number[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) => async () => {
      await new Promise((resolve) => setTimeout(resolve, i === 1 ? 1 : 20));
      if (i === 1) throw new Error('task 1 failed');
      ended.push(i);
      return i;
    });
    await expect(inLanes(tasks, 3)).rejects.toThrow('task 1 failed');
    // Tasks 0 and 2 were running when 1 failed; they ended before the rejection, and no other started.
    expect(ended.sort()).toEqual([0, 2]);
  });
});
