import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambdas } from '#local/lambdas.ts';
import { LocalQueues } from '#local/queues.ts';
import { FIXTURE_REGION, fixtureFunction } from './fixtures/functions.ts';

type Report = {
  heapSizeLimit: number;
  eventKeys: string[];
  atType: string;
  at: unknown;
  answeredAt: unknown;
};

const small = fixtureFunction('SmallFunction', 'heap-and-event.ts', { memoryMB: 128 });
const large = fixtureFunction('LargeFunction', 'heap-and-event.ts', { memoryMB: 512 });
const lambdas = new LocalLambdas({
  functions: [small, large],
  runtimeEnvironment: () => ({ AWS_REGION: FIXTURE_REGION }),
  queues: new LocalQueues(),
});
afterAll(() => lambdas.stop());

/** The heap limit Node reports when started as Lambda's Node.js bootstrap starts it for this memory size. */
function bootstrapHeapLimit(memoryMB: number): number {
  const newSpace = Math.floor(memoryMB / 10);
  const flags = [
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMB - newSpace}`,
  ];
  const script = 'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))';
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }));
}

describe('an execution environment as Lambda sets it up', () => {
  it("has the heap Lambda's Node.js bootstrap gives its memory size, not more", async () => {
    const [smallReport, largeReport] = (await Promise.all([
      lambdas.invoke(small.arn, {}),
      lambdas.invoke(large.arn, {}),
    ])) as Report[];

    expect(smallReport?.heapSizeLimit).toBe(bootstrapHeapLimit(128));
    expect(largeReport?.heapSizeLimit).toBe(bootstrapHeapLimit(512));
  });

  it('receives the event and answers as JSON carries them, as the Invoke API does', async () => {
    const report = (await lambdas.invoke(small.arn, { at: new Date(0), dropped: undefined })) as Report;

    expect(report.eventKeys).toEqual(['at']);
    expect(report.atType).toBe('string');
    expect(report.at).toBe('1970-01-01T00:00:00.000Z');
    expect(report.answeredAt).toBe('1970-01-01T00:00:00.000Z');
  });
});
