/**
 * The demo's data: three districts with the milestones of their plans, their leaders who subscribe to the
 * digest, a state-wide subscriber, and the stakeholders' ratings and learners' evidence each district posts.
 * Every figure comes from a seeded generator, so every run of `npm run demo` posts the same facts:
 *
 * - Submissions have fixed submissionIds, and their dates are reckoned from the Monday of the current week: a run
 *   in the same week posts exactly what an earlier one did.
 * - Milestones are dated from today (their `updatedAt` too), so "achieved in the last week" stays true.
 */
import type { components } from '../shared/contract/generated/api-types';
import { seededDraws } from './seeded';

type Framework = components['schemas']['Framework'];
type MilestoneBody = components['schemas']['MilestoneBody'];
type Submission = components['schemas']['Submission'];
type ConditionRating = components['schemas']['ConditionRating'];
type CompetencyEvidence = components['schemas']['CompetencyEvidence'];
type Cadence = components['schemas']['SubscriberBody']['cadence'];
type MilestoneStatus = MilestoneBody['status'];

// ---------------------------------------------------------------------------------------------------------------
// The demo districts

/** A milestone of a demo plan; days are counted from today (negative: in the past). */
export interface DemoMilestone {
  readonly milestoneId: string;
  readonly title: string;
  readonly conditionId: string;
  readonly status: MilestoneStatus;
  readonly owner: string;
  readonly dueInDays?: number;
  readonly achievedDaysAgo?: number;
  readonly updatedDaysAgo: number;
}

export interface DemoSubscriber {
  readonly email: string;
  readonly name: string;
  readonly cadence: Cadence;
}

export interface DemoDistrict {
  readonly districtId: string;
  readonly name: string;
  /** Short name for school ids. */
  readonly short: string;
  readonly seed: number;
  readonly learners: number;
  /** Respondents per role; roles the district's framework lacks are left out. */
  readonly respondents: Readonly<Record<string, number>>;
  /** Where the district stands on each condition, as a mean on a 4-level rubric. */
  readonly conditionMeans: Readonly<Record<string, number>>;
  /** How far the district's learners are ahead (+) or behind (-) on the proficiency scale. */
  readonly learnerEffect: number;
  readonly milestones: readonly DemoMilestone[];
  readonly subscribers: readonly DemoSubscriber[];
}

