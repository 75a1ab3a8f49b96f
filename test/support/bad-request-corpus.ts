/**
 * A generated corpus of bad requests (property-based, fast-check): wrong types, missing and unknown fields,
 * oversized strings and bodies, bad ids and dates, levels off the scale, unknown references, broken JSON and
 * wrong content types, on every route that takes input. Each must be answered 4xx problem+json, never 5xx.
 *
 * bad-input.test.ts sends it to any API (a contract file) and checks that nothing the API shows changed;
 * bad-input-internals.test.ts sends it to a local stack and checks the table, item by item. Both send the same
 * requests: the seed is fixed, and the ids the corpus names are the only thing that differs between runs.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { seedFramework } from '../../infra/config/default-framework';
import { competencyEvidenceExample, conditionRatingExample } from '../../shared/contract/examples';
import { eventually } from './eventually';
import { send } from './http';

/** Where the corpus goes, and the ids it names. */
export interface CorpusSubjects {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** The district whose routes the corpus is sent to (seeded with seedCorpusDistrict). */
  readonly districtId: string;
  readonly districtKey: string;
  /** The district a body of `POST /v1/districts` names when none of its changes touches the id. */
  readonly newDistrictId: string;
  /** The subscriber address of the valid bodies, which the seeded district holds already. */
  readonly subscriberAddress: string;
}

/** Requests each run of the corpus sends: the bad bodies, then the bad list queries. */
const BODY_RUNS = 720;
const QUERY_RUNS = 40;
export const CORPUS_SIZE = BODY_RUNS + QUERY_RUNS;
const SEED = 20261125;

const MISSING = Symbol('missing');
type Mutation = readonly [path: readonly (string | number)[], value: unknown];

const badIds = ['', 'UPPER', 'has space', '-leading', 'x'.repeat(65), 'ünïcode', 42, null, true, ['a'], {}];
const badDates = ['2026-13-01', '2026-02-30', 'yesterday', '2026-1-1', '20261112', 20261112, '', null];
const badTimestamps = ['2026-11-20T15:04:05', '2026-11-20', 'now', '2026-11-20T25:00:00Z', 1763650000, null];
const badLevels = [0, -1, 5, 11, 2.5, '3', null, true, [3]];
const wrongTypes = [42, true, null, [], {}, 'text'];

