/**
 * Digests end to end: a run for many subscribers on the local stack, from `POST /v1/digests/run` to the last
 * e-mail the SES emulator accepted, against the emulator's raw SendEmail rate measured in the same run.
 *
 * The platform run: districts made and fed through the API (so that every digest has figures to render),
 * their subscribers written straight to the table with SubscriberStore.create (how they got there is not what
 * is measured), then one digest run. Every send is seen by a middleware on the digest sender's own SES client
 * (the module singleton the handler imports, as the end-to-end test does): an answer with a message id means
 * the emulator stored the e-mail, so the run is done when that count reaches the number of subscribers, which
 * spares reading back `/store` with every body in it.
 *
 * The baseline: the same client (so the same retry settings and sockets) sends the same e-mail, re-addressed,
 * with as many sends in flight as the sender can have (the digest queue's maximum concurrency times its batch
 * size; a batch's records are delivered in parallel), and nothing else: no queue, ledger, reads or rendering.
 *
 * The senders pace themselves to the SES account's send rate (LOCAL_SES_SEND_RATE locally, shared by the
 * senders). Paced, the run would only measure the pacer, so the bench stack lifts the pacing, and the paced
 * rate is reported beside it as what `npm start` sends at.
 */

import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MiddlewareStack } from '@smithy/types';
import { LOCAL_SES_SEND_RATE, type LocalStackInfo } from '../../infra/local/local-stack';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { topology } from '../../infra/topology';
import { apiClient } from '../../shared/contract/client';
import { documentClientFor, dynamoDb } from '../../shared/runtime/clients';
import { ses } from '../../shared/runtime/ses';
import { SubscriberStore } from '../../shared/store/subscribers';
import { cpuBoundRate, cpuNow, cpuPerEvent } from '../support/cpu';
import { newDistrict, startBenchStack } from '../support/stack';
import type { BenchContext, BenchMode, BenchSection, Figure, SectionResult } from '../types';

const TARGET_RATIO = 0.8;

/**
 * Subscribers of the run, the districts they are spread over, and the sends of the raw baseline, per mode.
 */
const SIZES: Record<
  BenchMode,
  { readonly subscribers: number; readonly districts: number; readonly raw: number }
> = {
  quick: { subscribers: 500, districts: 10, raw: 500 },
  full: { subscribers: 10_000, districts: 50, raw: 2_000 },
};

/** A send rate no sender reaches: the pacer lets every send start at once. */
const UNPACED_SEND_RATE = 1_000_000;
/**
 * How long the run may take before the rate is taken from what was sent so far: a slow stack would otherwise
 * spend the whole benchmark's time budget here.
 */
const RUN_TIMEOUT_MS: Record<BenchMode, number> = { quick: 90_000, full: 300_000 };
/** Requests in flight while seeding; seeding is not measured. */
const SEED_CONCURRENCY = 32;
const SEED_ATTEMPTS = 3;
/** Districts seeded at once: each waits for its progress to show its data. */
const SEED_DISTRICTS_IN_FLIGHT = 3;
const MIDDLEWARE_NAME = 'benchDigestCalls';

const digestQueue = topology.queues.digest;
/** Sends a sender may have in flight: its pollers, each with a batch of records delivered in parallel. */
const SENDS_IN_FLIGHT = digestQueue.maxConcurrency * digestQueue.batchSize;

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Calls of one operation while the run was watched, and the time they took in all. */
interface CallTally {
  calls: number;
  totalMs: number;
}

/**
 * Watches the functions' DynamoDB and SES clients (the module singletons the handlers import; the planner's
 * SQS sends are the run's, not a digest's): while `recording`, the count and duration of every call per
 * service and operation, and the time of each SendEmail that SES answered. Keeps the first SendEmail's input
 * as the baseline's e-mail.
 */
