/**
 * Ingest overhead: what the platform's request path (front door, authorizer, api function, its DynamoDB calls)
 * costs in throughput and latency, read against the same writes made raw on the same DynamoDB Local.
 *
 * - single: `POST /v1/districts/{id}/assessments` with autocannon, one new submission per request, against raw
 *   PutItem of an item of the same size and shape, both at the same concurrency for the same duration;
 * - batch: `POST …/assessments/batch` of 100 items against raw BatchWriteItem of 25, in items stored per second.
 *
 * Both sides run in this process, as the local stack does, and both write submissions of a bench district, so the
 * stream relay carries the raw writes to the metrics queue as it carries the API's. The metrics worker only
 * acknowledges them: the aggregates' transactions are the freshness section's to measure, and a backlog of them
 * (the raw BatchWriteItem side stores tens of thousands of items in its seconds) would slow whichever side is
 * measured next. The queue is let drain between measurements.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { BatchWriteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import autocannon from 'autocannon';
import type { LocalStackInfo } from '../../infra/local/local-stack';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { conditionRatingExample } from '../../shared/contract/examples';
import { contentHash } from '../../shared/domain/content-hash';
import { keys } from '../../shared/store/table';
import { cpuNow, cpuPerEvent } from '../support/cpu';
import { type LoadResult, runLoad } from '../support/load';
import { type BenchDistrict, newDistrict, startBenchStack, waitForPipelineIdle } from '../support/stack';
import type { BenchContext, BenchMode, BenchSection, Figure, SectionResult } from '../types';

/** Requests in flight on each side of the single comparison, and raw BatchWriteItem calls in flight. */
const CONCURRENCY = 16;
const DURATION_SECONDS: Record<BenchMode, number> = { quick: 4, full: 20 };
/** Seconds of untimed load before each measurement: DynamoDB Local's JIT and the handlers warm up. */
const WARM_UP_SECONDS: Record<BenchMode, number> = { quick: 1, full: 5 };
const BATCH_ITEMS = 100;
/** BatchWriteItem's limit. */
const RAW_BATCH_ITEMS = 25;
/** Batch POSTs in flight: as many items in flight as the raw BatchWriteItem calls have. */
const BATCH_CONNECTIONS = (CONCURRENCY * RAW_BATCH_ITEMS) / BATCH_ITEMS;
/** The target for both ratios. */
const TARGET_RATIO = 0.8;

type Submission = typeof conditionRatingExample;

/** One side of a comparison: throughput in units (requests or items) per second, latency per call. */
interface Side {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Calls that did not do their work (non-2xx answers, items not stored, failed SDK calls). */
  readonly failures: number;
}

/** A side and the CPU it cost per unit (request or item), in this process and in DynamoDB Local. */
interface Measured extends Side {
  readonly cpu: ReturnType<typeof cpuPerEvent>;
}

