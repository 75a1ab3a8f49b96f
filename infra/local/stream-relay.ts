/**
 * The local EventBridge Pipe: reads the table's stream shard by shard (parents before their children), keeps
 * the records whose new or old image has a relayed `type`, and sends each as one message to the target queue,
 * with the stream record as the body in the shape the Pipe sends.
 *
 * Delivery is at-least-once: a shard's checkpoint (last sequence number) is written only after its records were
 * sent, so a crash resends a batch rather than losing one. A record that still cannot be sent after
 * `maximumRetryAttempts` retries, or that is older than `maximumRecordAgeSeconds`, is appended to the failure
 * file (one JSON object per line: `{failedAt, reason, error?, record}`), where the Pipe would use its
 * dead-letter queue, and the relay moves on.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendMessages } from '../../shared/store/queue';
import type { StreamRelaySpec } from '../topology';

const IDLE_POLL_MS = 250;
const ERROR_BACKOFF_MS = 1_000;
const MAX_RETRY_DELAY_MS = 2_000;

/** The JSON body of a relayed message: a DynamoDB stream record as the Pipe delivers it. */
export interface RelayedRecord {
  readonly eventID: string;
  readonly eventName: string;
  readonly eventVersion: string;
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime?: number;
    readonly Keys?: Record<string, unknown>;
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
    readonly SequenceNumber?: string;
    readonly SizeBytes?: number;
    readonly StreamViewType?: string;
  };
  readonly eventSourceARN: string;
}

export interface StreamRelayOptions {
  readonly streamArn: string;
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly targetQueueUrl: string;
  readonly spec: StreamRelaySpec;
  readonly region: string;
  /** JSON file of the last relayed sequence number per shard. */
  readonly checkpointFile: string;
  /** JSON-lines file of the records the relay gave up on. */
  readonly failureFile: string;
  readonly logger: Logger;
  /** Pause before retry n (1-based) of a failed send; default doubles from 50 ms up to 2 s. */
  readonly retryDelayMs?: (attempt: number) => number;
}

interface ShardCheckpoint {
  sequenceNumber?: string;
  /** The shard is closed and fully relayed: its children may start. */
  finished?: boolean;
}

interface Checkpoints {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

/** Relays stream records to a queue until stopped. */
export class StreamRelay {
  readonly #options: StreamRelayOptions;
  readonly #abort = new AbortController();
  readonly #iterators = new Map<string, string>();
  #checkpoints: Checkpoints;
  #loop: Promise<void> | undefined;

  constructor(options: StreamRelayOptions) {
    this.#options = options;
    this.#checkpoints = { streamArn: options.streamArn, shards: {} };
  }

  /** Loads the checkpoints and starts polling. */
  async start(): Promise<void> {
    this.#checkpoints = await this.#readCheckpoints();
    this.#loop = this.#run();
    this.#options.logger.info('stream relay started', { streamArn: this.#options.streamArn });
  }

