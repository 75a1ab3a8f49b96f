import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack, type LocalStackInfo, type LocalStackOptions } from '../../infra/local/local-stack';

export interface TestStack {
  readonly stack: LocalStack;
  /** The running stack's details (after start()). */
  readonly info: LocalStackInfo;
  start(): Promise<LocalStackInfo>;
  stop(): Promise<void>;
}

/**
 * A local stack for one test file: every port free-picked, a data dir of its own, schedules off unless asked
 * for, quiet, tables and queues in memory. Call start() in beforeAll and stop() in afterAll.
 *
 * In memory, because each start gets a new data dir anyway, so nothing on disk would outlive the file, and
 * DynamoDB Local on disk commits every write to SQLite (about 320 writes a second here): with some twenty stacks
 * sharing two cores, the disk would bound the suite. The on-disk path runs where it matters: `npm start` in
 * test/e2e/start.test.ts and crash.test.ts, and the soak's emulator restarts (test/e2e/soak.test.ts).
 */
export function testStack(options: LocalStackOptions = {}): TestStack {
  const stack = new LocalStack();
  let dataDir: string | undefined;
  let info: LocalStackInfo | undefined;
  return {
    stack,
    get info() {
      if (!info) throw new Error('the test stack has not started');
      return info;
    },
    async start() {
      dataDir = await mkdtemp(join(tmpdir(), 'vp-test-stack-'));
      info = await stack.start({
        port: 0,
        ports: { dynamoDb: 0, sqs: 0, ses: 0 },
        quiet: true,
        // every line a handler writes, for the log hygiene check; it prints only warnings and up
        functionLogLevel: 'DEBUG',
        schedules: false,
        inMemory: true,
        ...options,
        dataDir,
      });
      return info;
    },
    async stop() {
      await stack.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