export const ingestSection: BenchSection = {
  name: 'ingest',
  async run(context: BenchContext): Promise<SectionResult> {
    const seconds = DURATION_SECONDS[context.mode];
    const stack = await startBenchStack({
      handlers: { metricsWorker: async () => ({ batchItemFailures: [] }) },
    });
    const dynamoDb = new DynamoDBClient({
      region: stack.info.state.aws.region,
      endpoint: stack.info.endpoints.dynamoDb,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      const district = await newDistrict(stack.info);
      const run = randomUUID().slice(0, 8);
      // `slug` starts the submission ids of a measurement, so it keeps to the contract's id characters
      const measure = async (
        what: string,
        slug: string,
        load: (prefix: string, seconds: number) => Promise<Side>,
      ): Promise<Measured> => {
        await load(`${run}-warm-${slug}`, WARM_UP_SECONDS[context.mode]);
        if (!(await waitForPipelineIdle(stack.info, 120_000)))
          throw new Error('the metrics queue did not drain');
        context.log(`${what}, ${seconds} s`);
        const before = await cpuNow(stack.info.dynamoDbPid);
        const side = await load(`${run}-${slug}`, seconds);
        const cpu = cpuPerEvent(before, await cpuNow(stack.info.dynamoDbPid), side.perSecond * seconds);
        return { ...side, cpu };
      };

      const rawPut = await measure(`raw PutItem ×${CONCURRENCY}`, 'put', (prefix, s) =>
        rawPutItem(dynamoDb, stack.info, district, prefix, s),
      );
      const single = await measure(`single POST ×${CONCURRENCY}`, 'post', (prefix, s) =>
        postSingles(stack.info, district, prefix, s),
      );
      const rawBatch = await measure(
        `raw BatchWriteItem of ${RAW_BATCH_ITEMS} ×${CONCURRENCY}`,
        'batch-write',
        (prefix, s) => rawBatchWrite(dynamoDb, stack.info, district, prefix, s),
      );
      const batch = await measure(
        `batch POST of ${BATCH_ITEMS} ×${BATCH_CONNECTIONS}`,
        'batch-post',
        (prefix, s) => postBatches(stack.info, district, prefix, s),
      );

      return {
        title: 'Ingest overhead',
        figures: [
          throughputFigure('ingest.single', 'single POST', 'raw PutItem', single, rawPut, 'req/s'),
          ...latencyFigures('ingest.single', 'single POST', 'raw PutItem', single, rawPut),
          cpuFigure('ingest.single', 'single POST', 'raw PutItem', single, rawPut, 'request'),
          throughputFigure(
            'ingest.batch',
            `batch POST of ${BATCH_ITEMS}`,
            'raw BatchWriteItem',
            batch,
            rawBatch,
            'items/s',
          ),
          cpuFigure(
            'ingest.batch',
            `batch POST of ${BATCH_ITEMS}`,
            'raw BatchWriteItem',
            batch,
            rawBatch,
            'item',
          ),
        ],
        notes: [
          `Closed loops for ${seconds} s per measurement after ${WARM_UP_SECONDS[context.mode]} s of the same ` +
            'load unmeasured, in one process with the local stack (autocannon for the API, the SDK for the raw ' +
            'calls). The raw side writes the same submission items the API stores, so the stream relay carries ' +
            'both sides’ writes to the metrics queue alike; the metrics worker only acknowledges them (the ' +
            'aggregates are the freshness section’s), and the queue is let drain before each measurement.',
          `A batch POST carries ${BATCH_ITEMS} items, a raw BatchWriteItem ${RAW_BATCH_ITEMS} (its limit): ` +
            `${BATCH_CONNECTIONS} batch POSTs and ${CONCURRENCY} raw calls in flight hold the same items in ` +
            'flight. Latencies are per request.',
          'What bounds the single ratio: CPU, and a second request. The stack (front door, authorizer cache, ' +
            'api function), autocannon and DynamoDB Local share ' +
            `${availableParallelism()} cores; a POST costs ${format(single.cpu.total, 2)} ms of their CPU ` +
            `(${format(single.cpu.dynamoDb, 2)} in DynamoDB Local) where a raw PutItem costs ` +
            `${format(rawPut.cpu.total, 2)} ms (${format(rawPut.cpu.dynamoDb, 2)}): besides its conditional put ` +
            'the API reads the district’s framework (a GetItem) to check the references of every write, and ' +
            'parses, validates, logs and answers it. The local front door stands for API Gateway, whose work ' +
            'in AWS is not on the function’s CPU.',
          'What bounds the batch ratio: the batch route stores each item with a conditional PutItem of its ' +
            'own (the first write of an id wins, a replay is answered 200 and a conflict 409, item by item), ' +
            'which BatchWriteItem cannot do: it takes no conditions. Item by item, DynamoDB Local stored ' +
            `${format(rawPut.perSecond)} raw PutItem/s at ${CONCURRENCY} in flight against ` +
            `${format(rawBatch.perSecond)} items/s in BatchWriteItem calls, ` +
            `${format(rawBatch.perSecond > 0 ? rawPut.perSecond / rawBatch.perSecond : 0, 2)} ×; ` +
            'a TransactWriteItems of 100 conditional puts would hold the conditions, at twice the write units.',
        ],
      };
    } finally {
      dynamoDb.destroy();
      await stack.stop();
    }
  },
};

/**
 * A submission of the contract's example with its own id and its own respondent: one respondent's many ratings
 * would all fold into the same aggregate items, a race between every metrics batch that no real district makes.
 */
const submission = (submissionId: string): Submission => ({
  ...conditionRatingExample,
  submissionId,
  respondent: { ...conditionRatingExample.respondent, id: `r-${submissionId}` },
});

/** The item SubmissionStore.submit stores for a submission (shared/store/submissions.ts), for the raw writes. */
function storedItem(districtId: string, body: Submission) {
  return marshall({
    ...keys.submission(districtId, body.submissionId),
    type: 'submission',
    districtId,
    submissionId: body.submissionId,
    submissionType: body.type,
    submission: body,
    contentHash: contentHash(body),
    receivedAt: new Date().toISOString(),
  });
}

function apiRequest(info: LocalStackInfo, district: BenchDistrict, path: string) {
  return {
    url: `${info.apiUrl}/v1/districts/${district.districtId}/assessments${path}`,
    headers: { authorization: `Bearer ${district.apiKey}`, 'content-type': 'application/json' },
  };
}

function rawPutItem(
  client: DynamoDBClient,
  info: LocalStackInfo,
  district: BenchDistrict,
  prefix: string,
  seconds: number,
): Promise<Side> {
  return rawLoad(seconds, async (n) => {
    await client.send(
      new PutItemCommand({
        TableName: info.table.tableName,
        Item: storedItem(district.districtId, submission(`${prefix}-${n}`)),
      }),
    );
    return 1;
  });
}

function rawBatchWrite(
  client: DynamoDBClient,
  info: LocalStackInfo,
  district: BenchDistrict,
  prefix: string,
  seconds: number,
): Promise<Side> {
  return rawLoad(seconds, async (n) => {
    let requests = Array.from({ length: RAW_BATCH_ITEMS }, (_, index) => ({
      PutRequest: { Item: storedItem(district.districtId, submission(`${prefix}-${n}-${index}`)) },
    }));
    // what DynamoDB leaves unprocessed is sent again, as any careful caller does
    while (requests.length > 0) {
      const { UnprocessedItems: unprocessed } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [info.table.tableName]: requests } }),
      );
      requests = (unprocessed?.[info.table.tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
    return RAW_BATCH_ITEMS;
  });
}

