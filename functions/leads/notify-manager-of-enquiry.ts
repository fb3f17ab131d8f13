import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { withoutKeys } from '#shared/adapters/table.ts';
import { notifyDeps } from '#shared/composition-notify.ts';
import type { Enquiry } from '#shared/leads/lead.ts';
import { notifyManagerOfEnquiry } from '#shared/leads/notify-manager.ts';
import { logger } from '#shared/runtime.ts';

const deps = notifyDeps();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Each later enquiry stored on a lead: its manager, if it has one, is told by email, once. */
async function tellManager(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`Stream record ${record.eventID} carries no new image`);
  // Enquiries are written once and never changed: the image is the stored enquiry.
  const enquiry = withoutKeys<Enquiry>(unmarshall(image as Record<string, AttributeValue>));
  const outcome = await notifyManagerOfEnquiry(deps, enquiry);
  logger.info('Later enquiry notice', {
    leadId: enquiry.leadId,
    enquiryId: enquiry.enquiryId,
    outcome: outcome.kind,
  });
}

// Failed records are reported one by one: the stream retries only those, then dead-letters them.
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => processPartialResponse(event, tellManager, processor, { context }));
