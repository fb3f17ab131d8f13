import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type LocalProcess, startDynamoDbLocal } from '#local/processes.ts';
import { LocalQueues } from '#local/queues.ts';
import { DynamoStreamPoller, type StreamMappingConfig } from '#local/stream-poller.ts';

const REGION = 'eu-central-1';
const DLQ = 'arn:aws:sqs:eu-central-1:000000000000:StarterDlq';

describe('DynamoStreamPoller against DynamoDB Local', () => {
  let ddb: LocalProcess;
  let client: DynamoDBClient;
  const pollers: DynamoStreamPoller[] = [];
  let tables = 0;

  beforeAll(async () => {
    ddb = await startDynamoDbLocal({ port: await freePort() });
    client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
  });

  /** A fresh table with a NEW_AND_OLD_IMAGES stream, and a poller on it that records every invocation. */
  async function setup(
    mapping: Partial<StreamMappingConfig>,
    handler: (records: DynamoDBRecord[]) => unknown = () => undefined,
    writesBeforeStart: string[] = [],
  ) {
    const tableName = `Leads${++tables}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const put = (pk: string, extra: Record<string, unknown> = {}) =>
      client.send(
        new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, type: { S: 'Lead' }, ...extra } }),
      );
    // One BatchWriteItem, so the records land together (with a batching window, in one batch).
    const putAll = (pks: string[]) =>
      client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: pks.map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, type: { S: 'Lead' } } } })),
          },
        }),
      );
    for (const pk of writesBeforeStart) await put(pk);
    const batches: DynamoDBRecord[][] = [];
    const queues = new LocalQueues();
    const poller = new DynamoStreamPoller({
      endpoint: ddb.endpoint,
      region: REGION,
      queues,
      pollIntervalMs: 20,
      mapping: {
        tableName,
        batchSize: 10,
        startingPosition: 'LATEST',
        maximumRetryAttempts: 3,
        bisectBatchOnError: false,
        reportBatchItemFailures: false,
        filterPatterns: [],
        onFailureQueueArn: DLQ,
        functionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:Starter',
        ...mapping,
      },
      invoke: async (event: DynamoDBStreamEvent) => {
        batches.push(event.Records);
        return handler(event.Records);
      },
    });
    pollers.push(poller);
    await poller.start();
    const keys = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb?.Keys?.pk?.S);
    return { tableName, put, putAll, poller, batches, queues, keys };
  }

  it('delivers what is written after start, in order, as Lambda-shaped records in batches', async () => {
    const { put, poller, batches, keys } = await setup({ batchSize: 2 }, () => undefined, ['before']);

    for (const pk of ['a', 'b', 'c', 'd', 'e']) await put(pk, { blob: { B: new Uint8Array([1, 2, 3]) } });
    await poller.idle();

    expect(keys(batches.flat())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(batches.every((b) => b.length <= 2)).toBe(true);
    const [record] = batches[0] ?? [];
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      eventSourceARN: expect.stringContaining('/stream/'),
      dynamodb: {
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, type: { S: 'Lead' }, blob: { B: 'AQID' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        SequenceNumber: expect.any(String),
        SizeBytes: expect.any(Number),
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
    expect(record?.eventID).toBeTruthy();
  });

  it('starts from the oldest record with TRIM_HORIZON, and shows old images on change', async () => {
    const { tableName, put, poller, batches, keys } = await setup(
      { startingPosition: 'TRIM_HORIZON' },
      undefined,
      ['old-1', 'old-2'],
    );

    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'old-1' } },
        UpdateExpression: 'SET stage = :s',
        ExpressionAttributeValues: { ':s': { S: 'qualified' } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'old-2' } } }));
    await put('new');
    await poller.idle();

    const records = batches.flat();
    expect(keys(records)).toEqual(['old-1', 'old-2', 'old-1', 'old-2', 'new']);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'REMOVE', 'INSERT']);
    expect(records[2]?.dynamodb).toMatchObject({
      OldImage: { pk: { S: 'old-1' } },
      NewImage: { stage: { S: 'qualified' } },
    });
    expect(records[3]?.dynamodb?.NewImage).toBeUndefined();
  });

  it('drops records that match no filter pattern', async () => {
    const { tableName, put, poller, batches, keys } = await setup({
      filterPatterns: [{ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Lead'] } } } }],
    });

    await put('lead-1');
    await put('manager-1', { type: { S: 'Manager' } });
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'lead-1' } },
        UpdateExpression: 'SET score = :s',
        ExpressionAttributeValues: { ':s': { N: '7' } },
      }),
    );
    await put('lead-2');
    await poller.idle();

    expect(keys(batches.flat())).toEqual(['lead-1', 'lead-2']);
  });

  it('retries a partial batch failure from the first failed record', async () => {
    let failed = false;
    const { putAll, poller, batches, keys, queues } = await setup(
      { reportBatchItemFailures: true, maximumBatchingWindowSeconds: 0.5 },
      (records) => {
        const bad = records.find((r) => r.dynamodb?.Keys?.pk?.S === 'c');
        if (failed || !bad) return { batchItemFailures: [] };
        failed = true;
        return { batchItemFailures: [{ itemIdentifier: bad.dynamodb?.SequenceNumber }] };
      },
    );

    await putAll(['a', 'b', 'c', 'd']);
    await poller.idle();

    expect(batches.map(keys)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
    expect(queues.messages()).toEqual([]);
  });

  it('bisects a failing batch and sends the poison record to the on-failure queue after its retries', async () => {
    const { putAll, poller, batches, keys, queues } = await setup(
      { bisectBatchOnError: true, maximumRetryAttempts: 3, maximumBatchingWindowSeconds: 0.5 },
      (records) => {
        if (records.some((r) => r.dynamodb?.Keys?.pk?.S === 'poison'))
          throw new Error('cannot start workflow');
      },
    );

    await putAll(['a', 'b', 'poison', 'c']);
    await poller.idle();

    // The batch splits in halves until the poison record is alone; the others go through in order.
    expect(batches.map((b) => keys(b).join())).toEqual([
      'a,b,poison,c',
      'a,b',
      'poison,c',
      'poison',
      'poison',
      'c',
    ]);
    const [message] = queues.messages(DLQ);
    expect(queues.depth(DLQ)).toBe(1);
    const poison = batches.flat().find((r) => r.dynamodb?.Keys?.pk?.S === 'poison');
    expect(JSON.parse(message?.body ?? '')).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:Starter',
      },
      responseContext: { functionError: 'Unhandled' },
      DDBStreamBatchInfo: {
        batchSize: 1,
        startSequenceNumber: poison?.dynamodb?.SequenceNumber,
        endSequenceNumber: poison?.dynamodb?.SequenceNumber,
        streamArn: poison?.eventSourceARN,
      },
    });
  });

  it('keeps delivering after a dead-lettered batch, and idle() waits for the retries', async () => {
    let failing = true;
    const { put, poller, batches, keys, queues } = await setup(
      { maximumRetryAttempts: 2, batchSize: 1 },
      (records) => {
        if (failing && keys(records).includes('x')) throw new Error('boom');
      },
    );

    await put('x');
    await put('y');
    await poller.idle();
    failing = false;

    expect(batches.map(keys)).toEqual([['x'], ['x'], ['x'], ['y']]);
    expect(queues.depth(DLQ)).toBe(1);
  });
});
