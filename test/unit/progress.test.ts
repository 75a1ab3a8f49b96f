import { describe, expect, it } from 'vitest';
import type { Framework } from '../../shared/contract/framework';
import {
  competencyFigures,
  computeProgress,
  conditionFigures,
  isOverdue,
  isStale,
  type LatestRating,
  type LearnerScore,
  type MilestoneFact,
  milestoneFigures,
  type ProgressInput,
} from '../../shared/domain/progress';

const framework: Framework = {
  visionStatement: "Every learner graduates ready for what's next.",
  conditions: [
    { id: 'shared-vision', name: 'Shared Vision', priority: true },
    { id: 'culture', name: 'Learning Community Culture', priority: true },
    { id: 'agency', name: 'Collective and Individual Agency', priority: false },
  ],
  roles: ['superintendent', 'principal', 'teacher', 'family'],
  rubric: ['Exploring', 'Emerging', 'Developing', 'Sustaining'],
  competencies: [
    { id: 'collaboration', name: 'Collaboration' },
    { id: 'critical-thinking', name: 'Critical Thinking' },
    { id: 'communication', name: 'Communication' },
  ],
  proficiency: { levels: 4, masteryThreshold: 3 },
  masteryMethod: { method: 'n_mastery', n: 2 },
};

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 86_400_000;
const HIDDEN = { suppressed: true };

function input(overrides: Partial<ProgressInput> = {}): ProgressInput {
  return {
    districtId: 'lincoln-usd',
    framework,
    minimumN: 3,
    timezone: 'America/New_York',
    now: NOW,
    asOf: '2026-11-20T11:58:00.000Z',
    eventsApplied: 57,
    milestones: [],
    latestRatings: [],
    learnerScores: [],
    ...overrides,
  };
}

function milestone(fields: Partial<MilestoneFact> & Pick<MilestoneFact, 'milestoneId'>): MilestoneFact {
  return {
    conditionId: 'shared-vision',
    status: 'on_track',
    dueDate: null,
    achievedOn: null,
    updatedAt: '2026-11-19T09:00:00Z',
    ...fields,
  };
}

let respondentSeq = 0;
/** One latest rating per level, each from a new respondent. */
function ratings(conditionId: string, role: string, levels: readonly number[]): LatestRating[] {
  return levels.map((level) => ({ respondentId: `r-${++respondentSeq}`, conditionId, role, level }));
}

function learner(
  learnerId: string,
  competencyId: string,
  score: number | undefined,
  groups: string[] = [],
): LearnerScore {
  return { learnerId, competencyId, score, groups };
}

