/**
 * Cost model: what one million events cost in AWS, posted one by one and in batches of 100, itemized by service
 * and held up against the floor (the least any design could pay: the request, the invocation and the write), and
 * what a state's stack costs a month for a stated workload.
 *
 * Everything is counted on a local bench stack (bench/cost/metered-stack.ts) from the requests the platform
 * really makes: N single assessment POSTs, then N/100 batch POSTs of 100, each phase counted until the metrics
 * worker has applied every event (progress `eventsApplied`), so the asynchronous half of an event's cost (Pipe,
 * queue, worker, aggregates) is in its figure. Then a digest run to a few subscribers gives the cost of a digest.
 * Counts are the platform's; only Lambda's GB-s rest on local durations.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readSentMail } from '../../infra/local/ses-store';
import { apiClient } from '../../shared/contract/client';
import { type BillLine, billPerMillion, floorPerMillion, totalOf } from '../cost/bill';
import { type CountSnapshot, IDLE_RECEIVE } from '../cost/counter';
import { type MeteredStack, startMeteredStack } from '../cost/metered-stack';
import { costOf, PRICES_CHECKED, PRICES_REGION } from '../cost/prices';
import { type BenchDistrict, newDistrict } from '../support/stack';
import type { BenchContext, BenchMode, BenchSection, Figure, SectionResult } from '../types';

/** Events per phase and digest subscribers, per mode. */
const SIZES: Record<BenchMode, { readonly events: number; readonly subscribers: number }> = {
  quick: { events: 200, subscribers: 10 },
  full: { events: 2_000, subscribers: 50 },
};
const BATCH_SIZE = 100;
/** Requests in flight while posting: enough to keep the worker batching, not a load test. */
const CONCURRENCY = 8;
/** Batches in flight: each is a hundred writes already. */
const BATCH_CONCURRENCY = 2;
const APPLY_TIMEOUT_MS = 120_000;
/** The target: cost within 1.6 × the floor. */
const TARGET_RATIO = 1.6;

/**
 * The stated workload of one state for a month. Learners' evidence is the bulk: four competency ratings a month
 * each, most sent by the districts' systems in nightly batches; stakeholders rate the conditions about monthly.
 */
export const WORKLOAD = {
  districts: 200,
  learners: 50_000,
  evidencePerLearnerPerMonth: 4,
  respondents: 10_000,
  ratingsPerRespondentPerMonth: 1,
  /** Share of events sent in batches of 100; the rest one by one. */
  batchedShare: 0.9,
  leaders: 2_000,
  digestsPerLeaderPerMonth: 52 / 12,
} as const;

/**
 * Costs of time, not of events, that a deployed stack pays whatever the traffic: the WAF web ACL and its four
 * rules; the event source mappings' long polls of three queues (Lambda keeps at least five pollers per queue, one
 * 20 s poll each at a time); the Pipe's polls of the table's stream (about four GetRecords a second on its one
 * shard), priced as DynamoDB Streams reads, which AWS waives for Lambda triggers and may waive for the Pipe.
 */
const SECONDS_PER_MONTH = 30.44 * 24 * 3_600;
export const FIXED_MONTHLY: readonly BillLine[] = [
  { service: 'WAF', item: 'web ACL', quantity: 1, usd: costOf('wafWebAclMonth', 1) },
  { service: 'WAF', item: 'rules', quantity: 4, usd: costOf('wafRuleMonth', 4) },
  {
    service: 'SQS',
    item: 'idle long polls of 3 queues',
    quantity: 3 * 5 * (SECONDS_PER_MONTH / 20),
    usd: costOf('sqsRequest', 3 * 5 * (SECONDS_PER_MONTH / 20)),
  },
  {
    service: 'DynamoDB Streams',
    item: "the Pipe's GetRecords",
    quantity: 4 * SECONDS_PER_MONTH,
    usd: costOf('dynamoDbStreamsRead', 4 * SECONDS_PER_MONTH),
  },
];

export const costSection: BenchSection = { name: 'cost', run };

