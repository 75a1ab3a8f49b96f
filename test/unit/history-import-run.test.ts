/**
 * The machinery of a history import (infra/ops/import/) that makes it resumable and polite: which chunks a
 * checkpoint may count, the error report cut back on resume, the checkpoint and report kept in step, requests in
 * flight and in order, the API's answers read and retried (fetch replaced: no network), and the progress lines.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiProblemError } from '../../infra/ops/api';
import { OpsError, type OpsIo } from '../../infra/ops/context';
import { type Checkpoint, CheckpointKeeper, readCheckpoint } from '../../infra/ops/import/checkpoint';
import { ErrorReport, type Rejection } from '../../infra/ops/import/error-report';
import { ImportApi, type RetryPolicy } from '../../infra/ops/import/import-api';
import { type FileTally, progressView } from '../../infra/ops/import/progress-view';
import { ConfirmationLedger, KeyedSequence, RequestPool } from '../../infra/ops/import/request-pool';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-import-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rejection = (
  line: number,
  errors: Rejection['errors'] = [{ path: 'level', message: 'bad' }],
): Rejection => ({
  file: 'e.csv',
  line,
  id: `e-${line}`,
  status: 'invalid',
  errors,
});

describe('ConfirmationLedger', () => {
  it('confirms a unit once it and every unit before it are answered, in unit order', () => {
    const ledger = new ConfirmationLedger<string>();

    expect(ledger.answer(1, 'b')).toEqual([]);
    expect(ledger.answer(2, 'c')).toEqual([]);
    expect(ledger.waiting).toBe(2);
    expect(ledger.answer(0, 'a')).toEqual(['a', 'b', 'c']);
    expect(ledger.answer(3, 'd')).toEqual(['d']);
    expect(ledger.confirmedUnits).toBe(4);
  });

  it('refuses a unit answered twice', () => {
    const ledger = new ConfirmationLedger<string>();
    ledger.answer(0, 'a');

    expect(() => ledger.answer(0, 'a')).toThrow(RangeError);
  });
});

describe('ErrorReport', () => {
  it('has a line per field error of each row, and one without a path for a row refused as a whole', async () => {
    const path = join(dir, 'lines.csv');
    const report = await ErrorReport.create(path);

    await report.append([
      rejection(3, [
        { path: 'level', message: 'must be within 1..4 (proficiency levels)' },
        { path: 'assessedOn', message: 'must be a date YYYY-MM-DD' },
      ]),
      { ...rejection(9, [{ path: '', message: 'e-9 exists with other content, "different"' }]), status: 409 },
      rejection(12, []),
    ]);
    await report.close();

    expect(parse(await readFile(path, 'utf8'))).toEqual([
      ['file', 'line', 'id', 'status', 'path', 'message'],
      ['e.csv', '3', 'e-3', 'invalid', 'level', 'must be within 1..4 (proficiency levels)'],
      ['e.csv', '3', 'e-3', 'invalid', 'assessedOn', 'must be a date YYYY-MM-DD'],
      ['e.csv', '9', 'e-9', '409', '', 'e-9 exists with other content, "different"'],
      ['e.csv', '12', 'e-12', 'invalid', '', ''],
    ]);
  });

  it('is cut back to the length a checkpoint recorded when resumed, and refused when shorter than that', async () => {
    const path = join(dir, 'resumed.csv');
    const first = await ErrorReport.create(path);
    await first.append([rejection(2)]);
    const recorded = first.bytes;
    await first.append([rejection(3)]);
    await first.close();

    const resumed = await ErrorReport.resume(path, recorded);
    await resumed.append([rejection(3), rejection(4)]);
    await resumed.close();

    const lines = parse(await readFile(path, 'utf8')) as string[][];
    expect(lines.map((line) => line[1])).toEqual(['line', '2', '3', '4']);
    await writeFile(path, 'file,line\n');
    await expect(ErrorReport.resume(path, recorded)).rejects.toThrow(/shorter than its checkpoint says/);
    await expect(ErrorReport.resume(join(dir, 'gone.csv'), 10)).rejects.toThrow(/is missing/);
  });
});

describe('CheckpointKeeper', () => {
  const fresh = (report: ErrorReport): Checkpoint => ({
    version: 1,
    apiUrl: 'http://127.0.0.1:3000',
    districtId: 'lincoln-usd',
    errorReport: { path: report.path, bytes: report.bytes },
    files: {},
    updatedAt: new Date(0).toISOString(),
  });
  const state = (confirmed: number, rejected: number) => ({
    path: '/data/e.csv',
    size: 100,
    sha256: 'a'.repeat(64),
    rows: 10,
    confirmed,
    written: confirmed - rejected,
    replayed: 0,
    rejected,
  });

  it('saves the latest confirmation with the report length that holds its rejected rows', async () => {
    const report = await ErrorReport.create(join(dir, 'kept.errors.csv'));
    const file = join(dir, 'kept.checkpoint.json');
    const keeper = new CheckpointKeeper(file, fresh(report), report);

    // confirmations arrive faster than the file is written: later ones wait for one more save
    keeper.confirm('evidence', state(3, 1), [rejection(3)]);
    keeper.confirm('evidence', state(6, 2), [rejection(6)]);
    keeper.confirm('evidence', state(9, 2), []);
    await keeper.flush();
    await keeper.recordMintedKey('0123456789abcdef');

    const saved = await readCheckpoint(file);
    expect(saved?.files.evidence).toEqual(state(9, 2));
    expect(saved?.mintedKeyId).toBe('0123456789abcdef');
    expect(saved?.errorReport).toEqual({ path: report.path, bytes: report.bytes });
    expect((await readFile(report.path)).length).toBe(report.bytes);
    expect(parse(await readFile(report.path, 'utf8'), { columns: true })).toHaveLength(2);
    await keeper.recordMintedKey(undefined);
    expect((await readCheckpoint(file))?.mintedKeyId).toBeUndefined();
    await report.close();
  });

  it('reads no checkpoint where there is none, and refuses a file that is not one', async () => {
    const notOne = join(dir, 'not-a-checkpoint.json');
    await writeFile(notOne, '{"version": 2}');
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, 'checkpoint');

    expect(await readCheckpoint(join(dir, 'none.json'))).toBeUndefined();
    await expect(readCheckpoint(notOne)).rejects.toThrow(
      /is not a checkpoint of this import: pass --restart/,
    );
    await expect(readCheckpoint(notJson)).rejects.toBeInstanceOf(OpsError);
  });
});

describe('requests in flight', () => {
  it('run at most the pool’s limit at once, and a failure stops the pool', async () => {
    const pool = new RequestPool(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(5);
      running -= 1;
    };

    for (let n = 0; n < 6; n += 1) await pool.run(task);
    await pool.drain();
    await pool.run(async () => {
      throw new Error('401');
    });
    await pool.settle();

    expect(most).toBe(2);
    await expect(pool.run(task)).rejects.toThrow('401');
    await expect(pool.drain()).rejects.toThrow('401');
  });

  it('of one key run one after another in the order given; other keys run beside them', async () => {
    const sequence = new KeyedSequence();
    const order: string[] = [];
    const write = (name: string, ms: number) => async () => {
      order.push(`${name} start`);
      await sleep(ms);
      order.push(`${name} end`);
    };

    await Promise.all([
      sequence.after('m-1', write('m-1 first', 30)),
      sequence.after('m-2', write('m-2', 1)),
      sequence.after('m-1', write('m-1 second', 1)),
    ]);

    expect(order.indexOf('m-1 second start')).toBeGreaterThan(order.indexOf('m-1 first end'));
    expect(order.indexOf('m-2 end')).toBeLessThan(order.indexOf('m-1 first end'));
  });
});

describe('ImportApi', () => {
  const policy: RetryPolicy = {
    attempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 2,
    timeoutMs: 2_000,
    throttledAttempts: 5,
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
        ...headers,
      },
    });
  const problem = (status: number, title: string, extra: object = {}) =>
    json(status, {
      type: `https://vision-progress.dev/problems/${status}`,
      title,
      status,
      detail: title,
      correlationId: 'c',
      ...extra,
    });
  const milestone = {
    title: 'Board adopts Portrait of a Graduate',
    conditionId: 'shared-vision',
    status: 'on_track' as const,
    updatedAt: '2026-11-20T15:04:05Z',
  };
  const written = { milestoneId: 'm-1', ...milestone, dueDate: null, achievedOn: null, owner: null };

  /** Answers the requests with `answers` in turn and records each request's method, path and body. */
  function serve(...answers: (Response | Error)[]) {
    const requests: { method: string; path: string; body: unknown }[] = [];
    globalThis.fetch = async (input: string | URL | Request) => {
      const request = input as Request;
      const text = await request.text();
      requests.push({
        method: request.method,
        path: new URL(request.url).pathname,
        body: text === '' ? undefined : JSON.parse(text),
      });
      const answer = answers.shift();
      if (!answer) throw new Error('no answer left');
      if (answer instanceof Error) throw answer;
      return answer;
    };
    return { requests, api: new ImportApi('http://api.test', 'vp_d_key', 'lincoln-usd', policy) };
  }

  // the clients take fetch when made: each test's ImportApi is made after its answers are set
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('sends a milestone again after 5xx answers, and tells written from not applied', async () => {
    const { api, requests } = serve(
      problem(503, 'Service Unavailable'),
      problem(500, 'Internal Server Error'),
      json(201, { ...written, applied: true }),
      json(200, { ...written, applied: false }),
    );

    expect(await api.putMilestone('m-1', milestone)).toEqual({ outcome: 'written' });
    expect(await api.putMilestone('m-1', milestone)).toEqual({ outcome: 'replayed' });
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual(
      Array(4).fill('PUT /v1/districts/lincoln-usd/milestones/m-1'),
    );
    expect(api.counters).toEqual({ throttled: 0, retried: 2 });
  });

  it('waits out a 429’s Retry-After, without using up tries', async () => {
    const { api } = serve(
      json(429, { message: 'Too Many Requests' }, { 'retry-after': '1' }),
      json(201, { ...written, applied: true }),
    );
    const started = Date.now();

    expect(await api.putMilestone('m-1', milestone)).toEqual({ outcome: 'written' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.counters).toEqual({ throttled: 1, retried: 0 });
  });

  it('makes 400 and 409 the row’s rejection, with the fields named or the detail', async () => {
    const { api } = serve(
      problem(400, 'Bad Request', { errors: [{ path: 'conditionId', message: 'is not a condition' }] }),
      json(409, {
        type: 'https://vision-progress.dev/problems/409',
        title: 'Conflict',
        status: 409,
        detail: 'milestone m-1 has other content at this updatedAt',
        correlationId: 'c',
      }),
    );

    expect(await api.putMilestone('m-1', milestone)).toEqual({
      outcome: 'rejected',
      status: 400,
      errors: [{ path: 'conditionId', message: 'is not a condition' }],
    });
    expect(await api.putMilestone('m-1', milestone)).toEqual({
      outcome: 'rejected',
      status: 409,
      errors: [{ path: '', message: 'milestone m-1 has other content at this updatedAt' }],
    });
  });

  it('stops the import on a refusal that is not the row’s, as the other commands print it', async () => {
    const { api } = serve(problem(401, 'Unauthorized'));

    const failure = await api.putMilestone('m-1', milestone).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiProblemError);
    expect(failure).toMatchObject({ status: 401, message: '401 Unauthorized: Unauthorized' });
  });

  it('gives up after its tries when the API cannot be reached, saying how to resume', async () => {
    const refused = () =>
      new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    const { api } = serve(refused(), refused(), refused());

    await expect(api.putMilestone('m-1', milestone)).rejects.toThrow(
      /^PUT milestone m-1 at http:\/\/api\.test failed 3 times \(last: ECONNREFUSED\): the checkpoint keeps what was done/,
    );
  });

  it('sends the batch items answered 503 again, alone, and answers every item in order', async () => {
    const item = (n: number) => ({
      type: 'competency-evidence' as const,
      submissionId: `e-${n}`,
      learner: { id: `l-${n}` },
      competencyId: 'creativity',
      level: 3,
      assessedOn: '2026-01-05',
    });
    const { api, requests } = serve(
      json(200, {
        results: [
          { index: 0, status: 201, submissionId: 'e-0' },
          {
            index: 1,
            status: 503,
            submissionId: 'e-1',
            errors: [{ path: '', message: 'send this item again' }],
          },
          {
            index: 2,
            status: 400,
            errors: [{ path: 'level', message: 'must be within 1..4 (proficiency levels)' }],
          },
          { index: 3, status: 200, submissionId: 'e-3' },
        ],
      }),
      json(200, { results: [{ index: 0, status: 201, submissionId: 'e-1' }] }),
    );

    const answers = await api.postBatch([item(0), item(1), item(2), item(3)]);

    expect(answers).toEqual([
      { outcome: 'written' },
      { outcome: 'written' },
      {
        outcome: 'rejected',
        status: 400,
        errors: [{ path: 'level', message: 'must be within 1..4 (proficiency levels)' }],
      },
      { outcome: 'replayed' },
    ]);
    expect(
      requests.map((request) =>
        (request.body as { items: { submissionId: string }[] }).items.map((i) => i.submissionId),
      ),
    ).toEqual([['e-0', 'e-1', 'e-2', 'e-3'], ['e-1']]);
  });
});

describe('progress lines', () => {
  it('say where each file starts and ends, and in between no more often than the interval', () => {
    let written = '';
    const io: OpsIo = { out: () => {}, err: (text) => (written += text), env: {} };
    const view = progressView(io, { mode: 'auto', intervalMs: 60_000, dryRun: false });
    const tally: FileTally = {
      kind: 'evidence',
      file: 'e.csv',
      rows: 2_000,
      read: 1_000,
      written: 990,
      replayed: 4,
      rejected: 6,
      valid: 0,
    };

    view.fileStarted(tally);
    view.fileUpdated({ ...tally, read: 1_500, written: 1_490 });
    view.fileFinished({ ...tally, read: 2_000, written: 1_990 });
    view.stop();

    expect(written.split('\n')).toEqual([
      'import: evidence e.csv: 2,000 rows, resuming after row 1,000',
      expect.stringMatching(
        /^import: evidence e\.csv: done 2,000 of 2,000 rows \(100\.0%, 2,000 read\): 1,990 written, 4 replayed, 6 rejected; [\d,]+ rows\/s$/,
      ),
      '',
    ]);
  });
});
