import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesEventPattern, validateEventPattern } from './event-pattern.ts';
import type { LocalQueues } from './queues.ts';

export interface StreamMappingConfig {
  tableName: string;
  batchSize: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** -1 retries until the record expires, as in AWS. */
  maximumRetryAttempts: number;
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  /** Parsed JSON of FilterCriteria.Filters[].Pattern; a record passes if any matches (or there are none). */
  filterPatterns: unknown[];
  onFailureQueueArn?: string;
  maximumBatchingWindowSeconds?: number;
  /** Named in on-failure records. */
  functionArn?: string;
}

interface ShardReader {
  shardId: string;
  parentId?: string;
  startType: ShardIteratorType;
  iterator?: string;
  /** Last sequence number read, to get a new iterator when one expires. */
  lastSequence?: string;
  ended: boolean;
  buffer: DynamoDBRecord[];
  bufferedSince: number;
  /** The idle() mark of the last read that found nothing left to deliver. */
  caughtUp: number;
  done: boolean;
  loop?: Promise<void>;
}

type Outcome = { ok: true } | { ok: false; failedFrom: number; thrown?: unknown };

const DISCOVERY_INTERVAL_MS = 1_000;
const READ_LIMIT = 1_000;

/**
 * Lambda's DynamoDB event source mapping, against DynamoDB Local's streams: one reader per shard
 * (parents before children), records in order, filters, batches, retries with bisection and partial
 * batch responses, and an on-failure record to a local queue once retries run out.
 */
export class DynamoStreamPoller {
  private readonly mapping: StreamMappingConfig;
  private readonly region: string;
  private readonly invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
  private readonly queues: LocalQueues;
  private readonly pollIntervalMs: number;
  private readonly dynamodb: DynamoDBClient;
  private readonly streams: DynamoDBStreamsClient;
  private readonly readers = new Map<string, ShardReader>();
  private readonly stopping = new AbortController();
  private streamArn = '';
  private clock = 0;
  private discovery?: Promise<void>;

  constructor(opts: {
    endpoint: string;
    region: string;
    mapping: StreamMappingConfig;
    invoke: (event: DynamoDBStreamEvent) => Promise<unknown>;
    queues: LocalQueues;
    pollIntervalMs?: number;
  }) {
    // Lambda refuses a mapping whose filter is not a valid pattern when the mapping is created.
    for (const pattern of opts.mapping.filterPatterns) validateEventPattern(pattern);
    this.mapping = opts.mapping;
    this.region = opts.region;
    this.invoke = opts.invoke;
    this.queues = opts.queues;
    this.pollIntervalMs = opts.pollIntervalMs ?? 100;
    const config = {
      endpoint: opts.endpoint,
      region: opts.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    this.dynamodb = new DynamoDBClient(config);
    this.streams = new DynamoDBStreamsClient(config);
  }

  /** Resolves once every shard's iterator is positioned, so writes made after it are seen. */
  async start(): Promise<void> {
    const { Table } = await this.dynamodb.send(
      new DescribeTableCommand({ TableName: this.mapping.tableName }),
    );
    if (!Table?.LatestStreamArn) throw new Error(`Table ${this.mapping.tableName} has no stream`);
    this.streamArn = Table.LatestStreamArn;
    for (const shard of await this.listShards()) {
      const reader = this.addReader(shard, this.mapping.startingPosition);
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      if (this.mapping.startingPosition === 'LATEST' && closed) {
        reader.done = true; // LATEST: a shard closed before we started has nothing new
        continue;
      }
      reader.iterator = await this.iterator(reader.shardId, reader.startType);
    }
    for (const reader of this.readers.values()) if (!reader.done) reader.loop = this.read(reader);
    this.discovery = this.discoverNewShards();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.discovery;
    await Promise.all([...this.readers.values()].map((r) => r.loop));
    this.dynamodb.destroy();
    this.streams.destroy();
  }

  /** Resolves when every record written before the call has been delivered, filtered out or dead-lettered. */
  async idle(): Promise<void> {
    const mark = ++this.clock;
    while (!this.stopped && [...this.readers.values()].some((r) => !r.done && r.caughtUp < mark)) {
      await sleep(5);
    }
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private addReader(shard: Shard, startType: ShardIteratorType): ShardReader {
    const reader: ShardReader = {
      shardId: shard.ShardId ?? '',
      ...(shard.ParentShardId ? { parentId: shard.ParentShardId } : {}),
      startType,
      ended: false,
      buffer: [],
      bufferedSince: 0,
      caughtUp: 0,
      done: false,
    };
    this.readers.set(reader.shardId, reader);
    return reader;
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  /** New shards (after a rollover) are read from their start, once their parent is read to the end. */
  private async discoverNewShards(): Promise<void> {
    while (!this.stopped) {
      await this.pause(DISCOVERY_INTERVAL_MS);
      if (this.stopped) return;
      await this.addNewShards().catch((error: unknown) => this.warn('listing shards failed', error));
    }
  }

  private async addNewShards(): Promise<void> {
    for (const shard of await this.listShards()) {
      if (this.stopped || this.readers.has(shard.ShardId ?? '')) continue;
      const reader = this.addReader(shard, 'TRIM_HORIZON');
      reader.loop = this.read(reader);
    }
  }

  private async iterator(
    shardId: string,
    type: ShardIteratorType,
    sequence?: string,
  ): Promise<string | undefined> {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(sequence ? { SequenceNumber: sequence } : {}),
      }),
    );
    return ShardIterator;
  }

