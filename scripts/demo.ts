/**
 * `npm run demo`: seeds three demo districts with realistic, deterministic data (scripts/demo-data.ts) through the
 * public API of the running local stack (`npm start`), runs the digests, waits until the digest queue is drained
 * and lists what the run sent: the SES emulator's page shows them.
 *
 * Every district posts what a district system would: the milestones of its plan, stakeholders' ratings of the
 * conditions, learners' evidence on the competencies, and its leaders subscribe to the digest; a state-wide
 * subscriber gets the roll-up. Every run posts the same facts, so running it again is safe:
 *
 * - A district that exists (409) is reused, with a new key minted by the state key. Every district key the run
 *   was handed is revoked when the seeding ends, also when it fails.
 * - Submissions have fixed submissionIds: posting them again is an identical replay (200), counted once. Their
 *   dates are reckoned from the Monday of the current week, so a run in a later week finds them with other
 *   content (409) and keeps the ones stored first: the figures never double.
 * - Milestones are dated from today: a run on the same day writes nothing new; a later day's run moves their
 *   dates along (a later `updatedAt` is applied), so "achieved in the last week" stays true.
 * - A subscriber that exists (409) stays; the digest ledger sends each period once per subscriber, so a second
 *   run in the same week sends nothing new and says so.
 *
 * Usage: `npm run demo [-- --state <code>]`, with the state the local stack runs (`npm start -- --state <code>`,
 * default XX). Environment: VP_LOCAL_DIR (where `.local/credentials.json` is), SQS_PORT and SES_PORT (the
 * emulators, default 4566 and 8005), as `npm start` reads them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { loadStateConfig } from '../infra/config/index';
import { LocalCredentials } from '../infra/local/credentials';
import { dataLayout, defaultDataDir } from '../infra/local/data-dir';
import { DEFAULT_PORTS, LOCAL_CREDENTIALS, LOOPBACK } from '../infra/local/ports';
import { localNamePrefix, localQueueName, onEndpoint } from '../infra/local/resources';
import { readSentMail, type StoredEmail } from '../infra/local/ses-store';
import { ApiProblemError, callApi } from '../infra/ops/api';
import { OpsError } from '../infra/ops/context';
import { printTable } from '../infra/ops/output';
import type { ApiTarget } from '../infra/ops/target';
import { type ApiClient, apiClient } from '../shared/contract/client';
import type { components } from '../shared/contract/generated/api-types';
import { DEMO_DISTRICTS, DEMO_STATE_SUBSCRIBER, type DemoDistrict, demoData } from './demo-data';

type Submission = components['schemas']['Submission'];
type Progress = components['schemas']['Progress'];

/** A failure the person running the demo can act on; printed as it is. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

// ---------------------------------------------------------------------------------------------------------------
// Calling the API

/** How long any one call of the API may take: the local stack answers in well under a second. */
const API_TIMEOUT_MS = 30_000;

/** The API the demo calls, with the state key; `target` is what the ops CLI's callApi reports failures of. */
interface DemoApi {
  readonly target: ApiTarget;
  /** A client with `key` on every request, each of which gives up after API_TIMEOUT_MS. */
  readonly client: (key: string) => ApiClient;
  /** A client with the state key. */
  readonly state: ApiClient;
}

function demoApi(apiUrl: string, stateKey: string): DemoApi {
  const client = (key: string) => {
    const keyed = apiClient(apiUrl, key);
    keyed.use({
      onRequest: ({ request }) => new Request(request, { signal: AbortSignal.timeout(API_TIMEOUT_MS) }),
    });
    return keyed;
  };
  return {
    target: {
      apiUrl,
      stateKey,
      unreachableHint: 'is the local stack running? Start it with `npm start`.',
    },
    client,
    state: client(stateKey),
  };
}

/** What openapi-fetch resolves a call with (infra/ops/api.ts reads it). */
type Outcome<T> = Parameters<typeof callApi<T>>[1];

