/**
 * The reference computation of the progress body (test/support/reference-progress.ts) on cases worked out by
 * hand from PRODUCT §5, so that the end-to-end comparison rests on a reference that is itself checked.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompetencyEvidence,
  type ConditionRating,
  compareInstants,
  type Framework,
  hiddenCells,
  isMastery,
  parseInstant,
  type ReferenceInput,
  rate4,
  referenceCounts,
  referenceProgress,
  roundDiv,
  scoreLevels,
} from '../support/reference-progress';

const framework: Framework = {
  visionStatement: 'Every learner graduates ready.',
  conditions: [
    { id: 'shared-vision', name: 'Shared Vision', priority: true },
    { id: 'culture', name: 'Culture', priority: false },
  ],
  roles: ['teacher', 'student', 'principal', 'family'],
  rubric: ['Exploring', 'Emerging', 'Developing', 'Sustaining'],
  competencies: [{ id: 'critical-thinking', name: 'Critical Thinking' }],
  proficiency: { levels: 4, masteryThreshold: 3 },
  masteryMethod: { method: 'decaying_average', weight: 65 },
};

const NOW = new Date('2026-11-20T03:00:00Z');

function input(overrides: Partial<ReferenceInput>): ReferenceInput {
  return {
    districtId: 'lincoln',
    framework,
    timezone: 'America/New_York',
    minimumN: 10,
    now: NOW,
    milestones: [],
    submissions: [],
    voided: new Set(),
    eventsApplied: 0,
    ...overrides,
  };
}

let sequence = 0;
function rating(
  respondentId: string,
  role: string,
  levels: Record<string, number>,
  submittedAt = '2026-11-18T14:00:00-05:00',
  submissionId = `s-${++sequence}`,
): ConditionRating {
  return {
    type: 'condition-rating',
    submissionId,
    respondent: { id: respondentId, role },
    submittedAt,
    ratings: Object.entries(levels).map(([conditionId, level]) => ({ conditionId, level })),
  };
}

function evidence(
  learnerId: string,
  level: number,
  assessedOn: string,
  groups: string[] = [],
  submissionId = `e-${++sequence}`,
): CompetencyEvidence {
  return {
    type: 'competency-evidence',
    submissionId,
    learner: { id: learnerId, groups },
    competencyId: 'critical-thinking',
    level,
    assessedOn,
  };
}

/** `count` respondents of one role, each with one rating of `conditionId` at `level`. */
function respondents(prefix: string, role: string, count: number, level: number): ConditionRating[] {
  return Array.from({ length: count }, (_, index) => rating(`${prefix}-${index}`, role, { culture: level }));
}