function watchCalls() {
  const sentAt: number[] = [];
  const tallies = new Map<string, CallTally>();
  let sample: SendEmailCommandInput | undefined;
  let recording = false;
  const clients = { DynamoDB: dynamoDb, SES: ses } as const;
  for (const [service, client] of Object.entries(clients)) {
    (client.middlewareStack as MiddlewareStack<object, object>).add(
      (next, context) => async (args) => {
        const start = performance.now();
        const result = await next(args);
        const operation = String(context.commandName).replace(/Command$/, '');
        if (recording) {
          const tally = tallies.get(`${service} ${operation}`) ?? { calls: 0, totalMs: 0 };
          tally.calls += 1;
          tally.totalMs += performance.now() - start;
          tallies.set(`${service} ${operation}`, tally);
        }
        if (operation === 'SendEmail') {
          sentAt.push(performance.now());
          sample ??= args.input as SendEmailCommandInput;
        }
        return result;
      },
      { step: 'initialize', name: MIDDLEWARE_NAME },
    );
  }
  return {
    sentAt,
    tallies,
    sample: () => sample,
    record: (on: boolean) => {
      recording = on;
    },
    remove: () => {
      for (const client of Object.values(clients)) client.middlewareStack.remove(MIDDLEWARE_NAME);
    },
  };
}

/** The requests a digest made, per service and operation, with their mean latency in this run. */
function requestsPerDigest(tallies: ReadonlyMap<string, CallTally>, sent: number) {
  const perDigest = [...tallies].map(([operation, tally]) => ({
    operation,
    calls: tally.calls / Math.max(sent, 1),
    meanMs: tally.totalMs / Math.max(tally.calls, 1),
  }));
  return {
    requests: perDigest.reduce((sum, step) => sum + step.calls, 0),
    text: perDigest
      .map((step) => `${formatted(step.calls)} × ${step.operation} (${formatted(step.meanMs)} ms)`)
      .join(', '),
  };
}

/** The items of one district's batch: enough ratings and evidence that its digest publishes cells. */
function districtData(assessedOn: string) {
  const submittedAt = new Date(Date.now() - 3_600_000).toISOString();
  return [
    ...Array.from({ length: 24 }, (_, i) => ({
      type: 'condition-rating' as const,
      submissionId: `s-${i}`,
      respondent: { id: `r-${i}`, role: i % 2 === 0 ? 'teacher' : 'principal' },
      submittedAt,
      ratings: [
        { conditionId: 'shared-vision', level: (i % 4) + 1 },
        { conditionId: 'culture', level: ((i + 1) % 4) + 1 },
      ],
    })),
    ...Array.from({ length: 24 }, (_, i) => ({
      type: 'competency-evidence' as const,
      submissionId: `e-${i}`,
      learner: { id: `l-${i}` },
      competencyId: i % 2 === 0 ? 'critical-thinking' : 'communication',
      level: (i % 4) + 1,
      assessedOn,
    })),
  ];
}

/** Tries a write a few times: seeding replays the same ids, which the API counts once, on a busy machine. */
async function seedWrite(what: string, write: () => Promise<{ response: Response }>): Promise<void> {
  let status = 0;
  for (let attempt = 1; attempt <= SEED_ATTEMPTS; attempt += 1) {
    status = (await write()).response.status;
    if (status < 300) return;
  }
  throw new Error(`seeding ${what} answered ${status} ${SEED_ATTEMPTS} times`);
}

/** Makes a district through the API, posts its data and a milestone, and waits until progress shows them. */
async function seedDistrict(info: LocalStackInfo, index: number): Promise<string> {
  const { districtId, apiKey } = await newDistrict(info, `Digest District ${index}`);
  const api = apiClient(info.apiUrl, apiKey);
  const today = new Date().toISOString().slice(0, 10);
  const items = districtData(today);
  const params = { path: { districtId } };
  const updatedAt = new Date().toISOString();
  await seedWrite(`the assessments of ${districtId}`, () =>
    api.POST('/v1/districts/{districtId}/assessments/batch', { params, body: { items } }),
  );
  await seedWrite(`a milestone of ${districtId}`, () =>
    api.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
      params: { path: { districtId, milestoneId: 'board-adopts-pog' } },
      body: {
        title: 'Board adopts Portrait of a Graduate',
        conditionId: 'shared-vision',
        status: 'achieved',
        achievedOn: today,
        updatedAt,
      },
    }),
  );
  const expected = items.length + 1;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await delay(250)) {
    const { data } = await api.GET('/v1/districts/{districtId}/progress', { params });
    if ((data?.eventsApplied ?? 0) >= expected) return districtId;
  }
  throw new Error(`the progress of ${districtId} did not reach ${expected} events within 60 s`);
}