export const DEMO_DISTRICTS: readonly DemoDistrict[] = [
  {
    districtId: 'demo-lincoln-usd',
    name: 'Lincoln Unified School District',
    short: 'lincoln',
    seed: 20_261_101,
    learners: 180,
    respondents: {
      'district-leader': 10,
      principal: 11,
      teacher: 36,
      student: 24,
      family: 20,
      community: 12,
    },
    conditionMeans: { 'shared-vision': 3.0, culture: 2.7, agency: 2.3, transparency: 2.5 },
    learnerEffect: 0,
    milestones: [
      {
        milestoneId: 'board-adopts-pog',
        title: 'Board adopts the Portrait of a Graduate',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Superintendent',
        dueInDays: -2,
        achievedDaysAgo: 4,
        updatedDaysAgo: 4,
      },
      {
        milestoneId: 'vision-community-forums',
        title: 'Community forums on the shared vision in every attendance zone',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Director of Communications',
        dueInDays: -30,
        achievedDaysAgo: 38,
        updatedDaysAgo: 37,
      },
      {
        milestoneId: 'peer-observation-cycles',
        title: 'Teacher peer-observation cycles, two per semester',
        conditionId: 'culture',
        status: 'achieved',
        owner: "Principals' Council",
        dueInDays: 10,
        achievedDaysAgo: 2,
        updatedDaysAgo: 2,
      },
      {
        milestoneId: 'learner-centered-walkthroughs',
        title: 'Learner-centered walkthrough protocol in all schools',
        conditionId: 'culture',
        status: 'on_track',
        owner: 'Chief Academic Officer',
        dueInDays: 45,
        updatedDaysAgo: 6,
      },
      {
        milestoneId: 'student-voice-council',
        title: 'Student voice council meets monthly with the board',
        conditionId: 'agency',
        status: 'at_risk',
        owner: 'Director of Student Services',
        dueInDays: -12,
        updatedDaysAgo: 9,
      },
      {
        milestoneId: 'competency-rubrics-9-12',
        title: 'Competency rubrics for grades 9-12',
        conditionId: 'agency',
        status: 'on_track',
        owner: 'Director of Curriculum',
        dueInDays: 70,
        updatedDaysAgo: 3,
      },
      {
        milestoneId: 'public-progress-dashboard',
        title: 'Public progress dashboard on the district website',
        conditionId: 'transparency',
        status: 'off_track',
        owner: 'Director of Data and Assessment',
        dueInDays: -20,
        updatedDaysAgo: 14,
      },
      {
        milestoneId: 'family-progress-report',
        title: 'Family progress report redesigned around competencies',
        conditionId: 'transparency',
        status: 'on_track',
        owner: 'Assistant Superintendent',
        dueInDays: 90,
        updatedDaysAgo: 45,
      },
    ],
    subscribers: [
      {
        email: 'superintendent@lincoln.demo.example',
        name: 'Superintendent, Lincoln USD',
        cadence: 'weekly',
      },
      { email: 'board@lincoln.demo.example', name: 'Lincoln Board of Education', cadence: 'monthly' },
    ],
  },
  {
    districtId: 'demo-riverside-county',
    name: 'Riverside County Schools',
    short: 'riverside',
    seed: 20_261_102,
    learners: 220,
    respondents: {
      'district-leader': 11,
      principal: 13,
      teacher: 44,
      student: 30,
      family: 26,
      community: 14,
    },
    conditionMeans: { 'shared-vision': 2.4, culture: 2.6, agency: 2.1, transparency: 2.0 },
    learnerEffect: -0.35,
    milestones: [
      {
        milestoneId: 'vision-steering-committee',
        title: 'Vision steering committee chartered with student and family seats',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Superintendent',
        dueInDays: -60,
        achievedDaysAgo: 64,
        updatedDaysAgo: 63,
      },
      {
        milestoneId: 'pog-draft-published',
        title: 'Draft Portrait of a Graduate published for comment',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Chief of Staff',
        dueInDays: 3,
        achievedDaysAgo: 5,
        updatedDaysAgo: 5,
      },
      {
        milestoneId: 'pog-board-adoption',
        title: 'Board adopts the Portrait of a Graduate',
        conditionId: 'shared-vision',
        status: 'on_track',
        owner: 'Superintendent',
        dueInDays: 35,
        updatedDaysAgo: 5,
      },
      {
        milestoneId: 'culture-survey-action-plans',
        title: 'Every school posts an action plan from the culture survey',
        conditionId: 'culture',
        status: 'off_track',
        owner: 'Director of School Improvement',
        dueInDays: -8,
        updatedDaysAgo: 10,
      },
      {
        milestoneId: 'advisory-period',
        title: 'Advisory period in the middle and high school schedules',
        conditionId: 'culture',
        status: 'at_risk',
        owner: 'Director of Secondary Schools',
        dueInDays: 20,
        updatedDaysAgo: 40,
      },
      {
        milestoneId: 'learner-led-conferences',
        title: 'Learner-led conferences pilot in four schools',
        conditionId: 'agency',
        status: 'on_track',
        owner: 'Director of Elementary Schools',
        dueInDays: 60,
        updatedDaysAgo: 7,
      },
      {
        milestoneId: 'teacher-design-fellows',
        title: 'Teacher design fellows build the first competency units',
        conditionId: 'agency',
        status: 'not_started',
        owner: 'Director of Professional Learning',
        dueInDays: 120,
        updatedDaysAgo: 12,
      },
      {
        milestoneId: 'quarterly-board-report',
        title: 'Quarterly progress report to the board',
        conditionId: 'transparency',
        status: 'at_risk',
        owner: 'Director of Accountability',
        dueInDays: -5,
        updatedDaysAgo: 8,
      },
      {
        milestoneId: 'legacy-gradebook-upgrade',
        title: 'Upgrade of the legacy gradebook',
        conditionId: 'transparency',
        status: 'cancelled',
        owner: 'Chief Technology Officer',
        dueInDays: -15,
        updatedDaysAgo: 20,
      },
    ],
    subscribers: [
      {
        email: 'superintendent@riverside.demo.example',
        name: 'Superintendent, Riverside County Schools',
        cadence: 'weekly',
      },
    ],
  },
  {
    districtId: 'demo-maple-grove',
    name: 'Maple Grove Public Schools',
    short: 'maple-grove',
    seed: 20_261_103,
    learners: 150,
    // six principals: fewer than the minimum n, so their cell is suppressed (and the next smallest with it)
    respondents: { 'district-leader': 10, principal: 6, teacher: 26, student: 20, family: 16, community: 12 },
    conditionMeans: { 'shared-vision': 3.2, culture: 3.0, agency: 2.8, transparency: 2.9 },
    learnerEffect: 0.3,
    milestones: [
      {
        milestoneId: 'pog-adopted',
        title: 'Board adopts the Portrait of a Graduate',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Superintendent',
        dueInDays: -150,
        achievedDaysAgo: 160,
        updatedDaysAgo: 160,
      },
      {
        milestoneId: 'pog-in-every-classroom',
        title: 'Portrait of a Graduate posters and lessons in every classroom',
        conditionId: 'shared-vision',
        status: 'achieved',
        owner: 'Director of Teaching and Learning',
        dueInDays: 0,
        achievedDaysAgo: 3,
        updatedDaysAgo: 3,
      },
      {
        milestoneId: 'capstone-defenses',
        title: 'Senior capstone defenses before community panels',
        conditionId: 'agency',
        status: 'on_track',
        owner: 'High School Principal',
        dueInDays: 150,
        updatedDaysAgo: 4,
      },
      {
        milestoneId: 'mastery-transcript-pilot',
        title: 'Mastery transcript pilot for grade 11',
        conditionId: 'agency',
        status: 'at_risk',
        owner: 'Director of Counseling',
        dueInDays: -18,
        updatedDaysAgo: 11,
      },
      {
        milestoneId: 'family-learning-nights',
        title: 'Family learning nights each quarter',
        conditionId: 'culture',
        status: 'on_track',
        owner: 'Family Engagement Coordinator',
        dueInDays: 30,
        updatedDaysAgo: 33,
      },
      {
        milestoneId: 'open-data-portal',
        title: 'Open data portal with school-level competency results',
        conditionId: 'transparency',
        status: 'on_track',
        owner: 'Director of Technology',
        dueInDays: 75,
        updatedDaysAgo: 6,
      },
      {
        milestoneId: 'budget-aligned-to-vision',
        title: 'Budget book aligned to the vision priorities',
        conditionId: 'transparency',
        status: 'achieved',
        owner: 'Chief Financial Officer',
        dueInDays: -1,
        achievedDaysAgo: 6,
        updatedDaysAgo: 6,
      },
    ],
    subscribers: [
      {
        email: 'superintendent@maple-grove.demo.example',
        name: 'Superintendent, Maple Grove Public Schools',
        cadence: 'weekly',
      },
    ],
  },
];

