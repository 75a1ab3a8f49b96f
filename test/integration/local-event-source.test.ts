/**
 * The local stack's moving parts against the real emulators (DynamoDB Local, fauxqs, the SES emulator), started
 * once for this file on free ports with a temporary data dir: the SQS event source's batch semantics, the stream
 * relay, and the HTTP front door with the real api handler.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRoutes, lookupRoute, MAX_REQUEST_BYTES } from '../../infra/local/front-door';
import { LocalStack, type LocalStackInfo } from '../../infra/local/local-stack';
import { type RelayedRecord, StreamRelay } from '../../infra/local/stream-relay';
import { topology } from '../../infra/topology';
import { dynamoDbClientFor, dynamoDbStreamsClientFor } from '../support/clients';
import { eventually } from '../support/eventually';

interface TestMessage {
  readonly run: string;
  readonly id: string;
  /** `batch-item`: reported in batchItemFailures every time; `throw-once`: the handler throws on the first receive. */
  readonly behaviour: 'succeed' | 'batch-item' | 'throw-once';
}

/** Every record the test consumers were invoked with, in order. */
const digestRecords: SQSRecord[] = [];
const metricsRecords: SQSRecord[] = [];

/** Stands in for the digest sender: fails what its message says, so the event source's handling shows. */
async function digestConsumer(event: SQSEvent): Promise<SQSBatchResponse> {
  digestRecords.push(...event.Records);
  const failures = event.Records.filter((record) => {
    const message = JSON.parse(record.body) as TestMessage;
    return message.behaviour === 'batch-item';
  });
  const throws = event.Records.some((record) => {
    const message = JSON.parse(record.body) as TestMessage;
    return message.behaviour === 'throw-once' && record.attributes.ApproximateReceiveCount === '1';
  });
  if (throws) throw new Error('test consumer fails the whole batch');
  return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
}

/** Stands in for the metrics worker: records what the relay delivered. */
async function metricsConsumer(event: SQSEvent): Promise<SQSBatchResponse> {
  metricsRecords.push(...event.Records);
  return { batchItemFailures: [] };
}

const stack = new LocalStack();
let info: LocalStackInfo;
let dataDir: string;
let sqs: SQSClient;
let dynamoDb: DynamoDBClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vp-local-it-'));
  info = await stack.start({
    port: 0,
    ports: { dynamoDb: 0, sqs: 0, ses: 0 },
    dataDir,
    quiet: true,
    schedules: false,
    handlers: { digestSender: digestConsumer, metricsWorker: metricsConsumer },
    // redelivery after one second instead of six minutes
    visibilityTimeoutSeconds: { digest: 1 },
  });
  // configured like the handlers' client (shared/runtime/clients.ts): region, credentials and endpoint from the
  // environment the stack set, so that the queue URLs it hands out are proven to work for them
  sqs = new SQSClient({});
  dynamoDb = dynamoDbClientFor(info);
}, 90_000);

afterAll(async () => {
  sqs?.destroy();
  dynamoDb?.destroy();
  await stack.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

async function sendDigestMessages(messages: readonly TestMessage[]): Promise<void> {
  const result = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: info.queues.digest.url,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(message),
      })),
    }),
  );
  expect(result.Failed ?? []).toEqual([]);
}

function recordsOf(records: readonly SQSRecord[], run: string, id: string): SQSRecord[] {
  return records.filter((record) => {
    const message = JSON.parse(record.body) as TestMessage;
    return message.run === run && message.id === id;
  });
}

async function queueIsEmpty(url: string): Promise<true | undefined> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const empty =
    Attributes?.ApproximateNumberOfMessages === '0' &&
    Attributes.ApproximateNumberOfMessagesNotVisible === '0';
  return empty ? true : undefined;
}

async function receiveFromDeadLetterQueue(run: string): Promise<Message | undefined> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: info.queues.digest.dlqUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
    }),
  );
  return Messages?.find((message) => (JSON.parse(message.Body ?? '{}') as TestMessage).run === run);
}

