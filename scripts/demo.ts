/**
 * `npm run demo`: seeds three demo districts with realistic, deterministic data through the public API of the
 * running local stack (`npm start`), runs the digests and says where to read them: the SES emulator's page.
 *
 * Every district posts what a district system would: the milestones of its plan, stakeholders' ratings of the
 * conditions, learners' evidence on the competencies, and its leaders subscribe to the digest; a state-wide
 * subscriber gets the roll-up. The figures come from a seeded generator, so every run posts the same facts:
 *
 * - A district that exists (409) is reused, with a new key minted by the state key.
 * - Submissions have fixed submissionIds: posting them again is an identical replay (200), counted once. Their
 *   dates are reckoned from the Monday of the current week, so a run in a later week finds them with other
 *   content (409) and keeps the ones stored first: the figures never double.
 * - Milestones are dated from today: a run on the same day writes nothing new; a later day's run moves their
 *   dates along (a later `updatedAt` is applied), so "achieved in the last week" stays true.
 * - A subscriber that exists (409) stays; the digest ledger sends each period once per subscriber, so a second
 *   run in the same week sends nothing new and says so.
 *
 * Environment: VP_LOCAL_DIR (where `.local/credentials.json` is), SES_PORT (the SES emulator, default 8005), as
 * `npm start` reads them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LocalCredentials } from '../infra/local/credentials';
import { dataLayout, defaultDataDir } from '../infra/local/data-dir';
import { DEFAULT_PORTS, LOOPBACK } from '../infra/local/ports';
import { type ApiClient, apiClient } from '../shared/contract/client';
import type { components } from '../shared/contract/generated/api-types';

type Framework = components['schemas']['Framework'];
type MilestoneBody = components['schemas']['MilestoneBody'];
type Submission = components['schemas']['Submission'];
type ConditionRating = components['schemas']['ConditionRating'];
type CompetencyEvidence = components['schemas']['CompetencyEvidence'];
type Progress = components['schemas']['Progress'];
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

/** xorshift32: the same seed gives the same figures on every run (test/support/seeded.ts has the same one). */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    next,
    chance: (probability: number) => next() < probability,
    integer: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    /** A standard normal draw (Box-Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffled: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = Math.floor(next() * (index + 1));
        [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
      }
      return copy;
    },
  };
}

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
 * submissions from the Monday of its week (see the file's header for why).
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
  const random = generator(district.seed);
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

// ---------------------------------------------------------------------------------------------------------------
// Calling the API

/** A failure the person running the demo can act on; printed as it is. */
export class DemoError extends Error {
  override readonly name = 'DemoError';
}

/** What openapi-fetch resolves a call with. */
interface Outcome<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

const ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `call` until it is answered with one of the `accepted` statuses: a 429 waits for its Retry-After, a 5xx
 * a moment, and any other answer is a DemoError with the problem's detail and fields.
 */
async function request<T>(
  what: string,
  call: () => Promise<Outcome<T>>,
  accepted: readonly number[] = [200, 201],
): Promise<Outcome<T>> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await call();
    const { status } = outcome.response;
    if (accepted.includes(status)) return outcome;
    if ((status === 429 || status >= 500) && attempt < ATTEMPTS) {
      const retryAfter = Number(outcome.response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : 250 * attempt);
      continue;
    }
    throw new DemoError(`${what}: ${describeRefusal(status, outcome.error)}`);
  }
}

function describeRefusal(status: number, body: unknown): string {
  if (typeof body !== 'object' || body === null) return `answered ${status}`;
  const problem = body as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
  const fields = (problem.errors ?? []).map((error) => `${error.path}: ${error.message}`).join('; ');
  return `${status} ${problem.title ?? ''}: ${problem.detail ?? ''}${fields ? ` (${fields})` : ''}`;
}

/** The largest batch the API takes. */
const BATCH_SIZE = 100;

/** How a district's submissions were answered. */
export interface SubmissionCounts {
  /** 201: stored now. */
  readonly created: number;
  /** 200: posted before with the same content. */
  readonly replayed: number;
  /** 409: posted before with other content (an earlier week's run); the stored one stands. */
  readonly kept: number;
}

