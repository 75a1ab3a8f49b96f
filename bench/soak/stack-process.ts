/**
 * The soak's local stack, in a process of its own (forked by bench/soak/run.ts), so that the memory it samples is
 * the platform's alone and not the load generator's. The stack keeps its data in files, as `npm start` does (on
 * tmpfs where there is one: dataRoot): an emulator restart must find its tables and queues again. The parent drives it over the IPC channel
 * (bench/soak/protocol.ts): faults on and off, restarts, memory samples, a stop.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaHandler } from '../../infra/local/function-runner';
import { LocalStack } from '../../infra/local/local-stack';
import { findFreePort } from '../../infra/local/ports';
import { topology } from '../../infra/topology';
import { BENCH_RATE_LIMIT } from '../support/stack';
import { FaultSwitches, startSesProxy } from './faults';
import type { MemorySample, StackCommand, StackMessage } from './protocol';

const send = (message: StackMessage) => process.send?.(message);

/**
 * The longest a sender holds a period's claim: its invocation's time and a margin. A digest job must not come
 * back sooner (as deployed, its visibility timeout is six times the sender's timeout): the retry would find the
 * claim held and fail again, and reach the dead-letter queue for nothing.
 */
const DIGEST_LEASE_SECONDS = topology.functions.digestSender.timeoutSeconds + 10;

/** The real consumers, imported when first invoked: after the stack has set the environment they read at init. */
const metricsWorker = async () =>
  (await import('../../functions/metrics-worker/handler')).handler as LambdaHandler;
const digestSender = async () =>
  (await import('../../functions/digest-sender/handler')).handler as LambdaHandler;

/**
 * Where the stack keeps its data: a memory file system where the machine has one (/dev/shm), else the temporary
 * folder. The emulators' files must outlive their restarts, so the tables cannot be kept in memory; but DynamoDB
 * Local commits every write to SQLite, and on this machine's disk that is about 320 writes a second, under what 100
 * events a second need (a write, and the aggregates' transaction). On tmpfs a commit waits for no disk.
 */
function dataRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** The resident set of the DynamoDB Local java, from its pid file (a restart gives it a new pid). */
async function javaRssBytes(pidFile: string): Promise<number | undefined> {
  try {
    const { pid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const visibility = Number(process.env.SOAK_VISIBILITY_TIMEOUT_SECONDS) || undefined;
  const switches = new FaultSwitches();
  const sesPort = await findFreePort();
  const proxy = await startSesProxy(sesPort, switches);
  const dataDir = await mkdtemp(join(dataRoot(), 'vp-soak-stack-'));
  const stack = new LocalStack();
  const info = await stack.start({
    port: 0,
    ports: { dynamoDb: 0, sqs: 0, ses: sesPort },
    dataDir,
    quiet: true,
    schedules: false,
    rateLimit: BENCH_RATE_LIMIT,
    functionSesEndpoint: proxy.endpoint,
    handlers: {
      metricsWorker: switches.crashing(metricsWorker),
      digestSender: switches.crashing(digestSender),
    },
    ...(visibility
      ? {
          visibilityTimeoutSeconds: {
            metrics: visibility,
            digest: Math.max(visibility, DIGEST_LEASE_SECONDS),
          },
        }
      : {}),
  });

  const stop = async () => {
    await stack.stop();
    proxy.server.close();
    proxy.server.closeAllConnections();
    await rm(dataDir, { recursive: true, force: true });
  };

  process.on('message', async (command: StackCommand) => {
    try {
      switch (command.type) {
        case 'crash-workers':
          switches.crashWorkers(command.ms, command.share);
          break;
        case 'throttle-ses':
          switches.throttleSes(command.ms, command.share);
          break;
        case 'restart': {
          const started = Date.now();
          await stack.restartEmulator(command.emulator, command.downtimeMs);
          send({ type: 'restarted', emulator: command.emulator, ms: Date.now() - started });
          break;
        }
        case 'sample': {
          const memory = process.memoryUsage();
          const sample: MemorySample = {
            at: Date.now(),
            rss: memory.rss,
            heapUsed: memory.heapUsed,
            heapTotal: memory.heapTotal,
            external: memory.external,
            javaRss: await javaRssBytes(info.layout.dynamoDbPid),
          };
          send({ type: 'sample', sample });
          break;
        }
        case 'counts':
          send({ type: 'counts', counts: { ...switches.counts } });
          break;
        case 'stop':
          await stop();
          send({ type: 'stopped' });
          process.disconnect();
          break;
      }
    } catch (error) {
      send({
        type: 'failed',
        command: command.type,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });

  send({
    type: 'ready',
    stack: {
      apiUrl: info.apiUrl,
      stateKey: info.credentials.stateKey,
      sqsEndpoint: info.endpoints.sqs,
      sesStore: info.endpoints.sesStore,
      region: info.state.aws.region,
      minimumN: info.state.minimumN,
      relayFailures: info.layout.relayFailures,
      queues: Object.values(info.queues).map((queue) => ({
        name: queue.name,
        url: queue.url,
        dlqUrl: queue.dlqUrl,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      })),
    },
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', command: 'start', error: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
