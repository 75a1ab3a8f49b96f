/**
 * The pieces that carry correlation ids, without a network: the API middleware that picks a request's id, logs
 * with it and echoes it; the stored attribute a stream change brings to the metrics worker, whose lines name it;
 * the run id a digest job's message carries. test/e2e/correlation.test.ts follows the same ids through the local
 * stack.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyBatch } from '../../functions/metrics-worker/apply-batch';
import { CORRELATION_HEADER, correlationIdOf, correlationIds } from '../../shared/http/middleware';
import { logger } from '../../shared/runtime/logger';
import { traceSubsegment } from '../../shared/runtime/tracer';
import type { MetricsStore } from '../../shared/store/aggregates';
import { decodeChange } from '../../shared/store/changes';
import { DigestQueue } from '../../shared/store/digest-queue';
import { runIdOf } from '../../shared/store/digest-run';
import { relayedUpdate } from '../../shared/store/table';
import { proxyEvent } from '../support/proxy-event';

const context = { awsRequestId: 'unit-request', functionName: 'api' } as Context;

/** The JSON log lines written while `work` runs. */
async function linesWritten(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('the correlationIds middleware', () => {
  /** A handler that logs once and answers, with the middleware as the api function uses it. */
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationIds())
    .handler(async (event) => {
      logger.info('route ran', { seen: correlationIdOf(event) });
      return { statusCode: 200, headers: {}, body: '' };
    });

  it("keeps the caller's safe id: on the log line, in the event the route reads, in the answer", async () => {
    const event = proxyEvent('/v1/health', { headers: { [CORRELATION_HEADER]: 'client-id.42:a_b' } });
    let response: APIGatewayProxyResult | undefined;

    const lines = await linesWritten(async () => {
      response = await handler(event, context);
    });

    expect(lines).toEqual([
      expect.objectContaining({
        message: 'route ran',
        correlation_id: 'client-id.42:a_b',
        seen: 'client-id.42:a_b',
      }),
    ]);
    expect(response?.headers?.[CORRELATION_HEADER]).toBe('client-id.42:a_b');
  });

  it("takes API Gateway's request id for a missing or unsafe one, and a new id when there is no request id", async () => {
    const unsafe = proxyEvent('/v1/health', { headers: { [CORRELATION_HEADER]: 'learner l-1 <script>' } });
    const bare = { ...proxyEvent('/v1/health'), requestContext: {} } as APIGatewayProxyEvent;

    const [unsafeAnswer, bareAnswer] = [await handler(unsafe, context), await handler(bare, context)];

    expect(unsafeAnswer.headers?.[CORRELATION_HEADER]).toBe(unsafe.requestContext.requestId);
    const generated = bareAnswer.headers?.[CORRELATION_HEADER];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    // read again, the event gives the id the middleware chose, not another new one
    expect(correlationIdOf(bare)).toBe(generated);
  });

  it('leaves no id behind for the next invocation of the container', async () => {
    await handler(proxyEvent('/v1/health', { headers: { [CORRELATION_HEADER]: 'first-request' } }), context);

    const lines = await linesWritten(async () => logger.info('between invocations'));

    expect(lines[0]?.correlation_id).toBeUndefined();
  });
});