/** Raw SDK calls, CONCURRENCY at a time for `seconds`; `call` resolves the items it stored. */
function rawLoad(seconds: number, call: (n: number) => Promise<number>): Promise<Side> {
  return runLoad({ concurrency: CONCURRENCY, durationMs: seconds * 1_000, call }).then(loadSide);
}

function loadSide(result: LoadResult): Side {
  return {
    perSecond: result.units / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failures: result.failures,
  };
}

async function postSingles(
  info: LocalStackInfo,
  district: BenchDistrict,
  prefix: string,
  seconds: number,
): Promise<Side> {
  const { url, headers } = apiRequest(info, district, '');
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request) => ({ ...request, body: JSON.stringify(submission(`${prefix}-${n++}`)) }),
      },
    ],
  });
  return {
    perSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}

async function postBatches(
  info: LocalStackInfo,
  district: BenchDistrict,
  prefix: string,
  seconds: number,
): Promise<Side> {
  const { url, headers } = apiRequest(info, district, '/batch');
  let n = 0;
  let stored = 0;
  let notStored = 0;
  const result = await autocannon({
    url,
    connections: BATCH_CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers,
        setupRequest: (request) => {
          const batch = n++;
          const items = Array.from({ length: BATCH_ITEMS }, (_, index) =>
            submission(`${prefix}-${batch}-${index}`),
          );
          return { ...request, body: JSON.stringify({ items }) };
        },
        onResponse: (status, body) => {
          if (status !== 200) {
            notStored += BATCH_ITEMS;
            return;
          }
          const { results } = JSON.parse(body) as { results: { status: number }[] };
          const created = results.filter((item) => item.status === 201).length;
          stored += created;
          notStored += results.length - created;
        },
      },
    ],
  });
  return {
    perSecond: stored / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: notStored / BATCH_ITEMS + result.errors,
  };
}

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function describe(side: Side, unit: string): string {
  const failed = side.failures > 0 ? `, ${format(side.failures, 1)} failed calls` : '';
  return `${format(side.perSecond)} ${unit}, p50 ${format(side.p50Ms, 1)} ms, p99 ${format(side.p99Ms, 1)} ms${failed}`;
}

/** CPU per unit of the API side over the raw side's, both in the detail. */
function cpuFigure(key: string, label: string, baseline: string, api: Measured, raw: Measured, unit: string) {
  const side = (measured: Measured) =>
    `${format(measured.cpu.total, 2)} ms (DynamoDB Local ${format(measured.cpu.dynamoDb, 2)})`;
  return {
    key: `${key}.cpu`,
    label: `${label} CPU per ${unit} / ${baseline}`,
    value: raw.cpu.total > 0 ? api.cpu.total / raw.cpu.total : 0,
    unit: '×',
    detail: `${label}: ${side(api)}; ${baseline}: ${side(raw)}`,
  } satisfies Figure;
}

/** The throughput ratio of one comparison, with its target; both sides' numbers in the detail. */
function throughputFigure(
  key: string,
  label: string,
  baseline: string,
  api: Side,
  raw: Side,
  unit: string,
): Figure {
  const ratio = raw.perSecond > 0 ? api.perSecond / raw.perSecond : 0;
  return {
    key: `${key}.ratio`,
    label: `${label} throughput / ${baseline}`,
    value: ratio,
    unit: '×',
    detail: `${label}: ${describe(api, unit)}; ${baseline}: ${describe(raw, unit)}`,
    target: { text: `≥ ${TARGET_RATIO} × ${baseline}`, met: ratio >= TARGET_RATIO },
  };
}

/** Latency ratios of requests that do the same work (single POST and PutItem: one item each). */
function latencyFigures(key: string, label: string, baseline: string, api: Side, raw: Side): Figure[] {
  const ratio = (apiMs: number, rawMs: number) => (rawMs > 0 ? apiMs / rawMs : 0);
  return (['p50', 'p99'] as const).map((percentile) => {
    const [apiMs, rawMs] = percentile === 'p50' ? [api.p50Ms, raw.p50Ms] : [api.p99Ms, raw.p99Ms];
    return {
      key: `${key}.${percentile}Ratio`,
      label: `${label} ${percentile} latency / ${baseline}`,
      value: ratio(apiMs, rawMs),
      unit: '×',
      detail: `${format(apiMs, 1)} ms vs ${format(rawMs, 1)} ms`,
    };
  });
}
