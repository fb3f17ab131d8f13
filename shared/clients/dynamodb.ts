import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { once } from '../runtime.ts';

/**
 * The table's client. Like every client in shared/clients/, it takes its endpoint from the standard
 * AWS_ENDPOINT_URL_* variables, which is how the local runtime points it at the emulator without a code
 * path of its own.
 */
export const documentClient = once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);