  private async read(reader: ShardReader): Promise<void> {
    while (!this.stopped && reader.parentId && this.readers.get(reader.parentId)?.done === false) {
      await this.pause(this.pollIntervalMs);
    }
    while (!this.stopped) {
      const mark = this.clock;
      try {
        reader.iterator ??= await this.iterator(reader.shardId, reader.startType);
        if (!reader.ended) await this.fetch(reader);
      } catch (error) {
        // DynamoDB Local restarting or busy: the records stay in the stream, so read again later.
        if (!this.stopped) this.warn(`reading ${reader.shardId} failed, retrying`, error);
        await this.pause(1_000);
        continue;
      }
      if (reader.buffer.length === 0) {
        if (reader.ended) break;
        reader.caughtUp = mark;
        await this.pause(this.pollIntervalMs);
        continue;
      }
      const windowMs = (this.mapping.maximumBatchingWindowSeconds ?? 0) * 1000;
      const batchIsOpen = reader.buffer.length < this.mapping.batchSize && !reader.ended;
      if (batchIsOpen && Date.now() - reader.bufferedSince < windowMs) {
        await this.pause(this.pollIntervalMs);
        continue;
      }
      const batch = reader.buffer.slice(0, this.mapping.batchSize);
      await this.deliver(reader, batch, 0);
      reader.buffer.splice(0, batch.length);
    }
    // A shard read to its end lets its children start; find them now rather than at the next discovery.
    if (reader.ended)
      await this.addNewShards().catch((error: unknown) => this.warn('listing shards failed', error));
    reader.done = true;
  }