describe('SQS event source', () => {
  it('deletes the records that succeeded and dead-letters a failing one after maxReceiveCount receives', async () => {
    const run = randomUUID();
    await sendDigestMessages([
      { run, id: 'first', behaviour: 'succeed' },
      { run, id: 'failing', behaviour: 'batch-item' },
      { run, id: 'second', behaviour: 'succeed' },
    ]);

    const dead = await eventually(() => receiveFromDeadLetterQueue(run));

    expect(info.queues.digest.url.startsWith(`${info.endpoints.sqs}/`)).toBe(true);
    expect(JSON.parse(dead.Body ?? '{}')).toMatchObject({ run, id: 'failing' });
    const { maxReceiveCount } = topology.queues.digest;
    const failingReceives = recordsOf(digestRecords, run, 'failing').map(
      (record) => record.attributes.ApproximateReceiveCount,
    );
    expect(failingReceives).toEqual(Array.from({ length: maxReceiveCount }, (_, index) => String(index + 1)));
    expect(recordsOf(digestRecords, run, 'first')).toHaveLength(1);
    expect(recordsOf(digestRecords, run, 'second')).toHaveLength(1);
    await eventually(() => queueIsEmpty(info.queues.digest.url));
    expect(recordsOf(digestRecords, run, 'first')[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: info.queues.digest.arn,
      awsRegion: info.state.aws.region,
      attributes: { ApproximateReceiveCount: '1' },
    });
  }, 60_000);

  it('deletes nothing of a batch whose handler throws, and delivers it again', async () => {
    const run = randomUUID();
    await sendDigestMessages([{ run, id: 'retried', behaviour: 'throw-once' }]);

    const receives = await eventually(() => {
      const seen = recordsOf(digestRecords, run, 'retried');
      return seen.length >= 2 ? seen : undefined;
    });

    expect(receives.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    await eventually(() => queueIsEmpty(info.queues.digest.url));
    expect(recordsOf(digestRecords, run, 'retried')).toHaveLength(2);
  }, 30_000);
});

describe('stream relay', () => {
  function relayedFor(pk: string, sk: string, eventName: string): RelayedRecord | undefined {
    return metricsRecords
      .map((record) => JSON.parse(record.body) as RelayedRecord)
      .find(
        (body) =>
          body.eventName === eventName &&
          (body.dynamodb.Keys?.pk as { S?: string } | undefined)?.S === pk &&
          (body.dynamodb.Keys?.sk as { S?: string } | undefined)?.S === sk,
      );
  }

  it('sends changes of relayed item types to the metrics queue and leaves other types out', async () => {
    const pk = `DISTRICT#relay-${randomUUID()}`;
    const { tableName } = info.table;
    // written first, so that once the milestone has arrived the aggregate would have too (one shard, in order)
    await dynamoDb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: pk }, sk: { S: 'AGG' }, type: { S: 'aggregate' } },
      }),
    );
    await dynamoDb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: pk },
          sk: { S: 'MILESTONE#m-1' },
          type: { S: 'milestone' },
          title: { S: 'Board adopts' },
        },
      }),
    );
    await dynamoDb.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: 'MILESTONE#m-1' } } }),
    );

    const removed = await eventually(() => relayedFor(pk, 'MILESTONE#m-1', 'REMOVE'));
    const inserted = relayedFor(pk, 'MILESTONE#m-1', 'INSERT');

    expect(inserted).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: info.table.streamArn,
      awsRegion: info.state.aws.region,
      dynamodb: {
        Keys: { pk: { S: pk }, sk: { S: 'MILESTONE#m-1' } },
        NewImage: { type: { S: 'milestone' }, title: { S: 'Board adopts' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(inserted?.dynamodb.SequenceNumber).toEqual(expect.any(String));
    expect(inserted?.dynamodb.ApproximateCreationDateTime).toEqual(expect.any(Number));
    expect(removed.dynamodb.OldImage).toMatchObject({ type: { S: 'milestone' } });
    expect(relayedFor(pk, 'AGG', 'INSERT')).toBeUndefined();
    const checkpoints = JSON.parse(await readFile(info.layout.relayCheckpoints, 'utf8')) as {
      streamArn: string;
      shards: Record<string, { sequenceNumber?: string }>;
    };
    expect(checkpoints.streamArn).toBe(info.table.streamArn);
    const sequenceNumbers = Object.values(checkpoints.shards).map((shard) =>
      BigInt(shard.sequenceNumber ?? '0'),
    );
    expect(
      sequenceNumbers.some((sequence) => sequence >= BigInt(removed.dynamodb.SequenceNumber ?? '0')),
    ).toBe(true);
  }, 30_000);
  it('writes a record it still cannot send after the retries to the failure file, and moves past it', async () => {
    const run = randomUUID();
    const pk = `DISTRICT#relay-failure-${run}`;
    const failureFile = join(dataDir, `failures-${run}.jsonl`);
    const checkpointFile = join(dataDir, `checkpoints-${run}.json`);
    const streams = dynamoDbStreamsClientFor(info);
    // a second relay on the same stream, aimed at a queue that does not exist
    const relay = new StreamRelay({
      streamArn: info.table.streamArn,
      streams,
      sqs,
      targetQueueUrl: `${info.endpoints.sqs}/000000000000/no-such-queue-${run}`,
      spec: topology.streamRelay,
      region: info.state.aws.region,
      checkpointFile,
      failureFile,
      logger: new Logger({ logLevel: 'SILENT' }),
      retryDelayMs: () => 0,
    });
    await relay.start();
    try {
      await dynamoDb.send(
        new PutItemCommand({
          TableName: info.table.tableName,
          Item: { pk: { S: pk }, sk: { S: 'SUBMISSION#s-1' }, type: { S: 'submission' } },
        }),
      );

      const failure = await eventually(async () => {
        const lines = (await readFile(failureFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
        return lines
          .map((line) => JSON.parse(line) as { reason: string; record: RelayedRecord })
          .find((entry) => (entry.record.dynamodb.Keys?.pk as { S?: string } | undefined)?.S === pk);
      });

      expect(failure).toMatchObject({ reason: 'send-failed', record: { eventName: 'INSERT' } });
      // the checkpoint is written after the page's records were sent or given up on: wait for it too
      const sequence = BigInt(failure.record.dynamodb.SequenceNumber ?? '0');
      await eventually(async () => {
        const text = await readFile(checkpointFile, 'utf8').catch(() => undefined);
        if (text === undefined) return undefined;
        const checkpoints = JSON.parse(text) as { shards: Record<string, { sequenceNumber?: string }> };
        const past = Object.values(checkpoints.shards).some(
          (shard) => BigInt(shard.sequenceNumber ?? '0') >= sequence,
        );
        return past ? true : undefined;
      });
    } finally {
      await relay.stop();
      streams.destroy();
    }
  }, 30_000);
});

describe('front door', () => {
  it('answers GET /v1/health through the api handler', async () => {
    const response = await fetch(`${info.apiUrl}/v1/health`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with 404 problem+json, as API Gateway has no such route', async () => {
    const response = await fetch(`${info.apiUrl}/v1/no-such-route-${randomUUID()}`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: expect.any(String),
      title: 'Not Found',
      status: 404,
      detail: expect.any(String),
      correlationId: expect.any(String),
    });
  });

  it('answers a known path with another method with 405 problem+json', async () => {
    const response = await fetch(`${info.apiUrl}/v1/health`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toMatchObject({ status: 405 });
  });

  it('refuses a body over the 10 MB limit of API Gateway with 413, before reading it', async () => {
    const url = new URL(`${info.apiUrl}/v1/health`);
    const answer = await new Promise<{ status: number | undefined; type: string | undefined; body: string }>(
      (resolve, reject) => {
        const request = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': String(MAX_REQUEST_BYTES + 1) },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => {
              body += chunk.toString('utf8');
            });
            response.on('end', () =>
              resolve({ status: response.statusCode, type: response.headers['content-type'], body }),
            );
          },
        );
        request.on('error', reject);
        // only the headers go out: the front door answers on the declared length
        request.flushHeaders();
      },
    );

    expect(answer.status).toBe(413);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('picks the resource as API Gateway does: literal segments first, then the method on that resource', () => {
    const routes = compileRoutes([
      {
        method: 'POST',
        path: '/v1/districts/{districtId}/assessments/batch',
        function: 'api',
        auth: 'district',
      },
      {
        method: 'DELETE',
        path: '/v1/districts/{districtId}/assessments/{submissionId}',
        function: 'api',
        auth: 'district',
      },
    ]);

    expect(lookupRoute(routes, 'DELETE', '/v1/districts/d-1/assessments/s%201')).toMatchObject({
      kind: 'found',
      match: { pathParameters: { districtId: 'd-1', submissionId: 's 1' } },
    });
    expect(lookupRoute(routes, 'POST', '/v1/districts/d-1/assessments/batch')).toMatchObject({
      kind: 'found',
    });
    expect(lookupRoute(routes, 'DELETE', '/v1/districts/d-1/assessments/batch')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['POST'],
    });
    expect(lookupRoute(routes, 'GET', '/v1/districts/d-1')).toEqual({ kind: 'not-found' });
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const response = await fetch(`${info.apiUrl}/openapi.json`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ openapi: '3.1.0' });
  });
});
