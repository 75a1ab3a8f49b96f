/**
 * A crash in the middle of a load (PRODUCT §4: a 2xx means durable; every applied write is reflected once, even
 * if a process crashes right after the write). `npm start` runs in its own process group, takes submissions,
 * batches and voids from several concurrent clients, and is killed with SIGKILL, java and all, with requests in
 * flight. Restarted on the same data, it must reflect every acknowledged write exactly once within 60 s: the
 * count of applied events equals the stored submissions and voids, and a rebuild afterwards finds nothing left
 * to recover or correct.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStateConfig } from '../../infra/config/index';
import { isAlive } from '../../infra/local/emulators';
import { findFreePort } from '../../infra/local/ports';
import { localNamePrefix } from '../../infra/local/resources';
import { repoRoot } from '../../infra/paths';
import type { components } from '../../shared/contract/generated/api-types';
import { MetricsStore } from '../../shared/store/aggregates';
import { queryAll } from '../../shared/store/table';
import { apiClient } from '../support/api-client';
import { dynamoDbClientFor } from '../support/clients';
import { eventually } from '../support/eventually';

type Submission = components['schemas']['Submission'];

const READY_TIMEOUT_MS = 90_000;
/** `npm start` runs state XX by default. */
const STATE = loadStateConfig('XX');
const TABLE_NAME = localNamePrefix(STATE);
/** The contract's "within seconds", with room for a restart's rebuild on a loaded 2-core machine. */
const RECOVERY_TIMEOUT_MS = 60_000;

const groups: ChildProcess[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const child of groups.splice(0)) killGroup(child, 'SIGKILL');
  for (const folder of folders.splice(0)) {
    const pid = await readFile(join(folder, 'dynamodb.pid'), 'utf8')
      .then((text) => (JSON.parse(text) as { pid: number }).pid)
      .catch(() => undefined);
    if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
    await rm(folder, { recursive: true, force: true });
  }
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** `npm start`'s file in a process group of its own, so that one kill takes the stack and its java down. */
async function startStack(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  groups.push(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(() => (output.includes('Ctrl-C to stop') ? true : undefined), READY_TIMEOUT_MS).catch(
    (error: unknown) => {
      throw new Error(`the stack did not start: ${output}`, { cause: error });
    },
  );
  return { child, exited, output: () => output };
}

describe('a local stack killed in the middle of a load', () => {
  it('reflects every acknowledged write exactly once after a restart', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vp-crash-'));
    folders.push(dataDir);
    const ports = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
    const env = {
      VP_LOCAL_DIR: dataDir,
      PORT: String(ports[0]),
      DYNAMODB_PORT: String(ports[1]),
      SQS_PORT: String(ports[2]),
      SES_PORT: String(ports[3]),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const apiUrl = `http://127.0.0.1:${ports[0]}`;

    const first = await startStack(env);
    const { stateKey } = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as {
      stateKey: string;
    };
    const districtId = 'crash-usd';
    const created = await apiClient(apiUrl, stateKey).POST('/v1/districts', {
      body: { districtId, name: 'Crash Unified' },
    });
    const districtKey = created.data?.apiKey ?? '';
    const api = apiClient(apiUrl, districtKey);
    const path = { params: { path: { districtId } } };

    const acknowledged = new Set<string>();
    const voided = new Set<string>();
    let next = 0;
    let killed = false;
    const submission = (index: number): Submission =>
      index % 3 === 0
        ? {
            type: 'condition-rating',
            submissionId: `s-${index}`,
            respondent: { id: `r-${index % 70}`, role: index % 2 ? 'teacher' : 'family' },
            submittedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString(),
            ratings: [{ conditionId: 'culture', level: 1 + (index % 4) }],
          }
        : {
            type: 'competency-evidence',
            submissionId: `s-${index}`,
            learner: { id: `l-${index % 90}`, groups: ['ell'] },
            competencyId: 'critical-thinking',
            level: 1 + (index % 4),
            assessedOn: '2026-11-01',
          };

    /** One client: singles, batches of ten and voids, until the stack dies under it. */
    const client = async () => {
      while (!killed) {
        const index = next;
        next += 10;
        try {
          if (index % 30 === 0) {
            const items = Array.from({ length: 10 }, (_, offset) => submission(index + offset));
            const { data } = await api.POST('/v1/districts/{districtId}/assessments/batch', {
              ...path,
              body: { items },
            });
            for (const result of data?.results ?? []) {
              if (result.status === 201 || result.status === 200)
                acknowledged.add(`s-${index + result.index}`);
            }
          } else {
            for (let offset = 0; offset < 10 && !killed; offset += 1) {
              const { response } = await api.POST('/v1/districts/{districtId}/assessments', {
                ...path,
                body: submission(index + offset),
              });
              if (response.status === 201) acknowledged.add(`s-${index + offset}`);
            }
          }
          const target = `s-${index + 1}`;
          if (acknowledged.has(target) && index % 20 === 0) {
            const { response } = await api.DELETE('/v1/districts/{districtId}/assessments/{submissionId}', {
              params: { path: { districtId, submissionId: target } },
            });
            if (response.status === 204) voided.add(target);
          }
        } catch {
          // the stack was killed under this request: whether it was written is for the table to say
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    await eventually(() => (acknowledged.size >= 250 ? true : undefined), 120_000);
    killGroup(first.child, 'SIGKILL');
    killed = true;
    await first.exited;
    await Promise.all(clients);

    const second = await startStack(env);
    const documents = DynamoDBDocumentClient.from(
      dynamoDbClientFor({ state: STATE, endpoints: { dynamoDb: `http://127.0.0.1:${ports[1]}` } }),
    );
    const stored = await storedSubmissions(documents, districtId);
    const storedIds = new Set(stored.map((item) => String(item.submissionId)));
    expect([...acknowledged].filter((id) => !storedIds.has(id))).toEqual([]);
    expect([...voided].filter((id) => !storedIds.has(id))).toEqual([]);
    const events = stored.length + stored.filter((item) => item.voidedAt !== undefined).length;

    const progress = await eventually(async () => {
      const { data } = await apiClient(apiUrl, districtKey).GET('/v1/districts/{districtId}/progress', path);
      return data?.eventsApplied === events ? data : undefined;
    }, RECOVERY_TIMEOUT_MS).catch((error: unknown) => {
      throw new Error(`not reconciled within ${RECOVERY_TIMEOUT_MS} ms: ${second.output().slice(-2000)}`, {
        cause: error,
      });
    });
    expect(progress.eventsApplied).toBe(events);
    // nothing was left to recover or to correct, and nothing counted twice
    const report = await new MetricsStore(TABLE_NAME, documents).rebuild(districtId);
    expect(report).toMatchObject({ events: 0, unitsChanged: 0, countersCorrected: 0 });

    killGroup(second.child, 'SIGINT');
    await second.exited;
  });
});

function storedSubmissions(documents: DynamoDBDocumentClient, districtId: string) {
  return queryAll(documents, {
    TableName: TABLE_NAME,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': `DISTRICT#${districtId}`, ':prefix': 'SUBMISSION#' },
    ConsistentRead: true,
  });
}
