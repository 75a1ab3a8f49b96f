/**
 * The progress pipeline when things go wrong, on the local stack with the real metrics worker:
 *
 * - a district whose aggregate writes keep being refused (DynamoDB's ValidationException for an item over the size
 *   limit, injected for that district only: an error no retry cures) has its messages moved to the dead-letter
 *   queue after the configured receives while the other district's changes are applied; once the cause is gone,
 *   `dlq redrive` applies them, once;
 * - changes lost between the table and the queue are recovered by `metrics rebuild`;
 * - counters that drifted are corrected by `metrics rebuild`.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology';
import type { components } from '../../shared/contract/generated/api-types';
import { documentClient, dynamoDb } from '../../shared/runtime/clients';
import { counterSortKey, districtPartition } from '../../shared/store/table';
import { apiClient } from '../support/api-client';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { runOps } from '../support/ops';

type Submission = components['schemas']['Submission'];

/** Districts whose aggregate writes the table refuses. */
const refused = new Set<string>();
/** When set, the worker acknowledges changes without applying them: messages lost on the way. */
let dropping = false;

const local = testStack({
  authorizerCacheTtlSeconds: 0,
  // a failed message is received again after a second, so five receives take seconds, not minutes
  visibilityTimeoutSeconds: { metrics: 3 },
  handlers: {
    metricsWorker: async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
      if (dropping) return { batchItemFailures: [] };
      // the real worker, loaded once the stack has set the functions' environment
      const { handler } = await import('../../functions/metrics-worker/handler');
      return handler(event, context);
    },
  },
});

beforeAll(async () => {
  await local.start();
  dynamoDb.middlewareStack.add(
    (next, context) => async (args) => {
      const input = JSON.stringify(args.input);
      // the worker writes aggregates in transactions; the API writes a submission with PutItem
      if (
        context.commandName === 'TransactWriteItemsCommand' &&
        [...refused].some((id) => input.includes(`"${districtPartition(id)}"`))
      ) {
        throw new DynamoDBServiceException({
          name: 'ValidationException',
          $fault: 'client',
          message: 'injected: Item size has exceeded the maximum allowed size',
          $metadata: {},
        });
      }
      return next(args);
    },
    { step: 'deserialize', name: 'injectedRefusal' },
  );
});
afterAll(() => local.stop());

const ops = (argv: readonly string[]) => runOps(argv);

const localTable = () => ['--dynamodb-endpoint', local.info.endpoints.dynamoDb];
const localQueues = () => ['--sqs-endpoint', local.info.endpoints.sqs];

async function newDistrict() {
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  const { data } = await apiClient(local.info.apiUrl, local.info.credentials.stateKey).POST('/v1/districts', {
    body: { districtId, name: 'Test District' },
  });
  if (!data) throw new Error('no district');
  const api = apiClient(local.info.apiUrl, data.apiKey);
  const path = { params: { path: { districtId } } };
  return {
    districtId,
    async post(count: number, prefix = 'e') {
      for (let index = 0; index < count; index += 1) {
        const body: Submission = {
          type: 'competency-evidence',
          submissionId: `${prefix}-${index}`,
          learner: { id: `l-${index}`, groups: ['ell'] },
          competencyId: 'critical-thinking',
          level: 1 + (index % 4),
          assessedOn: '2026-11-01',
        };
        const { response } = await api.POST('/v1/districts/{districtId}/assessments', { ...path, body });
        expect(response.status).toBe(201);
      }
    },
    async progress() {
      const { data: progress } = await api.GET('/v1/districts/{districtId}/progress', path);
      if (!progress) throw new Error('no progress');
      return progress;
    },
    /** Waits until the progress shows `events` applied events, and returns it. */
    settled(events: number, timeoutMs = 30_000) {
      return eventually(async () => {
        const progress = await this.progress();
        return progress.eventsApplied === events ? progress : undefined;
      }, timeoutMs);
    },
  };
}

