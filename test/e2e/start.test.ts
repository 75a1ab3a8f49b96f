/**
 * `npm start` as a developer runs it: the CLI in its own process, on free ports and a temporary data dir. It
 * must print one ready block, serve the API, write the credentials, keep them across a restart, stop on SIGINT
 * with exit 0 and leave no java behind; and refuse a taken port with one clear line.
 *
 * The CLI runs as `node --import tsx infra/local/start.ts`: the file `npm start` runs, with the same loader, in
 * one process. npm exits on SIGINT at once instead of waiting for its child, so its exit code would say nothing
 * about the stack's; and the tsx wrapper relays signals with a 30 ms patience that a loaded machine can miss.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../infra/local/emulators';
import { findFreePort } from '../../infra/local/ports';
import { repoRoot } from '../../infra/paths';

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 30_000;

interface Cli {
  readonly process: ChildProcess;
  output(): string;
  errors(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Cli[] = [];
const folders: string[] = [];

afterEach(async () => {
  // a failed assertion must not leave a stack (and its java) running
  for (const cli of started.splice(0)) {
    if (cli.process.exitCode === null && cli.process.signalCode === null) {
      cli.process.kill('SIGKILL');
      await cli.exited;
    }
  }
  for (const folder of folders.splice(0)) {
    const pid = await javaPidOf(folder).catch(() => undefined);
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(folder, { recursive: true, force: true });
  }
});

function runCli(args: readonly string[], env: Record<string, string>): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const cli = { process: child, output: () => stdout, errors: () => stderr, exited };
  started.push(cli);
  return cli;
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the CLI printed its ready block; rejects if it exits first or takes too long. */
async function ready(cli: Cli): Promise<void> {
  const printed = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (cli.output().includes('Ctrl-C to stop')) resolve();
    };
    cli.process.stdout?.on('data', check);
    check();
    cli.exited.then(({ code }) => reject(new Error(`exited with ${code} before ready: ${cli.errors()}`)));
  });
  await within(printed, READY_TIMEOUT_MS, 'ready block');
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort());
  return [...ports];
}

/** The DynamoDB Local pid the stack recorded in its data dir. */
async function javaPidOf(dataDir: string): Promise<number> {
  const { pid } = JSON.parse(await readFile(join(dataDir, 'dynamodb.pid'), 'utf8')) as { pid: number };
  return pid;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stackEnvironment() {
  const dataDir = await mkdtemp(join(tmpdir(), 'vp-local-e2e-'));
  folders.push(dataDir);
  const [api, dynamoDb, sqs, ses] = (await freePorts(4)) as [number, number, number, number];
  const env = {
    VP_LOCAL_DIR: dataDir,
    PORT: String(api),
    DYNAMODB_PORT: String(dynamoDb),
    SQS_PORT: String(sqs),
    SES_PORT: String(ses),
  };
  return { dataDir, env, ports: { api, dynamoDb, sqs, ses } };
}

describe('npm start', () => {
  it('serves the API, stops on SIGINT leaving no java, and keeps its credentials across a restart', async () => {
    const { dataDir, env, ports } = await stackEnvironment();
    const apiUrl = `http://127.0.0.1:${ports.api}`;

    const first = runCli(['--fresh'], env);
    await ready(first);

    const block = first.output();
    for (const url of [
      apiUrl,
      `${apiUrl}/v1/health`,
      `${apiUrl}/openapi.json`,
      `http://127.0.0.1:${ports.dynamoDb}`,
      `http://127.0.0.1:${ports.sqs}`,
      `http://127.0.0.1:${ports.ses}/store`,
      join(dataDir, 'credentials.json'),
    ]) {
      expect(block).toContain(url);
    }
    expect(block.match(/Ctrl-C to stop/g)).toHaveLength(1);
    const health = await fetch(`${apiUrl}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const credentials = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8'));
    expect(credentials).toEqual({
      apiUrl,
      stateKey: expect.stringMatching(/^vp_s_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/),
    });
    const javaPid = await javaPidOf(dataDir);
    expect(isAlive(javaPid)).toBe(true);

    first.process.kill('SIGINT');
    const stopped = await within(first.exited, EXIT_TIMEOUT_MS, 'exit after SIGINT');

    expect(stopped).toEqual({ code: 0, signal: null });
    expect(isAlive(javaPid)).toBe(false);
    expect(await isListening(ports.dynamoDb)).toBe(false);
    expect(await isListening(ports.api)).toBe(false);

    const second = runCli([], env);
    await ready(second);
    const again = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8'));
    expect(again).toEqual(credentials);
    expect((await fetch(`${apiUrl}/v1/health`)).status).toBe(200);
    second.process.kill('SIGTERM');
    expect(await within(second.exited, EXIT_TIMEOUT_MS, 'exit after SIGTERM')).toEqual({
      code: 0,
      signal: null,
    });
  }, 180_000);

  it('reaps the DynamoDB Local of a stack whose process was killed, on the next start', async () => {
    const { dataDir, env, ports } = await stackEnvironment();
    const first = runCli(['--fresh'], env);
    await ready(first);
    const { pid: javaPid, ownerPid } = JSON.parse(await readFile(join(dataDir, 'dynamodb.pid'), 'utf8')) as {
      pid: number;
      ownerPid: number;
    };

    // SIGKILL leaves the stack no chance to stop java: it is orphaned, still holding its port
    process.kill(ownerPid, 'SIGKILL');
    await within(first.exited, EXIT_TIMEOUT_MS, 'exit after SIGKILL');
    expect(isAlive(javaPid)).toBe(true);

    const second = runCli([], env);
    await ready(second);

    expect(isAlive(javaPid)).toBe(false);
    expect((await fetch(`http://127.0.0.1:${ports.api}/v1/health`)).status).toBe(200);
    second.process.kill('SIGINT');
    expect(await within(second.exited, EXIT_TIMEOUT_MS, 'exit after SIGINT')).toEqual({
      code: 0,
      signal: null,
    });
  }, 180_000);

  it('refuses a taken port with one line naming it, and a non-zero exit', async () => {
    const { env, ports } = await stackEnvironment();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.api, '127.0.0.1', resolve));
    try {
      const cli = runCli(['--fresh'], env);
      const { code } = await within(cli.exited, EXIT_TIMEOUT_MS, 'exit on a taken port');

      expect(code).not.toBe(0);
      expect(cli.errors().trim().split('\n')).toEqual([
        `npm start: port ${ports.api} (API) is already in use: stop what holds it or set PORT or --port`,
      ]);
      expect(cli.output()).not.toContain('Ctrl-C to stop');
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 60_000);
});