/** Writes `count` weekly subscribers to the table, spread evenly over the districts. */
async function seedSubscribers(info: LocalStackInfo, districtIds: readonly string[], count: number) {
  const client = new DynamoDBClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const store = new SubscriberStore(info.table.tableName, documentClientFor(client));
    const indexes = Array.from({ length: count }, (_, index) => index);
    await inParallel(indexes, SEED_CONCURRENCY, (index) =>
      store.create(
        { kind: 'district', districtId: districtIds[index % districtIds.length] as string },
        { email: `leader-${index}@bench.example.org`, cadence: 'weekly' },
      ),
    );
  } finally {
    client.destroy();
  }
}

/**
 * Messages on the digest queue and its dead-letter queue, visible or in flight. With `purge`, empties the
 * digest queue afterwards: a run cut short by its timeout must not send on while the baseline is measured.
 */
async function digestQueueDepths(info: LocalStackInfo, purge: boolean) {
  const client = new SQSClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.sqs,
    credentials: LOCAL_CREDENTIALS,
  });
  const depth = async (url: string) => {
    const { Attributes: attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(attributes.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };
  try {
    const { url, dlqUrl } = info.queues.digest;
    const depths = { queued: await depth(url), deadLettered: await depth(dlqUrl) };
    if (purge) await client.send(new PurgeQueueCommand({ QueueUrl: url }));
    return depths;
  } finally {
    client.destroy();
  }
}

/**
 * Runs the digests and waits until `expected` sends were answered, or the timeout; resolves the elapsed ms.
 */
async function timeRun(info: LocalStackInfo, sentAt: readonly number[], expected: number, timeoutMs: number) {
  const before = sentAt.length;
  const start = performance.now();
  const { response, data } = await apiClient(info.apiUrl, info.credentials.stateKey).POST('/v1/digests/run', {
    body: {},
  });
  if (response.status !== 202) throw new Error(`POST /v1/digests/run answered ${response.status}`);
  const planned = performance.now() - start;
  while (sentAt.length - before < expected && performance.now() - start < timeoutMs) await delay(50);
  const sent = sentAt.length - before;
  const last = sentAt.at(-1) ?? start;
  return { sent, elapsedMs: (sent === 0 ? performance.now() : last) - start, plannedMs: planned, run: data };
}

/**
 * Sends `count` copies of `email`, `inFlight` at a time, through the sender's client; resolves the elapsed
 * ms.
 */
async function timeRawSends(email: SendEmailCommandInput, count: number, inFlight: number) {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const start = performance.now();
  await inParallel(indexes, inFlight, (index) =>
    ses.send(
      new SendEmailCommand({ ...email, Destination: { ToAddresses: [`raw-${index}@bench.example.org`] } }),
    ),
  );
  return performance.now() - start;
}

/** The e-mail's size as SES counts it, roughly: its subject and both parts. */
const sizeOf = (email: SendEmailCommandInput) => {
  const simple = email.Content?.Simple;
  return Buffer.byteLength(
    `${simple?.Subject?.Data ?? ''}${simple?.Body?.Html?.Data ?? ''}${simple?.Body?.Text?.Data ?? ''}`,
  );
};

const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1_000) / ms : 0);
const formatted = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** What one section run measured, for its figures and notes. */
interface Measured {
  readonly mode: BenchMode;
  readonly sizes: (typeof SIZES)[BenchMode];
  readonly run: Awaited<ReturnType<typeof timeRun>>;
  readonly depths: Awaited<ReturnType<typeof digestQueueDepths>>;
  readonly requests: ReturnType<typeof requestsPerDigest>;
  /** CPU ms per e-mail of the run and of the raw sends. */
  readonly cpu: {
    readonly run: ReturnType<typeof cpuPerEvent>;
    readonly raw: ReturnType<typeof cpuPerEvent>;
  };
  readonly emailBytes: number;
  readonly platformRate: number;
  readonly rawRate: number;
}