describe('a relayed change', () => {
  const streamRecord = (messageId: string, districtId: string, correlationId?: string): SQSRecord =>
    ({
      messageId,
      body: JSON.stringify({
        eventID: `evt-${messageId}`,
        eventName: 'INSERT',
        dynamodb: {
          Keys: marshall({ pk: `DISTRICT#${districtId}`, sk: `SUBMISSION#${messageId}` }),
          NewImage: marshall({
            type: 'submission',
            districtId,
            receivedAt: '2026-11-20T10:00:00.000Z',
            submission: {
              type: 'competency-evidence',
              submissionId: `e-${messageId}`,
              learner: { id: 'learner-unit-1' },
              competencyId: 'critical-thinking',
              level: 3,
              assessedOn: '2026-11-12',
            },
            ...(correlationId ? { correlationId } : {}),
          }),
          SequenceNumber: messageId,
        },
      }),
    }) as SQSRecord;
  const store = {
    apply: async () => ({ unitsChanged: 1, events: 1, transactions: 1, retries: 0 }),
  } as unknown as MetricsStore;

  it('brings the correlation id of the write that made it', () => {
    expect(decodeChange(streamRecord('1', 'd-1', 'req-1').body).correlationId).toBe('req-1');
    expect(decodeChange(streamRecord('2', 'd-1').body).correlationId).toBeUndefined();
  });

  it("is named on its district's line of the worker, each id once, and no learner id", async () => {
    const lines = await linesWritten(() =>
      applyBatch(
        [
          streamRecord('1', 'd-1', 'req-a'),
          streamRecord('2', 'd-1', 'req-a'),
          streamRecord('3', 'd-1', 'req-b'),
          streamRecord('4', 'd-2'),
        ],
        store,
      ),
    );

    const applied = lines.filter((line) => line.message === 'changes applied');
    expect(applied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ districtId: 'd-1', changes: 3, correlation_ids: ['req-a', 'req-b'] }),
        expect.objectContaining({ districtId: 'd-2', changes: 1, correlation_ids: [] }),
      ]),
    );
    expect(JSON.stringify(lines)).not.toContain('learner-unit-1');
  });
});

describe('the clauses of a relayed write', () => {
  it('set the correlation id, or remove one an earlier write left', () => {
    const stamp = { set: ['#stamp = :now'], add: ['#tally :one'], values: { ':now': 'n', ':one': 1 } };

    expect(relayedUpdate(stamp, 'req-1').UpdateExpression).toBe(
      'SET #stamp = :now, correlationId = :correlationId ADD #tally :one',
    );
    expect(relayedUpdate(stamp, 'req-1').ExpressionAttributeValues).toEqual({
      ':now': 'n',
      ':one': 1,
      ':correlationId': 'req-1',
    });
    expect(relayedUpdate(stamp, undefined).UpdateExpression).toBe(
      'SET #stamp = :now ADD #tally :one REMOVE correlationId',
    );
  });
});

describe("a digest run's id", () => {
  it('goes with every job message of the run, beside the job', async () => {
    const client = new SQSClient({ region: 'us-east-2' });
    const sqs = mockClient(client);
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    const job = {
      subscriberId: 's-1',
      cadence: 'weekly',
      period: '2026-W48',
      plannedAt: '2026-11-23T12:00:00.000Z',
    } as const;

    await new DigestQueue('https://sqs.example/digest', client).enqueue([job, job], 'run-1');

    const entries = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(JSON.parse(entry.MessageBody ?? '')).toEqual(job);
      expect(entry.MessageAttributes).toEqual({ runId: { DataType: 'String', StringValue: 'run-1' } });
    }
  });

  it('is read back by the sender when it is a plain token, and ignored otherwise', () => {
    const withRunId = (value: string) =>
      ({ messageAttributes: { runId: { stringValue: value, dataType: 'String' } } }) as unknown as SQSRecord;

    expect(runIdOf(withRunId('3f1c2d3e-aaaa-bbbb-cccc-1234567890ab'))).toBe(
      '3f1c2d3e-aaaa-bbbb-cccc-1234567890ab',
    );
    expect(runIdOf(withRunId('someone@example.com'))).toBeUndefined();
    expect(runIdOf({ messageAttributes: {} })).toBeUndefined();
  });
});

describe('the tracer outside Lambda', () => {
  it('runs traced work as it is, making no segment', async () => {
    await expect(traceSubsegment('## unit', { districtId: 'd-1' }, async () => 'done')).resolves.toBe('done');
    await expect(
      traceSubsegment('## unit', {}, async () => {
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
  });
});
