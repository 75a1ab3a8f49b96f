/**
 * The digest model: formatting of the figures, the milestone lists and their date boundaries, change since the
 * last digest, suppression wording, and the state roll-up's rows.
 */
import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../shared/contract/milestones';
import {
  buildDistrictDigest,
  buildStateRollup,
  type DistrictDigestInput,
  describePeriod,
  formatChange,
  type PreviousDigest,
  percent,
} from '../../shared/domain/digest';
import type { ConditionProgress, ProgressReport } from '../../shared/domain/progress';

const NOW = new Date('2026-11-23T12:00:00Z'); // Monday 07:00 in New York

function milestone(overrides: Partial<Milestone> & Pick<Milestone, 'milestoneId'>): Milestone {
  return {
    title: `Milestone ${overrides.milestoneId}`,
    conditionId: 'shared-vision',
    status: 'on_track',
    dueDate: null,
    achievedOn: null,
    owner: null,
    updatedAt: '2026-11-20T15:04:05Z',
    ...overrides,
  };
}

function condition(
  conditionId: string,
  figures: { mean: number; gap?: number | null } | 'suppressed',
): ConditionProgress {
  const head = { conditionId, name: `Condition ${conditionId}`, priority: conditionId !== 'other' };
  if (figures === 'suppressed') return { ...head, suppressed: true };
  return {
    ...head,
    responses: 40,
    mean: figures.mean,
    byRole: { teacher: { n: 25, mean: 2.5 }, family: { suppressed: true }, student: { suppressed: true } },
    alignmentGap: figures.gap ?? null,
  };
}

function report(overrides: Partial<ProgressReport> = {}): ProgressReport {
  return {
    districtId: 'lincoln-usd',
    asOf: NOW.toISOString(),
    eventsApplied: 100,
    milestones: {
      total: 12,
      byStatus: { not_started: 1, on_track: 5, at_risk: 1, off_track: 0, achieved: 4, cancelled: 1 },
      completionRate: 0.3636,
      overdue: 0,
      stale: 0,
      byCondition: {},
    },
    conditions: [condition('shared-vision', { mean: 2.84, gap: 0.62 })],
    competencies: [
      {
        competencyId: 'critical-thinking',
        name: 'Critical Thinking',
        learnersAssessed: 480,
        atMastery: 301,
        masteryRate: 0.6271,
        byGroup: { ell: { n: 40, masteryRate: 0.45 }, iep: { suppressed: true } },
      },
    ],
    ...overrides,
  };
}

/** The previous digest: sent on Monday Nov 16 at 07:00 in New York, with these milestones achieved then. */
function previousDigest(shown: ProgressReport, achievedMilestoneIds: string[] = []): PreviousDigest {
  return { report: shown, sentAt: new Date('2026-11-16T12:00:00Z'), achievedMilestoneIds };
}

function input(overrides: Partial<DistrictDigestInput> = {}): DistrictDigestInput {
  return {
    districtName: 'Lincoln Unified',
    report: report(),
    previous: previousDigest(report({ conditions: [condition('shared-vision', { mean: 2.72, gap: 0.5 })] })),
    milestones: [],
    firstDigestFrom: '2026-11-16',
    now: NOW,
    timezone: 'America/New_York',
    minimumN: 10,
    rubricLevels: 4,
    period: '2026-W48',
    unsubscribeUrl: 'https://vision.example/v1/unsubscribe?token=abc',
    ...overrides,
  };
}

const titles = (list: { items: readonly { title: string }[] }) => list.items.map((item) => item.title);

describe('percent', () => {
  it.each([
    [0.3636, '36%', 36],
    [0.125, '13%', 13], // half away from zero on the decimal value
    [0, '0%', 0],
    [1, '100%', 100],
    [0.004, '<1%', 1], // one achievement out of 250 stays visible
    [0.996, '>99%', 99], // one miss out of 250 stays visible
  ])('shows %d as %s with a bar filled to %i%%', (rate, value, fill) => {
    expect(percent(rate)).toEqual({ value, bar: { fill, rest: 100 - fill } });
  });
});