describe('computeProgress', () => {
  it('computes a worked example by hand', () => {
    const report = computeProgress(
      input({
        milestones: [
          milestone({
            milestoneId: 'm1',
            status: 'achieved',
            dueDate: '2026-10-01',
            achievedOn: '2026-09-30',
            updatedAt: '2026-01-01T00:00:00Z', // old, but achieved: not stale
          }),
          milestone({ milestoneId: 'm2', dueDate: '2026-11-19', updatedAt: '2026-11-01T00:00:00Z' }), // overdue
          milestone({
            milestoneId: 'm3',
            conditionId: 'culture',
            status: 'at_risk',
            dueDate: '2026-11-20', // due today: not overdue yet
            updatedAt: '2026-10-01T00:00:00Z', // stale
          }),
          milestone({
            milestoneId: 'm4',
            conditionId: 'culture',
            status: 'cancelled',
            dueDate: '2026-01-01',
            updatedAt: '2025-01-01T00:00:00Z',
          }),
          milestone({
            milestoneId: 'm5',
            conditionId: 'agency',
            status: 'not_started',
            updatedAt: '2026-09-01T00:00:00Z', // stale
          }),
          milestone({ milestoneId: 'm6', conditionId: 'legacy', status: 'off_track', dueDate: '2026-12-01' }),
          milestone({
            milestoneId: 'm7',
            conditionId: 'agency',
            status: 'achieved',
            achievedOn: '2026-11-02',
          }),
        ],
        latestRatings: [
          // shared-vision: teacher 2,3,3,4 (mean 3.00); principal 4,4,3 (3.67); family 1,2 (too few)
          ...ratings('shared-vision', 'teacher', [2, 3, 3, 4]),
          ...ratings('shared-vision', 'principal', [4, 4, 3]),
          ...ratings('shared-vision', 'family', [1, 2]),
          // culture: superintendent 4 (too few); principal 3,3,3; teacher 2,2,1,1,2,3 (1.83); family 3,4,4,3,3 (3.40)
          ...ratings('culture', 'superintendent', [4]),
          ...ratings('culture', 'principal', [3, 3, 3]),
          ...ratings('culture', 'teacher', [2, 2, 1, 1, 2, 3]),
          ...ratings('culture', 'family', [3, 4, 4, 3, 3]),
          // agency: two responses in all
          ...ratings('agency', 'teacher', [2, 4]),
          // not in the framework: left out
          ...ratings('legacy', 'teacher', [1, 1, 1]),
          ...ratings('culture', 'board', [1, 1, 1]),
        ],
        learnerScores: [
          learner('l1', 'critical-thinking', 4, ['ell', 'gifted']),
          learner('l2', 'critical-thinking', 2.995, ['ell', 'iep']), // 3.00: at mastery
          learner('l3', 'critical-thinking', 2.994, ['ell']), // 2.99: not
          learner('l4', 'critical-thinking', undefined, ['gifted']), // no n_mastery score: assessed, not at mastery
          learner('l5', 'critical-thinking', 3, ['iep', 'iep', 'gifted']),
          learner('l6', 'critical-thinking', 1, ['ell']),
          learner('l1', 'collaboration', 4, ['ell']),
          learner('l2', 'collaboration', 3, ['ell']),
          learner('l1', 'retired-competency', 4),
        ],
      }),
    );

    expect(report).toEqual({
      districtId: 'lincoln-usd',
      asOf: '2026-11-20T11:58:00.000Z',
      eventsApplied: 57,
      milestones: {
        total: 7,
        byStatus: { not_started: 1, on_track: 1, at_risk: 1, off_track: 1, achieved: 2, cancelled: 1 },
        completionRate: 0.3333, // 2 / (7 − 1)
        overdue: 1,
        stale: 2,
        byCondition: {
          'shared-vision': { total: 2, achieved: 1 },
          culture: { total: 2, achieved: 0 },
          agency: { total: 2, achieved: 1 },
          legacy: { total: 1, achieved: 0 },
        },
      },
      conditions: [
        {
          conditionId: 'shared-vision',
          name: 'Shared Vision',
          priority: true,
          responses: 9,
          mean: 2.89, // 26 / 9
          // family is small; principal, the next smallest, goes with it
          byRole: { principal: HIDDEN, teacher: { n: 4, mean: 3 }, family: HIDDEN },
          alignmentGap: null, // one visible role
        },
        {
          conditionId: 'culture',
          name: 'Learning Community Culture',
          priority: true,
          responses: 15,
          mean: 2.73, // 41 / 15
          byRole: {
            superintendent: HIDDEN,
            principal: HIDDEN,
            teacher: { n: 6, mean: 1.83 },
            family: { n: 5, mean: 3.4 },
          },
          alignmentGap: 1.57, // 3.40 − 1.83
        },
        {
          conditionId: 'agency',
          name: 'Collective and Individual Agency',
          priority: false,
          suppressed: true,
        },
      ],
      competencies: [
        { competencyId: 'collaboration', name: 'Collaboration', suppressed: true },
        {
          competencyId: 'critical-thinking',
          name: 'Critical Thinking',
          learnersAssessed: 6,
          atMastery: 3,
          masteryRate: 0.5,
          // iep (2) is small; gifted (3) is the next smallest
          byGroup: { ell: { n: 4, masteryRate: 0.5 }, gifted: HIDDEN, iep: HIDDEN },
        },
        { competencyId: 'communication', name: 'Communication', suppressed: true },
      ],
    });
    // a hidden cell or entity carries nothing else
    expect(Object.keys(report.conditions[2]!)).toEqual(['conditionId', 'name', 'priority', 'suppressed']);
  });

  it('lists every condition and competency in framework order, suppressed, when there is no data', () => {
    const report = computeProgress(input({ minimumN: 10, asOf: null, eventsApplied: 0 }));
    expect(report.conditions).toEqual([
      { conditionId: 'shared-vision', name: 'Shared Vision', priority: true, suppressed: true },
      { conditionId: 'culture', name: 'Learning Community Culture', priority: true, suppressed: true },
      { conditionId: 'agency', name: 'Collective and Individual Agency', priority: false, suppressed: true },
    ]);
    expect(report.competencies).toEqual([
      { competencyId: 'collaboration', name: 'Collaboration', suppressed: true },
      { competencyId: 'critical-thinking', name: 'Critical Thinking', suppressed: true },
      { competencyId: 'communication', name: 'Communication', suppressed: true },
    ]);
    expect(report.milestones).toEqual({
      total: 0,
      byStatus: { not_started: 0, on_track: 0, at_risk: 0, off_track: 0, achieved: 0, cancelled: 0 },
      completionRate: null,
      overdue: 0,
      stale: 0,
      byCondition: {},
    });
    expect(report.asOf).toBeNull();
  });

  it('follows framework order whatever the order of the data', () => {
    const report = computeProgress(
      input({
        minimumN: 1,
        latestRatings: [...ratings('agency', 'teacher', [1]), ...ratings('shared-vision', 'family', [2])],
        learnerScores: [learner('l1', 'communication', 4), learner('l1', 'collaboration', 1)],
      }),
    );
    expect(report.conditions.map((condition) => condition.conditionId)).toEqual([
      'shared-vision',
      'culture',
      'agency',
    ]);
    expect(report.competencies.map((competency) => competency.competencyId)).toEqual([
      'collaboration',
      'critical-thinking',
      'communication',
    ]);
  });

  it('counts a learner without an n_mastery score as assessed and not at mastery', () => {
    const scores = [
      ...[4, 3, 3.5, 3, 4, 3].map((score, index) =>
        learner(`l${index}`, 'critical-thinking', score, ['ell']),
      ),
      ...['u1', 'u2', 'u3', 'u4'].map((id) => learner(id, 'critical-thinking', undefined, ['ell'])),
    ];
    const report = computeProgress(input({ minimumN: 10, learnerScores: scores }));
    expect(report.competencies[1]).toEqual({
      competencyId: 'critical-thinking',
      name: 'Critical Thinking',
      learnersAssessed: 10,
      atMastery: 6,
      masteryRate: 0.6,
      byGroup: { ell: { n: 10, masteryRate: 0.6 } },
    });
  });

  it('leaves the alignment gap to the roles left visible after suppression', () => {
    const latestRatings = [
      ...ratings('culture', 'teacher', Array(20).fill(2)), // mean 2
      ...ratings('culture', 'principal', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]), // 16, mean 3.38 (3.375)
      ...ratings('culture', 'family', [4, 4, 4, 4, 4]), // hidden: mean 4
      ...ratings('culture', 'superintendent', [1, 1]), // hidden: mean 1
    ];
    const culture = computeProgress(input({ minimumN: 10, latestRatings })).conditions[1];
    expect(culture).toMatchObject({
      responses: 43,
      byRole: {
        superintendent: HIDDEN,
        principal: { n: 16, mean: 3.38 },
        teacher: { n: 20, mean: 2 },
        family: HIDDEN,
      },
      alignmentGap: 1.38, // not 4 − 1 = 3
    });
  });

  it('has no alignment gap when complementary suppression leaves one role', () => {
    const latestRatings = [
      ...ratings('culture', 'teacher', Array(20).fill(2)),
      ...ratings('culture', 'principal', Array(12).fill(3)),
      ...ratings('culture', 'family', Array(5).fill(4)),
    ];
    const culture = computeProgress(input({ minimumN: 10, latestRatings })).conditions[1];
    expect(culture).toMatchObject({
      byRole: { principal: HIDDEN, teacher: { n: 20, mean: 2 }, family: HIDDEN },
      alignmentGap: null,
    });
  });

  it('shows a condition of exactly the minimum n and hides one just below it', () => {
    const atMinimum = computeProgress(
      input({ minimumN: 10, latestRatings: ratings('agency', 'teacher', Array(10).fill(3)) }),
    );
    expect(atMinimum.conditions[2]).toMatchObject({ responses: 10, mean: 3 });
    const below = computeProgress(
      input({ minimumN: 10, latestRatings: ratings('agency', 'teacher', Array(9).fill(3)) }),
    );
    expect(below.conditions[2]).toEqual({
      conditionId: 'agency',
      name: 'Collective and Individual Agency',
      priority: false,
      suppressed: true,
    });
  });
});