/** The data of a call; any failure a DemoError that says what the demo was doing and what the API said. */
async function call<T>(api: DemoApi, what: string, request: Outcome<T>): Promise<T> {
  try {
    return await callApi(api.target, request);
  } catch (error) {
    throw demoFailure(api, what, error);
  }
}

/** Like call(), but undefined when the API answers 409: what the demo would create exists already. */
async function create<T>(api: DemoApi, what: string, request: Outcome<T>): Promise<T | undefined> {
  try {
    return await callApi(api.target, request);
  } catch (error) {
    if (error instanceof ApiProblemError && error.status === 409) return undefined;
    throw demoFailure(api, what, error);
  }
}

function demoFailure(api: DemoApi, what: string, error: unknown): unknown {
  if (!(error instanceof OpsError)) return error;
  const cause = error.cause as { name?: string } | undefined;
  if (cause?.name === 'TimeoutError') {
    return new DemoError(
      `${what}: the API at ${api.target.apiUrl} gave no answer within ${API_TIMEOUT_MS / 1_000} s: is the ` +
        'local stack stuck? See the npm start terminal, or restart it.',
      { cause: error },
    );
  }
  const details = error.details.map((detail) => `\n  ${detail}`).join('');
  return new DemoError(`${what}: ${error.message}${details}`, { cause: error });
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

/** The largest batch the API takes. */
const BATCH_SIZE = 100;
/** How often an item the API answered 503 (try again) is sent. */
const ITEM_ATTEMPTS = 5;

/** How a district's submissions were answered. */
export interface SubmissionCounts {
  /** 201: stored now. */
  readonly created: number;
  /** 200: posted before with the same content. */
  readonly replayed: number;
  /** 409: posted before with other content (an earlier week's run); the stored one stands. */
  readonly kept: number;
}

/** Posts one batch; items answered 503 (a write that may be tried again) are sent again. */
async function postBatch(
  api: DemoApi,
  client: ApiClient,
  districtId: string,
  items: readonly Submission[],
  counts: { created: number; replayed: number; kept: number },
): Promise<void> {
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const batch = pending;
    const { results } = await call(
      api,
      `posting submissions of ${districtId}`,
      client.POST('/v1/districts/{districtId}/assessments/batch', {
        params: { path: { districtId } },
        body: { items: [...batch] },
      }),
    );
    const again: Submission[] = [];
    for (const result of results) {
      const item = batch[result.index] as Submission;
      if (result.status === 201) counts.created += 1;
      else if (result.status === 200) counts.replayed += 1;
      else if (result.status === 409) counts.kept += 1;
      else if (result.status === 503 && attempt < ITEM_ATTEMPTS) again.push(item);
      else {
        const fields = (result.errors ?? []).map((error) => `${error.path}: ${error.message}`).join('; ');
        throw new DemoError(
          `submission ${item.submissionId} of ${districtId} answered ${result.status}${fields ? ` (${fields})` : ''}`,
        );
      }
    }
    pending = again;
    if (pending.length > 0) await sleep(250 * attempt);
  }
}

/**
 * Posts the submissions in batches of 100, one batch at a time: the local stack stores a batch item by item, and
 * batches in parallel only make each one slower (and may outlast the API function's timeout).
 */
async function postSubmissions(
  api: DemoApi,
  client: ApiClient,
  districtId: string,
  submissions: readonly Submission[],
): Promise<SubmissionCounts> {
  const counts = { created: 0, replayed: 0, kept: 0 };
  for (let start = 0; start < submissions.length; start += BATCH_SIZE) {
    await postBatch(api, client, districtId, submissions.slice(start, start + BATCH_SIZE), counts);
  }
  return counts;
}

/** A demo district as seeded. */
export interface SeededDistrict {
  readonly districtId: string;
  readonly name: string;
  /** false when it existed already and was reused. */
  readonly created: boolean;
  readonly milestones: number;
  /** Milestone writes applied now (a later `updatedAt` than the stored one, or a new milestone). */
  readonly milestonesApplied: number;
  readonly submissions: number;
  readonly submissionCounts: SubmissionCounts;
  /** The district key the seeding wrote with (its creation's, or minted); revoked when seedDemo resolves. */
  readonly apiKey: string;
  readonly keyId: string;
  /** The progress once every write of this seeding was applied. */
  readonly progress: Progress;
}

