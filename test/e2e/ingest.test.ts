/**
 * The ingest API over HTTP: every route, every status of the contract's table, and the write semantics (ordering,
 * replays, conflicts, voids, removals, batches, concurrency). Well-formed calls go through the client generated
 * from the OpenAPI document; raw HTTP only for what no typed client can send. A contract file: it runs against a
 * local stack in `npm test` and against a deployed state in the conformance kit (test/support/contract-target.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  competencyEvidenceExample,
  conditionRatingExample,
  milestoneExample,
} from '../../shared/contract/examples';
import type { components } from '../../shared/contract/generated/api-types';
import { apiClient } from '../support/api-client';
import { contractTarget } from '../support/contract-target';
import { createDistrict } from '../support/district-api';
import { eventually } from '../support/eventually';
import { type RawRequest, send } from '../support/http';

type Schemas = components['schemas'];

const target = contractTarget();
let stateKey: string;
const call = (method: string, path: string, request: RawRequest = {}) =>
  send(target.apiUrl, method, path, request);

/** A new district for one test, with its key and a client that uses that key. */
function newDistrict(name = 'Test District') {
  const districtId = target.districtId(`d-${randomUUID().slice(0, 8)}`);
  return createDistrict(target.apiUrl, stateKey, { districtId, name });
}

const milestone = (
  updatedAt: string,
  overrides: Partial<Schemas['MilestoneBody']> = {},
): Schemas['MilestoneBody'] => ({ ...milestoneExample, updatedAt, ...overrides });

const rating = (
  submissionId: string,
  overrides: Partial<Schemas['ConditionRating']> = {},
): Schemas['ConditionRating'] => ({ ...conditionRatingExample, submissionId, ...overrides });

const evidence = (
  submissionId: string,
  overrides: Partial<Schemas['CompetencyEvidence']> = {},
): Schemas['CompetencyEvidence'] => ({ ...competencyEvidenceExample, submissionId, ...overrides });

beforeAll(async () => {
  await target.start();
  stateKey = target.stateKey;
});
afterAll(() => target.stop());

