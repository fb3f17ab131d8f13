import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

/**
 * BatchWriteItem and BatchGetItem with their unprocessed items retried. DynamoDB answers a batch it could
 * only partly serve (throttled, or over a partition's rate) with the rest as UnprocessedItems/Keys, not an
 * error, so the SDK's own retries never see them: each round sends what is left after an exponential
 * backoff with full jitter (so writers that were throttled together do not come back together), and a
 * bounded number of rounds ends in an error naming how many items were left, never which.
 */

/** BatchWriteItem's most puts per call, BatchGetItem's most keys. */
export const WRITES_PER_CALL = 25;
export const READS_PER_CALL = 100;

/** `attempts` calls at most per chunk; the n-th retry waits a random time up to `min(capMs, baseMs * 2^n)`. */
export type Backoff = { attempts: number; baseMs: number; capMs: number };

/** About 6 s of waiting at most before giving up on a chunk. */
export const DEFAULT_BACKOFF: Backoff = { attempts: 8, baseMs: 50, capMs: 2_000 };

export class UnprocessedAfterRetries extends Error {
  override name = 'UnprocessedAfterRetries';
  readonly left: number;
  constructor(operation: 'BatchWriteItem' | 'BatchGetItem', left: number, attempts: number) {
    super(`${operation}: ${left} items still unprocessed after ${attempts} attempts`);
    this.left = left;
  }
}

const pause = (backoff: Backoff, retry: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** retry)),
  );

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/** Puts the items, 25 per call, each call's unprocessed items retried until none is left or the tries run out. */
export async function putAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  backoff: Backoff = DEFAULT_BACKOFF,
): Promise<void> {
  for (const chunk of chunks(items, WRITES_PER_CALL)) {
    let requests: WriteRequests = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = UnprocessedItems?.[tableName] ?? [];
      if (requests.length === 0) break;
      if (attempt >= backoff.attempts)
        throw new UnprocessedAfterRetries('BatchWriteItem', requests.length, attempt);
      await pause(backoff, attempt - 1);
    }
  }
}

type GetRequest = NonNullable<BatchGetCommandInput['RequestItems']>[string];

/**
 * The items of these keys that exist (consistent reads), 100 keys per call, unprocessed keys retried as
 * writes are. `projection` names the attributes to read (names are given as `#name` placeholders).
 */
export async function getAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  projection: string[],
  backoff: Backoff = DEFAULT_BACKOFF,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const names = Object.fromEntries(projection.map((name, i) => [`#p${i}`, name]));
  for (const chunk of chunks(keys, READS_PER_CALL)) {
    let request: GetRequest = {
      Keys: chunk,
      ConsistentRead: true,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    };
    for (let attempt = 1; ; attempt++) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: request } }),
      );
      found.push(...(Responses?.[tableName] ?? []));
      const left = UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (left.length === 0) break;
      if (attempt >= backoff.attempts)
        throw new UnprocessedAfterRetries('BatchGetItem', left.length, attempt);
      request = { ...request, Keys: left };
      await pause(backoff, attempt - 1);
    }
  }
  return found;
}