/** Posts one batch; items answered 5xx are sent again. */
async function postBatch(
  client: ApiClient,
  districtId: string,
  items: readonly Submission[],
  counts: { created: number; replayed: number; kept: number },
): Promise<void> {
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const batch = pending;
    const { data } = await request(`posting submissions of ${districtId}`, () =>
      client.POST('/v1/districts/{districtId}/assessments/batch', {
        params: { path: { districtId } },
        body: { items: [...batch] },
      }),
    );
    const again: Submission[] = [];
    for (const result of data?.results ?? []) {
      const item = batch[result.index] as Submission;
      if (result.status === 201) counts.created += 1;
      else if (result.status === 200) counts.replayed += 1;
      else if (result.status === 409) counts.kept += 1;
      else if (result.status >= 500 && attempt < ATTEMPTS) again.push(item);
      else {
        const fields = (result.errors ?? []).map((error) => `${error.path}: ${error.message}`).join('; ');
        throw new DemoError(
          `submission ${item.submissionId} of ${districtId} answered ${result.status}${fields ? ` (${fields})` : ''}`,
        );
      }
    }
    pending = again;
    if (pending.length > 0) await sleep(250 * attempt);
  }
}

/**
 * Posts the submissions in batches of 100, one batch at a time: the local stack stores a batch item by item, and
 * batches in parallel only make each one slower (and may outlast the API function's timeout).
 */
async function postSubmissions(
  client: ApiClient,
  districtId: string,
  submissions: readonly Submission[],
): Promise<SubmissionCounts> {
  const counts = { created: 0, replayed: 0, kept: 0 };
  for (let start = 0; start < submissions.length; start += BATCH_SIZE) {
    await postBatch(client, districtId, submissions.slice(start, start + BATCH_SIZE), counts);
  }
  return counts;
}

/** A demo district as seeded. */
export interface SeededDistrict {
  readonly districtId: string;
  readonly name: string;
  /** false when it existed already and was reused. */
  readonly created: boolean;
  readonly milestones: number;
  /** Milestone writes applied now (a later `updatedAt` than the stored one, or a new milestone). */
  readonly milestonesApplied: number;
  readonly submissions: number;
  readonly submissionCounts: SubmissionCounts;
  /** The district's key: minted by the state key (a new one when the district existed). */
  readonly apiKey: string;
  /** The progress once every write of this seeding was applied. */
  readonly progress: Progress;
}

export interface SeedOptions {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** The time the data is dated from; default now. */
  readonly now?: Date;
  /** How long to wait for the progress metrics of each district to catch up; default 60 s. */
  readonly progressTimeoutMs?: number;
  /** Where progress lines go; default nowhere. */
  readonly log?: (line: string) => void;
}

/** A district's key: the one its creation returned, or a new one when it existed. */
async function districtKey(
  state: ApiClient,
  district: DemoDistrict,
): Promise<{ key: string; created: boolean }> {
  const { districtId, name } = district;
  const creation = await request(
    `creating district ${districtId}`,
    () => state.POST('/v1/districts', { body: { districtId, name } }),
    [201, 409],
  );
  if (creation.response.status === 201 && creation.data) return { key: creation.data.apiKey, created: true };
  const minted = await request(`minting a key for ${districtId}`, () =>
    state.POST('/v1/districts/{districtId}/keys', { params: { path: { districtId } } }),
  );
  if (!minted.data) throw new DemoError(`minting a key for ${districtId}: no key in the answer`);
  return { key: minted.data.apiKey, created: false };
}

async function readProgress(client: ApiClient, districtId: string): Promise<Progress> {
  const { data } = await request(`reading the progress of ${districtId}`, () =>
    client.GET('/v1/districts/{districtId}/progress', { params: { path: { districtId } } }),
  );
  if (!data) throw new DemoError(`reading the progress of ${districtId}: no body`);
  return data;
}

/** Polls the progress until it reflects `events` changes, or fails after `timeoutMs`. */
async function awaitProgress(
  client: ApiClient,
  districtId: string,
  events: number,
  timeoutMs: number,
): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await readProgress(client, districtId);
    if (progress.eventsApplied >= events) return progress;
    if (Date.now() > deadline) {
      throw new DemoError(
        `the progress of ${districtId} reflects ${progress.eventsApplied} of ${events} changes after ` +
          `${timeoutMs / 1_000} s: is the metrics worker failing? See the npm start terminal and ` +
          '`npm run ops -- dlq show metrics`.',
      );
    }
    await sleep(500);
  }
}

/** A district seeded, before its progress has caught up: how many changes its progress must reflect. */
interface PendingDistrict {
  readonly client: ApiClient;
  readonly events: number;
  readonly seeded: Omit<SeededDistrict, 'progress'>;
}