describe('milestone figures', () => {
  const options = { now: NOW, timezone: 'America/New_York', conditionOrder: ['shared-vision', 'culture'] };

  it('does not count a milestone due today in Los Angeles as overdue when it is already tomorrow in UTC', () => {
    // 03:00 UTC on the 21st is 19:00 on the 20th in Los Angeles
    const now = new Date('2026-11-21T03:00:00Z');
    const milestones = [
      milestone({ milestoneId: 'due-today', dueDate: '2026-11-20', updatedAt: '2026-11-20T10:00:00Z' }),
    ];
    expect(milestoneFigures(milestones, { ...options, now, timezone: 'America/Los_Angeles' }).overdue).toBe(
      0,
    );
    expect(milestoneFigures(milestones, { ...options, now, timezone: 'UTC' }).overdue).toBe(1);
  });

  it('counts a milestone due yesterday in the district timezone as overdue', () => {
    expect(isOverdue({ status: 'at_risk', dueDate: '2026-11-19' }, '2026-11-20')).toBe(true);
    expect(isOverdue({ status: 'at_risk', dueDate: '2026-11-20' }, '2026-11-20')).toBe(false);
    expect(isOverdue({ status: 'at_risk', dueDate: null }, '2026-11-20')).toBe(false);
    expect(isOverdue({ status: 'achieved', dueDate: '2026-01-01' }, '2026-11-20')).toBe(false);
    expect(isOverdue({ status: 'cancelled', dueDate: '2026-01-01' }, '2026-11-20')).toBe(false);
  });

  it('calls a milestone stale only after more than 30 days without an update', () => {
    const exactly30 = new Date(NOW.getTime() - 30 * DAY_MS).toISOString();
    const justOver = new Date(NOW.getTime() - 30 * DAY_MS - 1).toISOString();
    expect(isStale({ status: 'on_track', updatedAt: exactly30 }, NOW)).toBe(false);
    expect(isStale({ status: 'on_track', updatedAt: justOver }, NOW)).toBe(true);
    // the same instant written with an offset
    expect(isStale({ status: 'on_track', updatedAt: '2026-10-21T07:00:00-05:00' }, NOW)).toBe(false);
    expect(isStale({ status: 'on_track', updatedAt: '2026-10-21T06:59:59-05:00' }, NOW)).toBe(true);
    expect(isStale({ status: 'achieved', updatedAt: '2020-01-01T00:00:00Z' }, NOW)).toBe(false);
    expect(isStale({ status: 'cancelled', updatedAt: '2020-01-01T00:00:00Z' }, NOW)).toBe(false);
  });

  it('has no completion rate when every milestone is cancelled', () => {
    const figures = milestoneFigures(
      [
        milestone({ milestoneId: 'a', status: 'cancelled' }),
        milestone({ milestoneId: 'b', status: 'cancelled', conditionId: 'culture' }),
      ],
      options,
    );
    expect(figures).toMatchObject({ total: 2, completionRate: null, overdue: 0, stale: 0 });
    expect(figures.byStatus.cancelled).toBe(2);
  });

  it('rounds the completion rate to 4 decimals', () => {
    const figures = milestoneFigures(
      [
        ...['a', 'b', 'c', 'd'].map((id) =>
          milestone({ milestoneId: id, status: 'achieved', achievedOn: '2026-11-01' }),
        ),
        ...['e', 'f', 'g', 'h', 'i', 'j', 'k'].map((id) => milestone({ milestoneId: id })),
        milestone({ milestoneId: 'l', status: 'cancelled' }),
      ],
      options,
    );
    expect(figures.completionRate).toBe(0.3636); // 4 / 11
  });

  it('keys byCondition by the milestones’ conditions, framework first', () => {
    const figures = milestoneFigures(
      [
        milestone({ milestoneId: 'a', conditionId: 'zeta' }),
        milestone({ milestoneId: 'b', conditionId: 'culture', status: 'achieved', achievedOn: '2026-11-01' }),
        milestone({ milestoneId: 'c', conditionId: 'alpha' }),
      ],
      options,
    );
    expect(Object.entries(figures.byCondition)).toEqual([
      ['culture', { total: 1, achieved: 1 }],
      ['alpha', { total: 1, achieved: 0 }],
      ['zeta', { total: 1, achieved: 0 }],
    ]);
  });
});

