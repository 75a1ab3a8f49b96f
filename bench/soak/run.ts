/**
 * `npm run soak -- --minutes 30 --rate 100`: drives mixed traffic at a local stack for a while, injects faults,
 * samples the stack's memory, and ends with a reconciliation: everything the platform acknowledged is applied
 * exactly once, every subscriber got one digest per period, the dead-letter queues are empty once redriven, and
 * memory stayed flat. Writes bench/results/soak-<date>-<minutes>min-<rate>rps.{json,md} and exits 1 on any
 * failed check.
 *
 * The stack runs in a process of its own (bench/soak/stack-process.ts) with its data in files, so that emulator
 * restarts find their data and the memory samples are the platform's alone. Faults come one at a time, every
 * `--fault-every` seconds, in turn: worker crashes, SES throttling, a DynamoDB Local restart, an SQS emulator
 * restart, an SES emulator restart. A digest run (a new week each time) starts with every crash and throttling
 * window, so that senders meet them.
 *
 * A crashed batch comes back after its queue's visibility timeout (12 minutes for the metrics queue, as deployed),
 * so the reconciliation waits up to that long after the traffic stops; `--visibility-timeout` shortens it (the
 * test of this command does).
 */
import { type ChildProcess, execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { EmulatorName } from '../../infra/local/local-stack';
import { repoRoot } from '../../infra/paths';
import { apiClient } from '../../shared/contract/client';
import { machine } from '../report';
import { DistrictLedger } from './ledger';
import { memoryTrends } from './memory';
import type { FaultCounts, MemorySample, SoakStackInfo, StackCommand, StackMessage } from './protocol';
import { awaitDistricts, awaitMail, deadLetterDepths, redriveAll, relayFailures } from './reconcile';
import { renderSoakReport, type SoakReport } from './report';
import { seededRandom, Traffic } from './traffic';

export const FAULTS = [
  'worker-crash',
  'ses-throttle',
  'restart-dynamodb',
  'restart-sqs',
  'restart-ses',
] as const;
export type Fault = (typeof FAULTS)[number];

interface Options {
  readonly minutes: number;
  readonly rate: number;
  readonly districts: number;
  readonly faults: readonly Fault[];
  readonly faultEvery: number;
  readonly visibilityTimeout?: number;
  readonly sampleEvery: number;
  readonly seed: number;
  readonly out: string;
}

const RESTARTS: Partial<Record<Fault, EmulatorName>> = {
  'restart-dynamodb': 'dynamoDb',
  'restart-sqs': 'sqs',
  'restart-ses': 'ses',
};
const SUBSCRIBERS_PER_DISTRICT = 2;
const MAX_IN_FLIGHT = 64;
const RESTART_DOWNTIME_MS = 2_000;
/** The longest the reconciliation waits for the platform to apply what it acknowledged, while it still applies. */
const RECONCILE_CAP_MS = 60 * 60_000;
/** Runs shorter than this are all warm-up: their memory is reported, not judged. */
const MEMORY_JUDGED_FROM_MINUTES = 10;
/** The first digest run: a Monday noon, moved on a week per run. */
const FIRST_DIGEST_AT = Date.parse('2026-09-07T16:00:00Z');
const WEEK_MS = 7 * 86_400_000;

const positive = (name: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError(`${name} must be a positive number`);
  return number;
};

const program = new Command('soak')
  .description(
    'Mixed traffic at a local stack with faults, then a reconciliation of every acknowledged write',
  )
  .option('--minutes <n>', 'minutes of traffic', positive('--minutes'), 30)
  .option('--rate <events>', 'events per second', positive('--rate'), 100)
  .option('--districts <n>', 'districts the traffic is spread over', positive('--districts'), 4)
  .addOption(
    new Option('--faults <names...>', `faults to inject, in turn (or none)`)
      .choices([...FAULTS, 'none'])
      .default([...FAULTS]),
  )
  .option('--fault-every <seconds>', 'seconds between faults', positive('--fault-every'), 60)
  .option(
    '--visibility-timeout <seconds>',
    "the metrics queue's visibility timeout instead of the deployed one (the digest queue's too, down to the " +
      "sender's longest claim)",
    positive('--visibility-timeout'),
  )
  .option('--sample-every <seconds>', 'seconds between memory samples', positive('--sample-every'), 10)
  .option('--seed <n>', 'seed of the traffic', positive('--seed'), 20_261_126)
  .option('--out <dir>', 'directory of the report files', 'bench/results')
  .action(main);

async function main(raw: Omit<Options, 'faults'> & { faults: readonly string[] }): Promise<void> {
  const options: Options = { ...raw, faults: raw.faults.filter((fault): fault is Fault => fault !== 'none') };
  const startedAt = new Date();
  const outDir = resolve(repoRoot, options.out);
  await mkdir(outDir, { recursive: true });
  const base = join(
    outDir,
    `soak-${startedAt.toISOString().slice(0, 10)}-${options.minutes}min-${options.rate}rps`,
  );
  const stackLog = `${base}.stack.log`;
  const stack = await StackProcess.start(options, stackLog);
  try {
    const report = await soak(options, stack, startedAt);
    await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    const markdown = renderSoakReport(report);
    await writeFile(`${base}.md`, markdown);
    await formatReport([`${base}.json`, `${base}.md`]);
    process.stdout.write(`\n${markdown}\nWritten: ${relative(repoRoot, base)}.{json,md}\n`);
    if (!report.passed) {
      // the verdict on stderr too, where a caller that only shows a failed command's stderr (a test) sees it
      const failed = Object.entries(report.checks).filter(([, ok]) => !ok);
      progress(`soak failed: ${failed.map(([check]) => check).join('; ')}`);
      progress(
        `lost ${report.lost}, counted twice ${report.doubled}; digests ${report.mail.received} of ` +
          `${report.mail.expected}, ${report.mail.missing} missing, ${report.mail.duplicates} duplicates`,
      );
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}

async function soak(options: Options, stack: StackProcess, startedAt: Date): Promise<SoakReport> {
  const { info } = stack;
  const random = seededRandom(options.seed);
  const districts = await setUp(info, options.districts);
  const subscribers = options.districts * SUBSCRIBERS_PER_DISTRICT + 1;
  const traffic = new Traffic({
    apiUrl: info.apiUrl,
    stateKey: info.stateKey,
    districts,
    eventsPerSecond: options.rate,
    maxInFlight: MAX_IN_FLIGHT,
    random,
  });

  const samples: MemorySample[] = [];
  const sampling = setInterval(
    () => stack.sample().then((sample) => samples.push(sample)),
    options.sampleEvery * 1_000,
  );
  const events: { atSeconds: number; what: string }[] = [];
  const log = (what: string) => {
    const atSeconds = Math.round((Date.now() - startedAt.getTime()) / 1_000);
    events.push({ atSeconds, what });
    progress(`[${atSeconds}s] ${what}`);
  };

  const durationMs = options.minutes * 60_000;
  const trafficEnds = Date.now() + durationMs;
  let week = -1;
  /** The weeks whose digest run was acknowledged: each subscriber gets one digest per week. */
  const weeks = new Set<number>();
  /** A digest run for the next week, or again for the last one (which must send nothing more). */
  const runDigests = async (again = false) => {
    if (!again) week += 1;
    const runWeek = week;
    const at = new Date(FIRST_DIGEST_AT + runWeek * WEEK_MS);
    log(`digest run for ${at.toISOString().slice(0, 10)}${again ? ', again' : ''}`);
    if (await traffic.runDigests(at)) weeks.add(runWeek);
  };

  const background: Promise<unknown>[] = [runDigests()];
  const faults = (async () => {
    for (let index = 0; options.faults.length > 0; index += 1) {
      const at = trafficEnds - durationMs + (index + 1) * options.faultEvery * 1_000;
      if (at >= trafficEnds) return;
      await delay(Math.max(0, at - Date.now()));
      const fault = options.faults[index % options.faults.length] as Fault;
      const windowMs = Math.min(20_000, options.faultEvery * 800);
      const emulator = RESTARTS[fault];
      if (emulator) {
        log(`${fault}: down for ${RESTART_DOWNTIME_MS} ms`);
        const ms = await stack.restart(emulator, RESTART_DOWNTIME_MS);
        log(`${fault}: back after ${ms} ms`);
        continue;
      }
      // the run first: its jobs reach the senders within the window
      const run = runDigests();
      log(`${fault}: ${windowMs / 1_000} s`);
      stack.send(
        fault === 'worker-crash'
          ? { type: 'crash-workers', ms: windowMs, share: 0.3 }
          : { type: 'throttle-ses', ms: windowMs, share: 0.5 },
      );
      background.push(
        run.then(async () => {
          await delay(windowMs / 2);
          await runDigests(true);
        }),
      );
    }
  })();

  progress(
    `traffic: ${options.rate} events/s for ${options.minutes} min over ${options.districts} districts`,
  );
  await traffic.run(trafficEnds);
  await faults;
  log(`traffic stopped: ${traffic.counts.offered} events offered`);

  const visibility = Math.max(...info.queues.map((queue) => queue.visibilityTimeoutSeconds));
  const drainDeadline = Date.now() + (visibility + 120) * 1_000;
  await traffic.settle(drainDeadline);
  await Promise.all(background);
  log(`clients settled: ${traffic.counts.acknowledged} acknowledged, ${traffic.counts.unacknowledged} not`);

  const expectedMail = subscribers * weeks.size;
  // a backlog is waited for while it drains; a crashed batch comes back within a visibility timeout
  const settling = { stallMs: (visibility + 60) * 1_000, capAt: Date.now() + RECONCILE_CAP_MS };
  let districtsResult = await awaitDistricts(info, districts, settling);
  log(
    `districts reconciled: ${districtsResult.filter((district) => district.differences.length === 0).length} of ${districts.length} equal`,
  );
  let mail = await awaitMail(info, expectedMail, Date.now() + (visibility + 120) * 1_000);
  log(`digests reconciled: ${mail.received} of ${mail.expected}`);
  const dlqBefore = await deadLetterDepths(info);
  const redriven = await redriveAll(info);
  if (redriven > 0) {
    log(`redrove ${redriven} dead letters`);
    const redriveDeadline = Date.now() + (visibility + 120) * 1_000;
    districtsResult = await awaitDistricts(info, districts, {
      stallMs: settling.stallMs,
      capAt: redriveDeadline + RECONCILE_CAP_MS,
    });
    mail = await awaitMail(info, expectedMail, redriveDeadline);
  }
  const dlqAfter = await deadLetterDepths(info);
  log('reconciled');
  clearInterval(sampling);
  samples.push(await stack.sample());

  const warmUpMs = Math.min(120_000, durationMs * 0.2);
  const memory = memoryTrends(samples, warmUpMs);
  const lost = districtsResult.reduce(
    (sum, district) => sum + Math.max(0, district.expectedEvents - (district.appliedEvents ?? 0)),
    0,
  );
  const doubled = districtsResult.reduce(
    (sum, district) => sum + Math.max(0, (district.appliedEvents ?? 0) - district.expectedEvents),
    0,
  );
  const relayed = await relayFailures(info);
  const faultCounts = await stack.counts();
  const judgesMemory = options.minutes >= MEMORY_JUDGED_FROM_MINUTES;
  const checks: Record<string, boolean> = {
    'every acknowledged event applied once': districtsResult.every((d) => d.differences.length === 0),
    'no unexpected answer': traffic.unexpected.length === 0,
    'every write acknowledged in the end': traffic.counts.unacknowledged === 0,
    'one digest per subscriber and period': mail.duplicates === 0 && mail.missing === 0,
    'dead-letter queues empty after redrive': Object.values(dlqAfter).every((depth) => depth === 0),
    'stream relay gave up on nothing': relayed === 0,
    'every fault kind took effect': options.faults.every((fault) => tookEffect(fault, faultCounts, events)),
  };
  // a short run is all warm-up: its memory says nothing about a leak
  if (judgesMemory) {
    checks['stack memory flat'] = memory
      .filter((trend) => trend.metric !== 'javaRss')
      .every((trend) => trend.flat);
  }
  return {
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    machine: machine(),
    options,
    passed: Object.values(checks).every(Boolean),
    checks,
    traffic: { ...traffic.counts, achievedRate: traffic.counts.offered / (durationMs / 1_000) },
    unexpected: traffic.unexpected.slice(0, 20),
    lost,
    doubled,
    districts: districtsResult,
    mail,
    deadLetters: { before: dlqBefore, redriven, after: dlqAfter },
    relayFailures: relayed,
    faults: faultCounts,
    events,
    memory,
    samples,
  };
}

/** Whether `fault` did something: a crash or a throttled send happened, or the emulator came back. */
function tookEffect(fault: Fault, counts: FaultCounts, events: readonly { what: string }[]): boolean {
  if (fault === 'worker-crash') return counts.crashedBefore + counts.crashedAfter > 0;
  if (fault === 'ses-throttle') return counts.throttledSends > 0;
  return events.some((event) => event.what.startsWith(`${fault}: back`));
}

/** Creates the districts with their keys, framework and subscribers, and one state-wide subscriber. */
async function setUp(info: SoakStackInfo, count: number) {
  const state = apiClient(info.apiUrl, info.stateKey);
  const timezone = 'America/New_York';
  const districts = [];
  for (let index = 1; index <= count; index += 1) {
    const districtId = `soak-${index}`;
    const path = { districtId };
    const created = answered(
      await state.POST('/v1/districts', { body: { districtId, name: `Soak District ${index}`, timezone } }),
    );
    const district = apiClient(info.apiUrl, created.apiKey);
    const framework = answered(
      await district.GET('/v1/districts/{districtId}/framework', { params: { path } }),
    );
    for (let subscriber = 1; subscriber <= SUBSCRIBERS_PER_DISTRICT; subscriber += 1) {
      const email = `leader-${subscriber}@${districtId}.example.us`;
      answered(
        await district.POST('/v1/districts/{districtId}/subscribers', {
          params: { path },
          body: { email, cadence: 'weekly' },
        }),
      );
    }
    districts.push({ ledger: new DistrictLedger(districtId, framework, timezone), key: created.apiKey });
  }
  answered(
    await state.POST('/v1/subscribers', { body: { email: 'chief@state.example.us', cadence: 'weekly' } }),
  );
  return districts;
}

/** The body of a set-up call's answer; a refusal stops the soak before any traffic. */
function answered<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(
      `${result.response.url} answered ${result.response.status}: ${JSON.stringify(result.error)}`,
    );
  }
  return result.data;
}

/** The forked stack process and its IPC channel. */
class StackProcess {
  readonly info: SoakStackInfo;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, info: SoakStackInfo) {
    this.#child = child;
    this.info = info;
  }

  static async start(options: Options, logFile: string): Promise<StackProcess> {
    const log = createWriteStream(logFile);
    const child = fork(join(repoRoot, 'bench/soak/stack-process.ts'), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        ...(options.visibilityTimeout
          ? { SOAK_VISIBILITY_TIMEOUT_SECONDS: String(options.visibilityTimeout) }
          : {}),
      },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    progress(`starting the stack (its output: ${relative(repoRoot, logFile)})`);
    const [message] = (await once(child, 'message')) as [StackMessage];
    if (message.type !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(`the stack did not start: ${message.type === 'failed' ? message.error : message.type}`);
    }
    return new StackProcess(child, message.stack);
  }

  send(command: StackCommand): void {
    this.#child.send(command);
  }

  /** Sends `command` and resolves the first message of `type` that comes back. */
  async #ask<T extends StackMessage['type']>(
    command: StackCommand,
    type: T,
  ): Promise<Extract<StackMessage, { type: T }>> {
    const answer = new Promise<Extract<StackMessage, { type: T }>>((resolve, reject) => {
      const listener = (message: StackMessage) => {
        if (message.type === 'failed' && message.command === command.type) {
          this.#child.off('message', listener);
          reject(new Error(`${command.type} failed in the stack: ${message.error}`));
        } else if (message.type === type) {
          this.#child.off('message', listener);
          resolve(message as Extract<StackMessage, { type: T }>);
        }
      };
      this.#child.on('message', listener);
    });
    this.send(command);
    return answer;
  }

  async restart(emulator: EmulatorName, downtimeMs: number): Promise<number> {
    return (await this.#ask({ type: 'restart', emulator, downtimeMs }, 'restarted')).ms;
  }

  async sample(): Promise<MemorySample> {
    return (await this.#ask({ type: 'sample' }, 'sample')).sample;
  }

  async counts(): Promise<FaultCounts> {
    return (await this.#ask({ type: 'counts' }, 'counts')).counts;
  }

  async stop(): Promise<void> {
    if (!this.#child.connected) return;
    const exited = once(this.#child, 'exit');
    await this.#ask({ type: 'stop' }, 'stopped').catch(() => undefined);
    await Promise.race([exited, delay(30_000)]);
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

/**
 * Lays the report files out as the repository's formatter does (tables padded, JSON wrapped), so that a report
 * committed to bench/results passes `npm run lint` as written. A report outside the repository is left as it is.
 */
async function formatReport(files: readonly string[]): Promise<void> {
  if (files.some((file) => relative(repoRoot, file).startsWith('..'))) return;
  await promisify(execFile)(join(repoRoot, 'node_modules/.bin/biome'), ['format', '--write', ...files], {
    cwd: repoRoot,
  });
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

await program.parseAsync();
