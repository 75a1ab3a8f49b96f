/**
 * Realistic digest inputs for the e-mail tests: reports computed by the real progress code from generated
 * ratings and learner scores (so suppression is the real one), many milestones with long titles, six
 * competencies, and a roll-up of eight districts.
 */
import { seedFramework } from '../../infra/config/default-framework';
import { Framework } from '../../shared/contract/framework';
import type { Milestone } from '../../shared/contract/milestones';
import type { DistrictDigestInput, StateRollupInput } from '../../shared/domain/digest';
import {
  computeProgress,
  type LatestRating,
  type LearnerScore,
  type MilestoneStatus,
  type ProgressReport,
} from '../../shared/domain/progress';
import { seeded } from './seeded';

export const NOW = new Date('2026-11-23T12:00:00Z'); // Monday 07:00 in New York
export const SINCE = new Date('2026-11-16T12:00:00Z');
export const TIMEZONE = 'America/New_York';
export const MINIMUM_N = 10;

export const framework = Framework.parse({
  ...seedFramework,
  conditions: [
    ...seedFramework.conditions,
    { id: 'instructional-framework', name: 'Instructional Framework Alignment', priority: false },
  ],
  competencies: [
    { id: 'critical-thinking', name: 'Critical Thinking and Problem Solving' },
    { id: 'communication', name: 'Communication across Audiences and Media' },
    { id: 'collaboration', name: 'Collaboration' },
    { id: 'creativity', name: 'Creativity and Innovation' },
    { id: 'self-direction', name: 'Self-Direction and Lifelong Learning' },
    { id: 'citizenship', name: 'Local and Global Citizenship' },
  ],
});

/** Respondents per role on every condition but the last two; family and superintendent fall below n. */
const ROLE_SIZES: Record<string, number> = {
  superintendent: 1,
  'district-leader': 11,
  principal: 12,
  teacher: 31,
  student: 45,
  family: 6,
  community: 14,
};

interface ReportOptions {
  readonly seed: number;
  /** Added to every level, to move the means between two reports. */
  readonly shift?: number;
  /** Respondents of the transparency condition (below n: the whole condition is suppressed). */
  readonly transparencyRespondents?: number;
}

/** A district's report, computed by the real progress code. */
export function reportOf(
  districtId: string,
  milestones: readonly Milestone[],
  options: ReportOptions,
): ProgressReport {
  const random = seeded(options.seed);
  const level = (bias: number) =>
    Math.min(4, Math.max(1, Math.round(1 + random() * 3 + bias + (options.shift ?? 0))));
  const latestRatings: LatestRating[] = [];
  framework.conditions.forEach((condition, conditionIndex) => {
    if (condition.id === 'transparency') {
      for (let i = 0; i < (options.transparencyRespondents ?? 5); i += 1) {
        latestRatings.push({
          respondentId: `r-${i}`,
          conditionId: condition.id,
          role: 'teacher',
          level: level(0),
        });
      }
      return;
    }
    for (const [role, size] of Object.entries(ROLE_SIZES)) {
      for (let i = 0; i < size; i += 1) {
        latestRatings.push({
          respondentId: `r-${role}-${i}`,
          conditionId: condition.id,
          role,
          level: level(role === 'student' ? -0.6 : conditionIndex * 0.1),
        });
      }
    }
  });
  const learnerScores: LearnerScore[] = [];
  framework.competencies.forEach((competency, index) => {
    // the last competency has too few learners: the whole competency is suppressed
    const learners = index === 5 ? 8 : 480 - index * 40;
    for (let i = 0; i < learners; i += 1) {
      const groups = [
        ...(i % 12 === 0 ? ['ell'] : []),
        ...(i < 7 ? ['iep'] : []),
        ...(i % 19 === 0 ? ['gifted'] : []),
        ...(i % 3 === 0 ? ['economically-disadvantaged'] : []),
      ];
      learnerScores.push({
        learnerId: `l-${i}`,
        competencyId: competency.id,
        score: 1 + random() * 3 + index * 0.05,
        groups,
      });
    }
  });
  return computeProgress({
    districtId,
    framework,
    minimumN: MINIMUM_N,
    timezone: TIMEZONE,
    now: NOW,
    asOf: NOW.toISOString(),
    eventsApplied: latestRatings.length + learnerScores.length,
    milestones,
    latestRatings,
    learnerScores,
  });
}

