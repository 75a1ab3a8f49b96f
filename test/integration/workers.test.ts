/**
 * The worker functions of the foundation against the running local stack: the digest planner reads subscribers
 * from DynamoDB Local and its jobs reach the digest queue's consumer; the relay function (GovCloud's stand-in for
 * the Pipe) delivers stream records to the metrics queue in the message shape the worker reads.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStackInfo } from '../../infra/local/local-stack';
import { DigestJob } from '../../shared/contract/digest-job';
import { decodeChange } from '../../shared/store/changes';
import { subscriberIndexKey } from '../../shared/store/subscribers';
import { dynamoDbClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';

const digestJobs: DigestJob[] = [];
const metricsRecords: SQSRecord[] = [];

describe('workers on the local stack', () => {
  const local = testStack({
    // the consumers record what reaches them through the queues; their own logic comes with its capability
    handlers: {
      digestSender: async (event: SQSEvent) => {
        digestJobs.push(...event.Records.map((record) => DigestJob.parse(JSON.parse(record.body))));
        return { batchItemFailures: [] };
      },
      metricsWorker: async (event: SQSEvent) => {
        metricsRecords.push(...event.Records);
        return { batchItemFailures: [] };
      },
    },
  });
  let info: LocalStackInfo;

  beforeAll(async () => {
    info = await local.start();
  });
  afterAll(() => local.stop());

  it('plans one digest job per active subscriber and period, in state time', async () => {
    const run = randomUUID();
    const documents = DynamoDBDocumentClient.from(dynamoDbClientFor(info));
    const subscriber = (id: string, cadence: 'weekly' | 'monthly', districtId?: string) => ({
      PutRequest: {
        Item: {
          pk: districtId ? `DISTRICT#${districtId}` : 'STATE',
          sk: `SUBSCRIBER#${id}`,
          type: 'subscriber',
          subscriberId: id,
          districtId,
          gsi1pk: subscriberIndexKey(cadence),
          gsi1sk: `${run}#${id}`,
        },
      },
    });
    await documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [info.table.tableName]: [
            subscriber(`${run}-w1`, 'weekly', 'lincoln'),
            subscriber(`${run}-m1`, 'monthly', 'lincoln'),
            subscriber(`${run}-s1`, 'weekly'),
          ],
        },
      }),
    );

    // Monday 2026-11-30 07:00 in New York
    const result = (await local.stack.fire('digest', new Date('2026-11-30T12:00:00Z'))) as {
      periods: Record<string, string>;
      enqueued: number;
    };

    expect(result).toEqual({ periods: { weekly: '2026-W49', monthly: '2026-11' }, enqueued: 3 });
    const mine = await eventually(() => {
      const jobs = digestJobs.filter((job) => job.subscriberId.startsWith(run));
      return jobs.length === 3 ? jobs : undefined;
    });
    expect(
      mine.map(({ subscriberId, districtId, cadence, period }) => ({
        subscriberId,
        districtId,
        cadence,
        period,
      })),
    ).toEqual(
      expect.arrayContaining([
        { subscriberId: `${run}-w1`, districtId: 'lincoln', cadence: 'weekly', period: '2026-W49' },
        { subscriberId: `${run}-m1`, districtId: 'lincoln', cadence: 'monthly', period: '2026-11' },
        { subscriberId: `${run}-s1`, districtId: undefined, cadence: 'weekly', period: '2026-W49' },
      ]),
    );
    documents.destroy();
  });

  it('relays stream records with the relay function as the Pipe would, one message each', async () => {
    process.env.METRICS_QUEUE_URL = info.queues.metrics.url;
    const { handler } = await import('../../functions/stream-relay/handler');
    const run = randomUUID();
    const records = Array.from({ length: 12 }, (_, index) => ({
      eventID: `${run}-${index}`,
      eventName: 'INSERT' as const,
      eventSource: 'aws:dynamodb',
      awsRegion: info.state.aws.region,
      dynamodb: {
        Keys: marshall({ pk: 'DISTRICT#lincoln', sk: `MILESTONE#${run}-${index}` }) as never,
        NewImage: marshall({
          pk: 'DISTRICT#lincoln',
          sk: `MILESTONE#${run}-${index}`,
          type: 'milestone',
        }) as never,
        SequenceNumber: String(1000 + index),
        StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
      },
    }));

    const response = await handler({ Records: records } as DynamoDBStreamEvent, {} as never);

    expect(response).toEqual({ batchItemFailures: [] });
    const delivered = await eventually(() => {
      const mine = metricsRecords.filter((record) => record.body.includes(run));
      return mine.length === records.length ? mine : undefined;
    });
    const changes = delivered.map((record) => decodeChange(record.body));
    expect(changes.map((change) => change.id).sort()).toEqual(records.map((record) => record.eventID).sort());
    expect(changes.every((change) => change.itemType === 'milestone')).toBe(true);
  });
});
