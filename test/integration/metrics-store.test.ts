/**
 * The progress aggregates in DynamoDB Local (shared/store/aggregates.ts): exactly once under concurrent workers,
 * duplicates and shuffled order; injected throttling, transaction conflicts and lost responses retried without
 * loss or double count; a framework change racing a worker; rebuilds; and a cost per event that does not depend
 * on the district's size. The relayed changes of these tests' writes go to a consumer that drops them: the tests
 * feed the store themselves, so that they control order, grouping and faults.
 */
import { randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerSeedItems } from '../../bench/support/learner-seed';
import { seedFramework } from '../../infra/config/default-framework';
import type { LocalStackInfo } from '../../infra/local/local-stack';
import type { Submission } from '../../shared/contract/assessments';
import { Framework } from '../../shared/contract/framework';
import type { Observation } from '../../shared/domain/aggregates';
import { newKey } from '../../shared/domain/api-keys';
import { documentClientFor } from '../../shared/runtime/clients';
import { MetricsStore, RACE_BACKOFF_BUDGET_MS } from '../../shared/store/aggregates';
import { DistrictStore } from '../../shared/store/districts';
import { observeItem } from '../../shared/store/observations';
import { ProgressStore } from '../../shared/store/progress';
import { SubmissionStore } from '../../shared/store/submissions';
import { counterSortKey, districtPartition } from '../../shared/store/table';
import { dynamoDbClientFor } from '../support/clients';
import { testStack } from '../support/local-stack';
import { seeded } from '../support/seeded';

const local = testStack({ handlers: { metricsWorker: async () => ({ batchItemFailures: [] }) } });
const framework = Framework.parse(seedFramework);
const minimumN = 10;
let tableName: string;
let info: LocalStackInfo;

type Middleware = Parameters<DynamoDBClient['middlewareStack']['add']>[0];

/** A document client on the test stack's DynamoDB Local, optionally with a middleware inside the SDK's retries. */
function documents(middleware?: Middleware) {
  const client = dynamoDbClientFor(info, { maxAttempts: 3 });
  if (middleware) client.middlewareStack.add(middleware, { step: 'deserialize', name: 'testFaults' });
  return documentClientFor(client);
}

const noSleep = async () => {};

beforeAll(async () => {
  info = await local.start();
  tableName = info.table.tableName;
});
afterAll(() => local.stop());

async function newDistrict(): Promise<string> {
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  await new DistrictStore(tableName, documents()).create(
    { districtId, name: 'Test', timezone: 'America/New_York' },
    framework,
    newKey({ kind: 'district', districtId }),
  );
  return districtId;
}

/** Ratings by 40 respondents and evidence of 60 learners, some voided; every version of every item observed. */
async function postHistory(districtId: string, seed: number): Promise<Observation[]> {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const store = new SubmissionStore(tableName, documents());
  const submissions: Submission[] = [];
  for (let index = 0; index < 120; index += 1) {
    submissions.push({
      type: 'condition-rating',
      submissionId: `s-${index}`,
      respondent: { id: `r-${index % 40}`, role: pick(['teacher', 'family', 'principal']) },
      submittedAt: `2026-11-${String(1 + Math.floor(random() * 3)).padStart(2, '0')}T10:00:00Z`,
      ratings: framework.conditions
        .filter(() => random() < 0.7)
        .map((condition) => ({ conditionId: condition.id, level: 1 + Math.floor(random() * 4) })),
    } as Submission);
    submissions.push({
      type: 'competency-evidence',
      submissionId: `e-${index}`,
      learner: { id: `l-${index % 60}`, groups: random() < 0.5 ? ['ell'] : ['iep', 'ell'] },
      competencyId: pick(['critical-thinking', 'communication']),
      level: 1 + Math.floor(random() * 4),
      assessedOn: `2026-10-${String(1 + Math.floor(random() * 3)).padStart(2, '0')}`,
    });
  }
  const plan = submissions
    .filter((submission) => submission.type !== 'condition-rating' || submission.ratings.length > 0)
    .map((submission, index) => ({
      submission,
      accepted: new Date(Date.UTC(2026, 10, 20, 0, 0, index)),
      voided: random() < 0.2 ? new Date(Date.UTC(2026, 10, 21, 0, 0, index)) : undefined,
    }));
  const observations: Observation[] = [];
  for (let start = 0; start < plan.length; start += 10) {
    await Promise.all(
      plan.slice(start, start + 10).map(async ({ submission, accepted, voided }) => {
        await store.submit(districtId, submission, accepted);
        const item = {
          type: 'submission',
          districtId,
          sk: `SUBMISSION#${submission.submissionId}`,
          submission,
          receivedAt: accepted.toISOString(),
        };
        observations.push(observe(item));
        if (!voided) return;
        await store.void(districtId, submission.submissionId, voided);
        observations.push(observe({ ...item, voidedAt: voided.toISOString() }));
      }),
    );
  }
  return observations;
}

