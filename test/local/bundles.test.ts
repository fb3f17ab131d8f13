import { describe, expect, it } from 'vitest';
import { bundleFunctions } from '#local/bundles.ts';
import { LambdaFunctionError, LocalLambdas } from '#local/lambdas.ts';
import { LocalQueues } from '#local/queues.ts';
import { fixtureFunction } from './fixtures/functions.ts';

const apiEvent = { rawPath: '/openapi.json', headers: {}, requestContext: { http: { method: 'GET' } } };

describe('functions run from their bundles, as Lambda loads them', () => {
  it('bundles each entry once, with the AWS SDK inside, and runs the bundle in its environment', async () => {
    // Prepare: the API description function, bundled with the options cdk deploy uses.
    const fn = fixtureFunction('DescribeApi', 'unused.ts', { entry: 'functions/api/openapi.ts' });
    const { bundles, remove } = await bundleFunctions([
      fn,
      { ...fn, logicalId: 'Twin', arn: `${fn.arn}Twin` },
    ]);
    const lambdas = new LocalLambdas({
      functions: [fn],
      queues: new LocalQueues(),
      bundles,
      runtimeEnvironment: () => ({ AWS_REGION: 'eu-central-1' }),
    });
    try {
      // Act
      const answer = (await lambdas.invoke(fn.arn, apiEvent)) as { statusCode: number; body: string };
      // Assess: one bundle for the shared entry, and it answers as the source would.
      expect([...bundles.keys()]).toEqual(['functions/api/openapi.ts']);
      expect(bundles.get('functions/api/openapi.ts')).toMatch(/\.mjs$/);
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(answer.body).openapi).toBe('3.1.0');
    } finally {
      await lambdas.stop();
      remove();
    }
  });

  it('maps a bundled function error back to the TypeScript source in its trace', async () => {
    const fn = fixtureFunction('Thrower', 'environment-probe.ts');
    const { bundles, remove } = await bundleFunctions([fn]);
    const lambdas = new LocalLambdas({
      functions: [fn],
      queues: new LocalQueues(),
      bundles,
      runtimeEnvironment: () => ({}),
    });
    try {
      const failure = await lambdas
        .invoke(fn.arn, { fail: { name: 'ProbeFailed', message: 'boom' } })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LambdaFunctionError);
      expect((failure as LambdaFunctionError).payload.trace.join('\n')).toContain('environment-probe.ts');
    } finally {
      await lambdas.stop();
      remove();
    }
  });
});
