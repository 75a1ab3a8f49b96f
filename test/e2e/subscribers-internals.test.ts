/**
 * What a local stack shows of subscribers beyond the API (the contract's side is subscribers.test.ts): the stored
 * state-wide subscriber, and `POST /v1/digests/run`, whose jobs reach the digest queue's consumer (replaced here
 * by one that records them) for the ISO week and month of `at` in state time, for active subscribers only. These
 * run the digests, which a deployed state would send to every subscriber it has: they stay off the conformance
 * kit, on a local stack of their own.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestJob } from '../../shared/contract/digest-job';
import { documentClientFor } from '../../shared/runtime/clients';
import { SubscriberStore } from '../../shared/store/subscribers';
import { apiClient } from '../support/api-client';
import { dynamoDbClientFor } from '../support/clients';
import { recordingDigestSender } from '../support/digest-jobs';
import { createDistrict, listSubscribers, subscribe } from '../support/district-api';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';

const { jobs: digestJobs, digestSender } = recordingDigestSender();
const local = testStack({ authorizerCacheTtlSeconds: 0, handlers: { digestSender } });
let stateKey: string;
let dynamoDb: DynamoDBClient;
let documents: DynamoDBDocumentClient;
const state = () => apiClient(local.info.apiUrl, stateKey);

/** A new district for one test, with a client that uses its key. */
function newDistrict() {
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  return createDistrict(local.info.apiUrl, stateKey, { districtId, name: districtId });
}

/** An address no other test uses. */
const newAddress = (label = 'parent') => `${label}.${randomUUID().slice(0, 8)}@lincoln.example.org`;

beforeAll(async () => {
  const info = await local.start();
  stateKey = info.credentials.stateKey;
  dynamoDb = dynamoDbClientFor(info);
  documents = documentClientFor(dynamoDb);
});
afterAll(async () => {
  // the document client's destroy() leaves the client under it open
  dynamoDb?.destroy();
  await local.stop();
});

describe('state-wide subscribers', () => {
  it('are stored with their cadence and status, apart from the district lists', async () => {
    const district = await newDistrict();
    const address = newAddress('commissioner');
    const created = await state().POST('/v1/subscribers', { body: { email: address, cadence: 'monthly' } });
    expect(created.response.status).toBe(201);
    await subscribe(district, { email: address, cadence: 'weekly' });

    const store = new SubscriberStore(local.info.table.tableName, documents);
    expect(await store.get({ kind: 'state' }, created.data?.subscriberId ?? '')).toMatchObject({
      email: address,
      cadence: 'monthly',
      status: 'active',
    });
  });
});

describe('POST /v1/digests/run', () => {
  const run = async (at: string) => {
    const answer = await state().POST('/v1/digests/run', { body: { at } });
    expect(answer.response.status).toBe(202);
    if (!answer.data) throw new Error('no run');
    const jobs = await eventually(() => {
      const planned = digestJobs.filter((job) => job.plannedAt === new Date(at).toISOString());
      return planned.length === answer.data?.enqueued ? planned : undefined;
    });
    return { ...answer.data, jobs };
  };

  it('enqueues one job per active subscriber for the week and month of `at` in state time', async () => {
    expect(local.info.state.timezone).toBe('America/New_York');
    const store = new SubscriberStore(local.info.table.tableName, documents);
    const district = await newDistrict();
    const weekly = await subscribe(district, { email: newAddress(), cadence: 'weekly' });
    const monthly = await subscribe(district, { email: newAddress(), cadence: 'monthly' });
    const unsubscribed = await subscribe(district, { email: newAddress(), cadence: 'weekly' });
    const suppressed = await subscribe(district, { email: newAddress(), cadence: 'monthly' });
    const stateWide = await state().POST('/v1/subscribers', {
      body: { email: newAddress('commissioner'), cadence: 'weekly' },
    });
    const scope = { kind: 'district', districtId: district.districtId } as const;
    await store.setStatus(scope, unsubscribed, 'unsubscribed');
    await store.setStatus(scope, suppressed, 'suppressed');
    const mine = (jobs: DigestJob[]) =>
      jobs
        .filter(
          (job) =>
            job.districtId === district.districtId || job.subscriberId === stateWide.data?.subscriberId,
        )
        .map(({ subscriberId, districtId, cadence, period }) => ({
          subscriberId,
          districtId,
          cadence,
          period,
        }))
        .sort((a, b) => a.subscriberId.localeCompare(b.subscriberId));

    // Sunday 22:00 in New York, already Monday (week 49) in UTC
    const sunday = await run('2026-11-30T03:00:00Z');
    // Monday 30 November 23:30 in New York, already December in UTC
    const lastOfMonth = await run('2026-12-01T04:30:00Z');

    expect(sunday.period).toEqual({ weekly: '2026-W48', monthly: '2026-11' });
    expect(lastOfMonth.period).toEqual({ weekly: '2026-W49', monthly: '2026-11' });
    const expected = (week: string) =>
      [
        { subscriberId: weekly, districtId: district.districtId, cadence: 'weekly', period: week },
        { subscriberId: monthly, districtId: district.districtId, cadence: 'monthly', period: '2026-11' },
        {
          subscriberId: stateWide.data?.subscriberId,
          districtId: undefined,
          cadence: 'weekly',
          period: week,
        },
      ].sort((a, b) => String(a.subscriberId).localeCompare(String(b.subscriberId)));
    expect(mine(sunday.jobs)).toEqual(expected('2026-W48'));
    expect(mine(lastOfMonth.jobs)).toEqual(expected('2026-W49'));
    // every active subscriber of the stack, each once
    expect(new Set(sunday.jobs.map((job) => job.subscriberId)).size).toBe(sunday.enqueued);
    const statuses = Object.fromEntries(
      (await listSubscribers(district)).map((item) => [item.subscriberId, item.status]),
    );
    expect(statuses).toEqual({
      [weekly]: 'active',
      [monthly]: 'active',
      [unsubscribed]: 'unsubscribed',
      [suppressed]: 'suppressed',
    });
  });

  it('plans a re-activated subscriber again, and plans for now without `at`', async () => {
    const store = new SubscriberStore(local.info.table.tableName, documents);
    const district = await newDistrict();
    const scope = { kind: 'district', districtId: district.districtId } as const;
    const subscriberId = await subscribe(district, { email: newAddress(), cadence: 'weekly' });
    await store.setStatus(scope, subscriberId, 'suppressed');

    const suppressed = await run('2026-11-16T12:00:00Z');
    // an unsubscribe meant for an active subscriber leaves a suppressed one as it is
    expect(await store.setStatus(scope, subscriberId, 'unsubscribed', { onlyFrom: 'active' })).toMatchObject({
      status: 'suppressed',
    });
    const restored = await store.setStatus(scope, subscriberId, 'active');
    const planned = await run('2026-11-23T12:00:00Z');
    const now = await state().POST('/v1/digests/run', { body: {} });

    expect(suppressed.jobs.some((job) => job.subscriberId === subscriberId)).toBe(false);
    expect(restored.status).toBe('active');
    expect(planned.jobs.filter((job) => job.subscriberId === subscriberId)).toEqual([
      expect.objectContaining({ cadence: 'weekly', period: '2026-W48' }),
    ]);
    expect(now.response.status).toBe(202);
    expect(now.data?.enqueued).toBeGreaterThanOrEqual(1);
    await expect(store.setStatus(scope, 'sub-0123456789abcdef', 'unsubscribed')).rejects.toThrow(
      'does not exist',
    );
  });
});
