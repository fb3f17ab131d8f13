import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { outboxDeps } from '#shared/composition-outbox.ts';
import { sweepPendingIntake } from '#shared/leads/outbox.ts';
import { logger } from '#shared/runtime.ts';

const deps = outboxDeps();

// The schedule passes its settings; an engineer may invoke it with `{"graceMinutes": 0}` after an incident.
const Input = z.object({
  graceMinutes: z.number().min(0).max(1440).default(2),
  batchSize: z.number().int().min(1).max(1000).default(100),
});

/** Scheduled: starts the workflow of any lead whose start was never confirmed (the outbox's safety net). */
export const handler = middy<unknown>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const options = Input.parse(event ?? {});
    const result = await sweepPendingIntake(deps, options);
    if (result.pending) logger.warn('Leads pending intake were swept', result);
    return result;
  });