describe('formatChange', () => {
  it.each([
    [2.84, 2.72, '+0.12'],
    [2.79, 2.84, '\u22120.05'],
    [2.5, 2.5, 'no change'],
    [0.3, 0.1, '+0.20'], // 0.3 - 0.1 is 0.19999999999999998 in binary
    [1, 4, '\u22123.00'],
  ])('from %d to… %d → %s', (current, previous, expected) => {
    expect(formatChange(current, previous)).toBe(expected);
  });
});

describe('describePeriod', () => {
  it('reads ISO weeks and calendar months', () => {
    expect(describePeriod('2026-W48')).toEqual({ kind: 'Weekly digest', span: 'week 48 of 2026' });
    expect(describePeriod('2026-11')).toEqual({ kind: 'Monthly digest', span: 'November 2026' });
    expect(() => describePeriod('2026-11-23')).toThrow(RangeError);
  });
});

describe('buildDistrictDigest', () => {
  it('formats the headline figures, with the district name in the subject', () => {
    const model = buildDistrictDigest(input());

    expect(model.subject).toBe('Lincoln Unified: vision progress, week 48 of 2026');
    expect(model.periodLabel).toBe('Weekly digest · week 48 of 2026');
    expect(model.asOf).toBe('As of Nov 23, 2026');
    expect(model.milestones.completion).toEqual({ value: '36%', bar: { fill: 36, rest: 64 } });
    expect(model.milestones.completionDetail).toBe('4 of 11 milestones achieved (1 cancelled not counted)');
    expect(model.conditions[0]).toEqual({
      name: 'Condition shared-vision',
      priority: 'priority condition',
      mean: '2.84',
      responses: '40 responses',
      change: '+0.12',
      alignmentGap: '0.62',
      roles: [
        { label: 'teacher', value: '2.50 (25 responses)' },
        { label: 'family', value: 'fewer than 10 responses' },
        { label: 'student', value: 'fewer than 10 responses' },
      ],
    });
    expect(model.competencies[0]).toEqual({
      name: 'Critical Thinking',
      masteryRate: { value: '63%', bar: { fill: 63, rest: 37 } },
      learners: '301 of 480 learners at mastery',
      groups: [
        { label: 'ell', value: '45% (40 learners)' },
        { label: 'iep', value: 'fewer than 10 responses' },
      ],
    });
  });

  it('keeps a client name on one line, so it cannot break the subject header', () => {
    const model = buildDistrictDigest(
      input({ districtName: 'Lincoln\r\nBcc: someone@example.com\t Unified ' }),
    );

    expect(model.subject).toBe('Lincoln Bcc: someone@example.com Unified: vision progress, week 48 of 2026');
    expect(model.subject).not.toMatch(/[\r\n]/);
  });

  it('words every suppressed figure with the state minimum n, and shows no change for it', () => {
    const model = buildDistrictDigest(
      input({
        minimumN: 11,
        report: report({
          conditions: [condition('shared-vision', 'suppressed')],
          competencies: [{ competencyId: 'critical-thinking', name: 'Critical Thinking', suppressed: true }],
        }),
      }),
    );

    expect(model.conditions[0]).toMatchObject({
      mean: 'fewer than 11 responses',
      responses: null,
      change: null,
      alignmentGap: null,
      roles: [],
    });
    expect(model.competencies[0]).toEqual({
      name: 'Critical Thinking',
      masteryRate: { value: 'fewer than 11 responses', bar: null },
      learners: null,
      groups: [],
    });
    expect(model.suppressionNote).toBe(
      'To protect individuals, figures about fewer than 11 people are not shown.',
    );
  });

  it('calls a mean "new" when the last digest had none: suppressed then, or not in the framework then', () => {
    const model = buildDistrictDigest(
      input({
        report: report({
          conditions: [condition('shared-vision', { mean: 2.84 }), condition('culture', { mean: 3.1 })],
        }),
        previous: previousDigest(report({ conditions: [condition('shared-vision', 'suppressed')] })),
      }),
    );

    expect(model.conditions.map((c) => c.change)).toEqual(['new', 'new']);
    expect(model.conditions[0]?.alignmentGap).toBe('not enough roles to compare');
  });

  it('shows no change on a first digest, and says why', () => {
    const model = buildDistrictDigest(input({ previous: undefined }));

    expect(model.conditions[0]?.change).toBeNull();
    expect(model.sinceNote).toBe(
      'This is your first digest: changes in the figures are shown from the next one on. Achievements are counted since Nov 16, 2026.',
    );
  });

  it('says "no open milestones" rather than a rate of nothing', () => {
    const base = report();
    const model = buildDistrictDigest(
      input({ report: report({ milestones: { ...base.milestones, completionRate: null } }) }),
    );

    expect(model.milestones.completion).toEqual({ value: 'no open milestones', bar: null });
  });

  describe('achieved since the last digest', () => {
    it('lists what is achieved now and was not at the last digest, whatever its date', () => {
      const milestones = [
        milestone({ milestoneId: 'shown-before', status: 'achieved', achievedOn: '2026-11-12' }),
        // achieved on the day of the last digest, after it went out
        milestone({ milestoneId: 'same-day', status: 'achieved', achievedOn: '2026-11-16' }),
        // recorded late: achieved before the last digest, entered after it
        milestone({ milestoneId: 'recorded-late', status: 'achieved', achievedOn: '2026-11-13' }),
        milestone({ milestoneId: 'latest', status: 'achieved', achievedOn: '2026-11-22' }),
        milestone({ milestoneId: 'open', status: 'on_track', achievedOn: null }),
      ];
      const model = buildDistrictDigest(
        input({ milestones, previous: previousDigest(report(), ['shown-before', 'cancelled-since']) }),
      );

      expect(titles(model.milestones.achieved)).toEqual([
        'Milestone latest',
        'Milestone same-day',
        'Milestone recorded-late',
      ]);
      expect(model.milestones.achieved.heading).toBe('Achieved since your last digest (3)');
      expect(model.milestones.achieved.items[0]?.detail).toBe('achieved Nov 22, 2026');
      expect(model.sinceNote).toBe('Changes are since your last digest of Nov 16, 2026.');
    });

    it('on a first digest lists achievements from the first day of the period before', () => {
      const milestones = [
        milestone({ milestoneId: 'before', status: 'achieved', achievedOn: '2026-09-30' }),
        milestone({ milestoneId: 'first-day', status: 'achieved', achievedOn: '2026-10-01' }),
        milestone({ milestoneId: 'this-month', status: 'achieved', achievedOn: '2026-11-02' }),
      ];
      const model = buildDistrictDigest(
        input({ previous: undefined, milestones, period: '2026-11', firstDigestFrom: '2026-10-01' }),
      );

      expect(titles(model.milestones.achieved)).toEqual(['Milestone this-month', 'Milestone first-day']);
      expect(model.milestones.achieved.heading).toBe('Achieved since Oct 1, 2026 (2)');
    });
  });

  describe('overdue', () => {
    // 04:30 UTC on the 24th is 23:30 on the 23rd in New York: "today" is still the 23rd there
    const lateEvening = new Date('2026-11-24T04:30:00Z');
    const milestones = [
      milestone({ milestoneId: 'due-today', dueDate: '2026-11-23' }),
      milestone({ milestoneId: 'due-yesterday', dueDate: '2026-11-22', owner: 'Board Secretary' }),
      milestone({ milestoneId: 'long-ago', dueDate: '2026-10-01', status: 'at_risk' }),
      milestone({
        milestoneId: 'achieved',
        dueDate: '2026-10-01',
        status: 'achieved',
        achievedOn: '2026-10-02',
      }),
      milestone({ milestoneId: 'cancelled', dueDate: '2026-10-01', status: 'cancelled' }),
      milestone({ milestoneId: 'no-due-date', dueDate: null }),
    ];

    it('lists open milestones due before today in the district timezone, most overdue first', () => {
      const model = buildDistrictDigest(input({ milestones, now: lateEvening }));

      expect(titles(model.milestones.overdue)).toEqual(['Milestone long-ago', 'Milestone due-yesterday']);
      expect(model.milestones.overdueCount).toBe('2 overdue milestones');
      expect(model.milestones.overdue.items).toEqual([
        { title: 'Milestone long-ago', detail: 'due Oct 1, 2026 · 53 days overdue · at risk', owner: null },
        {
          title: 'Milestone due-yesterday',
          detail: 'due Nov 22, 2026 · 1 day overdue · on track',
          owner: 'owner: Board Secretary',
        },
      ]);
    });

    it('is reckoned in the district timezone, not UTC', () => {
      const model = buildDistrictDigest(input({ milestones, now: lateEvening, timezone: 'UTC' }));

      expect(titles(model.milestones.overdue)).toContain('Milestone due-today');
    });

    it('cuts a long list at the limit and counts the rest', () => {
      const many = Array.from({ length: 13 }, (_, i) =>
        milestone({ milestoneId: `m-${String(i).padStart(2, '0')}`, dueDate: '2026-11-01' }),
      );
      const model = buildDistrictDigest(input({ milestones: many, listLimit: 10 }));

      expect(model.milestones.overdue.items).toHaveLength(10);
      expect(model.milestones.overdue.items[0]?.title).toBe('Milestone m-00'); // ties by id
      expect(model.milestones.overdue.more).toBe('and 3 more');
      expect(model.milestones.overdue.heading).toBe('Overdue (13)');
    });
  });

  describe('stale', () => {
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;

    it('lists open milestones not updated for more than 30 days, oldest first; exactly 30 days is not stale', () => {
      const milestones = [
        milestone({
          milestoneId: 'exactly-30',
          updatedAt: new Date(NOW.getTime() - thirtyDays).toISOString(),
        }),
        milestone({
          milestoneId: 'just-over',
          updatedAt: new Date(NOW.getTime() - thirtyDays - 1).toISOString(),
        }),
        milestone({ milestoneId: 'oldest', updatedAt: '2026-09-01T10:00:00Z', status: 'off_track' }),
        milestone({
          milestoneId: 'closed',
          updatedAt: '2026-09-01T10:00:00Z',
          status: 'achieved',
          achievedOn: '2026-09-01',
        }),
      ];
      const model = buildDistrictDigest(input({ milestones }));

      expect(titles(model.milestones.stale)).toEqual(['Milestone oldest', 'Milestone just-over']);
      expect(model.milestones.stale.items[0]?.detail).toBe(
        'last updated Sep 1, 2026 (83 days ago) · off track',
      );
      expect(model.milestones.staleCount).toBe('2 stale milestones');
    });
  });
});