function observe(item: Record<string, unknown>): Observation {
  const seen = observeItem(item);
  if (!seen) throw new Error('not a metrics item');
  return seen.observation;
}

const progressOf = (districtId: string) =>
  new ProgressStore(tableName, documents()).read(districtId, {
    minimumN,
    now: new Date('2026-11-25T00:00:00Z'),
  });

/** The same facts under another district id, for comparing two districts' reports. */
const sameFigures = (report: Awaited<ReturnType<typeof progressOf>>) => ({ ...report, districtId: 'x' });

/** Cuts observations into SQS-like batches: shuffled, with some delivered twice. */
function deliveries(observations: readonly Observation[], seed: number, batchSize = 25): Observation[][] {
  const random = seeded(seed);
  const delivered = [...observations, ...observations.filter(() => random() < 0.3)];
  for (let index = delivered.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [delivered[index], delivered[other]] = [delivered[other] as Observation, delivered[index] as Observation];
  }
  const batches: Observation[][] = [];
  for (let start = 0; start < delivered.length; start += batchSize) {
    batches.push(delivered.slice(start, start + batchSize));
  }
  return batches;
}

/** Applies every batch, retrying a failed one as SQS would redeliver it. */
async function drain(batches: Observation[][], districtId: string, stores: readonly MetricsStore[]) {
  const queue = [...batches];
  let redeliveries = 0;
  await Promise.all(
    stores.map(async (store) => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        try {
          await store.apply(districtId, batch);
        } catch {
          redeliveries += 1;
          queue.push(batch);
        }
      }
    }),
  );
  return redeliveries;
}

describe('exactly once', () => {
  it('gives the orderly result under concurrent workers, duplicates and shuffled order', {
    timeout: 120_000,
  }, async () => {
    const [messy, orderly] = [await newDistrict(), await newDistrict()];
    const [observations] = await Promise.all([postHistory(messy, 1), postHistory(orderly, 1)]);

    const workers = Array.from({ length: 5 }, () => new MetricsStore(tableName, documents()));
    await drain(deliveries(observations, 2), messy, workers);
    const rebuilt = await new MetricsStore(tableName, documents()).rebuild(orderly);

    expect(rebuilt.countersCorrected).toBe(0);
    const expected = await progressOf(orderly);
    expect(expected.eventsApplied).toBe(observations.length);
    expect(sameFigures(await progressOf(messy))).toEqual(sameFigures(expected));
    // the counters are exactly what the states add up to
    expect(await new MetricsStore(tableName, documents()).reconcileCounters(messy)).toBe(0);
  });

  it('retries injected throttling, transaction conflicts and lost responses without loss or double count', {
    timeout: 120_000,
  }, async () => {
    const [faulty, clean] = [await newDistrict(), await newDistrict()];
    const [observations] = await Promise.all([postHistory(faulty, 3), postHistory(clean, 3)]);
    const random = seeded(4);
    const injected = { throttled: 0, conflicted: 0, lost: 0 };
    let calls = 0;
    let transactions = 0;
    const faults: Middleware = (next, context) => async (args) => {
      calls += 1;
      // scattered throttling, which the SDK's own retries absorb, and an outage longer than they last: twelve
      // calls in a row among at most three requests in flight fail some request three times, so SQS redelivers
      if (random() < 0.1 || (calls > 40 && calls <= 52)) {
        injected.throttled += 1;
        throw new ProvisionedThroughputExceededException({ message: 'injected', $metadata: {} });
      }
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      transactions += 1;
      // the second transaction and every seventh after: however few transactions the batching makes
      if (transactions === 2 || transactions % 7 === 3) {
        injected.conflicted += 1;
        throw new TransactionCanceledException({
          message: 'injected',
          $metadata: {},
          CancellationReasons: [{ Code: 'TransactionConflict' }],
        });
      }
      const result = await next(args);
      if (transactions === 1 || transactions % 11 === 5) {
        // the write is committed, but its answer never arrives
        injected.lost += 1;
        throw Object.assign(new Error('injected: socket hang up'), { name: 'TimeoutError', $metadata: {} });
      }
      return result;
    };

    const workers = Array.from({ length: 3 }, () => new MetricsStore(tableName, documents(faults), noSleep));
    const redeliveries = await drain(deliveries(observations, 5), faulty, workers);
    await new MetricsStore(tableName, documents()).rebuild(clean);

    expect(injected.throttled).toBeGreaterThan(0);
    expect(injected.conflicted).toBeGreaterThan(0);
    expect(injected.lost).toBeGreaterThan(0);
    expect(redeliveries).toBeGreaterThan(0);
    expect(sameFigures(await progressOf(faulty))).toEqual(sameFigures(await progressOf(clean)));
    expect(await new MetricsStore(tableName, documents()).reconcileCounters(faulty)).toBe(0);
  });

  it('scores again when the framework changes between a worker reading it and writing', async () => {
    const districtId = await newDistrict();
    const observations = await postHistory(districtId, 6);
    const changed: Framework = { ...framework, masteryMethod: { method: 'highest' } };
    let raced = false;
    const race: Middleware = (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
        raced = true;
        await new DistrictStore(tableName, documents()).replaceFramework(districtId, changed);
      }
      return next(args);
    };
    const report = await new MetricsStore(tableName, documents(race), noSleep).apply(
      districtId,
      observations,
    );

    expect(raced).toBe(true);
    expect(report.retries).toBeGreaterThan(0);
    // a rebuild under the new framework finds nothing to re-score: the worker's write already used it
    const rebuilt = await new MetricsStore(tableName, documents()).rebuild(districtId);
    expect(rebuilt.unitsChanged).toBe(0);
    expect(rebuilt.countersCorrected).toBe(0);
  });
});