async function run(context: BenchContext): Promise<SectionResult> {
  const { events, subscribers } = SIZES[context.mode];
  context.log(`starting a metered stack (${events} single and ${events} batched events)`);
  const stack = await startMeteredStack();
  try {
    const district = await newDistrict(stack.info, 'Cost District');
    await stack.settle();

    const single = await measure(stack, context, 'single', () => postSingles(stack, district, events), {
      districtId: district.districtId,
      events,
    });
    const batched = await measure(stack, context, 'batched', () => postBatches(stack, district, events), {
      districtId: district.districtId,
      events: 2 * events,
    });
    const digests = await measureDigests(stack, context, district, subscribers);
    return report(context.mode, single, batched, digests, events, subscribers);
  } finally {
    await stack.stop();
  }
}

/** Counts one phase from the first request until the worker has applied `events` in all. */
async function measure(
  stack: MeteredStack,
  context: BenchContext,
  phase: string,
  post: () => Promise<void>,
  applied: { readonly districtId: string; readonly events: number },
): Promise<CountSnapshot> {
  stack.counter.reset();
  const started = performance.now();
  await post();
  await stack.waitForApplied(applied.districtId, applied.events, APPLY_TIMEOUT_MS);
  await stack.settle();
  context.log(`${phase} posts applied in ${Math.round(performance.now() - started)} ms`);
  return stack.counter.snapshot();
}

async function postSingles(stack: MeteredStack, district: BenchDistrict, events: number) {
  const api = apiClient(stack.info.apiUrl, district.apiKey);
  await inParallel(events, CONCURRENCY, async (index) => {
    const { response } = await api.POST('/v1/districts/{districtId}/assessments', {
      params: { path: { districtId: district.districtId } },
      body: evidence(`single-${index}`, index),
    });
    if (response.status !== 201) throw new Error(`a single post answered ${response.status}`);
  });
}

async function postBatches(stack: MeteredStack, district: BenchDistrict, events: number) {
  const api = apiClient(stack.info.apiUrl, district.apiKey);
  await inParallel(Math.ceil(events / BATCH_SIZE), BATCH_CONCURRENCY, async (batch) => {
    const items = Array.from({ length: BATCH_SIZE }, (_, offset) => {
      const index = batch * BATCH_SIZE + offset;
      return evidence(`batch-${index}`, events + index);
    });
    const { response } = await api.POST('/v1/districts/{districtId}/assessments/batch', {
      params: { path: { districtId: district.districtId } },
      body: { items },
    });
    if (!response.ok) throw new Error(`a batch post answered ${response.status}`);
  });
}

/** One learner's evidence on one competency; each index is its own learner, as most events of a month are. */
function evidence(submissionId: string, learner: number) {
  return {
    type: 'competency-evidence' as const,
    submissionId,
    learner: { id: `l-${learner}`, groups: ['ell'] },
    competencyId: 'critical-thinking',
    level: 1 + (learner % 4),
    assessedOn: new Date().toISOString().slice(0, 10),
  };
}

/**
 * A digest run to `subscribers` leaders of the district, counted until every e-mail reached the SES emulator. The
 * run is started through `POST /v1/digests/run`, which plans as the scheduled planner does: its API request is not
 * counted, and one scheduler invocation is, in its stead.
 */
async function measureDigests(
  stack: MeteredStack,
  context: BenchContext,
  district: BenchDistrict,
  subscribers: number,
): Promise<CountSnapshot> {
  const { info, counter } = stack;
  const api = apiClient(info.apiUrl, district.apiKey);
  await inParallel(subscribers, CONCURRENCY, async (index) => {
    const { response } = await api.POST('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId: district.districtId } },
      body: { email: `leader-${index}@cost.bench.example`, cadence: 'weekly' },
    });
    if (response.status !== 201) throw new Error(`subscribing answered ${response.status}`);
  });
  await stack.settle();
  const sentBefore = (await readSentMail(info.endpoints.sesStore)).length;
  counter.reset();
  counter.apiThroughGateway = false;
  counter.countScheduled(1);
  const { response } = await apiClient(info.apiUrl, info.credentials.stateKey).POST('/v1/digests/run', {
    body: {},
  });
  if (response.status !== 202) throw new Error(`the digest run answered ${response.status}`);
  const deadline = Date.now() + APPLY_TIMEOUT_MS;
  while ((await readSentMail(info.endpoints.sesStore)).length < sentBefore + subscribers) {
    if (Date.now() > deadline) throw new Error(`fewer than ${subscribers} digests sent`);
    await delay(250);
  }
  await stack.settle();
  counter.apiThroughGateway = true;
  context.log(`${subscribers} digests sent`);
  return counter.snapshot();
}

