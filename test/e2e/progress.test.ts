/**
 * `GET /v1/districts/{districtId}/progress` end to end, compared with an independent reference computation
 * (test/support/reference-progress.ts) of what was posted.
 *
 * Random districts (test/support/random-district.ts; fast-check, fixed seed; `PROGRESS_SEED` replays another
 * one) get a random framework and hundreds of learners and respondents, posted the way real district systems
 * post: singly and in batches, in shuffled order, several requests in flight at once, with identical replays,
 * voids (some twice), milestone re-writes older and newer than the stored one, and removals. Once the platform
 * has applied every event the whole body must equal the reference, before and after the framework is replaced,
 * and every body read along the way must keep small cells hidden.
 *
 * A contract file (test/support/contract-target.ts); progress-internals.test.ts rebuilds the aggregates of a
 * local stack's random district from the raw items and expects nothing to correct.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFramework } from '../../infra/config/default-framework';
import { contractTarget } from '../support/contract-target';
import {
  CONCURRENCY,
  Draw,
  PROGRESS_SEED,
  RandomDistricts,
  runPool,
  withoutAsOf,
} from '../support/random-district';
import {
  type CompetencyEvidence,
  type ConditionRating,
  type Framework,
  type Progress,
  type ReferenceCounts,
  type ReferenceInput,
  referenceProgress,
  type Submission,
} from '../support/reference-progress';

const RUNS = 3;

const target = contractTarget();
let districts: RandomDistricts;

beforeAll(async () => {
  await target.start();
  districts = new RandomDistricts({
    apiUrl: target.apiUrl,
    stateKey: target.stateKey,
    minimumN: target.minimumN,
    districtId: target.districtId,
    clockToleranceMs: target.clockToleranceMs,
  });
});
afterAll(() => target.stop());

describe('progress', () => {
  it('equals the reference for random districts posted concurrently, before and after a new framework', async () => {
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.noBias(fc.integer()), async (districtSeed) => {
          run += 1;
          await districts.check(new Draw(districtSeed), run);
        }),
        // each run posts hundreds of requests: no shrinking, which would post them all again many times
        { seed: PROGRESS_SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (error) {
      const message = `progress property failed (seed ${PROGRESS_SEED}, run ${run}; PROGRESS_SEED=${PROGRESS_SEED} replays it)`;
      throw new Error(message, { cause: error });
    }
    const { serverErrors, settled, coverage, methodsUsed } = districts;
    if (serverErrors > 0) console.warn(`${serverErrors} requests were answered 5xx and sent again`);
    expect(settled).toHaveLength(RUNS * 2);
    expect(Object.entries(coverage).filter(([, count]) => count === 0)).toEqual([]);
    expect([...methodsUsed].sort()).toEqual([
      'average',
      'decaying_average',
      'highest',
      'latest',
      'n_mastery',
    ]);
  }, 300_000);

  it('keeps every cell under minimum n hidden, hides at least two per breakdown, and none can be derived', () => {
    const { bodiesRead, settled } = districts;
    const { minimumN } = target;
    expect(bodiesRead.length).toBeGreaterThan(settled.length);
    for (const body of bodiesRead) checkSuppression(body, minimumN);
    for (const { body, counts, groupsPartitionLearners } of settled) {
      checkSuppression(body, minimumN, { counts, groupsPartitionLearners });
    }
    // the random districts did exercise suppression at every level
    const conditions = settled.flatMap(({ body }) => body.conditions);
    const competencies = settled.flatMap(({ body }) => body.competencies);
    expect(conditions.some((c) => 'suppressed' in c)).toBe(true);
    expect(competencies.some((c) => 'suppressed' in c)).toBe(true);
    const roleCells = conditions.flatMap((c) => ('byRole' in c ? Object.values(c.byRole) : []));
    const groupCells = competencies.flatMap((c) => ('byGroup' in c ? Object.values(c.byGroup) : []));
    for (const cells of [roleCells, groupCells]) {
      expect(cells.some((cell) => 'suppressed' in cell)).toBe(true);
      expect(cells.some((cell) => !('suppressed' in cell))).toBe(true);
    }
  });

  it('re-scores every learner when the framework is replaced', async () => {
    // the project's default framework, named in full: a deployed state's default may be another
    const framework = seedFramework as Framework;
    const timezone = 'America/New_York';
    const district = await districts.newDistrict({ framework, timezone });
    const submissions: Submission[] = [];
    const sequences = [[1, 2, 3, 4], [4, 3, 2, 1], [3, 3], [2, 4], [4], [1, 4, 4], [3, 1, 1], [2, 2, 3], [2]];
    for (let learner = 0; learner < 36; learner += 1) {
      const competencyId = learner < 24 ? 'critical-thinking' : 'communication';
      // of the 24 on critical thinking: ell 14, iep 10, gifted 5 (hidden, and iep with it)
      const groups = learner % 5 === 0 ? ['gifted', 'ell'] : learner % 2 === 0 ? ['ell'] : ['iep'];
      (sequences[learner % sequences.length] ?? []).forEach((level, index) => {
        submissions.push(
          evidenceOf(
            `e-${learner}-${index}`,
            `l-${learner}`,
            competencyId,
            level,
            `2026-09-1${index}`,
            groups,
          ),
        );
      });
    }
    const roles = ['teacher', 'student', 'family', 'principal'];
    for (let respondent = 0; respondent < 30; respondent += 1) {
      const role = roles[respondent < 3 ? 2 : respondent % 2] ?? 'teacher';
      submissions.push(
        ratingOf(`s-${respondent}`, `r-${respondent}`, role, '2026-11-18T14:00:00-05:00', {
          culture: 1 + (respondent % 4),
          agency: 1 + ((respondent * 7) % 4),
        }),
      );
    }
    await runPool(
      submissions.map((submission) => async () => {
        const { response } = await district.api.POST('/v1/districts/{districtId}/assessments', {
          params: { path: { districtId: district.districtId } },
          body: submission,
        });
        expect(response.status).toBe(201);
      }),
      CONCURRENCY,
    );
    const input = (frameworkNow: Framework, now: Date): ReferenceInput => ({
      districtId: district.districtId,
      framework: frameworkNow,
      timezone,
      minimumN: target.minimumN,
      now,
      milestones: [],
      submissions,
      voided: new Set(),
      eventsApplied: submissions.length,
    });
    const before = await districts.settle(district, (now) => referenceProgress(input(framework, now)));
    expect(withoutAsOf(before)).toEqual(referenceProgress(input(framework, new Date())));

    const replaced: Framework = {
      ...framework,
      roles: framework.roles.filter((role) => role !== 'family'),
      competencies: framework.competencies.map((c) =>
        c.id === 'communication' ? { ...c, name: 'Speaking' } : c,
      ),
      proficiency: { levels: 4, masteryThreshold: 2 },
      masteryMethod: { method: 'n_mastery', n: 2 },
    };
    const put = await district.api.PUT('/v1/districts/{districtId}/framework', {
      params: { path: { districtId: district.districtId } },
      body: replaced,
    });
    expect(put.response.status).toBe(200);
    // the n_mastery re-scoring changes who is at mastery: the test would prove nothing if it did not
    expect(referenceProgress(input(replaced, new Date())).competencies).not.toEqual(
      referenceProgress(input(framework, new Date())).competencies,
    );
    const after = await districts.settle(district, (now) => referenceProgress(input(replaced, now)));
    expect(withoutAsOf(after)).toEqual(referenceProgress(input(replaced, new Date())));
    expect(after.eventsApplied).toBe(submissions.length);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// submissions of the re-scoring test

function ratingOf(
  submissionId: string,
  respondentId: string,
  role: string,
  submittedAt: string,
  levels: Record<string, number>,
): ConditionRating {
  return {
    type: 'condition-rating',
    submissionId,
    respondent: { id: respondentId, role },
    submittedAt,
    ratings: Object.entries(levels).map(([conditionId, level]) => ({ conditionId, level })),
  };
}

function evidenceOf(
  submissionId: string,
  learnerId: string,
  competencyId: string,
  level: number,
  assessedOn: string,
  groups: string[],
): CompetencyEvidence {
  return {
    type: 'competency-evidence',
    submissionId,
    learner: { id: learnerId, groups },
    competencyId,
    level,
    assessedOn,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// suppression

/**
 * The suppression rules of PRODUCT §5 on one body. Without `truth`, what any body must show whatever has been
 * applied so far; with it, also that every cell truly under minimum n is hidden and no hidden cell can be derived.
 */