describe('lost races', () => {
  /** A middleware that cancels the first `times` transactions as another writer's would, before they write. */
  function losing(times: number) {
    const lost = { count: 0 };
    const middleware: Middleware = (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && lost.count < times) {
        lost.count += 1;
        throw new TransactionCanceledException({
          message: 'injected',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        });
      }
      return next(args);
    };
    return { middleware, lost };
  }
  /** A sleep that only adds up what it was asked to sleep. */
  function countingSleep() {
    const slept = { ms: 0 };
    const sleep = async (ms: number) => {
      slept.ms += ms;
    };
    return { slept, sleep };
  }

  it('keeps trying through a long run of lost races, and applies exactly once', async () => {
    const districtId = await newDistrict();
    const observations = await postHistory(districtId, 8);
    // more than the eight tries a slice once had: under contention it gave up and waited for the visibility timeout.
    // Ten backoffs of at most 20 ms × 2^n, capped at 1 s, sum to at most 6.24 s: within the budget, whatever the jitter
    const { middleware, lost } = losing(10);
    const { slept, sleep } = countingSleep();

    const report = await new MetricsStore(tableName, documents(middleware), sleep).apply(
      districtId,
      observations,
    );

    expect(lost.count).toBe(10);
    expect(report.retries).toBe(10);
    expect(slept.ms).toBeLessThanOrEqual(RACE_BACKOFF_BUDGET_MS);
    const rebuilt = await new MetricsStore(tableName, documents()).rebuild(districtId);
    expect(rebuilt).toMatchObject({ unitsChanged: 0, countersCorrected: 0 });
  });

  it('gives up once the backoff would pass its budget, having written nothing', async () => {
    const districtId = await newDistrict();
    const observations = await postHistory(districtId, 9);
    const { middleware, lost } = losing(Number.POSITIVE_INFINITY);
    const { slept, sleep } = countingSleep();

    await expect(
      new MetricsStore(tableName, documents(middleware), sleep).apply(districtId, observations),
    ).rejects.toBeInstanceOf(TransactionCanceledException);

    // it stopped because the next backoff (at most the 1 s cap) would not fit, not after a count of tries
    expect(slept.ms).toBeLessThanOrEqual(RACE_BACKOFF_BUDGET_MS);
    expect(slept.ms).toBeGreaterThan(RACE_BACKOFF_BUDGET_MS - 1_000);
    // more than 7 s of backoffs of at most 1 s each (the first five at most 1.24 s together) takes 12 tries or more
    expect(lost.count).toBeGreaterThanOrEqual(12);
    expect((await progressOf(districtId)).eventsApplied).toBe(0);
  });
});