describe('districts and keys', () => {
  const state = () => apiClient(target.apiUrl, stateKey);

  it('creates a district with its first key, once', async () => {
    const { districtId, key } = await newDistrict();
    expect(key).toMatch(/^vp_d_/);
    const again = await state().POST('/v1/districts', { body: { districtId, name: 'Again' } });
    expect(again.response.status).toBe(409);
    expect(again.response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('lists districts page by page', async () => {
    const mine = [await newDistrict(), await newDistrict(), await newDistrict()].map((d) => d.districtId);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      // pages of 2 until this test's districts are seen, then of 100 to the end: a deployed state's list may be
      // long, and a token must carry on whatever the page size
      const limit = mine.every((id) => seen.includes(id)) ? 100 : 2;
      const page = await state().GET('/v1/districts', { params: { query: { limit, nextToken } } });
      expect(page.response.status).toBe(200);
      expect(page.data?.items.length).toBeLessThanOrEqual(limit);
      seen.push(...(page.data?.items ?? []).map((d) => d.districtId));
      nextToken = page.data?.nextToken;
    } while (nextToken);
    expect(seen).toEqual(expect.arrayContaining(mine));
    expect(new Set(seen).size).toBe(seen.length);
    // a token shaped like a key of this list but with other attributes must not reach DynamoDB (it would be a 500)
    const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const token of [
      forged({ gsi1pk: 'DISTRICTS', pk: 'DISTRICT#a' }),
      forged({ gsi1pk: 'DISTRICTS', gsi1sk: 'a', pk: 'DISTRICT#b', sk: 'DISTRICT' }),
    ]) {
      const answer = await call('GET', `/v1/districts?nextToken=${token}`, { key: stateKey });
      expect([answer.status, answer.body.errors]).toEqual([
        400,
        [{ path: 'query.nextToken', message: expect.any(String) }],
      ]);
    }
    const bad = await call('GET', '/v1/districts?limit=500&nextToken=forged', { key: stateKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
  });

  it('makes and revokes district keys; a revoked key is refused, at once if it was never used', {
    timeout: target.revocationWindowMs + 30_000,
  }, async () => {
    const { districtId } = await newDistrict();
    const makeKey = async () => {
      const made = await state().POST('/v1/districts/{districtId}/keys', {
        params: { path: { districtId } },
      });
      expect(made.response.status).toBe(201);
      const withKey = apiClient(target.apiUrl, made.data?.apiKey);
      const framework = () =>
        withKey.GET('/v1/districts/{districtId}/framework', { params: { path: { districtId } } });
      return { keyId: made.data?.keyId ?? '', framework };
    };
    const revoke = (id: string) =>
      state().DELETE('/v1/districts/{districtId}/keys/{keyId}', {
        params: { path: { districtId, keyId: id } },
      });
    const used = await makeKey();
    const unused = await makeKey();
    expect((await used.framework()).response.status).toBe(200);

    expect((await revoke(used.keyId)).response.status).toBe(204);
    expect((await revoke(unused.keyId)).response.status).toBe(204);

    // no answer was cached for a key never used: refused at once
    expect((await unused.framework()).response.status).toBe(401);
    // the used key's cached answer runs out within the authorizer's cache TTL
    await eventually(
      async () => ((await used.framework()).response.status === 401 ? true : undefined),
      target.revocationWindowMs,
    );
    expect((await revoke('0123456789abcdef')).response.status).toBe(404);
    const unknown = await state().POST('/v1/districts/{districtId}/keys', {
      params: { path: { districtId: target.districtId('no-such-district') } },
    });
    expect(unknown.response.status).toBe(404);
  });
});

describe('framework', () => {
  it('starts from the state default and is replaced whole, validated against itself', async () => {
    const { districtId, api } = await newDistrict();
    const path = { params: { path: { districtId } } };
    const framework = await api.GET('/v1/districts/{districtId}/framework', path);
    if (!framework.data) throw new Error('no framework');
    expect(framework.data.masteryMethod).toEqual({ method: 'decaying_average', weight: 65 });

    const bad = await api.PUT('/v1/districts/{districtId}/framework', {
      ...path,
      body: {
        ...framework.data,
        roles: ['teacher', 'teacher'],
        proficiency: { levels: 4, masteryThreshold: 6 },
        masteryMethod: { method: 'n_mastery', n: 9 },
      },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.map((e) => e.path).sort()).toEqual(
      ['masteryMethod.n', 'proficiency.masteryThreshold', 'roles.1'].sort(),
    );

    const replaced = await api.PUT('/v1/districts/{districtId}/framework', {
      ...path,
      body: { ...framework.data, masteryMethod: { method: 'highest' } },
    });
    expect(replaced.response.status).toBe(200);
    const read = await api.GET('/v1/districts/{districtId}/framework', path);
    expect(read.data?.masteryMethod).toEqual({ method: 'highest' });
  });
});

describe('milestones', () => {
  const at = (districtId: string, milestoneId: string) => ({ params: { path: { districtId, milestoneId } } });

  it('are applied in updatedAt order', async () => {
    const { districtId, api } = await newDistrict();
    const put = (body: ReturnType<typeof milestone>) =>
      api.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
        ...at(districtId, 'board-adopts-pog'),
        body,
      });

    const first = await put(milestone('2026-11-20T15:04:05Z'));
    expect([first.response.status, first.data?.applied]).toEqual([201, true]);

    const same = await put(milestone('2026-11-20T10:04:05-05:00'));
    expect([same.response.status, same.data?.applied]).toEqual([200, false]);

    const older = await put(milestone('2026-11-19T00:00:00Z', { status: 'at_risk' }));
    expect([older.response.status, older.data?.applied, older.data?.status]).toEqual([
      200,
      false,
      'on_track',
    ]);

    const newer = await put(
      milestone('2026-11-21T00:00:00Z', { status: 'achieved', achievedOn: '2026-11-21' }),
    );
    expect([newer.response.status, newer.data?.applied, newer.data?.status]).toEqual([200, true, 'achieved']);

    const conflict = await put(milestone('2026-11-21T00:00:00Z', { status: 'at_risk' }));
    expect([conflict.response.status, conflict.error?.status]).toEqual([409, 409]);
  });

  it('refuses unknown conditions and an achieved milestone without its date', async () => {
    const { districtId, api } = await newDistrict();
    const path = '/v1/districts/{districtId}/milestones/{milestoneId}' as const;
    const bad = await api.PUT(path, {
      ...at(districtId, 'm-1'),
      body: milestone('2026-11-20T15:04:05Z', { conditionId: 'weather' }),
    });
    expect([bad.response.status, bad.error?.errors]).toEqual([
      400,
      [{ path: 'conditionId', message: expect.any(String) }],
    ]);
    const achieved = await api.PUT(path, {
      ...at(districtId, 'm-1'),
      body: milestone('2026-11-20T15:04:05Z', { status: 'achieved' }),
    });
    expect(achieved.error?.errors).toEqual([
      { path: 'achievedOn', message: 'is required when status is achieved' },
    ]);
  });

  it('are removed for good from the list, and a later PUT creates them anew', async () => {
    const { districtId, api } = await newDistrict();
    const path = '/v1/districts/{districtId}/milestones/{milestoneId}' as const;
    const list = () => api.GET('/v1/districts/{districtId}/milestones', { params: { path: { districtId } } });
    await api.PUT(path, { ...at(districtId, 'm-2'), body: milestone('2026-11-20T15:04:05Z') });
    expect((await api.DELETE(path, at(districtId, 'm-2'))).response.status).toBe(204);
    expect((await api.DELETE(path, at(districtId, 'm-2'))).response.status).toBe(204);
    expect((await list()).data?.items).toEqual([]);
    expect((await api.DELETE(path, at(districtId, 'never'))).response.status).toBe(404);
    const anew = await api.PUT(path, { ...at(districtId, 'm-2'), body: milestone('2026-11-01T00:00:00Z') });
    expect(anew.response.status).toBe(201);
    expect((await list()).data?.items.map((m) => m.milestoneId)).toEqual(['m-2']);
  });
});

describe('assessments', () => {
  const of = (districtId: string) => ({ params: { path: { districtId } } });

  it('stores a submission once: replay 200, other content 409', async () => {
    const { districtId, api } = await newDistrict();
    const post = (body: ReturnType<typeof rating> | ReturnType<typeof evidence>) =>
      api.POST('/v1/districts/{districtId}/assessments', { ...of(districtId), body });
    const created = await post(rating('s-1'));
    expect(created.response.status).toBe(201);
    const replay = await post(rating('s-1'));
    expect([replay.response.status, replay.data]).toEqual([200, created.data]);
    const other = await post(rating('s-1', { submittedAt: '2026-11-19T14:00:00Z' }));
    expect(other.response.status).toBe(409);
    expect((await post(evidence('e-1'))).response.status).toBe(201);
  });

  it('voids a submission for good: again 204, reuse 409, unknown 404', async () => {
    const { districtId, api } = await newDistrict();
    const post = () =>
      api.POST('/v1/districts/{districtId}/assessments', { ...of(districtId), body: evidence('e-void') });
    const voidIt = (submissionId: string) =>
      api.DELETE('/v1/districts/{districtId}/assessments/{submissionId}', {
        params: { path: { districtId, submissionId } },
      });
    await post();
    expect((await voidIt('e-void')).response.status).toBe(204);
    expect((await voidIt('e-void')).response.status).toBe(204);
    expect((await post()).response.status).toBe(409);
    expect((await voidIt('never-posted')).response.status).toBe(404);
  });

  it('answers a batch item by item; the good items are stored whatever the others do', async () => {
    const { districtId, api } = await newDistrict();
    await api.POST('/v1/districts/{districtId}/assessments', { ...of(districtId), body: rating('s-taken') });
    const batch = await api.POST('/v1/districts/{districtId}/assessments/batch', {
      ...of(districtId),
      body: {
        items: [
          rating('s-new'),
          evidence('e-bad', { level: 7 }),
          rating('s-taken'),
          rating('s-taken', { submittedAt: '2026-01-01T00:00:00Z' }),
          // not a submission at all: the typed client would refuse to send it
          { type: 'mystery' } as unknown as ReturnType<typeof evidence>,
        ],
      },
    });
    expect(batch.response.status).toBe(200);
    expect(batch.data?.results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 200],
      [3, 409],
      [4, 400],
    ]);
    expect(batch.data?.results[1]?.errors).toEqual([
      { path: 'level', message: 'must be within 1..4 (proficiency levels)' },
    ]);
    const again = await api.POST('/v1/districts/{districtId}/assessments', {
      ...of(districtId),
      body: rating('s-new'),
    });
    expect(again.response.status).toBe(200);
  });

  it('refuses a batch over 100 items whole', async () => {
    const { districtId, api } = await newDistrict();
    const items = Array.from({ length: 101 }, (_, i) => evidence(`e-${i}`));
    const batch = await api.POST('/v1/districts/{districtId}/assessments/batch', {
      ...of(districtId),
      body: { items },
    });
    expect([batch.response.status, batch.error?.errors?.[0]?.path]).toEqual([400, 'items']);
  });

  it('stores one item and answers alike for concurrent identical submissions', async () => {
    const { districtId, api } = await newDistrict();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.POST('/v1/districts/{districtId}/assessments', { ...of(districtId), body: evidence('e-race') }),
      ),
    );
    expect(answers.filter((a) => a.response.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.response.status === 200)).toHaveLength(7);
    expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
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
      body: { ...evidence('e-y'), padding: 'x'.repeat(300 * 1024) },
    });
    expect(huge.status).toBe(413);
    const unknown = await call('GET', `/v1/districts/${target.districtId('no-such-district')}/framework`, {
      key: stateKey,
    });
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
