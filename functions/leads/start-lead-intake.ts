import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { workflowStarter } from '#shared/composition.ts';
import { logger } from '#shared/runtime.ts';

const starter = workflowStarter();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The outbox: each new lead on the table stream starts its LeadIntake execution, exactly once. */
async function startIntake(record: DynamoDBRecord): Promise<void> {
  const leadId = record.dynamodb?.NewImage?.leadId?.S;
  if (!leadId) throw new Error(`Stream record ${record.eventID} carries no leadId`);
  const outcome = await starter.startLeadIntake(leadId);
  logger.info('LeadIntake execution', { leadId, outcome });
}

// Failed records are reported one by one, so the stream retries only those and then dead-letters them.
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => processPartialResponse(event, startIntake, processor, { context }));