describe('rebuild', () => {
  it('corrects counters that drifted from the states', async () => {
    const districtId = await newDistrict();
    const observations = await postHistory(districtId, 7);
    await new MetricsStore(tableName, documents()).apply(districtId, observations);
    const before = await progressOf(districtId);
    await documents().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: districtPartition(districtId), sk: counterSortKey('C#critical-thinking') },
        UpdateExpression: 'ADD n :five, events :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );
    expect(await progressOf(districtId)).not.toEqual(before);

    const report = await new MetricsStore(tableName, documents()).rebuild(districtId);

    expect(report).toMatchObject({ unitsChanged: 0, countersCorrected: 1 });
    expect(await progressOf(districtId)).toEqual(before);
  });
});

describe('cost per event', () => {
  /** Writes a district's learner states and counters in bulk, as folding that evidence would have. */
  async function seedLearners(districtId: string, learners: number) {
    const client = documents();
    const items = learnerSeedItems(districtId, learners, framework, 'critical-thinking');
    const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, index) =>
      items.slice(index * 25, index * 25 + 25),
    );
    for (let start = 0; start < chunks.length; start += 8) {
      await Promise.all(
        chunks.slice(start, start + 8).map((chunk) =>
          client.send(
            new BatchWriteCommand({
              RequestItems: { [tableName]: chunk.map((Item) => ({ PutRequest: { Item } })) },
            }),
          ),
        ),
      );
    }
  }

  /** The same 100 events for any district: new evidence of existing learners, new learners, ratings, voids. */
  function workload(): Observation[] {
    const observations: Observation[] = [];
    for (let index = 0; index < 100; index += 1) {
      const at = 10_000 + index;
      if (index % 4 === 3) {
        observations.push({
          kind: 'rating',
          unit: { kind: 'respondent', respondentId: `r-${index}` },
          submissionId: `w-${index}`,
          entry: { t: at, role: 'teacher', r: { culture: 1 + (index % 4), agency: 2 }, a: at },
        });
        continue;
      }
      const learner = index % 2 === 0 ? `l-${index}` : `new-${index}`;
      observations.push({
        kind: 'evidence',
        unit: { kind: 'learner', competencyId: 'critical-thinking', learnerId: learner },
        submissionId: `w-${index}`,
        entry: {
          d: '2026-11-01',
          l: 1 + (index % 4),
          g: ['ell'],
          a: at,
          ...(index % 10 === 0 ? { v: at + 1 } : {}),
        },
      });
    }
    return observations;
  }

  /** Counts the requests by operation, the items written and the bytes of what was written. */
  function meter() {
    const counts = { requests: new Map<string, number>(), itemsWritten: 0, bytesWritten: 0 };
    const middleware: Middleware = (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.requests.set(name, (counts.requests.get(name) ?? 0) + 1);
      const input = args.input as { TransactItems?: Record<string, unknown>[] };
      for (const item of input.TransactItems ?? []) {
        counts.itemsWritten += 1;
        counts.bytesWritten += JSON.stringify(item).length;
      }
      return next(args);
    };
    return { counts, middleware };
  }

  it('is the same at 100 and at 10,000 learners in a district', { timeout: 180_000 }, async () => {
    const measured: Record<string, unknown>[] = [];
    for (const learners of [100, 10_000]) {
      const districtId = await newDistrict();
      await seedLearners(districtId, learners);
      const { counts, middleware } = meter();
      const store = new MetricsStore(tableName, documents(middleware));
      const events = workload();
      for (let start = 0; start < events.length; start += 25) {
        await store.apply(districtId, events.slice(start, start + 25));
      }
      const reads = new ProgressStore(tableName, documents(middleware));
      await reads.read(districtId, { minimumN });
      measured.push({
        requests: Object.fromEntries(counts.requests),
        itemsWrittenPerEvent: counts.itemsWritten / events.length,
        bytesWrittenPerEvent: Math.round(counts.bytesWritten / events.length),
      });
    }
    expect(measured[1]).toEqual(measured[0]);
    expect(measured[0]).toMatchObject({
      // per batch of 25 and district: one read and one transaction; then one Query for the progress
      requests: { BatchGetItemCommand: 4, TransactWriteItemsCommand: 4, QueryCommand: 1 },
    });
  });
});