describe('figures from stored counters', () => {
  const head = { conditionId: 'culture', name: 'Learning Community Culture', priority: true };

  it('derives a condition from per-role counters, ignoring empty counters and roles outside the framework', () => {
    const figures = conditionFigures(
      head,
      {
        family: { n: 12, sum: 40 },
        teacher: { n: 30, sum: 81 },
        principal: { n: 0, sum: 0 }, // every response voided
        board: { n: 50, sum: 50 }, // role since removed from the framework
      },
      { minimumN: 10, roles: framework.roles },
    );
    expect(figures).toEqual({
      ...head,
      responses: 42,
      mean: 2.88, // 121 / 42 = 2.8809…
      byRole: { teacher: { n: 30, mean: 2.7 }, family: { n: 12, mean: 3.33 } },
      alignmentGap: 0.63, // 3.33 − 2.70
    });
  });

  it('derives a competency from per-group counters, groups in id order', () => {
    const figures = competencyFigures(
      { competencyId: 'critical-thinking', name: 'Critical Thinking' },
      {
        total: { n: 480, atMastery: 301 },
        byGroup: {
          iep: { n: 9, atMastery: 2 },
          ell: { n: 40, atMastery: 18 },
          frl: { n: 0, atMastery: 0 },
          gifted: { n: 55, atMastery: 50 },
        },
      },
      10,
    );
    expect(figures).toEqual({
      competencyId: 'critical-thinking',
      name: 'Critical Thinking',
      learnersAssessed: 480,
      atMastery: 301,
      masteryRate: 0.6271,
      byGroup: { ell: HIDDEN, gifted: { n: 55, masteryRate: 0.9091 }, iep: HIDDEN },
    });
    expect(Object.keys(figures).includes('suppressed')).toBe(false);
  });
});
