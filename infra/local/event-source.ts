/**
 * The local event source mapping of an SQS queue: pollers that receive batches, invoke the consumer function with
 * a real SQSEvent and delete what succeeded, as Lambda does with ReportBatchItemFailures:
 *
 * - the function returns `{batchItemFailures: [{itemIdentifier}]}`: every other message is deleted;
 * - it throws or times out, or names an id that is not in the batch: nothing is deleted;
 * - messages not deleted come back after the queue's visibility timeout, and the emulator moves one to the
 *   dead-letter queue once it has been received maxReceiveCount times (the queue's RedrivePolicy, see
 *   emulators.ts), so the poller never moves messages itself.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { QueueSpec } from '../topology';
import type { FunctionRunner } from './function-runner';
import type { LocalQueue } from './resources';

/** SQS returns at most ten messages per receive and deletes at most ten per batch call. */
const SQS_MAX_BATCH = 10;
/** The longest long poll SQS allows; stop() aborts it. */
const LONG_POLL_SECONDS = 20;
const ERROR_BACKOFF_MS = 1_000;

export interface EventSourceOptions {
  readonly queue: LocalQueue;
  readonly spec: QueueSpec;
  readonly client: SQSClient;
  readonly runner: FunctionRunner;
  readonly region: string;
  readonly logger: Logger;
}

/** Polls one queue with up to `maxConcurrency` pollers and feeds its consumer function. */
export class SqsEventSource {
  readonly #options: EventSourceOptions;
  readonly #abort = new AbortController();
  #pollers: Promise<void>[] = [];

  constructor(options: EventSourceOptions) {
    this.#options = options;
  }

  /** Starts the pollers. */
  start(): void {
    const { spec, queue, logger } = this.#options;
    this.#pollers = Array.from({ length: spec.maxConcurrency }, () => this.#poll());
    logger.info('event source started', {
      queue: queue.name,
      consumer: spec.consumer,
      pollers: spec.maxConcurrency,
    });
  }

  /** Stops receiving; resolves once the batches in flight are done (at most the consumer's timeout). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#pollers);
    this.#pollers = [];
  }

  async #poll(): Promise<void> {
    const { signal } = this.#abort;
    while (!signal.aborted) {
      const batch: Message[] = [];
      try {
        await this.#collectBatch(batch);
        if (batch.length > 0) await this.#processBatch(batch);
      } catch (error) {
        if (signal.aborted) {
          // received but never handed to the function: make them visible again now, not after the timeout
          await this.#release(batch);
          return;
        }
        this.#options.logger.error('event source poll failed', { queue: this.#options.queue.name, error });
        await delay(ERROR_BACKOFF_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /**
   * Receives until the batch is full or the batching window, which opens with the first message, has passed.
   * With a window of 0 one receive makes the batch. Fills `batch` as it goes, so that stop() can release what
   * was received before it aborted the next receive.
   */
  async #collectBatch(batch: Message[]): Promise<void> {
    const { spec, queue, client } = this.#options;
    let windowEnds: number | undefined;
    while (batch.length < spec.batchSize) {
      const left = windowEnds === undefined ? undefined : windowEnds - Date.now();
      if (left !== undefined && left <= 0) break;
      const received = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: Math.min(SQS_MAX_BATCH, spec.batchSize - batch.length),
          WaitTimeSeconds: left === undefined ? LONG_POLL_SECONDS : Math.ceil(left / 1_000),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.#abort.signal },
      );
      batch.push(...(received.Messages ?? []));
      if (batch.length > 0 && windowEnds === undefined) {
        if (spec.maxBatchingWindowSeconds === 0) break;
        windowEnds = Date.now() + spec.maxBatchingWindowSeconds * 1_000;
      }
    }
  }

  /** Invokes the consumer with one batch and deletes the messages it did not report as failed. */
  async #processBatch(messages: readonly Message[]): Promise<void> {
    const { spec, queue, runner, logger } = this.#options;
    const event: SQSEvent = { Records: messages.map((message) => this.#record(message)) };
    const ids = new Set(event.Records.map((record) => record.messageId));
    let failures: ReadonlySet<string>;
    try {
      failures = reportedFailures(await runner.invoke(spec.consumer, event), ids);
    } catch (error) {
      logger.error('consumer failed, the whole batch will be retried', {
        queue: queue.name,
        consumer: spec.consumer,
        size: messages.length,
        error,
      });
      failures = ids;
    }
    const succeeded = messages.filter((message) => message.MessageId && !failures.has(message.MessageId));
    await this.#delete(succeeded);
    if (failures.size > 0) {
      logger.warn('batch items failed', {
        queue: queue.name,
        failed: failures.size,
        deleted: succeeded.length,
      });
    }
  }

  #record(message: Message): SQSRecord {
    const { queue, region } = this.#options;
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ...attributes,
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? '000000000000',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: recordAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody ?? '',
      ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: region,
    };
  }

  async #delete(messages: readonly Message[]): Promise<void> {
    const { client, queue, logger } = this.#options;
    for (let start = 0; start < messages.length; start += SQS_MAX_BATCH) {
      const chunk = messages.slice(start, start + SQS_MAX_BATCH);
      const result = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      // a message that could not be deleted is delivered again: at-least-once, as in AWS
      if (result.Failed?.length)
        logger.warn('messages not deleted', { queue: queue.name, failed: result.Failed });
    }
  }

  async #release(messages: readonly Message[]): Promise<void> {
    const { client, queue } = this.#options;
    for (let start = 0; start < messages.length; start += SQS_MAX_BATCH) {
      const chunk = messages.slice(start, start + SQS_MAX_BATCH);
      await client
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queue.url,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        )
        // the emulator may already be stopping: the messages then return after their visibility timeout
        .catch(() => undefined);
    }
  }
}

/**
 * The ids a consumer reported as failed. No response, or no `batchItemFailures`, is full success; an entry
 * without an id of this batch fails the whole batch, as Lambda does.
 */
function reportedFailures(response: unknown, ids: ReadonlySet<string>): ReadonlySet<string> {
  if (typeof response !== 'object' || response === null) return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return ids;
  const reported = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return ids;
    reported.add(id);
  }
  return reported;
}

function recordAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): SQSMessageAttributes {
  const record: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    record[name] = {
      dataType: (value.DataType ?? 'String') as SQSMessageAttributes[string]['dataType'],
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
    };
  }
  return record;
}