function figuresOf(measured: Measured): Figure[] {
  const { mode, sizes, run, depths, requests, cpu, platformRate, rawRate } = measured;
  const cut = run.sent < sizes.subscribers;
  const ratio = rawRate > 0 ? platformRate / rawRate : 0;
  const pacedRate = Math.min(LOCAL_SES_SEND_RATE, platformRate);
  return [
    {
      key: 'digests.run.rate',
      label: `digest run of ${formatted(sizes.subscribers)} subscribers, end to end`,
      value: platformRate,
      unit: 'e-mails/s',
      detail:
        `${run.sent} sent in ${formatted(run.elapsedMs / 1_000)} s ` +
        `(planning ${formatted(run.plannedMs)} ms), ${sizes.districts} districts, ` +
        `${formatted(measured.emailBytes)} bytes per e-mail` +
        (cut ? `; cut at ${RUN_TIMEOUT_MS[mode] / 1_000} s with ${depths.queued} jobs left` : '') +
        (depths.deadLettered > 0 ? `; ${depths.deadLettered} dead-lettered` : ''),
    },
    {
      key: 'digests.raw.rate',
      label: 'SES emulator raw SendEmail',
      value: rawRate,
      unit: 'e-mails/s',
      detail: `${sizes.raw} sends of the same e-mail, ${SENDS_IN_FLIGHT} in flight, the sender's client`,
    },
    {
      key: 'digests.ratio',
      label: 'digest send rate / raw SendEmail',
      value: ratio,
      unit: '×',
      detail: `${formatted(platformRate)} / ${formatted(rawRate)} e-mails/s`,
      target: {
        text: `≥ ${TARGET_RATIO} × raw SendEmail`,
        met: !cut && depths.deadLettered === 0 && ratio >= TARGET_RATIO,
      },
    },
    {
      key: 'digests.requests',
      label: 'AWS requests per digest (DynamoDB and SES)',
      value: requests.requests,
      unit: 'requests',
      detail: requests.text,
    },
    {
      key: 'digests.cpu.perEmail',
      label: 'CPU per e-mail, digest',
      value: cpu.run.total,
      unit: 'ms',
      detail:
        `stack ${formatted(cpu.run.node)} ms, DynamoDB Local ${formatted(cpu.run.dynamoDb)} ms; raw SendEmail ` +
        `${formatted(cpu.raw.total)} ms (stack ${formatted(cpu.raw.node)}, DynamoDB Local ${formatted(cpu.raw.dynamoDb)})`,
    },
    {
      key: 'digests.cpu.boundRate',
      label: 'most digests per second these cores allow',
      value: cpuBoundRate(cpu.run.total),
      unit: 'e-mails/s',
      detail: `${availableParallelism()} cores / ${formatted(cpu.run.total)} ms per digest`,
    },
    {
      key: 'digests.paced.rate',
      label: 'paced send rate, as `npm start` sends',
      value: pacedRate,
      unit: 'e-mails/s',
      detail:
        `LOCAL_SES_SEND_RATE ${LOCAL_SES_SEND_RATE}/s shared by ${digestQueue.maxConcurrency} senders: ` +
        `${formatted(sizes.subscribers / pacedRate / 60)} min for ${formatted(sizes.subscribers)} ` +
        'subscribers',
    },
  ];
}

