/**
 * The ingest API over HTTP against the local stack: every route, every status of the contract's table, and the
 * write semantics (ordering, replays, conflicts, voids, removals, batches, concurrency).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawRequest, send } from '../support/http';
import { testStack } from '../support/local-stack';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
let stateKey: string;
const call = (method: string, path: string, request: RawRequest = {}) =>
  send(local.info.apiUrl, method, path, request);

/** A new district for one test, with its key. */
async function newDistrict(name = 'Test District') {
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  const created = await call('POST', '/v1/districts', { key: stateKey, body: { districtId, name } });
  expect(created.status).toBe(201);
  return { districtId, key: created.body.apiKey as string, keyId: created.body.keyId as string };
}

const milestone = (updatedAt: string, overrides: Record<string, unknown> = {}) => ({
  title: 'Board adopts Portrait of a Graduate',
  conditionId: 'shared-vision',
  status: 'on_track',
  dueDate: '2027-03-01',
  achievedOn: null,
  owner: 'Assistant Superintendent',
  updatedAt,
  ...overrides,
});

const rating = (submissionId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'condition-rating',
  submissionId,
  respondent: { id: 'r-7f3a', role: 'teacher', schoolId: 'lincoln-hs' },
  submittedAt: '2026-11-18T14:00:00-05:00',
  ratings: [
    { conditionId: 'culture', level: 3 },
    { conditionId: 'agency', level: 2 },
  ],
  ...overrides,
});

const evidence = (submissionId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'competency-evidence',
  submissionId,
  learner: { id: 'l-91c2', schoolId: 'lincoln-hs', gradeLevel: '10', groups: ['ell'] },
  competencyId: 'critical-thinking',
  level: 3,
  assessedOn: '2026-11-12',
  ...overrides,
});

beforeAll(async () => {
  const info = await local.start();
  stateKey = info.credentials.stateKey;
});
afterAll(() => local.stop());

