/**
 * Correlation ids end to end on the local stack, read from the log lines the handlers write (Powertools Logger,
 * JSON on stdout): a write's id from the POST's `X-Correlation-Id` answer, through the stored item and the
 * table's stream, to the metrics worker's line that applied it; a digest run's id from the planner (through
 * `POST /v1/digests/run` and on the schedule) to the sender's line about each of its digests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { eventually } from '../support/eventually';
import { send } from '../support/http';
import { testStack } from '../support/local-stack';

const local = testStack();

interface LogLine {
  readonly level?: string;
  readonly message?: string;
  readonly correlation_id?: string;
  readonly correlation_ids?: string[];
  readonly runId?: string;
  readonly districtId?: string;
  readonly [key: string]: unknown;
}

/** Every structured log line written to stdout while this file runs. */
const lines: LogLine[] = [];
const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || line.includes('"_aws"')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // part of a line: the logger writes whole ones
    }
  }
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

/** The first line with this message that `matches`, once one was written. */
const logged = (message: string, matches: (line: LogLine) => boolean) =>
  eventually(() => lines.find((line) => line.message === message && matches(line)));

let districtId: string;
let districtKey: string;

beforeAll(async () => {
  await local.start();
  districtId = `corr-${randomUUID().slice(0, 8)}`;
  const { data } = await apiClient(local.info.apiUrl, local.info.credentials.stateKey).POST('/v1/districts', {
    body: { districtId, name: 'Correlation District' },
  });
  if (!data) throw new Error('no district');
  districtKey = data.apiKey;
}, 120_000);
afterAll(() => local.stop());

const evidence = (submissionId: string) => ({
  type: 'competency-evidence',
  submissionId,
  learner: { id: `learner-${randomUUID().slice(0, 8)}` },
  competencyId: 'critical-thinking',
  level: 3,
  assessedOn: new Date().toISOString().slice(0, 10),
});

describe('a write', () => {
  it("carries the caller's correlation id from the answer to the worker's line that applied it", async () => {
    const correlationId = `e2e-${randomUUID()}`;

    const answer = await send(local.info.apiUrl, 'POST', `/v1/districts/${districtId}/assessments`, {
      key: districtKey,
      headers: { 'x-correlation-id': correlationId },
      body: evidence('corr-e-1'),
    });

    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-correlation-id')).toBe(correlationId);
    const written = await logged('submission written', (line) => line.correlation_id === correlationId);
    expect(written).toMatchObject({ districtId, level: 'INFO' });
    const applied = await logged(
      'changes applied',
      (line) => line.correlation_ids?.includes(correlationId) === true,
    );
    expect(applied).toMatchObject({ districtId, changes: 1 });
  });

  it('gets an id of its own without one, or with one that is no safe token, and that id travels too', async () => {
    const answer = await send(local.info.apiUrl, 'POST', `/v1/districts/${districtId}/assessments/batch`, {
      key: districtKey,
      headers: { 'x-correlation-id': 'not a safe id' },
      body: { items: [evidence('corr-e-2'), evidence('corr-e-3')] },
    });

    expect(answer.status).toBe(200);
    const correlationId = answer.headers.get('x-correlation-id') ?? '';
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    await logged('batch written', (line) => line.correlation_id === correlationId);
    // both items of the request, applied in one batch of the worker or in two
    const applied = () =>
      lines.filter(
        (line) =>
          line.message === 'changes applied' && line.correlation_ids?.includes(correlationId) === true,
      );
    await eventually(() =>
      applied().reduce((total, line) => total + Number(line.changes), 0) === 2 ? true : undefined,
    );
    expect(applied().every((line) => line.districtId === districtId)).toBe(true);
  });
});

describe('a digest run', () => {
  beforeAll(async () => {
    const district = apiClient(local.info.apiUrl, districtKey);
    await district.POST('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId } },
      body: { email: `leader-${randomUUID().slice(0, 8)}@district.example`, cadence: 'weekly' },
    });
  });

  it("through the API is named by the request's correlation id, on the planner's line and the sender's", async () => {
    const runId = `run-${randomUUID()}`;

    const answer = await send(local.info.apiUrl, 'POST', '/v1/digests/run', {
      key: local.info.credentials.stateKey,
      headers: { 'x-correlation-id': runId },
      body: { at: '2026-11-16T12:00:00Z' },
    });

    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-correlation-id')).toBe(runId);
    expect(await logged('digest run planned', (line) => line.runId === runId)).toMatchObject({
      correlation_id: runId,
      enqueued: 1,
    });
    expect(await logged('digest sent', (line) => line.runId === runId)).toMatchObject({ districtId });
  });

  it("on the schedule is named by the planner's invocation, on its lines and the sender's", async () => {
    await local.stack.fire('digest', new Date('2026-11-23T12:00:00Z'));

    const planned = await logged('digest jobs planned', (line) => line.runId !== undefined);
    expect(planned.correlation_id).toBe(planned.runId);
    expect(planned.function_request_id).toBe(planned.runId);
    expect(await logged('digest sent', (line) => line.runId === planned.runId)).toMatchObject({ districtId });
  });
});
