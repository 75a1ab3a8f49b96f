/**
 * Scale: whether an event costs the same in a district of 1,000 learners as in one of 100,000 (100 and 2,000 in
 * quick mode), counted in DynamoDB requests, write units and read units per event.
 *
 * Posting 100,000 learners through the API would take longer than the whole run may, so each district's metrics
 * state is written directly, as folding one piece of evidence per learner would have left it: a state item per
 * learner and the competency's counter item holding their sums (shared/store/aggregates.ts). Then the same 100
 * new events (evidence of seeded learners and of new ones, ratings, voids) are applied through MetricsStore.apply
 * in the metrics worker's batches of 25, with the cost counter on its client, and the district's progress is read
 * once, as a dashboard would. The stack's own metrics worker drops what the stream relays, so that only these
 * applications touch the aggregates.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedFramework } from '../../infra/config/default-framework';
import type { LocalStackInfo } from '../../infra/local/local-stack';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { topology } from '../../infra/topology';
import { Framework } from '../../shared/contract/framework';
import type { Observation } from '../../shared/domain/aggregates';
import { newKey } from '../../shared/domain/api-keys';
import { documentClientFor } from '../../shared/runtime/clients';
import { MetricsStore } from '../../shared/store/aggregates';
import { DistrictStore } from '../../shared/store/districts';
import { ProgressStore } from '../../shared/store/progress';
import { CostCounter, type CountSnapshot } from '../cost/counter';
import { learnerSeedItems } from '../support/learner-seed';
import { startBenchStack } from '../support/stack';
import type { BenchContext, BenchMode, BenchSection, Figure, SectionResult } from '../types';

/**
 * District sizes compared, per mode. Seeding runs at a few hundred items a second on DynamoDB Local, so quick
 * mode compares smaller districts to stay within its minutes.
 */
const SIZES: Record<BenchMode, readonly [number, number]> = {
  quick: [100, 2_000],
  full: [1_000, 100_000],
};
const WORKER_BATCH = topology.queues.metrics.batchSize;
const WORKLOAD_EVENTS = 100;
const COMPETENCY = 'critical-thinking';
/** BatchWriteItem's limit, and seeding calls in flight. */
const SEED_BATCH = 25;
const SEED_CONCURRENCY = 16;

const framework = Framework.parse(seedFramework);

/** What one district size cost per event. */
interface PerEvent {
  readonly learners: number;
  readonly requests: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly byOperation: string;
}

export const scaleSection: BenchSection = { name: 'scale', run };

async function run(context: BenchContext): Promise<SectionResult> {
  const stack = await startBenchStack({
    handlers: { metricsWorker: async () => ({ batchItemFailures: [] }) },
  });
  const { info } = stack;
  const probe = new DynamoDBClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const measured: PerEvent[] = [];
    for (const learners of SIZES[context.mode]) {
      const districtId = await seededDistrict(info, documentClientFor(probe), learners, context);
      measured.push(await measureWorkload(info, probe, districtId, learners));
      context.log(`${learners.toLocaleString('en-US')} learners measured`);
    }
    return report(measured as [PerEvent, PerEvent]);
  } finally {
    probe.destroy();
    await stack.stop();
  }
}

