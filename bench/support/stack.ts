/**
 * A quiet local stack for one benchmark section, set up the way test/support/local-stack.ts sets one up for a
 * test file: every port free-picked, a temporary data dir removed at stop, schedules off. The tables and queues
 * are kept in memory: the figures are the platform's, not this machine's disk's (DynamoDB Local on disk commits
 * every write to SQLite, about 320 writes a second here). Two more things differ: the authorizer keeps its
 * answers for the topology's TTL, as API Gateway does in AWS, and the per-key rate limit is lifted, since a usage
 * plan's 50 requests per second would bound every throughput figure at 50.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalStack, type LocalStackInfo, type LocalStackOptions } from '../../infra/local/local-stack';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { apiClient } from '../../shared/contract/client';

/** A per-key limit no benchmark reaches: the figures measure the platform, not the usage plan. */
export const BENCH_RATE_LIMIT = { ratePerSecond: 1_000_000, burst: 1_000_000 } as const;

/** A started bench stack. */
export interface BenchStack {
  readonly info: LocalStackInfo;
  /** Stops the stack and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a local stack for a benchmark; options override the bench defaults (e.g. `schedules: true`). The data
 * dir is always a fresh temporary one.
 */
export async function startBenchStack(options: Omit<LocalStackOptions, 'dataDir'> = {}): Promise<BenchStack> {
  const stack = new LocalStack();
  const dataDir = await mkdtemp(join(tmpdir(), 'vp-bench-stack-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  let info: LocalStackInfo;
  try {
    info = await stack.start({
      port: 0,
      ports: { dynamoDb: 0, sqs: 0, ses: 0 },
      quiet: true,
      schedules: false,
      rateLimit: BENCH_RATE_LIMIT,
      inMemory: true,
      ...options,
      dataDir,
    });
  } catch (error) {
    await removeDataDir();
    throw error;
  }
  return {
    info,
    async stop() {
      try {
        await stack.stop();
      } finally {
        await removeDataDir();
      }
    },
  };
}

/** A district made through the API with the state key, and the key it was given. */
export interface BenchDistrict {
  readonly districtId: string;
  /** The district key (`vp_d_…`), for `Authorization: Bearer`. */
  readonly apiKey: string;
}

/** Creates a district through `POST /v1/districts` with the stack's state key; the id is unique per call. */
export async function newDistrict(info: LocalStackInfo, name = 'Bench District'): Promise<BenchDistrict> {
  const districtId = `bench-${randomUUID().slice(0, 8)}`;
  const { data, response } = await apiClient(info.apiUrl, info.credentials.stateKey).POST('/v1/districts', {
    body: { districtId, name },
  });
  if (!data) throw new Error(`creating district ${districtId} answered ${response.status}`);
  return { districtId, apiKey: data.apiKey };
}

/** Consecutive empty looks at the metrics queue that count as idle: the relay polls the stream every 250 ms. */
const IDLE_LOOKS = 3;
const IDLE_LOOK_MS = 500;

/**
 * Waits until the metrics pipeline has caught up with the writes so far (the metrics queue empty, nothing in
 * flight, several looks in a row), so that one measurement's backlog does not slow the next; gives up after
 * `timeoutMs` and says whether it got there.
 */
export async function waitForPipelineIdle(info: LocalStackInfo, timeoutMs = 60_000): Promise<boolean> {
  const sqs = new SQSClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.sqs,
    credentials: LOCAL_CREDENTIALS,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    let idleLooks = 0;
    while (Date.now() < deadline) {
      const { Attributes: attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: info.queues.metrics.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const pending =
        Number(attributes.ApproximateNumberOfMessages ?? 0) +
        Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      idleLooks = pending === 0 ? idleLooks + 1 : 0;
      if (idleLooks >= IDLE_LOOKS) return true;
      await delay(IDLE_LOOK_MS);
    }
    return false;
  } finally {
    sqs.destroy();
  }
}
