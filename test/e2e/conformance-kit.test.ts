/**
 * The conformance kit (test/conformance/run.ts) as an operator runs it: a child process, `npm run conformance`'s
 * command line, against a local stack this file starts and names by URL and state key only, with `--local` as
 * its ops target. It must pass, name every contract file it ran, and leave nothing of its run: no district of
 * its prefix through the API, no item of one in the table. A key the API refuses stops it before any test.
 *
 * The kit runs three of the contract files here (the others run in `npm test` on their own, and progress alone
 * would take minutes); `npm run conformance` runs them all. The stack throttles each key to 10 requests a
 * second, so that the kit meets 429s, as it would on a deployed state, and must send them again.
 */
import { spawn } from 'node:child_process';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/paths';
import { contractFilePath } from '../conformance/contract-files';
import { apiClient } from '../support/api-client';
import { dynamoDbClientFor } from '../support/clients';
import { CONTRACT_STACK_OPTIONS } from '../support/contract-target';
import { testStack } from '../support/local-stack';

const local = testStack({ ...CONTRACT_STACK_OPTIONS, rateLimit: { ratePerSecond: 10, burst: 10 } });
const FILES = ['ingest', 'auth-matrix', 'subscribers'] as const;

beforeAll(() => local.start());
afterAll(() => local.stop());

interface KitOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run conformance -- <args>`, as its script runs it. The child gets this process's environment without
 * vitest's own variables, which would tell its vitest it runs inside a worker, nor any conformance setting.
 */
function runKit(args: readonly string[]): Promise<KitOutcome> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(VITEST|VP_CONFORMANCE_)/.test(name)),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/conformance/run.ts', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every district id the API lists. */
async function listedDistricts(): Promise<string[]> {
  const api = apiClient(local.info.apiUrl, local.info.credentials.stateKey);
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.GET('/v1/districts', { params: { query: { limit: 100, nextToken } } });
    ids.push(...(page.data?.items ?? []).map((district) => district.districtId));
    nextToken = page.data?.nextToken;
  } while (nextToken);
  return ids;
}

/** The table's items that name `text` anywhere, as JSON lines. */
async function itemsNaming(...texts: string[]): Promise<string[]> {
  // the document client's destroy() leaves the client under it open: that one is destroyed
  const dynamoDb = dynamoDbClientFor(local.info);
  const client = DynamoDBDocumentClient.from(dynamoDb);
  const found: string[] = [];
  try {
    for await (const page of paginateScan({ client }, { TableName: local.info.table.tableName })) {
      for (const item of page.Items ?? []) {
        const json = JSON.stringify(item);
        if (texts.some((text) => json.includes(text))) found.push(json.slice(0, 200));
      }
    }
  } finally {
    dynamoDb.destroy();
  }
  return found;
}

describe('npm run conformance', () => {
  it('proves the stack with the contract files and leaves nothing of its run', {
    timeout: 600_000,
  }, async () => {
    const outcome = await runKit([
      '--url',
      local.info.apiUrl,
      '--key',
      local.info.credentials.stateKey,
      '--local',
      '--dynamodb-endpoint',
      local.info.endpoints.dynamoDb,
      '--only',
      ...FILES,
    ]);

    expect(outcome.code, `${outcome.stdout}\n${outcome.stderr}`).toBe(0);
    for (const file of FILES) {
      expect(outcome.stdout).toMatch(new RegExp(`${contractFilePath(file)}\\s+ok\\s+[1-9]`));
    }
    expect(outcome.stdout).toContain('Left: nothing.');
    expect(outcome.stdout).toMatch(/Conformance passed: 3 files/);
    const prefix = /districts of this run start with (cf-[0-9a-f]{8}-)/.exec(outcome.stdout)?.[1];
    expect(prefix).toBeDefined();
    // the run did create districts, and none of them is left, whole or in part
    expect(outcome.stdout).toMatch(/[1-9]\d* districts of this run/);
    expect((await listedDistricts()).filter((id) => id.startsWith(prefix ?? ''))).toEqual([]);
    expect(await itemsNaming(prefix ?? '', 'simulator.amazonses.com')).toEqual([]);
  });

  it('stops before any test when the API refuses the key', async () => {
    const unknownKey = `vp_s_0123456789abcdef_${'A'.repeat(43)}`;

    const outcome = await runKit(['--url', local.info.apiUrl, '--key', unknownKey, '--only', 'ingest']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /refused the state key \(GET \/v1\/districts answered 401 .*\): check --key/,
    );
    expect(outcome.stdout).not.toContain('Contract files');
  }, 60_000);
});