  /** Stops polling; resolves once the batch in flight has been sent and checkpointed. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    const { signal } = this.#abort;
    while (!signal.aborted) {
      try {
        const relayed = await this.#pollOnce();
        if (relayed === 0) await pause(IDLE_POLL_MS, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.#options.logger.error('stream relay poll failed', { error });
        await pause(ERROR_BACKOFF_MS, signal);
      }
    }
  }

  /** One pass over the readable shards; returns how many records were read. */
  async #pollOnce(): Promise<number> {
    const shards = await this.#describeShards();
    const known = new Set(shards.map((shard) => shard.ShardId));
    // shards past the stream's retention are gone for good: their checkpoints can go too
    for (const shardId of Object.keys(this.#checkpoints.shards)) {
      if (!known.has(shardId)) delete this.#checkpoints.shards[shardId];
    }
    let read = 0;
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (!shardId || this.#checkpoints.shards[shardId]?.finished) continue;
      // a child waits until its parent is drained, so that changes of an item are relayed in order
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !this.#checkpoints.shards[parent]?.finished) continue;
      read += await this.#drainShard(shardId);
      if (this.#abort.signal.aborted) break;
    }
    return read;
  }

  async #describeShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription: description } = await this.#options.streams.send(
        new DescribeStreamCommand({
          StreamArn: this.#options.streamArn,
          ExclusiveStartShardId: exclusiveStartShardId,
        }),
      );
      shards.push(...(description?.Shards ?? []));
      exclusiveStartShardId = description?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  /** Reads a shard until it has nothing new (or closes); returns how many records were read. */
  async #drainShard(shardId: string): Promise<number> {
    let read = 0;
    while (!this.#abort.signal.aborted) {
      const iterator = this.#iterators.get(shardId) ?? (await this.#iteratorFor(shardId));
      let page: { Records?: _Record[]; NextShardIterator?: string };
      let records: _Record[];
      try {
        page = await this.#options.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.spec.batchSize }),
        );
        records = page.Records ?? [];
        if (records.length > 0) await this.#relay(records);
      } catch (error) {
        // the next pass starts again from the checkpoint, which is behind anything not relayed
        this.#iterators.delete(shardId);
        // an iterator lives 15 minutes: not worth an error
        if (error instanceof ExpiredIteratorException) return read;
        throw error;
      }
      if (records.length > 0) {
        const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
        await this.#checkpoint(shardId, {
          sequenceNumber: last ?? this.#checkpoints.shards[shardId]?.sequenceNumber,
        });
        read += records.length;
      }
      if (!page.NextShardIterator) {
        this.#iterators.delete(shardId);
        await this.#checkpoint(shardId, { ...this.#checkpoints.shards[shardId], finished: true });
        this.#options.logger.info('stream shard finished', { shardId });
        return read;
      }
      this.#iterators.set(shardId, page.NextShardIterator);
      if (records.length === 0) return read;
    }
    return read;
  }

  async #iteratorFor(shardId: string): Promise<string> {
    const sequenceNumber = this.#checkpoints.shards[shardId]?.sequenceNumber;
    const request = sequenceNumber
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: sequenceNumber }
      : { ShardIteratorType: 'TRIM_HORIZON' as const };
    try {
      const { ShardIterator } = await this.#options.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.#options.streamArn, ShardId: shardId, ...request }),
      );
      if (!ShardIterator) throw new Error(`no iterator for shard ${shardId}`);
      this.#iterators.set(shardId, ShardIterator);
      return ShardIterator;
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException) || !sequenceNumber) throw error;
      // the checkpoint is older than the stream's retention: what was after it is gone, start at the oldest left
      this.#options.logger.warn('stream checkpoint trimmed, resuming at the oldest record', { shardId });
      await this.#checkpoint(shardId, {});
      return this.#iteratorFor(shardId);
    }
  }

  /** Sends the relayed records of one GetRecords page; records it gives up on go to the failure file. */
  async #relay(records: readonly _Record[]): Promise<void> {
    const { spec } = this.#options;
    const oldest = Date.now() / 1_000 - spec.maximumRecordAgeSeconds;
    const wanted: RelayedRecord[] = [];
    for (const record of records) {
      if (!isRelayed(record, spec.itemTypes)) continue;
      const body = this.#pipeRecord(record);
      const created = body.dynamodb.ApproximateCreationDateTime;
      if (created !== undefined && created < oldest) await this.#fail(body, 'record-too-old');
      else wanted.push(body);
    }
    // a page holds at most the relay's batch size of records: one send, retried for what the queue refused
    if (wanted.length > 0) await this.#sendWithRetries(wanted);
  }

  async #sendWithRetries(records: readonly RelayedRecord[]): Promise<void> {
    const { retryDelayMs = defaultRetryDelay, spec, logger } = this.#options;
    let pending = records;
    let lastError: unknown;
    for (let attempt = 0; attempt <= spec.maximumRetryAttempts && pending.length > 0; attempt += 1) {
      if (attempt > 0) await pause(retryDelayMs(attempt));
      try {
        const bodies = pending.map((record) => JSON.stringify(record));
        const refused = new Set(await sendMessages(this.#options.sqs, this.#options.targetQueueUrl, bodies));
        lastError = refused.size > 0 ? `${refused.size} records refused by the queue` : undefined;
        pending = pending.filter((_, index) => refused.has(index));
      } catch (error) {
        lastError = error;
        logger.warn('stream relay send failed', { attempt, records: pending.length, error });
      }
    }
    for (const record of pending) await this.#fail(record, 'send-failed', lastError);
  }

  #pipeRecord(record: _Record): RelayedRecord {
    const stream = record.dynamodb ?? {};
    const created = stream.ApproximateCreationDateTime;
    return {
      eventID: record.eventID ?? '',
      eventName: record.eventName ?? '',
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.#options.region,
      dynamodb: {
        ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1_000) } : {}),
        ...(stream.Keys ? { Keys: wireImage(stream.Keys) } : {}),
        ...(stream.NewImage ? { NewImage: wireImage(stream.NewImage) } : {}),
        ...(stream.OldImage ? { OldImage: wireImage(stream.OldImage) } : {}),
        ...(stream.SequenceNumber ? { SequenceNumber: stream.SequenceNumber } : {}),
        ...(stream.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
        ...(stream.StreamViewType ? { StreamViewType: stream.StreamViewType } : {}),
      },
      eventSourceARN: this.#options.streamArn,
    };
  }

  async #fail(record: RelayedRecord, reason: string, error?: unknown): Promise<void> {
    const { failureFile, logger } = this.#options;
    logger.error('stream record not relayed', { reason, eventID: record.eventID, failureFile });
    const line = { failedAt: new Date().toISOString(), reason, error: describeError(error), record };
    await mkdir(dirname(failureFile), { recursive: true });
    await appendFile(failureFile, `${JSON.stringify(line)}\n`);
  }

  /** Replaces the shard's checkpoint, in memory and on disk. */
  async #checkpoint(shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    this.#checkpoints.shards[shardId] = checkpoint;
    const file = this.#options.checkpointFile;
    await mkdir(dirname(file), { recursive: true });
    // write then rename, so that a crash mid-write leaves the previous checkpoint rather than half a file
    await writeFile(`${file}.tmp`, JSON.stringify(this.#checkpoints, null, 2));
    await rename(`${file}.tmp`, file);
  }

  async #readCheckpoints(): Promise<Checkpoints> {
    const fresh = { streamArn: this.#options.streamArn, shards: {} };
    try {
      const stored = JSON.parse(await readFile(this.#options.checkpointFile, 'utf8')) as Partial<Checkpoints>;
      // another stream (the table was made anew) starts from its beginning
      return stored.streamArn === this.#options.streamArn && stored.shards ? (stored as Checkpoints) : fresh;
    } catch {
      return fresh;
    }
  }
}

/** Whether the Pipe's filter lets the record through: its new or old image has one of the relayed types. */
function isRelayed(record: _Record, itemTypes: readonly string[]): boolean {
  const types = [record.dynamodb?.NewImage?.type?.S, record.dynamodb?.OldImage?.type?.S];
  return types.some((type) => type !== undefined && itemTypes.includes(type));
}

/** An image as it is on the wire (and in the Pipe's message): binary values base64-encoded. */
function wireImage(image: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, wireValue(value)]));
}

function wireValue(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.M !== undefined) return { M: wireImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(wireValue) };
  return value;
}

function describeError(error: unknown): unknown {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return error;
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 50 * 2 ** (attempt - 1));
}

/** Waits `ms`, or less when the signal aborts (stop() must not wait out an idle pause). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
