import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxDeps } from '#shared/composition-outbox.ts';
import { startLeadIntake } from '#shared/leads/outbox.ts';
import { logger } from '#shared/runtime.ts';

const deps = outboxDeps();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The outbox: each new lead on the table stream starts its LeadIntake execution, exactly once. */
async function startIntake(record: DynamoDBRecord): Promise<void> {
  const leadId = record.dynamodb?.NewImage?.leadId?.S;
  if (!leadId) throw new Error(`Stream record ${record.eventID} carries no leadId`);
  const outcome = await startLeadIntake(deps, leadId);
  logger.info('LeadIntake execution', { leadId, outcome });
}

// Failed records are reported one by one, so the stream retries only those and then dead-letters them;
// the pending-intake sweeper starts whatever was dead-lettered.
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => processPartialResponse(event, startIntake, processor, { context }));
