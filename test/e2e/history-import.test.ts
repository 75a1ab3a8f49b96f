/**
 * `npm run ops -- import` against the local stack, with a generated 50,000-row history (scripts/generate-history.ts):
 *
 * - a dry run checks every row, writes the error report of exactly the invalid rows, and writes nothing;
 * - the import runs in its own process, as an operator runs it, is killed with SIGKILL once its checkpoint shows
 *   part of the work done, and is run again: it resumes from the checkpoint, finishes, revokes the keys it made,
 *   and the district's progress then equals the reference computation (test/support/reference-progress.ts) over
 *   the valid rows, eventsApplied included; the error report lists each invalid row once, killed or not;
 * - a smaller import stopped with SIGINT finishes its requests in flight and revokes its key; resumed by a district
 *   integrator with a district key and no state key, it finishes; a file changed since is refused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, readCheckpoint } from '../../infra/ops/import/checkpoint';
import { IMPORT_KINDS } from '../../infra/ops/import/kinds';
import { fromRoot } from '../../infra/paths';
import {
  generateHistory,
  type History,
  type HistoryFile,
  type HistoryRow,
  writeHistory,
} from '../../scripts/generate-history';
import { KeyStore } from '../../shared/store/keys';
import { type ApiClient, apiClient } from '../support/api-client';
import { dynamoDbClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { runOps } from '../support/ops';
import {
  type Progress,
  type ReferenceMilestone,
  referenceProgress,
  type Submission,
} from '../support/reference-progress';

const ROWS = 50_000;
/** The kill comes once the checkpoint has confirmed this many rows: the milestones, the ratings, some evidence. */
const KILL_AFTER_ROWS = 15_000;
/**
 * Generous: the import, the API, the metrics worker and DynamoDB Local share two cores, at about 10 ms of CPU per
 * row written and folded into the metrics (bench/results: freshness), so 50,000 rows take minutes.
 */
const IMPORT_TIMEOUT_MS = 600_000;
/** The 3,000-row import of the SIGINT test, run twice. */
const SMALL_IMPORT_TIMEOUT_MS = 300_000;
const SETTLE_MS = 600_000;
const FILES: readonly HistoryFile[] = IMPORT_KINDS;
/** Learner and respondent ids have this form in the generated history: none may reach an output or the report. */
const PERSON_ID = /\b[lr]-[0-9a-f]{8}\b/;