describe('exact arithmetic', () => {
  it("scores Canvas's example 1,2,3,4,5 at decaying_average 65 as exactly 4.125, which rounds to 4.13", () => {
    const score = scoreLevels([1, 2, 3, 4, 5], {
      proficiency: { levels: 5, masteryThreshold: 4 },
      masteryMethod: { method: 'decaying_average', weight: 65 },
    });
    // 5 × 0.65 + (1+2+3+4)/4 × 0.35 = 3.25 + 0.875
    expect(score).toEqual({ num: 5n * 65n * 4n + 10n * 35n, den: 400n });
    expect(score && roundDiv(score.num * 100n, score.den)).toBe(413n);
  });

  it('rounds halves away from zero on the exact value', () => {
    expect(roundDiv(4125n, 1000n)).toBe(4n);
    expect(roundDiv(41250n, 10000n)).toBe(4n);
    expect(roundDiv(1005n * 100n, 100000n)).toBe(1n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(rate4(1, 32)).toBe(0.0313); // 0.03125
    expect(rate4(2, 3)).toBe(0.6667);
    expect(rate4(1, 8)).toBe(0.125);
  });

  it('reaches mastery with a score that rounds up to the threshold, and not one below', () => {
    const at = (levels: number[], weight: number) =>
      scoreLevels(levels, {
        proficiency: { levels: 4, masteryThreshold: 3 },
        masteryMethod: { method: 'decaying_average', weight },
      });
    // 4 × 0.33 + 2.5 × 0.67 = 1.32 + 1.675 = 2.995 → 3.00
    const rounded = at([1, 4, 4], 33);
    expect(rounded).toEqual({ num: 599n, den: 200n });
    expect(rounded && isMastery(rounded, 3)).toBe(true);
    // 4 × 0.32 + 2.5 × 0.68 = 2.98
    const below = at([1, 4, 4], 32);
    expect(below && isMastery(below, 3)).toBe(false);
  });

  it('gives n_mastery no score with fewer than n levels at the threshold', () => {
    const method = {
      proficiency: { levels: 4, masteryThreshold: 3 },
      masteryMethod: { method: 'n_mastery' as const, n: 2 },
    };
    expect(scoreLevels([3, 1, 1], method)).toBeUndefined();
    expect(scoreLevels([3, 1, 4], method)).toEqual({ num: 7n, den: 2n });
  });

  it('reads timestamps exactly, offsets and fractions beyond the millisecond included', () => {
    const same = [
      '2026-11-18T14:00:00-05:00',
      '2026-11-18T19:00:00Z',
      '2026-11-19T00:30:00+05:30',
      '2026-11-18T19:00:00.000z',
    ];
    for (const text of same) expect(compareInstants(parseInstant(text), parseInstant(same[0]!))).toBe(0);
    expect(
      compareInstants(parseInstant('2026-11-18T20:00:00+01:00'), parseInstant('2026-11-18T19:00:00.001Z')),
    ).toBe(-1);
    expect(
      compareInstants(parseInstant('2026-11-18T19:00:00.0001Z'), parseInstant('2026-11-18T19:00:00.00005Z')),
    ).toBe(1);
    expect(
      compareInstants(
        parseInstant('2026-11-18T19:00:00.0000000001Z'),
        parseInstant('2026-11-18T19:00:00.00000000010Z'),
      ),
    ).toBe(0);
  });
});

describe('complementary suppression', () => {
  it('hides the next smallest cell, ties by key, when exactly one is below n', () => {
    const cells = [
      ['teacher', 12],
      ['student', 11],
      ['principal', 11],
      ['family', 3],
    ] as const;
    expect([...hiddenCells(cells, 10)].sort()).toEqual(['family', 'principal']);
    expect([...hiddenCells([...cells, ['community', 4]], 10)].sort()).toEqual(['community', 'family']);
    expect([...hiddenCells([['ell', 4]], 10)]).toEqual(['ell']);
    expect(hiddenCells([['ell', 10]], 10).size).toBe(0);
  });

  it('publishes a condition with one small role as two hidden cells, the gap over the visible ones', () => {
    const body = referenceProgress(
      input({
        submissions: [
          ...respondents('t', 'teacher', 12, 3), // mean 3
          ...respondents('s', 'student', 10, 2),
          rating('s-extra', 'student', { culture: 3 }), // student: 23 / 11 = 2.0909 → 2.09
          ...respondents('p', 'principal', 11, 4),
          ...respondents('f', 'family', 3, 1),
        ],
      }),
    );
    // 36 + 23 + 44 + 3 = 106 over 37 respondents = 2.86486… → 2.86
    expect(body.conditions[1]).toEqual({
      conditionId: 'culture',
      name: 'Culture',
      priority: false,
      responses: 37,
      mean: 2.86,
      byRole: {
        teacher: { n: 12, mean: 3 },
        student: { n: 11, mean: 2.09 },
        principal: { suppressed: true },
        family: { suppressed: true },
      },
      alignmentGap: 0.91,
    });
    expect(Object.keys((body.conditions[1] as { byRole: object }).byRole)).toEqual([
      'teacher',
      'student',
      'principal',
      'family',
    ]);
    // nobody rated shared-vision: the whole condition is hidden, its head kept
    expect(body.conditions[0]).toEqual({
      conditionId: 'shared-vision',
      name: 'Shared Vision',
      priority: true,
      suppressed: true,
    });
  });

  it('counts only the latest rating per respondent and condition, with the role on it', () => {
    const submissions = [
      ...respondents('t', 'teacher', 10, 2),
      // r-x: s-b reads later as text but is an hour earlier as an instant; s-a, s-c and s-d are the same instant,
      // so the highest id of those not voided is the latest
      rating('r-x', 'teacher', { culture: 1 }, '2026-11-18T20:00:00+02:00', 's-b'),
      rating('r-x', 'student', { culture: 4 }, '2026-11-18T19:00:00Z', 's-a'),
      rating('r-x', 'student', { culture: 3 }, '2026-11-18T14:00:00-05:00', 's-c'),
      rating('r-x', 'teacher', { culture: 1 }, '2026-11-18T14:00:00-05:00', 's-d'),
    ];
    const body = referenceProgress(input({ submissions, voided: new Set(['s-d']) }));
    const culture = body.conditions[1] as { responses: number; byRole: Record<string, unknown> };
    expect(culture.responses).toBe(11);
    // student 1 is below n, the only other cell (teacher) is hidden with it
    expect(culture.byRole).toEqual({ teacher: { suppressed: true }, student: { suppressed: true } });
    expect(referenceCounts(input({ submissions, voided: new Set(['s-d']) })).conditions.culture).toEqual({
      n: 11,
      cells: { teacher: 10, student: 1 },
    });
    // without the void, s-d is the latest (same instant as s-c, higher id): r-x is a teacher at 1
    const unvoided = referenceCounts(input({ submissions }));
    expect(unvoided.conditions.culture).toEqual({ n: 11, cells: { teacher: 11 } });
  });
});

describe('competencies', () => {
  it('scores the Canvas sequence by assessedOn, not by posting order, at mastery of 4 (4.125 → 4.13)', () => {
    const canvas: Framework = { ...framework, proficiency: { levels: 5, masteryThreshold: 4 } };
    const submissions = Array.from({ length: 10 }, (_, learner) =>
      [5, 4, 3, 2, 1].map((level) => evidence(`l-${learner}`, level, `2026-09-0${level}`, ['ell'])),
    ).flat();
    const body = referenceProgress(input({ framework: canvas, submissions }));
    expect(body.competencies[0]).toEqual({
      competencyId: 'critical-thinking',
      name: 'Critical Thinking',
      learnersAssessed: 10,
      atMastery: 10,
      masteryRate: 1,
      byGroup: { ell: { n: 10, masteryRate: 1 } },
    });
  });

  it('counts a learner with no n_mastery score as assessed but not at mastery', () => {
    const nMastery: Framework = { ...framework, masteryMethod: { method: 'n_mastery', n: 2 } };
    const submissions = [
      // 8 learners with two levels at 3 or more: mean of those ≥ 3
      ...Array.from({ length: 8 }, (_, index) => [
        evidence(`m-${index}`, 3, '2026-09-01', ['iep']),
        evidence(`m-${index}`, 4, '2026-09-02', ['ell', 'ell']),
      ]).flat(),
      // 3 learners with one level at the threshold: no score
      ...Array.from({ length: 3 }, (_, index) => [
        evidence(`f-${index}`, 4, '2026-09-01'),
        evidence(`f-${index}`, 1, '2026-09-02', ['ell']),
      ]).flat(),
    ];
    const body = referenceProgress(input({ framework: nMastery, submissions }));
    // ell: 11 learners (groups of the latest evidence, a repeated group once), 8 at mastery; iep is on no latest
    // evidence, so it is not listed
    expect(body.competencies[0]).toEqual({
      competencyId: 'critical-thinking',
      name: 'Critical Thinking',
      learnersAssessed: 11,
      atMastery: 8,
      masteryRate: 0.7273,
      byGroup: { ell: { n: 11, masteryRate: 0.7273 } },
    });
  });

  it('orders ties on assessedOn by submissionId', () => {
    const latest: Framework = { ...framework, masteryMethod: { method: 'latest' } };
    const submissions = Array.from({ length: 10 }, (_, index) => [
      evidence(`l-${index}`, 4, '2026-09-01', ['a'], `e-${index}-9`),
      // same day, higher id in code-unit order ("e-…-a" > "e-…-9"): this one is the latest
      evidence(`l-${index}`, index < 4 ? 1 : 3, '2026-09-01', index < 7 ? ['b'] : ['a'], `e-${index}-a`),
    ]).flat();
    const body = referenceProgress(input({ framework: latest, submissions }));
    expect(body.competencies[0]).toMatchObject({
      learnersAssessed: 10,
      atMastery: 6,
      masteryRate: 0.6,
      byGroup: { a: { suppressed: true }, b: { suppressed: true } },
    });
  });
});

describe('milestones', () => {
  it('counts statuses, completion, overdue in the district timezone and stale after more than 30 days', () => {
    const thirtyDaysAgo = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
    const justOver = new Date(NOW.getTime() - 30 * 86_400_000 - 1).toISOString();
    const milestones = [
      // 2026-11-20T03:00Z is still 2026-11-19 in New York: due that day is not overdue yet
      {
        milestoneId: 'a',
        conditionId: 'culture',
        status: 'on_track' as const,
        dueDate: '2026-11-19',
        updatedAt: thirtyDaysAgo,
      },
      {
        milestoneId: 'b',
        conditionId: 'culture',
        status: 'at_risk' as const,
        dueDate: '2026-11-18',
        updatedAt: justOver,
      },
      {
        milestoneId: 'c',
        conditionId: 'other',
        status: 'achieved' as const,
        dueDate: '2026-01-01',
        updatedAt: justOver,
      },
      { milestoneId: 'd', conditionId: 'shared-vision', status: 'cancelled' as const, updatedAt: justOver },
    ];
    const body = referenceProgress(input({ milestones, eventsApplied: 9 }));
    expect(body.milestones).toEqual({
      total: 4,
      byStatus: { not_started: 0, on_track: 1, at_risk: 1, off_track: 0, achieved: 1, cancelled: 1 },
      completionRate: 0.3333,
      overdue: 1,
      stale: 1,
      byCondition: {
        'shared-vision': { total: 1, achieved: 0 },
        culture: { total: 2, achieved: 0 },
        other: { total: 1, achieved: 1 },
      },
    });
    expect(Object.keys(body.milestones.byCondition)).toEqual(['shared-vision', 'culture', 'other']);
    expect(body.eventsApplied).toBe(9);
    // in UTC it is already 2026-11-20, so a and b are both overdue
    expect(referenceProgress(input({ milestones, timezone: 'UTC' })).milestones.overdue).toBe(2);
    const onlyCancelled = referenceProgress(input({ milestones: milestones.slice(3) }));
    expect(onlyCancelled.milestones.completionRate).toBeNull();
  });
});