export interface SeedOptions {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** The time the data is dated from; default now. */
  readonly now?: Date;
  /** How long to wait for the progress metrics of each district to catch up; default 60 s. */
  readonly progressTimeoutMs?: number;
  /** Where progress lines go; default nowhere. */
  readonly log?: (line: string) => void;
  /** Where a key that could not be revoked is reported; default nowhere. */
  readonly warn?: (line: string) => void;
}

/** A district key the seeding was handed: revoked when it ends. */
interface HandedKey {
  readonly districtId: string;
  readonly keyId: string;
  readonly apiKey: string;
  /** false when the district existed and the key was minted for it. */
  readonly created: boolean;
}

/** A district's key: the one its creation returned, or a new one when it existed. */
async function districtKey(api: DemoApi, district: DemoDistrict): Promise<HandedKey> {
  const { districtId, name } = district;
  const creation = await create(
    api,
    `creating district ${districtId}`,
    api.state.POST('/v1/districts', { body: { districtId, name } }),
  );
  if (creation) return { districtId, keyId: creation.keyId, apiKey: creation.apiKey, created: true };
  const minted = await call(
    api,
    `minting a key for ${districtId}`,
    api.state.POST('/v1/districts/{districtId}/keys', { params: { path: { districtId } } }),
  );
  return { districtId, keyId: minted.keyId, apiKey: minted.apiKey, created: false };
}

/** Revokes every key in `handed`; one that cannot be is reported, so that a failure of the seeding stays the error. */
async function revokeKeys(api: DemoApi, handed: readonly HandedKey[], warn: (line: string) => void) {
  for (const { districtId, keyId } of handed) {
    try {
      await call(
        api,
        `revoking key ${keyId} of ${districtId}`,
        api.state.DELETE('/v1/districts/{districtId}/keys/{keyId}', {
          params: { path: { districtId, keyId } },
        }),
      );
    } catch (error) {
      warn(
        `warning: ${error instanceof Error ? error.message : String(error)}\n  revoke it once the stack ` +
          `answers: npm run ops -- keys revoke ${districtId} ${keyId}`,
      );
    }
  }
}

async function readProgress(api: DemoApi, client: ApiClient, districtId: string): Promise<Progress> {
  return call(
    api,
    `reading the progress of ${districtId}`,
    client.GET('/v1/districts/{districtId}/progress', { params: { path: { districtId } } }),
  );
}

/** Polls the progress until it reflects `events` changes, or fails after `timeoutMs`. */
async function awaitProgress(
  api: DemoApi,
  client: ApiClient,
  districtId: string,
  events: number,
  timeoutMs: number,
): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await readProgress(api, client, districtId);
    if (progress.eventsApplied >= events) return progress;
    if (Date.now() > deadline) {
      throw new DemoError(
        `the progress of ${districtId} reflects ${progress.eventsApplied} of ${events} changes after ` +
          `${timeoutMs / 1_000} s: is the metrics worker failing? See the npm start terminal and ` +
          '`npm run ops -- dlq show metrics`.',
      );
    }
    await sleep(500);
  }
}

/** A district seeded, before its progress has caught up: how many changes its progress must reflect. */
interface PendingDistrict {
  readonly client: ApiClient;
  readonly events: number;
  readonly seeded: Omit<SeededDistrict, 'progress'>;
}