describe('districts and keys', () => {
  it('creates a district with its first key, once', async () => {
    const { districtId, key } = await newDistrict();
    expect(key).toMatch(/^vp_d_/);
    const again = await call('POST', '/v1/districts', { key: stateKey, body: { districtId, name: 'Again' } });
    expect(again.status).toBe(409);
    expect(again.contentType).toBe('application/problem+json');
  });

  it('lists districts page by page', async () => {
    const mine = [await newDistrict(), await newDistrict(), await newDistrict()].map((d) => d.districtId);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await call('GET', `/v1/districts?limit=2${nextToken ? `&nextToken=${nextToken}` : ''}`, {
        key: stateKey,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((d: { districtId: string }) => d.districtId));
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(seen).toEqual(expect.arrayContaining(mine));
    const bad = await call('GET', '/v1/districts?limit=500&nextToken=forged', { key: stateKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
  });

  it('makes and revokes district keys; a revoked key is refused', async () => {
    const { districtId } = await newDistrict();
    const made = await call('POST', `/v1/districts/${districtId}/keys`, { key: stateKey });
    expect(made.status).toBe(201);
    expect(
      (await call('GET', `/v1/districts/${districtId}/framework`, { key: made.body.apiKey })).status,
    ).toBe(200);
    const revoked = await call('DELETE', `/v1/districts/${districtId}/keys/${made.body.keyId}`, {
      key: stateKey,
    });
    expect(revoked.status).toBe(204);
    expect(
      (await call('GET', `/v1/districts/${districtId}/framework`, { key: made.body.apiKey })).status,
    ).toBe(401);
    expect(
      (await call('DELETE', `/v1/districts/${districtId}/keys/0123456789abcdef`, { key: stateKey })).status,
    ).toBe(404);
    expect((await call('POST', '/v1/districts/no-such-district/keys', { key: stateKey })).status).toBe(404);
  });
});

describe('framework', () => {
  it('starts from the state default and is replaced whole, validated against itself', async () => {
    const { districtId, key } = await newDistrict();
    const framework = await call('GET', `/v1/districts/${districtId}/framework`, { key });
    expect(framework.body.masteryMethod).toEqual({ method: 'decaying_average', weight: 65 });

    const bad = await call('PUT', `/v1/districts/${districtId}/framework`, {
      key,
      body: {
        ...framework.body,
        roles: ['teacher', 'teacher'],
        proficiency: { levels: 4, masteryThreshold: 6 },
        masteryMethod: { method: 'n_mastery', n: 9 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['masteryMethod.n', 'proficiency.masteryThreshold', 'roles.1'].sort(),
    );

    const replaced = { ...framework.body, masteryMethod: { method: 'highest' } };
    expect((await call('PUT', `/v1/districts/${districtId}/framework`, { key, body: replaced })).status).toBe(
      200,
    );
    expect((await call('GET', `/v1/districts/${districtId}/framework`, { key })).body.masteryMethod).toEqual({
      method: 'highest',
    });
  });
});

describe('milestones', () => {
  it('are applied in updatedAt order', async () => {
    const { districtId, key } = await newDistrict();
    const path = `/v1/districts/${districtId}/milestones/board-adopts-pog`;
    const first = await call('PUT', path, { key, body: milestone('2026-11-20T15:04:05Z') });
    expect([first.status, first.body.applied]).toEqual([201, true]);

    const same = await call('PUT', path, { key, body: milestone('2026-11-20T10:04:05-05:00') });
    expect([same.status, same.body.applied]).toEqual([200, false]);

    const older = await call('PUT', path, {
      key,
      body: milestone('2026-11-19T00:00:00Z', { status: 'at_risk' }),
    });
    expect([older.status, older.body.applied, older.body.status]).toEqual([200, false, 'on_track']);

    const newer = await call('PUT', path, {
      key,
      body: milestone('2026-11-21T00:00:00Z', { status: 'achieved', achievedOn: '2026-11-21' }),
    });
    expect([newer.status, newer.body.applied, newer.body.status]).toEqual([200, true, 'achieved']);

    const conflict = await call('PUT', path, {
      key,
      body: milestone('2026-11-21T00:00:00Z', { status: 'at_risk' }),
    });
    expect(conflict.status).toBe(409);
  });

  it('refuses unknown conditions and an achieved milestone without its date', async () => {
    const { districtId, key } = await newDistrict();
    const bad = await call('PUT', `/v1/districts/${districtId}/milestones/m-1`, {
      key,
      body: milestone('2026-11-20T15:04:05Z', { conditionId: 'weather' }),
    });
    expect([bad.status, bad.body.errors]).toEqual([
      400,
      [{ path: 'conditionId', message: expect.any(String) }],
    ]);
    const achieved = await call('PUT', `/v1/districts/${districtId}/milestones/m-1`, {
      key,
      body: milestone('2026-11-20T15:04:05Z', { status: 'achieved' }),
    });
    expect(achieved.body.errors).toEqual([
      { path: 'achievedOn', message: 'is required when status is achieved' },
    ]);
  });

  it('are removed for good from the list, and a later PUT creates them anew', async () => {
    const { districtId, key } = await newDistrict();
    const path = `/v1/districts/${districtId}/milestones/m-2`;
    await call('PUT', path, { key, body: milestone('2026-11-20T15:04:05Z') });
    expect((await call('DELETE', path, { key })).status).toBe(204);
    expect((await call('DELETE', path, { key })).status).toBe(204);
    expect((await call('GET', `/v1/districts/${districtId}/milestones`, { key })).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/districts/${districtId}/milestones/never`, { key })).status).toBe(404);
    const anew = await call('PUT', path, { key, body: milestone('2026-11-01T00:00:00Z') });
    expect(anew.status).toBe(201);
    const list = await call('GET', `/v1/districts/${districtId}/milestones`, { key });
    expect(list.body.items.map((m: { milestoneId: string }) => m.milestoneId)).toEqual(['m-2']);
  });
});

describe('assessments', () => {
  it('stores a submission once: replay 200, other content 409', async () => {
    const { districtId, key } = await newDistrict();
    const path = `/v1/districts/${districtId}/assessments`;
    const created = await call('POST', path, { key, body: rating('s-1') });
    expect(created.status).toBe(201);
    const replay = await call('POST', path, { key, body: rating('s-1') });
    expect([replay.status, replay.body]).toEqual([200, created.body]);
    const other = await call('POST', path, {
      key,
      body: rating('s-1', { submittedAt: '2026-11-19T14:00:00Z' }),
    });
    expect(other.status).toBe(409);
    expect((await call('POST', path, { key, body: evidence('e-1') })).status).toBe(201);
  });

  it('voids a submission for good: again 204, reuse 409, unknown 404', async () => {
    const { districtId, key } = await newDistrict();
    const path = `/v1/districts/${districtId}/assessments`;
    await call('POST', path, { key, body: evidence('e-void') });
    expect((await call('DELETE', `${path}/e-void`, { key })).status).toBe(204);
    expect((await call('DELETE', `${path}/e-void`, { key })).status).toBe(204);
    expect((await call('POST', path, { key, body: evidence('e-void') })).status).toBe(409);
    expect((await call('DELETE', `${path}/never-posted`, { key })).status).toBe(404);
  });

  it('answers a batch item by item; the good items are stored whatever the others do', async () => {
    const { districtId, key } = await newDistrict();
    await call('POST', `/v1/districts/${districtId}/assessments`, { key, body: rating('s-taken') });
    const batch = await call('POST', `/v1/districts/${districtId}/assessments/batch`, {
      key,
      body: {
        items: [
          rating('s-new'),
          evidence('e-bad', { level: 7 }),
          rating('s-taken'),
          rating('s-taken', { submittedAt: '2026-01-01T00:00:00Z' }),
          { type: 'mystery' },
        ],
      },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { index: number; status: number }) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 200],
      [3, 409],
      [4, 400],
    ]);
    expect(batch.body.results[1].errors).toEqual([
      { path: 'level', message: 'must be within 1..4 (proficiency levels)' },
    ]);
    expect(
      (await call('POST', `/v1/districts/${districtId}/assessments`, { key, body: rating('s-new') })).status,
    ).toBe(200);
  });

  it('refuses a batch over 100 items whole', async () => {
    const { districtId, key } = await newDistrict();
    const items = Array.from({ length: 101 }, (_, i) => evidence(`e-${i}`));
    const batch = await call('POST', `/v1/districts/${districtId}/assessments/batch`, {
      key,
      body: { items },
    });
    expect([batch.status, batch.body.errors[0].path]).toEqual([400, 'items']);
  });

  it('stores one item and answers alike for concurrent identical submissions', async () => {
    const { districtId, key } = await newDistrict();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', `/v1/districts/${districtId}/assessments`, { key, body: evidence('e-race') }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
  });
});

describe('bad requests', () => {
  it('answers malformed JSON, wrong content types, oversized bodies and unknown districts with problems', async () => {
    const { districtId, key } = await newDistrict();
    const path = `/v1/districts/${districtId}/assessments`;
    const malformed = await call('POST', path, { key, body: '{"type": "condition-rating",' });
    expect([malformed.status, malformed.contentType]).toEqual([400, 'application/problem+json']);
    const wrongType = await call('POST', path, {
      key,
      body: JSON.stringify(evidence('e-x')),
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const huge = await call('POST', path, {
      key,
      body: evidence('e-y', { padding: 'x'.repeat(300 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const unknown = await call('GET', '/v1/districts/no-such-district/framework', { key: stateKey });
    expect(unknown.status).toBe(404);
    for (const problem of [malformed, wrongType, huge, unknown]) {
      expect(problem.body).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        correlationId: expect.any(String),
      });
    }
  });
});