/** Invalidating changes per route, each sure to make the body invalid whatever else is changed with it. */
const evidenceMutations: Mutation[] = [
  ...[MISSING, 'mystery', 7].map((v) => [['type'], v] as const),
  ...[MISSING, ...badIds].map((v) => [['submissionId'], v] as const),
  ...[MISSING, 'learner', null, {}, { id: 'l-1', name: 'Ada Lovelace' }].map(
    (v) => [['learner'], v] as const,
  ),
  ...badIds.map((v) => [['learner', 'id'], v] as const),
  ...[['ELL'], 'ell', [1]].map((v) => [['learner', 'groups'], v] as const),
  ...['13', 'grade ten', 10].map((v) => [['learner', 'gradeLevel'], v] as const),
  ...[MISSING, 'juggling', 'unknown-competency', ...badIds].map((v) => [['competencyId'], v] as const),
  ...[MISSING, ...badLevels].map((v) => [['level'], v] as const),
  ...[MISSING, ...badDates].map((v) => [['assessedOn'], v] as const),
  ...[['studentName'], ['dateOfBirth'], ['score']].map((p) => [p, 'unexpected'] as const),
  [['competencyId'], 'x'.repeat(10_000)],
];
const ratingMutations: Mutation[] = [
  ...[MISSING, ...badIds].map((v) => [['submissionId'], v] as const),
  ...[MISSING, null, 'teacher', { id: 'r-1' }, { id: 'r-1', role: 'teacher', email: 'a@b.c' }].map(
    (v) => [['respondent'], v] as const,
  ),
  ...['janitor', ...badIds].map((v) => [['respondent', 'role'], v] as const),
  ...[MISSING, ...badTimestamps].map((v) => [['submittedAt'], v] as const),
  ...[
    MISSING,
    [],
    'culture',
    [{ conditionId: 'culture' }],
    [{ conditionId: 'culture', level: 3, note: 'x' }],
  ].map((v) => [['ratings'], v] as const),
  ...badLevels.map((v) => [['ratings', 0, 'level'], v] as const),
  ...['weather', ...badIds].map((v) => [['ratings', 0, 'conditionId'], v] as const),
  [['ratings', 1, 'conditionId'], 'culture'],
  [['comment'], 'unexpected'],
];
const milestoneMutations: Mutation[] = [
  ...[MISSING, '', 'x'.repeat(301), ...wrongTypes.filter((v) => v !== 'text')].map(
    (v) => [['title'], v] as const,
  ),
  ...[MISSING, 'weather', ...badIds].map((v) => [['conditionId'], v] as const),
  ...[MISSING, 'done', 'ON_TRACK', 3].map((v) => [['status'], v] as const),
  ...badDates.filter((v) => v !== null).map((v) => [['dueDate'], v] as const),
  ...[MISSING, ...badTimestamps].map((v) => [['updatedAt'], v] as const),
  [['status'], 'achieved'],
  [['owner'], 42],
  [['priority'], 'high'],
];
const frameworkMutations: Mutation[] = [
  ...[MISSING, '', 42].map((v) => [['visionStatement'], v] as const),
  ...[
    MISSING,
    [],
    'culture',
    [
      { id: 'a', name: 'A' },
      { id: 'a', name: 'B' },
    ],
  ].map((v) => [['conditions'], v] as const),
  ...[MISSING, [], ['teacher', 'teacher'], ['Teacher']].map((v) => [['roles'], v] as const),
  ...[MISSING, ['only-one'], Array.from({ length: 11 }, (_, i) => `L${i}`)].map(
    (v) => [['rubric'], v] as const,
  ),
  ...[
    { levels: 1, masteryThreshold: 1 },
    { levels: 4, masteryThreshold: 5 },
    { levels: 11, masteryThreshold: 3 },
  ].map((v) => [['proficiency'], v] as const),
  ...[
    { method: 'median' },
    { method: 'decaying_average', weight: 100 },
    { method: 'n_mastery', n: 0 },
    { method: 'highest', weight: 5 },
  ].map((v) => [['masteryMethod'], v] as const),
  [['extra'], true],
];
const districtMutations: Mutation[] = [
  ...[MISSING, ...badIds].map((v) => [['districtId'], v] as const),
  ...[MISSING, '', 'x'.repeat(201), 42].map((v) => [['name'], v] as const),
  ...['Mars/Olympus', 'EST', 5].map((v) => [['timezone'], v] as const),
  [['framework'], { masteryMethod: { method: 'highest' } }],
  [['superintendent'], 'Jane Doe'],
];

const subscriberMutations: Mutation[] = [
  ...[
    MISSING,
    '',
    'not-an-address',
    'a@b',
    'two@@example.org',
    'spaces in@example.org',
    `${'a'.repeat(250)}@example.org`,
    ['corpus@example.org'],
    ...wrongTypes.filter((v) => v !== 'text'),
  ].map((v) => [['email'], v] as const),
  ...['', 'x'.repeat(201), 42, null, ['Ada']].map((v) => [['name'], v] as const),
  ...[MISSING, 'daily', 'Weekly', 7, null].map((v) => [['cadence'], v] as const),
  ...[['districtId'], ['status'], ['subscriberId'], ['phone']].map((p) => [p, 'unexpected'] as const),
];

interface BadRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly key: 'district' | 'state';
}

function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of mutations) {
    let target = copy as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) {
      if (typeof target[step] !== 'object' || target[step] === null) target[step] = {};
      target = target[step] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1] as string | number;
    if (value === MISSING) delete target[last];
    else target[last] = value;
  }
  return copy;
}