/** Seeds one district: its key (added to `handed` as soon as it is there), milestones, submissions, subscribers. */
async function seedDistrict(
  api: DemoApi,
  district: DemoDistrict,
  handed: HandedKey[],
  options: SeedOptions,
  now: Date,
): Promise<PendingDistrict> {
  const { districtId } = district;
  const key = await districtKey(api, district);
  handed.push(key);
  const client = api.client(key.apiKey);
  const framework = await call(
    api,
    `reading the framework of ${districtId}`,
    client.GET('/v1/districts/{districtId}/framework', { params: { path: { districtId } } }),
  );
  const data = demoData(district, framework, now);
  // what the progress reflects before this seeding: the target is that plus what this seeding changes
  const before = (await readProgress(api, client, districtId)).eventsApplied;

  let milestonesApplied = 0;
  for (const { milestoneId, body } of data.milestones) {
    const written = await call(
      api,
      `writing milestone ${milestoneId} of ${districtId}`,
      client.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path: { districtId, milestoneId } },
        body,
      }),
    );
    if (written.applied) milestonesApplied += 1;
  }
  const submissionCounts = await postSubmissions(api, client, districtId, data.submissions);
  for (const subscriber of district.subscribers) {
    await create(
      api,
      `subscribing ${subscriber.email} to ${districtId}`,
      client.POST('/v1/districts/{districtId}/subscribers', {
        params: { path: { districtId } },
        body: subscriber,
      }),
    );
  }
  options.log?.(
    `  ${district.name} (${districtId}): ${key.created ? 'created' : 'exists, reused'}, key ${key.keyId}; ` +
      `${data.milestones.length} milestones (${milestonesApplied} written now), ` +
      `${data.submissions.length} submissions (${submissionCounts.created} new)`,
  );
  return {
    client,
    events: before + milestonesApplied + submissionCounts.created,
    seeded: {
      districtId,
      name: district.name,
      created: key.created,
      milestones: data.milestones.length,
      milestonesApplied,
      submissions: data.submissions.length,
      submissionCounts,
      apiKey: key.apiKey,
      keyId: key.keyId,
    },
  };
}

/**
 * Seeds the demo districts one after the other, their leaders' subscriptions and the state-wide subscriber
 * through the API, then waits until each district's progress reflects every write. Every district key it was
 * handed is revoked before it settles, whether it resolves or rejects. Safe to run again (see the file's header).
 */
export async function seedDemo(options: SeedOptions): Promise<SeededDistrict[]> {
  const now = options.now ?? new Date();
  const api = demoApi(options.apiUrl, options.stateKey);
  const handed: HandedKey[] = [];
  try {
    const pending: PendingDistrict[] = [];
    for (const district of DEMO_DISTRICTS)
      pending.push(await seedDistrict(api, district, handed, options, now));
    await create(
      api,
      `subscribing ${DEMO_STATE_SUBSCRIBER.email} state-wide`,
      api.state.POST('/v1/subscribers', { body: DEMO_STATE_SUBSCRIBER }),
    );

    options.log?.('  waiting for the progress metrics to catch up …');
    const timeoutMs = options.progressTimeoutMs ?? 60_000;
    return await Promise.all(
      pending.map(async ({ client, events, seeded }) => ({
        ...seeded,
        progress: await awaitProgress(api, client, seeded.districtId, events, timeoutMs),
      })),
    );
  } finally {
    await revokeKeys(api, handed, options.warn ?? (() => {}));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The digest queue and the SES emulator

/** How long one request to an emulator may take. */
const EMULATOR_TIMEOUT_MS = 10_000;

/** The local stack's digest queue, in its SQS emulator. */
interface DigestQueue {
  readonly client: SQSClient;
  readonly endpoint: string;
  readonly url: string;
}

/**
 * The digest queue of the local stack running `stateCode`, found by name in its SQS emulator as the ops CLI's
 * `dlq --local` finds it (infra/ops/queue-targets.ts); SQS_PORT moves the emulator as for `npm start`.
 */
async function localDigestQueue(env: NodeJS.ProcessEnv, stateCode: string): Promise<DigestQueue> {
  let state: ReturnType<typeof loadStateConfig>;
  try {
    state = loadStateConfig(stateCode);
  } catch (error) {
    throw new DemoError(`--state: ${error instanceof Error ? error.message : String(error)}`);
  }
  const endpoint = `http://${LOOPBACK}:${env.SQS_PORT || DEFAULT_PORTS.sqs}`;
  const client = new SQSClient({
    region: state.aws.region,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    // a stopped emulator is refused at once: retrying a closed port only delays the message
    maxAttempts: 1,
  });
  const queueName = localQueueName(localNamePrefix(state), 'digest');
  try {
    const { QueueUrl: url } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }), {
      abortSignal: AbortSignal.timeout(EMULATOR_TIMEOUT_MS),
    });
    if (!url) throw new DemoError(`the SQS emulator at ${endpoint} gave no URL for queue ${queueName}`);
    // the emulator names its queues on a host of its own, which does not resolve everywhere: the path names it
    return { client, endpoint, url: onEndpoint(url, endpoint) };
  } catch (error) {
    client.destroy();
    if (error instanceof DemoError) throw error;
    if (error instanceof QueueDoesNotExist) {
      throw new DemoError(
        `the SQS emulator at ${endpoint} has no queue ${queueName}: pass --state with the state the local stack ` +
          'runs (npm run demo -- --state <code>)',
      );
    }
    throw new DemoError(
      `nothing answers as the SQS emulator at ${endpoint} (${error instanceof Error ? error.message : error}): ` +
        'set SQS_PORT as for npm start',
    );
  }
}

