/**
 * `npm run ops -- restore` on the local stack, with the real metrics worker following the table's stream.
 * DynamoDB Local keeps no point-in-time backups, so the restore point is simulated: every item of the live table
 * is copied at one moment into a second table of the same DynamoDB Local, which `restore district --from` then
 * reads as AWS's restored copy. A district is damaged after that moment (submissions voided, milestones removed,
 * more posted, a subscriber added), `restore district` puts it back: its items equal the copy's again but for the
 * subscriber kept, its progress is what it was, and another district keeps every item it had.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../shared/contract/generated/api-types';
import { DigestLedger, ledgerPartition } from '../../shared/store/digest-ledger';
import { restorePartOf } from '../../shared/store/district-restore';
import { districtPartition, queryAll } from '../../shared/store/table';
import { apiClient } from '../support/api-client';
import { documentsFor, sqsClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { runOps } from '../support/ops';

type Submission = components['schemas']['Submission'];
type Progress = components['schemas']['Progress'];

const local = testStack({ authorizerCacheTtlSeconds: 0 });
let documents: DynamoDBDocumentClient;
let sqs: SQSClient;

beforeAll(async () => {
  await local.start();
  documents = documentsFor(local.info);
  sqs = sqsClientFor(local.info);
});
afterAll(async () => {
  documents?.destroy();
  sqs?.destroy();
  await local.stop();
});

const liveTable = () => local.info.table.tableName;
const localTable = () => ['--dynamodb-endpoint', local.info.endpoints.dynamoDb];
const state = () => apiClient(local.info.apiUrl, local.info.credentials.stateKey);

/** A district made through the API, with its key's client and waits on its progress. */
async function newDistrict(prefix: string) {
  const districtId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { data } = await state().POST('/v1/districts', { body: { districtId, name: 'Restore District' } });
  if (!data) throw new Error('no district');
  const api = apiClient(local.info.apiUrl, data.apiKey);
  const params = { path: { districtId } };
  return {
    districtId,
    api,
    params,
    async post(items: Submission[]) {
      const { data: results } = await api.POST('/v1/districts/{districtId}/assessments/batch', {
        params,
        body: { items },
      });
      expect(results?.results.every((result) => result.status < 300)).toBe(true);
    },
    async milestone(milestoneId: string, updatedAt: string) {
      const { response } = await api.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path: { districtId, milestoneId } },
        body: {
          title: `Milestone ${milestoneId}`,
          conditionId: 'shared-vision',
          status: 'on_track',
          updatedAt,
        },
      });
      expect(response.status).toBe(201);
    },
    async progress(): Promise<Progress> {
      const { data: progress } = await api.GET('/v1/districts/{districtId}/progress', { params });
      if (!progress) throw new Error('no progress');
      return progress;
    },
    /** Waits until the progress counts `events` applied events: the worker has caught up. */
    settled(events: number) {
      return eventually(async () => {
        const progress = await this.progress();
        return progress.eventsApplied === events ? progress : undefined;
      });
    },
  };
}

/** Ratings of `count` respondents and evidence of `count` learners, ids starting with `tag`. */
function submissions(tag: string, count: number): Submission[] {
  const submittedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index): Submission[] => [
    {
      type: 'condition-rating',
      submissionId: `${tag}-rating-${index}`,
      respondent: { id: `${tag}-resp-${index}`, role: index % 2 === 0 ? 'teacher' : 'principal' },
      submittedAt,
      ratings: [{ conditionId: 'culture', level: 1 + (index % 4) }],
    },
    {
      type: 'competency-evidence',
      submissionId: `${tag}-evidence-${index}`,
      learner: { id: `${tag}-learner-${index}`, groups: ['ell'] },
      competencyId: 'critical-thinking',
      level: 1 + (index % 4),
      assessedOn: submittedAt.slice(0, 10),
    },
  ]).flat();
}

/** Every item of a district's partition in `tableName`, in sort-key order. */
const partition = (tableName: string, districtId: string) =>
  queryAll(documents, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': districtPartition(districtId) },
    ConsistentRead: true,
  });