/** The valid bodies the corpus mutates, per route. */
function validBodies(subjects: Pick<CorpusSubjects, 'newDistrictId' | 'subscriberAddress'>) {
  return {
    evidence: { ...competencyEvidenceExample, submissionId: 'e-corpus' },
    rating: { ...conditionRatingExample, submissionId: 's-corpus' },
    milestone: {
      title: 'Board adopts Portrait of a Graduate',
      conditionId: 'shared-vision',
      status: 'on_track',
      dueDate: '2027-03-01',
      updatedAt: '2026-11-20T15:04:05Z',
    },
    framework: seedFramework,
    district: { districtId: subjects.newDistrictId, name: 'Corpus' },
    subscriber: { email: subjects.subscriberAddress, name: 'Corpus Reader', cadence: 'weekly' },
    digestRun: { at: '2026-11-30T07:00:00-05:00' },
  };
}

/**
 * Creates the corpus's district with something to protect: a stored milestone, submission and subscriber (whose
 * address a bad body may repeat); resolves the district's key once the metrics worker has applied the two
 * events, so that nothing moves while the corpus runs.
 */
export async function seedCorpusDistrict(
  subjects: Omit<CorpusSubjects, 'districtKey'>,
): Promise<{ readonly districtKey: string }> {
  const { apiUrl, stateKey, districtId } = subjects;
  const valid = validBodies(subjects);
  const created = await send(apiUrl, 'POST', '/v1/districts', {
    key: stateKey,
    body: { districtId, name: 'Corpus' },
  });
  expect(created.status).toBe(201);
  const districtKey: string = created.body.apiKey;
  const seeded = [
    await send(apiUrl, 'POST', `/v1/districts/${districtId}/subscribers`, {
      key: districtKey,
      body: valid.subscriber,
    }),
    await send(apiUrl, 'PUT', `/v1/districts/${districtId}/milestones/m-corpus`, {
      key: districtKey,
      body: valid.milestone,
    }),
    await send(apiUrl, 'POST', `/v1/districts/${districtId}/assessments`, {
      key: districtKey,
      body: valid.evidence,
    }),
  ];
  expect(seeded.map((answer) => answer.status)).toEqual([201, 201, 201]);
  await eventually(async () => {
    const progress = await send(apiUrl, 'GET', `/v1/districts/${districtId}/progress`, { key: districtKey });
    return progress.body.eventsApplied === 2 ? true : undefined;
  });
  return { districtKey };
}

/**
 * Sends the corpus, asserting each answer: 4xx problem+json with a status and a correlation id, and every invalid
 * field listed on a 400; a batch may be answered 200 only with every item refused. Resolves how many requests
 * were sent and how often each status came back.
 */