const TITLES = [
  'Board adopts Portrait of a Graduate',
  'Community design team publishes the shared vision statement in four languages',
  'Every school leadership team completes the learning community culture self-assessment',
  'Pilot competency-based grading in two middle schools and one high school',
  'Student voice council meets with the superintendent each quarter',
  'Publish the transparency dashboard of milestone progress on the district website',
  'Teachers complete the collective agency professional learning series (cohort 1)',
  'Family advisory group reviews the Portrait of a Graduate rubrics',
  'Align the instructional framework with the Portrait of a Graduate competencies',
  'Capstone defense pilot at Lincoln High School',
];
const STATUSES: MilestoneStatus[] = [
  'on_track',
  'at_risk',
  'off_track',
  'not_started',
  'achieved',
  'cancelled',
];

/** Thirty milestones: achieved this week and earlier, overdue, stale, on track. */
export function manyMilestones(): Milestone[] {
  return Array.from({ length: 30 }, (_, i): Milestone => {
    const status = STATUSES[i % STATUSES.length] ?? 'on_track';
    const day = String((i % 27) + 1).padStart(2, '0');
    return {
      milestoneId: `m-${String(i).padStart(2, '0')}`,
      title: `${TITLES[i % TITLES.length]}${i >= TITLES.length ? ` (phase ${Math.floor(i / TITLES.length) + 1})` : ''}`,
      conditionId: framework.conditions[i % 4]?.id ?? 'shared-vision',
      status,
      dueDate: i % 2 === 0 ? `2026-${i < 15 ? '10' : '12'}-${day}` : `2027-0${(i % 8) + 1}-${day}`,
      achievedOn: status === 'achieved' ? (i % 12 === 4 ? '2026-11-18' : '2026-10-02') : null,
      owner:
        i % 4 === 0
          ? null
          : ([
              'Assistant Superintendent for Teaching and Learning',
              'Director of Communications',
              'Board Secretary',
            ][i % 3] ?? null),
      updatedAt: i % 5 === 0 ? '2026-09-01T10:00:00Z' : '2026-11-20T15:04:05Z',
    };
  });
}

/** A realistic district digest input: long names, many milestones, several suppressed cells. */
export function realisticDigestInput(): DistrictDigestInput {
  const milestones = manyMilestones();
  return {
    districtName: 'Lincoln-Roosevelt Consolidated Unified School District No. 47 of Northern Franklin County',
    report: reportOf('lincoln-roosevelt', milestones, { seed: 7 }),
    previous: {
      report: reportOf('lincoln-roosevelt', milestones, {
        seed: 3,
        shift: -0.2,
        transparencyRespondents: 12,
      }),
      sentAt: SINCE,
      achievedMilestoneIds: milestones
        .filter((m) => m.status === 'achieved' && (m.achievedOn ?? '') <= '2026-11-16')
        .map((m) => m.milestoneId),
    },
    milestones,
    firstDigestFrom: '2026-11-09',
    now: NOW,
    timezone: TIMEZONE,
    minimumN: MINIMUM_N,
    rubricLevels: framework.rubric.length,
    period: '2026-W48',
    unsubscribeUrl:
      'https://vision-progress.education.ohio.example/v1/unsubscribe?token=eyJzIjoic3ViLTEyMyIsInAiOiIyMDI2LVc0OCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg',
  };
}

const DISTRICTS = [
  'Adams County Local Schools',
  'Bexley City Schools',
  'Cleveland Heights-University Heights City School District',
  'Dayton Public Schools',
  'East Palestine City Schools',
  'Findlay City Schools',
  'Greater Ohio Virtual and Blended Learning Collaborative of the Western Reserve',
  'Hamilton City School District',
];

/** A roll-up of eight districts, one with no open milestones and one with a suppressed priority condition. */
export function rollupInput(): StateRollupInput {
  return {
    stateName: 'Ohio',
    districts: DISTRICTS.map((districtName, index) => {
      const milestones = index === 3 ? [] : manyMilestones().slice(0, 6 + index * 3);
      return {
        districtName,
        report: reportOf(`d-${index}`, milestones, {
          seed: 11 + index,
          transparencyRespondents: index % 3 === 0 ? 4 : 20,
        }),
      };
    }),
    now: NOW,
    timezone: TIMEZONE,
    minimumN: MINIMUM_N,
    period: '2026-11',
    unsubscribeUrl: 'https://vision-progress.education.ohio.example/v1/unsubscribe?token=c3RhdGUtc3Vi.c2ln',
  };
}