function checkSuppression(
  body: Progress,
  minimumN: number,
  truth?: { counts: ReferenceCounts; groupsPartitionLearners: boolean },
) {
  for (const condition of body.conditions) {
    const trueSizes = truth?.counts.conditions[condition.conditionId];
    if ('suppressed' in condition) {
      expect(Object.keys(condition).sort()).toEqual(['conditionId', 'name', 'priority', 'suppressed']);
      if (trueSizes) expect(trueSizes.n).toBeLessThan(minimumN);
      continue;
    }
    expect(condition.responses).toBeGreaterThanOrEqual(minimumN);
    // roles partition the respondents: the hidden ones must not be derivable from the total
    checkBreakdown(condition.byRole, condition.responses, minimumN, trueSizes?.cells, true);
  }
  for (const competency of body.competencies) {
    const trueSizes = truth?.counts.competencies[competency.competencyId];
    if ('suppressed' in competency) {
      expect(Object.keys(competency).sort()).toEqual(['competencyId', 'name', 'suppressed']);
      if (trueSizes) expect(trueSizes.n).toBeLessThan(minimumN);
      continue;
    }
    expect(competency.learnersAssessed).toBeGreaterThanOrEqual(minimumN);
    checkBreakdown(
      competency.byGroup,
      competency.learnersAssessed,
      minimumN,
      trueSizes?.cells,
      truth?.groupsPartitionLearners ?? false,
    );
  }
}

function checkBreakdown(
  cells: Record<string, { n: number } | { suppressed: true }>,
  total: number,
  minimumN: number,
  trueSizes: Record<string, number> | undefined,
  partitionsTotal: boolean,
) {
  const entries = Object.entries(cells);
  const hidden = entries.filter(([, cell]) => 'suppressed' in cell).map(([key]) => key);
  const visible = entries.flatMap(([, cell]) => ('n' in cell ? [cell.n] : []));
  for (const [, cell] of entries) {
    if ('suppressed' in cell) expect(Object.keys(cell)).toEqual(['suppressed']);
    else expect(cell.n).toBeGreaterThanOrEqual(minimumN);
  }
  // zero or at least two hidden; a breakdown of one cell has no second cell to hide
  if (entries.length > 1) expect(hidden.length).not.toBe(1);
  if (!trueSizes) return;
  expect(Object.keys(cells).sort()).toEqual(Object.keys(trueSizes).sort());
  for (const [key, n] of Object.entries(trueSizes)) {
    if (n < minimumN) expect(hidden).toContain(key);
  }
  if (partitionsTotal) {
    const rest = total - visible.reduce((a, b) => a + b, 0);
    expect(rest).toBe(hidden.reduce((sum, key) => sum + (trueSizes[key] ?? 0), 0));
    for (const key of hidden) expect(rest).not.toBe(trueSizes[key]);
  }
}