/** Seeds one district: its key, milestones, submissions and subscribers. */
async function seedDistrict(
  state: ApiClient,
  district: DemoDistrict,
  options: SeedOptions,
  now: Date,
): Promise<PendingDistrict> {
  const { districtId } = district;
  const { key, created } = await districtKey(state, district);
  const client = apiClient(options.apiUrl, key);
  const framework = await request(`reading the framework of ${districtId}`, () =>
    client.GET('/v1/districts/{districtId}/framework', { params: { path: { districtId } } }),
  );
  if (!framework.data) throw new DemoError(`reading the framework of ${districtId}: no body`);
  const data = demoData(district, framework.data, now);
  // what the progress reflects before this seeding: the target is that plus what this seeding changes
  const before = (await readProgress(client, districtId)).eventsApplied;

  let milestonesApplied = 0;
  for (const { milestoneId, body } of data.milestones) {
    const written = await request(`writing milestone ${milestoneId} of ${districtId}`, () =>
      client.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path: { districtId, milestoneId } },
        body,
      }),
    );
    if (written.data?.applied) milestonesApplied += 1;
  }
  const submissionCounts = await postSubmissions(client, districtId, data.submissions);
  for (const subscriber of district.subscribers) {
    await request(
      `subscribing ${subscriber.email} to ${districtId}`,
      () =>
        client.POST('/v1/districts/{districtId}/subscribers', {
          params: { path: { districtId } },
          body: subscriber,
        }),
      [201, 409],
    );
  }
  options.log?.(
    `  ${district.name} (${districtId}): ${created ? 'created' : 'exists, reused'}; ` +
      `${data.milestones.length} milestones (${milestonesApplied} written now), ` +
      `${data.submissions.length} submissions (${submissionCounts.created} new)`,
  );
  return {
    client,
    events: before + milestonesApplied + submissionCounts.created,
    seeded: {
      districtId,
      name: district.name,
      created,
      milestones: data.milestones.length,
      milestonesApplied,
      submissions: data.submissions.length,
      submissionCounts,
      apiKey: key,
    },
  };
}

/**
 * Seeds the demo districts one after the other, their leaders' subscriptions and the state-wide subscriber
 * through the API, then waits until each district's progress reflects every write. Safe to run again (see the
 * file's header).
 */