export async function sendCorpus(
  subjects: CorpusSubjects,
): Promise<{ readonly sent: number; readonly statuses: ReadonlyMap<number, number> }> {
  const { badRequest, badQueries } = corpusOf(subjects);
  const statuses = new Map<number, number>();
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(badRequest, async (request) => {
      const answer = await send(subjects.apiUrl, request.method, request.path, {
        key: request.key === 'state' ? subjects.stateKey : subjects.districtKey,
        body: request.body,
        headers: { 'content-type': request.contentType },
      });
      sent += 1;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const acceptedBatch = request.path.endsWith('/batch') && answer.status === 200;
      if (acceptedBatch) {
        // a well-formed batch answers 200 with a result per item: every item must have been refused
        expect(answer.body.results.every((r: { status: number }) => r.status === 400)).toBe(true);
        return;
      }
      expect(answer.status, `${request.route}: ${request.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ status: answer.status, correlationId: expect.any(String) });
      if (answer.status === 400) expect(answer.body.errors.length).toBeGreaterThan(0);
    }),
    { numRuns: BODY_RUNS, seed: SEED },
  );
  await fc.assert(
    fc.asyncProperty(badQueries, async (query) => {
      const params = new URLSearchParams({
        limit: query.limit,
        ...(query.nextToken ? { nextToken: query.nextToken } : {}),
      });
      const answer = await send(
        subjects.apiUrl,
        'GET',
        `/v1/districts/${subjects.districtId}/${query.list}?${params}`,
        { key: subjects.districtKey },
      );
      sent += 1;
      expect(answer.status).toBe(400);
    }),
    { numRuns: QUERY_RUNS, seed: SEED },
  );
  return { sent, statuses };
}

/** The arbitraries of the corpus for `subjects`' ids. */
function corpusOf(subjects: Pick<CorpusSubjects, 'districtId' | 'newDistrictId' | 'subscriberAddress'>) {
  const { districtId } = subjects;
  const valid = validBodies(subjects);
  const digestRunMutations: Mutation[] = [
    ...badTimestamps.map((v) => [['at'], v] as const),
    [['districtId'], districtId],
    [['cadence'], 'weekly'],
  ];
  const targets = [
    {
      route: 'evidence',
      method: 'POST',
      path: `/v1/districts/${districtId}/assessments`,
      base: valid.evidence,
      mutations: evidenceMutations,
      key: 'district',
    },
    {
      route: 'rating',
      method: 'POST',
      path: `/v1/districts/${districtId}/assessments`,
      base: valid.rating,
      mutations: ratingMutations,
      key: 'district',
    },
    {
      route: 'milestone',
      method: 'PUT',
      path: `/v1/districts/${districtId}/milestones/m-corpus`,
      base: valid.milestone,
      mutations: milestoneMutations,
      key: 'district',
    },
    {
      route: 'framework',
      method: 'PUT',
      path: `/v1/districts/${districtId}/framework`,
      base: valid.framework,
      mutations: frameworkMutations,
      key: 'district',
    },
    {
      route: 'district',
      method: 'POST',
      path: '/v1/districts',
      base: valid.district,
      mutations: districtMutations,
      key: 'state',
    },
    {
      route: 'subscriber',
      method: 'POST',
      path: `/v1/districts/${districtId}/subscribers`,
      base: valid.subscriber,
      mutations: subscriberMutations,
      key: 'district',
    },
    {
      route: 'state-subscriber',
      method: 'POST',
      path: '/v1/subscribers',
      base: valid.subscriber,
      mutations: subscriberMutations,
      key: 'state',
    },
    {
      route: 'digest-run',
      method: 'POST',
      path: '/v1/digests/run',
      base: valid.digestRun,
      mutations: digestRunMutations,
      key: 'state',
    },
  ] as const;

  /** A bad body for one of the routes: 1-3 invalidating changes, then perhaps broken JSON or a wrong type. */
  const badRequest: fc.Arbitrary<BadRequest> = fc
    .constantFrom(...targets)
    .chain((target) =>
      fc.record({
        target: fc.constant(target),
        mutations: fc.uniqueArray(fc.constantFrom(...target.mutations), { minLength: 1, maxLength: 3 }),
        wrapper: fc.constantFrom(
          'plain',
          'plain',
          'plain',
          'batch',
          'truncated',
          'text/plain',
          'form',
          'huge',
        ),
        cut: fc.integer({ min: 1, max: 40 }),
      }),
    )
    .map(({ target, mutations, wrapper, cut }) => {
      const bad = mutate(target.base, mutations);
      const inBatch = wrapper === 'batch' && target.route === 'evidence';
      let body = JSON.stringify(inBatch ? { items: [bad, 'not an object'], extra: 1 } : bad);
      let contentType = 'application/json';
      if (wrapper === 'truncated') body = body.slice(0, Math.max(1, body.length - cut));
      if (wrapper === 'text/plain') contentType = 'text/plain';
      if (wrapper === 'form') contentType = 'application/x-www-form-urlencoded';
      if (wrapper === 'huge') body = JSON.stringify({ ...(bad as object), padding: 'x'.repeat(260 * 1024) });
      return {
        route: target.route,
        method: target.method,
        path: inBatch ? `/v1/districts/${districtId}/assessments/batch` : target.path,
        body,
        contentType,
        key: target.key,
      } satisfies BadRequest;
    });

  const badQueries = fc.record({
    list: fc.constantFrom('milestones', 'subscribers'),
    limit: fc.constantFrom('0', '101', '-5', 'ten', '1.5', ''),
    nextToken: fc.constantFrom(
      undefined,
      'forged',
      Buffer.from('{"pk":"DISTRICT#other","sk":"MILESTONE#x"}').toString('base64url'),
    ),
  });
  return { badRequest, badQueries };
}