describe('buildStateRollup', () => {
  it('has one row per district in name order, with its headline figures and each priority condition', () => {
    const base = report();
    const model = buildStateRollup({
      stateName: 'Ohio',
      districts: [
        {
          districtName: 'Zanesville City',
          report: report({
            milestones: { ...base.milestones, overdue: 1 },
            conditions: [condition('shared-vision', 'suppressed'), condition('other', { mean: 1.5 })],
          }),
        },
        {
          districtName: 'Akron Public',
          report: report({
            milestones: { ...base.milestones, completionRate: null, overdue: 0 },
            conditions: [condition('shared-vision', { mean: 2.8 }), condition('culture', { mean: 3.05 })],
          }),
        },
      ],
      now: NOW,
      timezone: 'America/New_York',
      minimumN: 10,
      period: '2026-11',
      unsubscribeUrl: 'https://vision.example/v1/unsubscribe?token=s',
    });

    expect(model.subject).toBe('Ohio: vision progress by district, November 2026');
    expect(model.districtCount).toBe('2 districts');
    expect(model.rows).toEqual([
      {
        districtName: 'Akron Public',
        completion: { value: 'no open milestones', bar: null },
        overdue: '0 overdue milestones',
        overdueAlert: false,
        conditions: [
          { label: 'Condition shared-vision', value: '2.80' },
          { label: 'Condition culture', value: '3.05' },
        ],
      },
      {
        districtName: 'Zanesville City',
        completion: { value: '36%', bar: { fill: 36, rest: 64 } },
        overdue: '1 overdue milestone',
        overdueAlert: true,
        conditions: [
          { label: 'Condition shared-vision', value: 'fewer than 10 responses' },
          { label: 'Condition culture', value: "not in this district's framework" },
        ],
      },
    ]);
  });
});