function report(
  mode: BenchMode,
  single: CountSnapshot,
  batched: CountSnapshot,
  digests: CountSnapshot,
  events: number,
  subscribers: number,
): SectionResult {
  const singleBill = billPerMillion(single, events);
  const batchBill = billPerMillion(batched, events);
  // a digest's cost, per million digests: the same scaling as events
  const digestBill = billPerMillion(digests, subscribers);
  const singleFloor = floorPerMillion(1);
  const batchFloor = floorPerMillion(BATCH_SIZE);
  const month = monthly(totalOf(singleBill), totalOf(batchBill), totalOf(digestBill));

  const figures: Figure[] = [
    ratioFigure('cost.single', 'single posts', singleBill, singleFloor),
    ratioFigure('cost.batch', 'batches of 100', batchBill, batchFloor),
    {
      key: 'cost.digest.usdPerThousand',
      label: 'a thousand digests',
      value: round(totalOf(digestBill) / 1_000, 4),
      unit: '$',
      detail: `${perUnit(digests, subscribers)} per digest`,
    },
    {
      key: 'cost.state.usdPerMonth',
      label: 'a state per month (stated workload)',
      value: round(month.total, 2),
      unit: '$ per month',
      detail: month.detail,
    },
  ];
  return {
    title: 'Cost model',
    figures,
    notes: [
      `Prices: ${PRICES_REGION} on-demand list prices checked ${PRICES_CHECKED}, first tiers, free tiers ignored (bench/cost/prices.ts names each source).`,
      `Single posts, $ per million events: ${itemized(singleBill)}.`,
      `Batches of 100, $ per million events: ${itemized(batchBill)}.`,
      aboveFloor('single posts', singleBill, singleFloor),
      aboveFloor('batches', batchBill, batchFloor),
      `Digests, $ per million digests: ${itemized(digestBill)}.`,
      `Requests per event, single: ${perUnit(single, events)}; batched: ${perUnit(batched, events)}.`,
      `Floor: single ${usd(singleFloor)} (1 API request + 1 invocation + 1 write unit), batch ${usd(batchFloor)} (1 write unit + 1/100 request and invocation) per million events.`,
      `Month: ${WORKLOAD.districts} districts, ${WORKLOAD.learners.toLocaleString('en-US')} learners with ${WORKLOAD.evidencePerLearnerPerMonth} evidence events each, ${WORKLOAD.respondents.toLocaleString('en-US')} respondents rating once, ${WORKLOAD.batchedShare * 100} % of events in batches of 100, weekly digests to ${WORKLOAD.leaders.toLocaleString('en-US')} leaders; fixed: ${itemized(FIXED_MONTHLY)}. Progress reads by dashboards are not in it.`,
      `Lambda GB-s are local wall-clock durations times the topology's memory, an indication only; CloudWatch Logs are estimated per invocation (bench/cost/bill.ts). Measured in ${mode} mode: ${events} events a phase, ${subscribers} digests.`,
    ],
  };
}

/**
 * What bounds a ratio: the lines the floor does not have, largest first, and the ratio without Lambda's GB-s,
 * whose local durations say little of Lambda's.
 */