/** The state-wide subscriber: the roll-up of every district. */
export const DEMO_STATE_SUBSCRIBER: DemoSubscriber = {
  email: 'commissioner@state.demo.example',
  name: 'Office of the Commissioner',
  cadence: 'weekly',
};

/** Every address the demo subscribes. */
export const demoAddresses = (): readonly string[] => [
  ...DEMO_DISTRICTS.flatMap((district) => district.subscribers.map((subscriber) => subscriber.email)),
  DEMO_STATE_SUBSCRIBER.email,
];

// ---------------------------------------------------------------------------------------------------------------
// Deterministic data

const DAY_MS = 86_400_000;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);
const startOfUtcDay = (time: number) => Math.floor(time / DAY_MS) * DAY_MS;
/** 00:00 UTC on the Monday of the ISO week of `time`. */
const startOfUtcWeek = (time: number) => {
  const day = startOfUtcDay(time);
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
};
const sixDigits = (n: number) => String(n).padStart(6, '0');

/** How each role tends to rate the conditions against the district's mean (leaders see more than families). */
const ROLE_OFFSETS: Readonly<Record<string, number>> = {
  superintendent: 0.6,
  'district-leader': 0.5,
  principal: 0.3,
  teacher: 0,
  student: -0.3,
  family: -0.2,
  community: -0.4,
};

/** How hard each competency is, on the proficiency scale (positive: fewer learners reach mastery). */
const COMPETENCY_DIFFICULTY: Readonly<Record<string, number>> = {
  'critical-thinking': 0.2,
  communication: -0.1,
  collaboration: -0.3,
  creativity: 0.1,
  'self-direction': 0.45,
  citizenship: -0.2,
};

/** A value on a 1..4 scale drawn onto a 1..levels scale, rounded and kept within it. */
function onScale(value: number, levels: number): number {
  const scaled = 1 + ((value - 1) * (levels - 1)) / 3;
  return Math.min(levels, Math.max(1, Math.round(scaled)));
}

/** What a demo district posts, derived from its framework and the time of the run. */
export interface DemoData {
  readonly milestones: readonly { readonly milestoneId: string; readonly body: MilestoneBody }[];
  readonly submissions: readonly Submission[];
}

/**
 * The milestones and submissions of a demo district. Milestones are dated from the UTC day of `now`,
 * submissions from the Monday of its week (scripts/demo.ts says why).
 */