const local = testStack({ inMemory: true, authorizerCacheTtlSeconds: 0 });
let dir: string;
let history: History;
let paths: Record<HistoryFile, string>;
let state: ApiClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-history-'));
  history = generateHistory({ rows: ROWS });
  paths = await writeHistory(history, join(dir, 'exports'));
  const info = await local.start();
  state = apiClient(info.apiUrl, info.credentials.stateKey);
}, 120_000);
afterAll(async () => {
  await local.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A new district with the state's default framework; its own key, for reading what the import left. */
async function newDistrict(prefix: string): Promise<{ districtId: string; api: ApiClient }> {
  const districtId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { data } = await state.POST('/v1/districts', { body: { districtId, name: `History ${districtId}` } });
  if (!data) throw new Error('the district was not created');
  return { districtId, api: apiClient(local.info.apiUrl, data.apiKey) };
}

/** The import's file options for the generated history. */
const fileOptions = () => FILES.flatMap((file) => [`--${file}`, paths[file]]);
const apiTarget = () => ['--api-url', local.info.apiUrl, '--key', local.info.credentials.stateKey];

/** The invalid rows of the history as the error report must list them: `file line id`, each with its paths. */
function expectedRejections(): Map<string, readonly string[]> {
  const expected = new Map<string, readonly string[]>();
  for (const file of FILES) {
    for (const row of history[file]) {
      if (!row.meaning.valid) expected.set(`${paths[file]} ${row.line} ${row.id}`, row.meaning.paths);
    }
  }
  return expected;
}

interface ReportLine {
  readonly file: string;
  readonly line: string;
  readonly id: string;
  readonly status: string;
  readonly path: string;
  readonly message: string;
}

/** The error report's rows, grouped by `file line id` into their paths (in report order), and its raw lines. */
async function readReport(file: string) {
  const text = await readFile(file, 'utf8');
  const lines = parse(text, { columns: true }) as ReportLine[];
  const byRow = new Map<string, string[]>();
  for (const line of lines) {
    const key = `${line.file} ${line.line} ${line.id}`;
    byRow.set(key, [...(byRow.get(key) ?? []), line.path]);
  }
  return { text, lines, byRow };
}

describe('import --dry-run', () => {
  it('reports every invalid row with the fields it faults, and writes nothing', async () => {
    const { districtId, api } = await newDistrict('dry');
    const errors = join(dir, `${districtId}.dry-run-errors.csv`);

    const outcome = await runOps([
      'import',
      districtId,
      ...fileOptions(),
      '--dry-run',
      '--errors',
      errors,
      '--progress',
      'lines',
      ...apiTarget(),
    ]);

    const report = await readReport(errors);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('nothing was written');
    for (const file of FILES) {
      const invalid = history[file].filter((row) => !row.meaning.valid).length;
      expect(outcome.stdout).toMatch(
        new RegExp(
          `${file}\\s+\\S+\\s+${history[file].length.toLocaleString('en-US')}\\s+` +
            `${(history[file].length - invalid).toLocaleString('en-US')}\\s+${invalid}\\n`,
        ),
      );
    }
    expect(outcome.stderr).toMatch(/^import: milestones .*: 625 rows\n/m);
    expect(outcome.stderr).toMatch(/error: 13 rows were rejected/);
    expect(Object.fromEntries(report.byRow)).toEqual(Object.fromEntries(expectedRejections()));
    expect(new Set(report.lines.map((line) => line.status))).toEqual(new Set(['invalid']));
    expect(report.text).not.toMatch(PERSON_ID);
    const milestones = await api.GET('/v1/districts/{districtId}/milestones', {
      params: { path: { districtId } },
    });
    expect(milestones.data?.items).toEqual([]);
    const progress = await api.GET('/v1/districts/{districtId}/progress', {
      params: { path: { districtId } },
    });
    expect(progress.data?.eventsApplied).toBe(0);
  });
});

describe('import', () => {
  it(
    'stops on SIGINT with its key revoked, resumes with a district key alone, and refuses a changed file',
    async () => {
      const { districtId } = await newDistrict('hist-small');
      const smallHistory = generateHistory({ rows: 3_000, seed: 3 });
      const small = await writeHistory(smallHistory, join(dir, districtId));
      const files = FILES.flatMap((file) => [`--${file}`, small[file]]);
      const checkpoint = join(dir, `${districtId}.checkpoint.json`);
      const errors = join(dir, `${districtId}.errors.csv`);
      const where = ['--checkpoint', checkpoint, '--errors', errors];

      const first = startCli(['import', districtId, ...files, ...where, ...apiTarget()]);
      const during = await eventually(async () => {
        if (first.exited) throw new Error(`the import ended before the interruption: ${first.stderr}`);
        const saved = await readCheckpoint(checkpoint);
        return saved?.mintedKeyId && confirmedRows(saved) >= 500 ? saved : undefined;
      }, IMPORT_TIMEOUT_MS);
      first.child.kill('SIGINT');
      const interrupted = await first.done;
      const stopped = await readCheckpoint(checkpoint);

      expect(interrupted).toBe(1);
      expect(first.stderr).toContain('SIGINT: finishing the requests in flight, then stopping');
      expect(first.stderr).toMatch(/error: stopped: the checkpoint .* keeps what was done/);
      expect(stopped?.mintedKeyId).toBeUndefined();
      await expectRevoked(during.mintedKeyId ?? '');

      // a district integrator: their own key, the API's URL, no state key anywhere
      const { data: key } = await state.POST('/v1/districts/{districtId}/keys', {
        params: { path: { districtId } },
      });
      const resumed = await runOps(
        ['import', districtId, ...files, ...where, '--api-url', local.info.apiUrl, '--json'],
        { env: { VP_DISTRICT_KEY: key?.apiKey } },
      );

      expect(resumed.code).toBe(1);
      const summary = JSON.parse(resumed.stdout) as {
        resumedRows: number;
        rejected: number;
        files: { rows: number; written: number; replayed: number; rejected: number }[];
      };
      expect(summary.resumedRows).toBe(confirmedRows(stopped ?? { files: {} }));
      expect(summary.rejected).toBe(13);
      expect(summary.files.map((file) => file.written + file.replayed + file.rejected)).toEqual(
        FILES.map((file) => smallHistory[file].length),
      );

      await appendFile(small.evidence, 'e-999999,l-00000000,oak-es,3,,creativity,3,2026-06-01\n');
      const changed = await runOps(['import', districtId, ...files, ...where, ...apiTarget()]);

      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain(
        `${small.evidence} is not the evidence file the checkpoint ${checkpoint} was made for`,
      );
    },
    SMALL_IMPORT_TIMEOUT_MS,
  );

  it(
    'survives a SIGKILL: resumed from its checkpoint it finishes, and the progress equals the reference',
    async () => {
      const { districtId, api } = await newDistrict('hist');
      const checkpoint = join(dir, `${districtId}.checkpoint.json`);
      const errors = join(dir, `${districtId}.errors.csv`);
      const args = [
        'import',
        districtId,
        ...fileOptions(),
        '--checkpoint',
        checkpoint,
        '--errors',
        errors,
        '--progress-interval',
        '1',
        '--json',
        ...apiTarget(),
      ];

      const first = startCli(args);
      await eventually(async () => {
        if (first.exited) throw new Error(`the import ended before the kill: ${first.stderr}`);
        const saved = await readCheckpoint(checkpoint);
        return saved && confirmedRows(saved) >= KILL_AFTER_ROWS ? saved : undefined;
      }, IMPORT_TIMEOUT_MS);
      first.child.kill('SIGKILL');
      await first.done;
      // what the killed run left: it may have confirmed a few more chunks between the look and the kill
      const killedAt = await readCheckpoint(checkpoint);
      if (!killedAt) throw new Error('no checkpoint');
      const second = startCli(args);
      const code = await second.done;

      // the first run showed its progress in lines (stderr is no terminal), and was killed midway
      expect(first.stderr).toMatch(/^import: milestones .*: 625 rows\n/m);
      expect(first.stderr).toMatch(
        /^import: \w+ .*: [\d,]+ of [\d,]+ rows \(\d+\.\d%, [\d,]+ read\): [\d,]+ written/m,
      );
      expect(killedAt.mintedKeyId).toMatch(/^[0-9a-f]{16}$/);
      expect(confirmedRows(killedAt)).toBeLessThan(ROWS);
      // the second resumed: it revoked the key the killed run left, and ended with the rejected rows
      expect(second.stderr).toContain(`import: revoked key ${killedAt.mintedKeyId}, made by an earlier run`);
      expect(second.stderr).toMatch(/resuming after row/);
      expect(code).toBe(1);
      expect(second.stderr).toMatch(/error: 13 rows were rejected/);
      const summary = JSON.parse(second.stdout) as {
        resumedRows: number;
        rejected: number;
        files: { kind: HistoryFile; rows: number; written: number; replayed: number; rejected: number }[];
      };
      expect(summary.resumedRows).toBe(confirmedRows(killedAt));
      expect(summary.rejected).toBe(13);
      for (const file of summary.files) {
        expect(file.written + file.replayed + file.rejected).toBe(history[file.kind].length);
      }
      const done = await readCheckpoint(checkpoint);
      expect(done?.mintedKeyId).toBeUndefined();
      for (const file of FILES) expect(done?.files[file]?.confirmed).toBe(history[file].length);
      await expectRevoked(killedAt.mintedKeyId ?? '');

      const report = await readReport(errors);
      expect(Object.fromEntries(report.byRow)).toEqual(Object.fromEntries(expectedRejections()));
      expect(report.lines).toHaveLength([...expectedRejections().values()].flat().length);
      expect(report.text).not.toMatch(PERSON_ID);
      expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toMatch(PERSON_ID);

      const expected = (now: Date) => reference(districtId, now);
      const progress = await settle(api, districtId, expected);
      expect({ ...progress, asOf: null }).toEqual(expected(new Date()));
    },
    IMPORT_TIMEOUT_MS + SETTLE_MS,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// the CLI in its own process

interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<number | null>;
  readonly exited: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run ops -- …` as an operator runs it: its own process, its output read (stderr is a pipe, no terminal). */
function startCli(args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/ops/cli.ts', ...args], {
    cwd: fromRoot(''),
    env: { ...process.env, VP_STATE_KEY: '', VP_DISTRICT_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { exited: false, stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    state.stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    state.stderr += text;
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      state.exited = true;
      resolve(code);
    }),
  );
  return {
    child,
    done,
    get exited() {
      return state.exited;
    },
    get stdout() {
      return state.stdout;
    },
    get stderr() {
      return state.stderr;
    },
  };
}

const confirmedRows = (checkpoint: Pick<Checkpoint, 'files'>) =>
  FILES.reduce((sum, file) => sum + (checkpoint.files[file]?.confirmed ?? 0), 0);

/** The key's record in the stack's table says it is revoked. */
async function expectRevoked(keyId: string): Promise<void> {
  const client = dynamoDbClientFor(local.info);
  try {
    const record = await new KeyStore(local.info.table.tableName, DynamoDBDocumentClient.from(client)).get(
      keyId,
    );
    expect(record?.revokedAt).toEqual(expect.any(String));
  } finally {
    client.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// what the history must produce

/**
 * The progress the valid rows produce: each milestone as its latest applied write (writes of one milestone are
 * applied in file order when newer than the stored one), every submission once (a repeated row is a replay).
 */
function reference(districtId: string, now: Date): Progress {
  const milestones = new Map<string, ReferenceMilestone>();
  let applied = 0;
  for (const row of history.milestones) {
    if (!row.meaning.valid || !('milestone' in row.meaning)) continue;
    const { milestoneId, body } = row.meaning.milestone;
    const stored = milestones.get(milestoneId);
    if (stored && Date.parse(stored.updatedAt) >= Date.parse(body.updatedAt)) continue;
    applied += 1;
    milestones.set(milestoneId, {
      milestoneId,
      conditionId: body.conditionId,
      status: body.status,
      dueDate: body.dueDate ?? null,
      updatedAt: body.updatedAt,
    });
  }
  const submissions = new Map<string, Submission>();
  for (const row of [...history.ratings, ...history.evidence] as HistoryRow[]) {
    if (!row.meaning.valid || !('submission' in row.meaning)) continue;
    const { submission } = row.meaning;
    if (!submissions.has(submission.submissionId)) submissions.set(submission.submissionId, submission);
  }
  return referenceProgress({
    districtId,
    framework: frameworkOfState(),
    timezone: local.info.state.timezone,
    minimumN: local.info.state.minimumN,
    now,
    milestones: [...milestones.values()],
    submissions: [...submissions.values()],
    voided: new Set(),
    eventsApplied: applied + submissions.size,
  });
}

function frameworkOfState() {
  return local.info.state.defaultFramework as Parameters<typeof referenceProgress>[0]['framework'];
}

/** Polls the progress until it equals the reference (asOf aside), or until SETTLE_MS; resolves the last body. */
async function settle(
  api: ApiClient,
  districtId: string,
  expected: (now: Date) => Progress,
): Promise<Progress> {
  let last: Progress | undefined;
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const { data } = await api.GET('/v1/districts/{districtId}/progress', {
      params: { path: { districtId } },
    });
    last = data;
    if (last && JSON.stringify({ ...last, asOf: null }) === JSON.stringify(expected(new Date()))) return last;
    await sleep(1_000);
  }
  if (!last) throw new Error('no progress was read');
  return last;
}