function aboveFloor(label: string, bill: readonly BillLine[], floor: number): string {
  const floorItems = new Set(['API Gateway REST requests', 'Lambda requests', 'DynamoDB write units']);
  const extra = bill
    .filter((entry) => !floorItems.has(`${entry.service} ${entry.item}`))
    .sort((a, b) => b.usd - a.usd);
  const writes = bill.find((entry) => entry.item === 'write units');
  const withoutDuration = totalOf(bill.filter((entry) => !entry.item.startsWith('GB-s')));
  // the metrics path: the Pipe's event and the worker's write units beyond the event's own one
  const pipe = bill.find((entry) => entry.service === 'EventBridge Pipes')?.usd ?? 0;
  const metricsPath = pipe + costOf('dynamoDbWriteUnit', Math.max(0, (writes?.quantity ?? 0) - 1_000_000));
  return (
    `Above the floor, ${label}: ${itemized(extra)}; write units ${round(writes?.quantity ?? 0, 0).toLocaleString('en-US')} per million events ` +
    `(the floor has 1,000,000). Without Lambda GB-s the ratio is ${round(withoutDuration / floor, 2)} ×. ` +
    `The metrics path alone (the Pipe's event and the aggregates' transactional write units) adds ${usd(metricsPath)}, ` +
    `${round(metricsPath / floor, 2)} × the floor, where the target leaves ${round(TARGET_RATIO - 1, 1)} × for everything above it.`
  );
}

function ratioFigure(key: string, label: string, bill: readonly BillLine[], floor: number): Figure {
  const ratio = totalOf(bill) / floor;
  return {
    key: `${key}.ratio`,
    label: `cost / floor, ${label}`,
    value: round(ratio, 2),
    unit: '×',
    detail: `${usd(totalOf(bill))} vs floor ${usd(floor)} per million events`,
    target: { text: `≤ ${TARGET_RATIO} × the floor`, met: ratio <= TARGET_RATIO },
  };
}

/** The stated workload's month: events one by one and in batches, digests, and the fixed costs. */
function monthly(singlePerMillion: number, batchPerMillion: number, digestPerMillion: number) {
  const events =
    WORKLOAD.learners * WORKLOAD.evidencePerLearnerPerMonth +
    WORKLOAD.respondents * WORKLOAD.ratingsPerRespondentPerMonth;
  const digests = WORKLOAD.leaders * WORKLOAD.digestsPerLeaderPerMonth;
  const eventsUsd =
    (events * (WORKLOAD.batchedShare * batchPerMillion + (1 - WORKLOAD.batchedShare) * singlePerMillion)) /
    1_000_000;
  const digestsUsd = (digests * digestPerMillion) / 1_000_000;
  const fixedUsd = totalOf(FIXED_MONTHLY);
  return {
    total: eventsUsd + digestsUsd + fixedUsd,
    detail: `${events.toLocaleString('en-US')} events ${usd(eventsUsd)}, ${Math.round(digests).toLocaleString('en-US')} digests ${usd(digestsUsd)}, fixed ${usd(fixedUsd)}`,
  };
}

/**
 * Requests per unit of work by service and operation, e.g. `dynamodb TransactWriteItems 0.04`; the pollers' empty
 * receives and the relay's stream reads are left out, as the bill leaves them out.
 */
function perUnit(snapshot: CountSnapshot, units: number): string {
  const operations = snapshot.operations
    .filter((count) => count.service !== 'lambda' && count.service !== 'dynamodb-streams')
    .filter((count) => count.operation !== IDLE_RECEIVE)
    .map((count) => `${count.service} ${count.operation} ${round(count.requests / units, 3)}`);
  const functions = Object.entries(snapshot.functions).map(
    ([name, count]) => `lambda ${name} ${round(count.invocations / units, 3)}`,
  );
  return [...operations, ...functions].join(', ');
}

function itemized(lines: readonly BillLine[]): string {
  return lines.map((entry) => `${entry.service} ${entry.item} ${usd(entry.usd)}`).join(', ');
}

/** Runs `count` calls of `call`, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, call: (index: number) => Promise<void>) {
  let next = 0;
  const loop = async () => {
    for (let index = next++; index < count; index = next++) await call(index);
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const usd = (value: number) => `$${value < 10 ? value.toFixed(3) : value.toFixed(2)}`;