/** Jobs in the digest queue: waiting, and taken by the digest sender but not yet done. */
async function queueDepth(queue: DigestQueue): Promise<{ waiting: number; inFlight: number }> {
  const { Attributes: attributes = {} } = await queue.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
    { abortSignal: AbortSignal.timeout(EMULATOR_TIMEOUT_MS) },
  );
  return {
    waiting: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Waits until the digest queue holds no job, waiting or in flight: the sender has handled every one. */
async function awaitDrained(queue: DigestQueue, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { waiting, inFlight } = await queueDepth(queue);
    if (waiting === 0 && inFlight === 0) return;
    if (Date.now() > deadline) {
      throw new DemoError(
        `the digest queue still holds ${waiting} jobs waiting and ${inFlight} in flight after ` +
          `${timeoutMs / 1_000} s: is the digest sender failing? See the npm start terminal and ` +
          '`npm run ops -- dlq show digest`.',
      );
    }
    await sleep(500);
  }
}

/** The mail in `after` that `before` lacks: what was sent in between. */
export function sentSince(before: readonly StoredEmail[], after: readonly StoredEmail[]): StoredEmail[] {
  const earlier = new Set(before.map((email) => email.messageId));
  return after.filter((email) => !earlier.has(email.messageId));
}

/** What to say when a run sent no digest, given how many e-mails the SES emulator holds. */
export function nothingSent(held: number): string {
  const why =
    "No digest was sent by this run: this period's digests were sent earlier (the digest ledger sends each " +
    'period once per subscriber).';
  if (held > 0) return `${why} The SES emulator holds ${held} e-mails from before.`;
  return (
    `${why} The SES emulator holds none: it keeps mail in memory only, so mail sent before the last restart of ` +
    '`npm start` is gone.'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The command

export interface DemoIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Read for VP_LOCAL_DIR, SQS_PORT and SES_PORT. */
  readonly env: NodeJS.ProcessEnv;
  /** The command's arguments: `--state <code>`. */
  readonly argv?: readonly string[];
  /** How long to wait for the digest queue to drain; default 120 s. */
  readonly digestTimeoutMs?: number;
}

const START_FIRST = 'start the local stack first: npm start';
const USAGE = 'usage: npm run demo [-- --state <code>]';

/** The state the local stack runs, from `--state` (default XX, as for npm start). */
function stateOption(argv: readonly string[]): string {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { state: { type: 'string', default: 'XX' } },
      strict: true,
      allowPositionals: false,
    });
    return values.state;
  } catch (error) {
    throw new DemoError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

/** The running local stack's API URL and state key, or a DemoError saying to start it. */
async function localStack(env: NodeJS.ProcessEnv): Promise<LocalCredentials> {
  const file = dataLayout(defaultDataDir(env)).credentials;
  if (!existsSync(file)) throw new DemoError(`${START_FIRST} (no ${file})`);
  let credentials: LocalCredentials;
  try {
    credentials = LocalCredentials.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    throw new DemoError(`${START_FIRST} (${file} holds no apiUrl and stateKey)`);
  }
  try {
    const health = await fetch(`${credentials.apiUrl}/v1/health`, { signal: AbortSignal.timeout(5_000) });
    if (!health.ok) throw new Error(`answered ${health.status}`);
  } catch {
    throw new DemoError(`${START_FIRST} (nothing answers at ${credentials.apiUrl})`);
  }
  return credentials;
}

/** Runs the digests, waits until the digest queue is drained and lists what the run sent. */
async function runDigests(io: DemoIo, api: DemoApi, queue: DigestQueue): Promise<void> {
  const sesEndpoint = `http://${LOOPBACK}:${io.env.SES_PORT || DEFAULT_PORTS.ses}`;
  const storeUrl = `${sesEndpoint}/store`;
  let before: StoredEmail[] | undefined;
  try {
    before = await readSentMail(storeUrl);
  } catch {
    io.err(`warning: no SES emulator answers at ${sesEndpoint} (set SES_PORT as for npm start)\n`);
  }
  const run = await call(api, 'running the digests', api.state.POST('/v1/digests/run', { body: {} }));
  io.out(
    `\nDigests planned for ${run.period.weekly} (weekly) and ${run.period.monthly} (monthly): ` +
      `${run.enqueued} jobs\n`,
  );
  if (before === undefined) return;

  io.out('Waiting for the digest sender to drain the digest queue …\n');
  await awaitDrained(queue, io.digestTimeoutMs ?? 120_000);
  const after = await readSentMail(storeUrl);
  const sent = sentSince(before, after);
  if (sent.length > 0) {
    io.out('\nDigests sent by this run\n');
    printTable(
      io,
      ['TO', 'SUBJECT'],
      sent.map((email) => [email.destination.to.join(', '), email.subject]),
    );
  } else {
    io.out(`\n${nothingSent(after.length)}\n`);
  }
  if (after.length > 0) io.out(`\nRead them at ${sesEndpoint}/ (JSON at ${storeUrl})\n`);
}

/** The whole demo; resolves the exit code. */
export async function runDemo(io: DemoIo): Promise<number> {
  let queue: DigestQueue | undefined;
  try {
    const stateCode = stateOption(io.argv ?? []);
    const credentials = await localStack(io.env);
    queue = await localDigestQueue(io.env, stateCode);

    io.out(`Seeding ${DEMO_DISTRICTS.length} demo districts through ${credentials.apiUrl}\n`);
    const seeded = await seedDemo({
      apiUrl: credentials.apiUrl,
      stateKey: credentials.stateKey,
      log: (line) => io.out(`${line}\n`),
      warn: (line) => io.err(`${line}\n`),
    });
    io.out('\nDemo districts\n');
    printTable(
      io,
      ['DISTRICT', 'NAME', 'MILESTONES', 'SUBMISSIONS', 'NEW'],
      seeded.map((district) => [
        district.districtId,
        district.name,
        String(district.milestones),
        String(district.submissions),
        String(district.submissionCounts.created),
      ]),
    );

    await runDigests(io, demoApi(credentials.apiUrl, credentials.stateKey), queue);
    return 0;
  } catch (error) {
    // a DemoError says what to do; anything else (the stack stopped halfway, say) by its name and cause
    if (error instanceof DemoError) io.err(`${error.message}\n`);
    else if (error instanceof Error) {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      io.err(`${error.name}: ${error.message}${cause}\n`);
    } else io.err(`${String(error)}\n`);
    return 1;
  } finally {
    queue?.client.destroy();
  }
}

if (import.meta.main) {
  process.exitCode = await runDemo({
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    argv: process.argv.slice(2),
  });
}