/** The live table's items at this moment, copied into a new table `name`: a stand-in for a restored copy. */
async function snapshot(name: string): Promise<void> {
  const { Table: live } = await documents.send(new DescribeTableCommand({ TableName: liveTable() }));
  if (!live) throw new Error('no live table');
  await documents.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: live.KeySchema,
      AttributeDefinitions: live.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: live.GlobalSecondaryIndexes?.map(
        (index): GlobalSecondaryIndex => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: index.Projection,
        }),
      ),
    }),
  );
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: liveTable(), ConsistentRead: true, ExclusiveStartKey: start }),
    );
    const items = page.Items ?? [];
    for (let index = 0; index < items.length; index += 25) {
      await documents.send(
        new BatchWriteCommand({
          RequestItems: {
            [name]: items.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Named like the copies `restore start` makes, each test its own. */
const copyName = () => `${liveTable()}-restore-${Date.now()}`;

/** The metrics queue has nothing waiting and nothing in flight. */
async function metricsQueueDrained(): Promise<true | undefined> {
  const { Attributes: attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: local.info.queues.metrics.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const waiting =
    Number(attributes?.ApproximateNumberOfMessages) +
    Number(attributes?.ApproximateNumberOfMessagesNotVisible);
  return waiting === 0 ? true : undefined;
}

/** A district's progress as the state key reads it: a removed district's own keys are gone. */
async function stateProgress(districtId: string): Promise<Progress> {
  const { data } = await state().GET('/v1/districts/{districtId}/progress', {
    params: { path: { districtId } },
  });
  if (!data) throw new Error('no progress');
  return data;
}

const withoutAsOf = ({ asOf: _asOf, ...rest }: Progress) => rest;
const isSubscriberItem = (item: Record<string, unknown>) => restorePartOf(String(item.sk)) === 'subscribers';

describe('restore district', () => {
  it('puts a damaged district back as the restored copy holds it, and its progress as it was', {
    timeout: 180_000,
  }, async () => {
    // arrange: two districts with data, settled; the copy; then the damage, settled too
    const damaged = await newDistrict('restored');
    const other = await newDistrict('bystander');
    const marker = await newDistrict('marker');
    await damaged.post(submissions('a', 8));
    for (const id of ['m-1', 'm-2', 'm-3']) await damaged.milestone(id, '2026-11-20T15:00:00Z');
    await other.post(submissions('b', 3));
    const before = await damaged.settled(19);
    await other.settled(6);
    const copy = copyName();
    await snapshot(copy);
    const otherItems = await partition(liveTable(), other.districtId);

    for (const submissionId of ['a-rating-0', 'a-rating-1', 'a-evidence-2']) {
      const { response } = await damaged.api.DELETE('/v1/districts/{districtId}/assessments/{submissionId}', {
        params: { path: { districtId: damaged.districtId, submissionId } },
      });
      expect(response.status).toBe(204);
    }
    for (const milestoneId of ['m-1', 'm-3']) {
      const { response } = await damaged.api.DELETE('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path: { districtId: damaged.districtId, milestoneId } },
      });
      expect(response.status).toBe(204);
    }
    await damaged.post(submissions('late', 3));
    const { response: subscribed } = await damaged.api.POST('/v1/districts/{districtId}/subscribers', {
      params: damaged.params,
      body: { email: `leader.${damaged.districtId}@district.example.org`, cadence: 'weekly' },
    });
    expect(subscribed.status).toBe(201);
    const afterDamage = await damaged.settled(19 + 3 + 2 + 6);
    expect(withoutAsOf(afterDamage)).not.toEqual(withoutAsOf(before));

    // act
    const outcome = await runOps(
      ['restore', 'district', damaged.districtId, '--from', copy, '--json', ...localTable()],
      { ask: async () => damaged.districtId },
    );

    // assert: what it reports
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout);
    expect(report).toMatchObject({
      districtId: damaged.districtId,
      from: copy,
      table: liveTable(),
      counts: { restoredDistrict: true, subscribersKept: 2, ledgerEntries: 0 },
      rebuild: { events: 0, countersCorrected: 0 },
      eventsApplied: before.eventsApplied,
    });
    expect(report.counts.deletes).toBeGreaterThan(0);
    expect(report.counts.writes).toBeGreaterThan(0);

    // once the worker has applied every change the restore's writes made (a later write's change applied, the
    // queue empty), the district is still as the copy holds it, but for the subscriber made since
    await marker.post(submissions('marker', 1));
    await marker.settled(2);
    await eventually(metricsQueueDrained);
    const restoredItems = await partition(copy, damaged.districtId);
    const liveItems = await partition(liveTable(), damaged.districtId);
    expect(liveItems.filter((item) => !isSubscriberItem(item))).toEqual(restoredItems);
    expect(liveItems.filter(isSubscriberItem)).toHaveLength(2);
    expect(withoutAsOf(await damaged.progress())).toEqual(withoutAsOf(before));
    expect(await partition(liveTable(), other.districtId)).toEqual(otherItems);

    // running it again finds nothing to change
    const again = await runOps([
      'restore',
      'district',
      damaged.districtId,
      '--from',
      copy,
      '--yes',
      '--json',
      ...localTable(),
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      counts: { writes: 0, deletes: 0 },
      rebuild: { events: 0, countersCorrected: 0 },
      eventsApplied: before.eventsApplied,
    });
  });

  it('brings back a district removed by mistake, with --with-subscribers its subscribers and their ledgers', {
    timeout: 120_000,
  }, async () => {
    const district = await newDistrict('removed');
    await district.post(submissions('e', 4));
    await district.milestone('m-1', '2026-11-20T15:00:00Z');
    const { data: subscriber } = await district.api.POST('/v1/districts/{districtId}/subscribers', {
      params: district.params,
      body: { email: `leader.${district.districtId}@district.example.org`, cadence: 'weekly' },
    });
    if (!subscriber) throw new Error('no subscriber');
    const ledger = new DigestLedger(liveTable(), documents);
    const period = { subscriberId: subscriber.subscriberId, cadence: 'weekly', period: '2026-W47' } as const;
    await ledger.claim(period);
    await ledger.markSent(period, { messageId: 'm-1', figures: { shown: true } });
    await district.settled(9);
    const before = await stateProgress(district.districtId);
    const copy = copyName();
    await snapshot(copy);
    const removed = await runOps(['districts', 'remove', district.districtId, '--yes', ...localTable()]);
    expect(removed.code).toBe(0);

    const outcome = await runOps([
      'restore',
      'district',
      district.districtId,
      '--from',
      copy,
      '--with-subscribers',
      '--yes',
      '--json',
      ...localTable(),
    ]);

    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain(`keys create ${district.districtId}`);
    expect(JSON.parse(outcome.stdout)).toMatchObject({
      counts: { liveDistrict: false, liveItems: 0, deletes: 0, subscribersKept: 0, ledgerEntries: 1 },
      eventsApplied: before.eventsApplied,
    });
    await eventually(metricsQueueDrained);
    expect(await partition(liveTable(), district.districtId)).toEqual(
      await partition(copy, district.districtId),
    );
    const ledgerItems = (tableName: string) =>
      queryAll(documents, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerPartition(subscriber.subscriberId) },
      });
    expect(await ledgerItems(liveTable())).toEqual(await ledgerItems(copy));
    expect(withoutAsOf(await stateProgress(district.districtId))).toEqual(withoutAsOf(before));
  });

  it('asks first, and changes nothing unless the district id is typed back', async () => {
    const district = await newDistrict('asked');
    await district.post(submissions('c', 2));
    await district.settled(4);
    const copy = copyName();
    await snapshot(copy);
    await district.post(submissions('d', 2));
    await district.settled(8);
    const items = await partition(liveTable(), district.districtId);
    const argv = ['restore', 'district', district.districtId, '--from', copy, ...localTable()];

    const unattended = await runOps(argv);
    const questions: string[] = [];
    const declined = await runOps(argv, {
      ask: async (question) => {
        questions.push(question);
        return 'no';
      },
    });

    expect(unattended.code).toBe(1);
    expect(unattended.stderr).toContain('or pass --yes');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain(`not confirmed: district ${district.districtId} is left as it was`);
    expect(questions[0]).toMatch(/\d+ written, \d+ deleted, \d+ equal already/);
    expect(await partition(liveTable(), district.districtId)).toEqual(items);
  });

  it('refuses a table that does not exist, the live table, and a district the copy does not hold', async () => {
    const copy = copyName();
    await snapshot(copy);
    const district = await newDistrict('later');

    const missing = await runOps([
      'restore',
      'district',
      district.districtId,
      '--from',
      'no-such-table',
      '--yes',
      ...localTable(),
    ]);
    const live = await runOps([
      'restore',
      'district',
      district.districtId,
      '--from',
      liveTable(),
      '--yes',
      ...localTable(),
    ]);
    const absent = await runOps([
      'restore',
      'district',
      district.districtId,
      '--from',
      copy,
      '--yes',
      ...localTable(),
    ]);

    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('there is no table no-such-table'),
    });
    expect(live).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is the table the platform runs on'),
    });
    expect(absent).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${copy} holds no district ${district.districtId}`),
    });
  });
});

describe('restore status, list and delete', () => {
  it('shows a copy, lists it, and deletes it only when confirmed, never the live table', async () => {
    const copy = copyName();
    await snapshot(copy);

    const status = await runOps(['restore', 'status', copy, '--json', ...localTable()]);
    const listed = await runOps(['restore', 'list', ...localTable()]);
    const liveRefused = await runOps(['restore', 'delete', liveTable(), '--yes', ...localTable()]);
    const unattended = await runOps(['restore', 'delete', copy, ...localTable()]);
    const deleted = await runOps(['restore', 'delete', copy, ...localTable()], { ask: async () => copy });
    const gone = await runOps(['restore', 'status', copy, ...localTable()]);

    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ table: copy, status: 'ACTIVE', ready: true });
    expect(JSON.parse(status.stdout).itemCount).toBeGreaterThan(0);
    expect(listed).toMatchObject({ code: 0, stdout: expect.stringContaining(copy) });
    expect(liveRefused).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the table the platform runs on'),
    });
    expect(unattended).toMatchObject({ code: 1, stderr: expect.stringContaining('or pass --yes') });
    expect(deleted.code).toBe(0);
    await expect(documents.send(new DescribeTableCommand({ TableName: copy }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(gone).toMatchObject({ code: 1, stderr: expect.stringContaining(`there is no table ${copy}`) });
  });

  it('refuses restore start on the local stack, which keeps no point-in-time backups', async () => {
    const outcome = await runOps(['restore', 'start', '--at', '2026-11-20T15:04:00Z']);

    expect(outcome).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DynamoDB Local keeps no point-in-time'),
    });
  });
});