describe('a message that keeps failing', () => {
  it('goes to the dead-letter queue after the configured receives, and a redrive applies it once', {
    timeout: 120_000,
  }, async () => {
    const poisoned = await newDistrict();
    const healthy = await newDistrict();
    refused.add(poisoned.districtId);
    await poisoned.post(3);
    await healthy.post(12);

    await healthy.settled(12);
    const maxReceives = topology.queues.metrics.maxReceiveCount;
    // the relay delivers at least once: the same change may be there twice, and must still count once
    let seen: unknown;
    const dead = await eventually(async () => {
      const { stdout } = await ops(['dlq', 'show', 'metrics', '--json', ...localQueues()]);
      const [metrics] = JSON.parse(stdout) as {
        messages: { receiveCount: number; summary: { pk: string; sk: string } }[];
      }[];
      seen = metrics;
      const mine = (metrics?.messages ?? []).filter(
        (message) => message.summary.pk === districtPartition(poisoned.districtId),
      );
      return new Set(mine.map((message) => message.summary.sk)).size === 3 ? mine : undefined;
    }, 90_000).catch(async (error: unknown) => {
      const applied = (await poisoned.progress()).eventsApplied;
      throw new Error(`dead letters: ${JSON.stringify(seen)}; applied: ${applied}`, { cause: error });
    });
    expect(dead.every((message) => message.receiveCount >= maxReceives)).toBe(true);
    expect((await poisoned.progress()).eventsApplied).toBe(0);

    refused.delete(poisoned.districtId);
    const redriven = await ops(['dlq', 'redrive', 'metrics', ...localQueues()]);
    expect(redriven.code).toBe(0);

    const progress = await poisoned.settled(3);
    expect(progress.competencies[0]).toMatchObject({ competencyId: 'critical-thinking', suppressed: true });
    // once: another redrive of anything left changes nothing
    await ops(['dlq', 'redrive', 'metrics', ...localQueues()]);
    expect((await poisoned.progress()).eventsApplied).toBe(3);
  });
});

describe('metrics rebuild', () => {
  it('recovers changes lost between the table and the queue', { timeout: 60_000 }, async () => {
    const district = await newDistrict();
    await district.post(10, 'kept');
    await district.settled(10);
    dropping = true;
    try {
      await district.post(5, 'lost');
      // the relay has delivered them (to a worker that dropped them) once the queue is empty again
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      dropping = false;
    }
    expect((await district.progress()).eventsApplied).toBe(10);

    const outcome = await ops(['metrics', 'rebuild', district.districtId, '--json', ...localTable()]);

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual([
      expect.objectContaining({
        districtId: district.districtId,
        rawItems: 15,
        events: 5,
        countersCorrected: 0,
      }),
    ]);
    expect((await district.progress()).eventsApplied).toBe(15);
  });

  it('corrects counters that drifted, and says which district needed it', { timeout: 60_000 }, async () => {
    const district = await newDistrict();
    await district.post(12);
    const before = await district.settled(12);
    await documentClient.send(
      new UpdateCommand({
        TableName: local.info.table.tableName,
        Key: { pk: districtPartition(district.districtId), sk: counterSortKey('C#critical-thinking') },
        UpdateExpression: 'ADD m :two',
        ExpressionAttributeValues: { ':two': 2 },
      }),
    );
    expect(await district.progress()).not.toEqual(before);

    const outcome = await ops(['metrics', 'rebuild', '--all', ...localTable()]);

    expect(outcome.code).toBe(0);
    const row = outcome.stdout.split('\n').find((line) => line.startsWith(district.districtId));
    // district, raw items, events recovered, units changed, counters corrected
    expect(row?.split(/\s+/)).toEqual([district.districtId, '12', '0', '0', '1']);
    expect(await district.progress()).toEqual(before);
  });

  it('refuses a district that does not exist, and a call without districts', async () => {
    const unknown = await ops(['metrics', 'rebuild', 'no-such-district', ...localTable()]);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no such district: no-such-district'),
    });
    const none = await ops(['metrics', 'rebuild', ...localTable()]);
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('or pass --all') });
  });
});