function notesOf({ cpu, platformRate, rawRate }: Measured): string[] {
  const bound = cpuBoundRate(cpu.run.total);
  const allowance = rawRate > 0 ? (availableParallelism() * 1_000) / (TARGET_RATIO * rawRate) : 0;
  const notes = [
    'The bench stack lifts the senders’ pacing (SES_SEND_RATE) so that the run measures the platform, ' +
      'not the pacer; the paced rate is the lower of the platform’s rate and the pace, which in AWS is ' +
      'the account’s SES send quota (GetAccount).',
    `Raw SendEmail: the sender's own SES client sends one of the run's digests again, ${SENDS_IN_FLIGHT} ` +
      `in flight (${digestQueue.maxConcurrency} senders × batches of ${digestQueue.batchSize}), with no ` +
      'queue, ledger, reads or rendering. The emulator runs in the stack’s process: both share its CPU.',
    'A digest waits for three round trips: the subscriber, the claim of the period, the ledger’s history ' +
      'and the district’s figures at once, then SendEmail, then the record of the send ' +
      '(functions/digest-sender/delivery.ts).',
    `What bounds the rate on this machine: CPU. The stack (the functions, the SES emulator, the SQS ` +
      `emulator's thread) and DynamoDB Local share ${availableParallelism()} cores, and a digest costs ` +
      `${formatted(cpu.run.total)} ms of their CPU (${formatted(cpu.run.dynamoDb)} of it in DynamoDB Local), ` +
      `so they send at most ${formatted(bound)} a second; ${TARGET_RATIO} × the raw rate would need a digest ` +
      `of at most ${formatted(allowance)} ms, where the raw SendEmail alone takes ${formatted(cpu.raw.total)} ms ` +
      '(it is bound by its 10 sends in flight, not by CPU). The rest of a digest is its five DynamoDB requests ' +
      '(both sides of each), the queue’s receive and delete, rendering and its log lines. In AWS the senders, ' +
      'DynamoDB and SES do not share machines, and the account’s send quota bounds the rate.',
  ];
  if (platformRate < TARGET_RATIO * rawRate) {
    notes.push(
      'Next step: fewer DynamoDB requests per digest, e.g. a district’s figures read once per batch of jobs ' +
        'of the same district (the planner would then enqueue a district’s subscribers together), and the ' +
        'claim and the ledger’s history in one request.',
    );
  }
  return notes;
}

export const digestsSection: BenchSection = {
  name: 'digests',
  async run(context: BenchContext): Promise<SectionResult> {
    const { mode } = context;
    const sizes = SIZES[mode];
    const stack = await startBenchStack({ sesSendRate: UNPACED_SEND_RATE });
    const watch = watchCalls();
    try {
      const { info } = stack;
      context.log(`seeding ${sizes.districts} districts and ${sizes.subscribers} subscribers`);
      const districtIds: string[] = [];
      await inParallel(
        Array.from({ length: sizes.districts }, (_, index) => index),
        SEED_DISTRICTS_IN_FLIGHT,
        async (index) => districtIds.push(await seedDistrict(info, index)),
      );
      context.log(`${sizes.districts} districts seeded; writing the subscribers`);
      await seedSubscribers(info, districtIds, sizes.subscribers);

      context.log(`running the digests of ${sizes.subscribers} subscribers`);
      watch.record(true);
      const runStarted = await cpuNow(info.dynamoDbPid);
      const run = await timeRun(info, watch.sentAt, sizes.subscribers, RUN_TIMEOUT_MS[mode]);
      const runEnded = await cpuNow(info.dynamoDbPid);
      watch.record(false);
      const platformRate = perSecond(run.sent, run.elapsedMs);
      const depths = await digestQueueDepths(info, run.sent < sizes.subscribers);
      context.log(`${run.sent} sent at ${formatted(platformRate)}/s`);

      const email = watch.sample();
      if (!email) throw new Error('no digest was sent, so there is no e-mail to send raw');
      // the platform's mail is no longer needed: the emulator keeps every body in memory
      await fetch(`${info.endpoints.ses}/clear-store`, { method: 'POST' });
      context.log(`${sizes.raw} raw SendEmail calls, ${SENDS_IN_FLIGHT} in flight`);
      const rawStarted = await cpuNow(info.dynamoDbPid);
      const rawRate = perSecond(sizes.raw, await timeRawSends(email, sizes.raw, SENDS_IN_FLIGHT));
      const rawEnded = await cpuNow(info.dynamoDbPid);

      const measured: Measured = {
        mode,
        sizes,
        run,
        depths,
        requests: requestsPerDigest(watch.tallies, run.sent),
        cpu: {
          run: cpuPerEvent(runStarted, runEnded, run.sent),
          raw: cpuPerEvent(rawStarted, rawEnded, sizes.raw),
        },
        emailBytes: sizeOf(email),
        platformRate,
        rawRate,
      };
      return {
        title: 'Digests: end to end against raw SendEmail',
        figures: figuresOf(measured),
        notes: notesOf(measured),
      };
    } finally {
      watch.remove();
      await stack.stop();
    }
  },
};