  /** One GetRecords call; filtered records join the buffer. */
  private async fetch(reader: ShardReader): Promise<void> {
    let response: GetRecordsCommandOutput;
    try {
      const command = new GetRecordsCommand({ ShardIterator: reader.iterator, Limit: READ_LIMIT });
      response = await this.streams.send(command, { abortSignal: this.stopping.signal });
    } catch (error) {
      const name = (error as Error).name;
      if (this.stopped) return;
      if (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException') throw error;
      reader.iterator = reader.lastSequence
        ? await this.iterator(reader.shardId, 'AFTER_SEQUENCE_NUMBER', reader.lastSequence)
        : await this.iterator(reader.shardId, reader.startType);
      return;
    }
    const records = response.Records ?? [];
    reader.iterator = response.NextShardIterator;
    reader.ended = !reader.iterator;
    if (records.length) reader.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber;
    if (reader.buffer.length === 0) reader.bufferedSince = Date.now();
    for (const record of records) {
      const lambdaRecord = toLambdaRecord(record, this.region, this.streamArn);
      if (this.passesFilters(lambdaRecord)) reader.buffer.push(lambdaRecord);
    }
  }

  private passesFilters(record: DynamoDBRecord): boolean {
    const patterns = this.mapping.filterPatterns;
    return patterns.length === 0 || patterns.some((pattern) => matchesEventPattern(pattern, record));
  }

  /** Delivers a batch with Lambda's retry rules; resolves once it succeeded or went to the on-failure queue. */
  private async deliver(reader: ShardReader, records: DynamoDBRecord[], retriesSoFar: number): Promise<void> {
    let pending = records;
    let retries = retriesSoFar;
    while (pending.length > 0 && !this.stopped) {
      const outcome = await this.invokeBatch(pending);
      if (outcome.ok) return;
      const thrown = 'thrown' in outcome;
      if (thrown && this.mapping.bisectBatchOnError && pending.length > 1) {
        const half = Math.ceil(pending.length / 2);
        await this.deliver(reader, pending.slice(0, half), retries + 1);
        await this.deliver(reader, pending.slice(half), retries + 1);
        return;
      }
      pending = pending.slice(outcome.failedFrom);
      retries += 1;
      const budget = this.mapping.maximumRetryAttempts;
      if (budget >= 0 && retries > budget) {
        this.sendOnFailure(reader, pending, retries, thrown);
        return;
      }
      await this.pause(Math.min(10 * 2 ** retries, 200)); // AWS backs off for seconds; locally tens of ms
    }
  }

  private async invokeBatch(records: DynamoDBRecord[]): Promise<Outcome> {
    let response: unknown;
    try {
      response = await this.invoke({ Records: structuredClone(records) });
    } catch (thrown) {
      return { ok: false, failedFrom: 0, thrown };
    }
    if (!this.mapping.reportBatchItemFailures) return { ok: true };
    const failures = (response as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null)
      ?.batchItemFailures;
    if (!Array.isArray(failures) || failures.length === 0) return { ok: true };
    // Lambda checkpoints before the first failed record; an unknown identifier fails the whole batch.
    const indexes = failures.map((f) =>
      records.findIndex((r) => r.dynamodb?.SequenceNumber === f?.itemIdentifier),
    );
    return { ok: false, failedFrom: indexes.includes(-1) ? 0 : Math.min(...indexes) };
  }

  /** What Lambda sends to an SQS on-failure destination: where the records are, not the records. */
  private sendOnFailure(reader: ShardReader, records: DynamoDBRecord[], retries: number, thrown: boolean) {
    const first = records[0]?.dynamodb;
    const last = records.at(-1)?.dynamodb;
    const arrival = (seconds?: number) => new Date((seconds ?? 0) * 1000).toISOString();
    const message = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: this.mapping.functionArn ?? '',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: retries,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(thrown ? { functionError: 'Unhandled' } : {}),
      },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: reader.shardId,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
        batchSize: records.length,
        streamArn: this.streamArn,
      },
    };
    if (this.mapping.onFailureQueueArn) {
      this.queues.send(this.mapping.onFailureQueueArn, JSON.stringify(message));
    } else {
      this.warn(`dropped ${records.length} records after ${retries} retries (no on-failure destination)`);
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private warn(what: string, error?: unknown): void {
    console.error(`Stream poller ${this.mapping.tableName}: ${what}`, error ?? '');
  }
}

/** A stream record as Lambda hands it over: DynamoDB JSON images, binary as base64, times in epoch seconds. */
function toLambdaRecord(record: _Record, region: string, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const dynamodb = {
    ApproximateCreationDateTime: Math.floor((d.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000),
    Keys: toJson(d.Keys),
    NewImage: toJson(d.NewImage),
    OldImage: toJson(d.OldImage),
    SequenceNumber: d.SequenceNumber,
    SizeBytes: d.SizeBytes,
    StreamViewType: d.StreamViewType,
  };
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: Object.fromEntries(Object.entries(dynamodb).filter(([, v]) => v !== undefined)),
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  } as DynamoDBRecord;
}

function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => key !== '$unknown' && v !== undefined)
        .map(([key, v]) => [key, toJson(v)]),
    );
  }
  return value;
}