/** A new district whose learners' metrics state is written directly. */
async function seededDistrict(
  info: LocalStackInfo,
  documents: DynamoDBDocumentClient,
  learners: number,
  context: BenchContext,
): Promise<string> {
  const tableName = info.table.tableName;
  const districtId = `scale-${randomUUID().slice(0, 8)}`;
  await new DistrictStore(tableName, documents).create(
    { districtId, name: 'Scale District', timezone: info.state.timezone },
    framework,
    newKey({ kind: 'district', districtId }),
  );
  const started = performance.now();
  const items = learnerSeedItems(districtId, learners, framework, COMPETENCY);
  let next = 0;
  const loop = async () => {
    for (let start = next; start < items.length; start = next) {
      next += SEED_BATCH;
      const chunk = items.slice(start, start + SEED_BATCH);
      let pending: Record<string, unknown>[] = chunk;
      while (pending.length > 0) {
        const { UnprocessedItems } = await documents.send(
          new BatchWriteCommand({
            RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        pending = (UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest?.Item ?? {});
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, loop));
  context.log(
    `${learners.toLocaleString('en-US')} learners seeded in ${Math.round(performance.now() - started)} ms`,
  );
  return districtId;
}

/** The same 100 events for any district: evidence of seeded learners and of new ones, ratings, voids. */
function workload(): Observation[] {
  return Array.from({ length: WORKLOAD_EVENTS }, (_, index): Observation => {
    const at = 10_000 + index;
    if (index % 4 === 3) {
      return {
        kind: 'rating',
        unit: { kind: 'respondent', respondentId: `r-${index}` },
        submissionId: `w-${index}`,
        entry: { t: at, role: 'teacher', r: { culture: 1 + (index % 4), agency: 2 }, a: at },
      };
    }
    const learnerId = index % 2 === 0 ? `l-${index}` : `new-${index}`;
    return {
      kind: 'evidence',
      unit: { kind: 'learner', competencyId: COMPETENCY, learnerId },
      submissionId: `w-${index}`,
      entry: {
        d: '2026-11-01',
        l: 1 + (index % 4),
        g: ['ell'],
        a: at,
        ...(index % 10 === 0 ? { v: at + 1 } : {}),
      },
    };
  });
}

/** Applies the workload in worker batches and reads progress once, counted. */
async function measureWorkload(
  info: LocalStackInfo,
  probe: DynamoDBClient,
  districtId: string,
  learners: number,
): Promise<PerEvent> {
  const counter = new CostCounter();
  const counted = new DynamoDBClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
  counter.attachDynamoDb(counted, probe, {
    partitionKey: topology.table.partitionKey,
    sortKey: topology.table.sortKey,
    indexes: topology.table.globalSecondaryIndexes,
  });
  try {
    const documents = documentClientFor(counted);
    const store = new MetricsStore(info.table.tableName, documents);
    const events = workload();
    for (let start = 0; start < events.length; start += WORKER_BATCH) {
      await store.apply(districtId, events.slice(start, start + WORKER_BATCH));
    }
    await new ProgressStore(info.table.tableName, documents).read(districtId, {
      minimumN: info.state.minimumN,
    });
    return perEvent(counter.snapshot(), learners);
  } finally {
    counter.detach();
    counted.destroy();
  }
}

function perEvent(snapshot: CountSnapshot, learners: number): PerEvent {
  const sum = (field: 'requests' | 'writeUnits' | 'readUnits') =>
    snapshot.operations.reduce((total, count) => total + count[field], 0) / WORKLOAD_EVENTS;
  return {
    learners,
    requests: sum('requests'),
    writeUnits: sum('writeUnits'),
    readUnits: sum('readUnits'),
    byOperation: snapshot.operations.map((count) => `${count.operation} ${count.requests}`).join(', '),
  };
}

function report([small, large]: readonly [PerEvent, PerEvent]): SectionResult {
  const sizeLabel = (measured: PerEvent) => `${measured.learners.toLocaleString('en-US')} learners`;
  const figure = (
    measured: PerEvent,
    field: 'requests' | 'writeUnits' | 'readUnits',
    unit: string,
  ): Figure => ({
    key: `scale.${measured.learners}.${field}PerEvent`,
    label: `${unit} per event, ${sizeLabel(measured)}`,
    value: round(measured[field]),
    unit: `${unit}/event`,
    ...(field === 'requests' ? { detail: measured.byOperation } : {}),
  });
  const ratio = (field: 'requests' | 'writeUnits' | 'readUnits', unit: string): Figure => {
    const value = large[field] / small[field];
    return {
      key: `scale.${field}.ratio`,
      label: `${unit} per event, ${sizeLabel(large)} / ${sizeLabel(small)}`,
      value: round(value),
      unit: '×',
      target: { text: 'equal (1 ×)', met: Math.abs(value - 1) < 1e-9 },
    };
  };
  return {
    title: 'Scale',
    figures: [
      figure(small, 'requests', 'DynamoDB requests'),
      figure(large, 'requests', 'DynamoDB requests'),
      ratio('requests', 'DynamoDB requests'),
      figure(small, 'writeUnits', 'write units'),
      figure(large, 'writeUnits', 'write units'),
      ratio('writeUnits', 'write units'),
      figure(small, 'readUnits', 'read units'),
      figure(large, 'readUnits', 'read units'),
      ratio('readUnits', 'read units'),
    ],
    notes: [
      `The same ${WORKLOAD_EVENTS} events (evidence of seeded and of new learners, ratings, voids) applied in batches of ${WORKER_BATCH} through MetricsStore.apply, then one progress read; learners' metrics state seeded directly. Units by DynamoDB's item-size rules, transactions doubled (bench/cost/dynamodb-meter.ts).`,
    ],
  };
}

const round = (value: number) => Number(value.toFixed(3));