export function demoData(district: DemoDistrict, framework: Framework, now: Date): DemoData {
  const today = startOfUtcDay(now.getTime());
  const conditionIds = framework.conditions.map((condition) => condition.id);
  const conditionFor = (wanted: string, index: number) =>
    conditionIds.includes(wanted) ? wanted : (conditionIds[index % conditionIds.length] as string);

  const milestones = district.milestones.map((milestone, index) => ({
    milestoneId: milestone.milestoneId,
    body: {
      title: milestone.title,
      conditionId: conditionFor(milestone.conditionId, index),
      status: milestone.status,
      dueDate: milestone.dueInDays === undefined ? null : isoDate(today + milestone.dueInDays * DAY_MS),
      achievedOn:
        milestone.achievedDaysAgo === undefined ? null : isoDate(today - milestone.achievedDaysAgo * DAY_MS),
      owner: milestone.owner,
      updatedAt: new Date(today - milestone.updatedDaysAgo * DAY_MS + 15 * 3_600_000).toISOString(),
    } satisfies MilestoneBody,
  }));

  const week = startOfUtcWeek(now.getTime());
  const random = seededDraws(district.seed);
  const schools = [`${district.short}-hs`, `${district.short}-ms`, `${district.short}-es`];
  const submissions: Submission[] = [];

  let respondent = 0;
  for (const [role, count] of Object.entries(district.respondents)) {
    if (!framework.roles.includes(role)) continue;
    for (let index = 0; index < count; index++) {
      respondent += 1;
      // in the larger roles a few respondents leave a condition unrated, as in real surveys
      const ratings = conditionIds
        .filter((_, position) => position === 0 || count < 20 || !random.chance(0.06))
        .map((conditionId) => ({
          conditionId,
          level: onScale(
            (district.conditionMeans[conditionId] ?? 2.5) + (ROLE_OFFSETS[role] ?? 0) + random.normal() * 0.7,
            framework.rubric.length,
          ),
        }));
      const inSchool = role !== 'district-leader' && role !== 'community' && role !== 'superintendent';
      submissions.push({
        type: 'condition-rating',
        submissionId: `s-${sixDigits(respondent)}`,
        respondent: {
          id: `r-${sixDigits(respondent)}`,
          role,
          ...(inSchool ? { schoolId: schools[random.integer(0, schools.length - 1)] } : {}),
        },
        submittedAt: new Date(
          week - random.integer(2, 35) * DAY_MS + random.integer(13, 22) * 3_600_000,
        ).toISOString(),
        ratings,
      } satisfies ConditionRating);
    }
  }

  const { levels } = framework.proficiency;
  const grades = {
    [schools[0] as string]: [9, 12],
    [schools[1] as string]: [6, 8],
    [schools[2] as string]: [3, 5],
  };
  let evidence = 0;
  for (let learner = 1; learner <= district.learners; learner++) {
    const schoolId = schools[random.integer(0, schools.length - 1)] as string;
    const [lowest = 9, highest = 12] = grades[schoolId] ?? [];
    const gradeLevel = String(random.integer(lowest, highest));
    const groups = [
      ...(random.chance(0.13) ? ['ell'] : []),
      ...(random.chance(0.11) ? ['iep'] : []),
      ...(random.chance(0.4) ? ['frl'] : []),
    ];
    const ability = random.normal() * 0.75 - (groups.length > 0 ? 0.15 : 0);
    const assessed = random.shuffled(framework.competencies).slice(0, random.chance(0.25) ? 3 : 2);
    for (const competency of assessed) {
      const pieces = random.chance(0.15) ? 2 : 1;
      const days = Array.from({ length: pieces }, () => random.integer(1, 56)).sort((a, b) => b - a);
      days.forEach((daysAgo, piece) => {
        evidence += 1;
        const value =
          2.7 +
          district.learnerEffect +
          ability -
          (COMPETENCY_DIFFICULTY[competency.id] ?? 0) +
          0.25 * piece +
          random.normal() * 0.6;
        submissions.push({
          type: 'competency-evidence',
          submissionId: `e-${sixDigits(evidence)}`,
          learner: {
            id: `l-${sixDigits(learner)}`,
            schoolId,
            gradeLevel,
            ...(groups.length > 0 ? { groups } : {}),
          },
          competencyId: competency.id,
          level: onScale(value, levels),
          assessedOn: isoDate(week - daysAgo * DAY_MS),
        } satisfies CompetencyEvidence);
      });
    }
  }
  return { milestones, submissions };
}
