import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../runtime.ts';

/**
 * A Step Functions task handler: the state input is checked against its schema (a mismatch is a bug in
 * the definition, so it fails the task) and the lead id is added to every log line.
 */
export function workflowStep<S extends z.ZodType, R>(input: S, step: (input: z.infer<S>) => Promise<R>) {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const parsed = input.parse(event);
      const leadId = (parsed as { leadId?: unknown }).leadId;
      if (typeof leadId === 'string') logger.appendKeys({ leadId });
      try {
        return await step(parsed);
      } finally {
        logger.removeKeys(['leadId']);
      }
    });
}

export const LeadStepInput = z.object({ leadId: z.uuid() });