export async function seedDemo(options: SeedOptions): Promise<SeededDistrict[]> {
  const now = options.now ?? new Date();
  const state = apiClient(options.apiUrl, options.stateKey);
  const pending: PendingDistrict[] = [];
  for (const district of DEMO_DISTRICTS) pending.push(await seedDistrict(state, district, options, now));
  await request(
    `subscribing ${DEMO_STATE_SUBSCRIBER.email} state-wide`,
    () => state.POST('/v1/subscribers', { body: DEMO_STATE_SUBSCRIBER }),
    [201, 409],
  );

  options.log?.('  waiting for the progress metrics to catch up …');
  const timeoutMs = options.progressTimeoutMs ?? 60_000;
  return Promise.all(
    pending.map(async ({ client, events, seeded }) => ({
      ...seeded,
      progress: await awaitProgress(client, seeded.districtId, events, timeoutMs),
    })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The digests in the SES emulator

/** A message in the SES emulator's store (aws-ses-v2-local's `GET /store`), the fields the demo reads. */
export interface StoredEmail {
  readonly messageId: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly at: number;
}

/** The messages the SES emulator holds. */
export async function readSesStore(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  if (!response.ok) throw new DemoError(`the SES emulator at ${sesEndpoint} answered ${response.status}`);
  const body = (await response.json()) as { emails?: StoredEmail[] };
  return body.emails ?? [];
}

/** Messages to any of `addresses`. */
const addressedTo = (emails: readonly StoredEmail[], addresses: readonly string[]) =>
  emails.filter((email) => email.destination.to.some((to) => addresses.includes(to.toLowerCase())));

export interface DigestWait {
  /** The demo's digests that arrived after the run. */
  readonly fresh: readonly StoredEmail[];
  /** The demo's digests the emulator held before the run (an earlier run's). */
  readonly earlier: readonly StoredEmail[];
}

/**
 * Waits for the digests to the demo's addresses that arrive after `earlier`: until every address has one, or
 * no new one came for a while after the first, or `timeoutMs`. With none arriving while earlier ones are there,
 * the period was sent already: it stops sooner.
 */
export async function awaitDigests(
  sesEndpoint: string,
  earlier: readonly StoredEmail[],
  timeoutMs = 60_000,
): Promise<DigestWait> {
  const addresses = demoAddresses();
  const seen = new Set(earlier.map((email) => email.messageId));
  const started = Date.now();
  let lastArrival = started;
  let fresh: StoredEmail[] = [];
  for (;;) {
    const now = Date.now();
    const current = addressedTo(await readSesStore(sesEndpoint), addresses).filter(
      (email) => !seen.has(email.messageId),
    );
    if (current.length > fresh.length) lastArrival = now;
    fresh = current;
    const reached = new Set(fresh.flatMap((email) => email.destination.to.map((to) => to.toLowerCase())));
    if (addresses.every((address) => reached.has(address))) break;
    if (fresh.length > 0 && now - lastArrival > 10_000) break;
    if (fresh.length === 0 && earlier.length > 0 && now - started > 15_000) break;
    if (now - started > timeoutMs) break;
    await sleep(500);
  }
  return { fresh, earlier };
}

// ---------------------------------------------------------------------------------------------------------------
// The command

export interface DemoIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Read for VP_LOCAL_DIR and SES_PORT. */
  readonly env: NodeJS.ProcessEnv;
  /** How long to wait for the digests; default 60 s. */
  readonly mailTimeoutMs?: number;
}

const START_FIRST = 'start the local stack first: npm start';

/** The running local stack's API URL and state key, or a DemoError saying to start it. */
async function localStack(env: NodeJS.ProcessEnv): Promise<LocalCredentials> {
  const file = dataLayout(defaultDataDir(env)).credentials;
  if (!existsSync(file)) throw new DemoError(`${START_FIRST} (no ${file})`);
  let credentials: LocalCredentials;
  try {
    credentials = LocalCredentials.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    throw new DemoError(`${START_FIRST} (${file} holds no apiUrl and stateKey)`);
  }
  try {
    const health = await fetch(`${credentials.apiUrl}/v1/health`, { signal: AbortSignal.timeout(5_000) });
    if (!health.ok) throw new Error(`answered ${health.status}`);
  } catch {
    throw new DemoError(`${START_FIRST} (nothing answers at ${credentials.apiUrl})`);
  }
  return credentials;
}

/** Aligned columns under a header. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd())
    .join('\n');
}

/** The whole demo; resolves the exit code. */
export async function runDemo(io: DemoIo): Promise<number> {
  try {
    const credentials = await localStack(io.env);
    const sesEndpoint = `http://${LOOPBACK}:${io.env.SES_PORT || DEFAULT_PORTS.ses}`;

    io.out(`Seeding ${DEMO_DISTRICTS.length} demo districts through ${credentials.apiUrl}\n`);
    const seeded = await seedDemo({
      apiUrl: credentials.apiUrl,
      stateKey: credentials.stateKey,
      log: (line) => io.out(`${line}\n`),
    });

    const state = apiClient(credentials.apiUrl, credentials.stateKey);
    let earlier: StoredEmail[] | undefined;
    try {
      earlier = addressedTo(await readSesStore(sesEndpoint), demoAddresses());
    } catch {
      io.err(`warning: no SES emulator answers at ${sesEndpoint} (set SES_PORT as for npm start)\n`);
    }
    const run = await request(
      'running the digests',
      () => state.POST('/v1/digests/run', { body: {} }),
      [202],
    );
    if (!run.data) throw new DemoError('running the digests: no body');
    io.out(
      `Digests planned for ${run.data.period.weekly} (weekly) and ${run.data.period.monthly} (monthly): ` +
        `${run.data.enqueued} jobs\n`,
    );

    io.out('\nDemo districts\n');
    io.out(
      `${table(
        ['DISTRICT', 'NAME', 'MILESTONES', 'SUBMISSIONS', 'NEW'],
        seeded.map((district) => [
          district.districtId,
          district.name,
          String(district.milestones),
          String(district.submissions),
          String(district.submissionCounts.created),
        ]),
      )}\n`,
    );
    if (earlier === undefined) return 0;

    io.out('\nWaiting for the digests in the SES emulator …\n');
    const { fresh } = await awaitDigests(sesEndpoint, earlier, io.mailTimeoutMs);
    if (fresh.length > 0) {
      io.out('\nDigests sent\n');
      io.out(
        `${table(
          ['TO', 'SUBJECT'],
          fresh.map((email) => [email.destination.to.join(', '), email.subject]),
        )}\n`,
      );
    } else if (earlier.length > 0) {
      io.out(
        "\nThis period's digests were sent already (each subscriber gets one per week or month); " +
          `the emulator holds ${earlier.length} from before.\n`,
      );
    } else {
      io.out(
        "\nNo digest arrived: this period's digests were sent already (each subscriber gets one per week or " +
          'month, also across restarts of the stack, whose SES emulator forgets its mail), or the digest sender ' +
          'failed (see the npm start terminal and `npm run ops -- dlq show digest`).\n',
      );
    }
    io.out(`\nRead them at ${sesEndpoint}/ (JSON at ${sesEndpoint}/store)\n`);
    return 0;
  } catch (error) {
    // a DemoError says what to do; anything else (the stack stopped halfway, say) by its name and cause
    if (error instanceof DemoError) io.err(`${error.message}\n`);
    else if (error instanceof Error) {
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      io.err(`${error.name}: ${error.message}${cause}\n`);
    } else io.err(`${String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  process.exitCode = await runDemo({
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  });
}
