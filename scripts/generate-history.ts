/**
 * A district's history as the CSV exports `npm run ops -- import` reads (docs/import.md), generated from a seed:
 * the same seed and options give the same files, byte for byte.
 *
 *   npx tsx scripts/generate-history.ts --out /tmp/history [--rows 50000] [--seed 20261126]
 *     [--until 2026-06-30]
 *
 * Three school years up to `until`, in the default framework's terms (infra/config/default-framework.ts):
 *
 * - milestones.csv: about 1 row in 80; the plan's milestones, each updated a few times (status changes, an
 *   achievement, a cancellation), sorted by updatedAt as a planning tool exports its change log.
 * - ratings.csv: about 1 row in 5; six survey waves (October and April), each respondent rating some or all of
 *   the four conditions, in every role (one superintendent, so that cell is suppressed), sorted by submittedAt.
 * - evidence.csv: the rest; learners' evidence on the six competencies on school days, learners moving up a grade
 *   and between schools each year, some leaving the English learner group; sorted by assessedOn. Two rows are
 *   exact repeats of earlier ones, as exports sometimes have: the API answers them as replays.
 *
 * A few rows of each file are invalid on purpose (an unknown condition, a level off the scale, a date that does
 * not exist...), each with the field paths an import must name for it. generateHistory() returns every row with
 * what it means, so that a test can compute the progress the valid rows must produce.
 */

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { seedFramework } from '../infra/config/default-framework';
import { IMPORT_KINDS, type ImportKind } from '../infra/ops/import/kinds';
import type { components } from '../shared/contract/generated/api-types';
import { seededDraws } from './seeded';

type MilestoneBody = components['schemas']['MilestoneBody'];
type ConditionRating = components['schemas']['ConditionRating'];
type CompetencyEvidence = components['schemas']['CompetencyEvidence'];
type MilestoneStatus = MilestoneBody['status'];

export interface HistoryOptions {
  /** @default 20_261_126 */
  readonly seed?: number;
  /** Rows of the three files together. @default 50_000 */
  readonly rows?: number;
  /** The history's last day, YYYY-MM-DD; it starts three years before. @default '2026-06-30' */
  readonly until?: string;
}

const HISTORY_DEFAULTS = { seed: 20_261_126, rows: 50_000, until: '2026-06-30' } as const;

/** What a row stands for: a write the API must apply, or a row it must refuse for the fields named. */
export type RowMeaning =
  | {
      readonly valid: true;
      readonly milestone: { readonly milestoneId: string; readonly body: MilestoneBody };
    }
  | { readonly valid: true; readonly submission: ConditionRating | CompetencyEvidence }
  | { readonly valid: false; readonly paths: readonly string[] };

export interface HistoryRow {
  /** The line of the file the row is on (the header is line 1; no cell spans lines). */
  readonly line: number;
  /** The row's milestoneId or submissionId. */
  readonly id: string;
  readonly cells: Readonly<Record<string, string>>;
  readonly meaning: RowMeaning;
}

/** The rows of each file an import reads. */
export type History = Readonly<Record<ImportKind, readonly HistoryRow[]>>;

export type HistoryFile = ImportKind;

/** The columns of each file, in the order written. */
const HISTORY_COLUMNS: Readonly<Record<HistoryFile, readonly string[]>> = {
  milestones: [
    'milestoneId',
    'title',
    'conditionId',
    'status',
    'dueDate',
    'achievedOn',
    'owner',
    'updatedAt',
  ],
  ratings: [
    'submissionId',
    'respondent.id',
    'respondent.role',
    'respondent.schoolId',
    'submittedAt',
    'ratings',
  ],
  evidence: [
    'submissionId',
    'learner.id',
    'learner.schoolId',
    'learner.gradeLevel',
    'learner.groups',
    'competencyId',
    'level',
    'assessedOn',
  ],
};

const DAY_MS = 86_400_000;
const CONDITIONS = seedFramework.conditions.map((condition) => condition.id);
const COMPETENCIES = seedFramework.competencies.map((competency) => competency.id);
/** The top of the rubric conditions are rated on, and of the proficiency scale of evidence. */
const RUBRIC_LEVELS = seedFramework.rubric.length;
const PROFICIENCY_LEVELS = seedFramework.proficiency.levels;
const ELEMENTARY = ['oak-es', 'maple-es', 'pine-es', 'cedar-es', 'birch-es'];
const MIDDLE = ['central-ms', 'east-ms', 'west-ms'];
const HIGH = ['north-hs', 'south-hs'];
const GRADES = ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

type Draws = ReturnType<typeof seededDraws>;

export function generateHistory(options: HistoryOptions = {}): History {
  const { seed, rows, until } = { ...HISTORY_DEFAULTS, ...options };
  const end = Date.parse(`${until}T00:00:00Z`);
  if (!Number.isFinite(end)) throw new RangeError(`until must be a date YYYY-MM-DD, got ${until}`);
  const start = Date.UTC(
    new Date(end).getUTCFullYear() - 3,
    new Date(end).getUTCMonth(),
    new Date(end).getUTCDate() + 1,
  );
  const milestones = Math.max(3, Math.round(rows / 80));
  const ratings = Math.max(4, Math.round(rows * 0.188));
  const span = { start, end };
  return {
    milestones: milestoneRows(seededDraws(seed), milestones, span),
    ratings: ratingRows(seededDraws(seed + 1), ratings, span),
    evidence: evidenceRows(seededDraws(seed + 2), Math.max(6, rows - milestones - ratings), span),
  };
}

/** Writes the three files into `dir` (made if missing); resolves their paths. */
export async function writeHistory(history: History, dir: string): Promise<Record<HistoryFile, string>> {
  await mkdir(dir, { recursive: true });
  const paths: Record<HistoryFile, string> = {
    milestones: join(dir, 'milestones.csv'),
    ratings: join(dir, 'ratings.csv'),
    evidence: join(dir, 'evidence.csv'),
  };
  for (const file of IMPORT_KINDS) {
    const columns = HISTORY_COLUMNS[file];
    const csv = stringify({ header: true, columns: [...columns] });
    const done = finished(csv.pipe(createWriteStream(paths[file])));
    for (const row of history[file]) {
      if (!csv.write(columns.map((column) => row.cells[column] ?? ''))) {
        await new Promise((drained) => csv.once('drain', drained));
      }
    }
    csv.end();
    await done;
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------------
// milestones

interface MilestonePlan {
  readonly title: string;
  readonly conditionId: string;
}

/** The district-wide milestones of the plan. */
const DISTRICT_PLANS: readonly MilestonePlan[] = [
  { title: 'Board adopts the Portrait of a Graduate', conditionId: 'shared-vision' },
  { title: 'Community forums on the vision, in every feeder pattern', conditionId: 'shared-vision' },
  { title: 'Publish the strategic plan, its measures and owners', conditionId: 'transparency' },
  { title: 'Progress dashboard public on the district site', conditionId: 'transparency' },
  { title: 'Teachers trained in competency-based grading', conditionId: 'culture' },
  { title: 'Mastery transcripts piloted, "credit for learning" policy drafted', conditionId: 'culture' },
  { title: 'Family guide to competency-based learning', conditionId: 'transparency' },
  { title: 'Student voice on the district leadership team', conditionId: 'agency' },
];
/** The milestones every school has, `{school}` its name. */
const SCHOOL_PLANS: readonly MilestonePlan[] = [
  { title: 'Student-led conferences at {school}', conditionId: 'agency' },
  { title: 'Learner profiles, goals and reflections for every student at {school}', conditionId: 'agency' },
  { title: 'Collaborative planning time in the {school} schedule', conditionId: 'culture' },
  { title: 'Family night on the Portrait of a Graduate at {school}', conditionId: 'shared-vision' },
];
/** Every milestone of the plan: the district's, then each school's. */
const MILESTONE_PLANS: readonly MilestonePlan[] = [
  ...DISTRICT_PLANS,
  ...[...ELEMENTARY, ...MIDDLE, ...HIGH].flatMap((school) =>
    SCHOOL_PLANS.map((plan) => ({ ...plan, title: plan.title.replace('{school}', schoolName(school)) })),
  ),
];
const OWNERS = [
  'Superintendent',
  'Assistant Superintendent',
  'Director of Teaching and Learning',
  'Board Chair',
];
const IN_PROGRESS: readonly MilestoneStatus[] = ['on_track', 'on_track', 'on_track', 'at_risk', 'off_track'];

function milestoneRows(draw: Draws, count: number, span: Span): HistoryRow[] {
  // a plan's milestones get a status update every few months
  const milestones = Math.max(1, Math.round(count / 10));
  const updates = new Array<number>(milestones).fill(1);
  for (let extra = milestones; extra < count; extra += 1) {
    const at = draw.integer(0, milestones - 1);
    updates[at] = (updates[at] ?? 1) + 1;
  }
  const days = Math.floor((span.end - span.start) / DAY_MS);
  const writes: { at: number; milestoneId: string; body: MilestoneBody }[] = [];
  updates.forEach((total, index) => {
    const plan = MILESTONE_PLANS[index % MILESTONE_PLANS.length] as MilestonePlan;
    const round = Math.floor(index / MILESTONE_PLANS.length);
    const milestoneId = `m-${String(index + 1).padStart(3, '0')}`;
    const title = round === 0 ? plan.title : `${plan.title}, phase ${round + 1}`;
    const first = draw.integer(0, Math.floor(days * 0.6));
    const dueDate = isoDate(span.start + (first + draw.integer(120, 700)) * DAY_MS);
    const owner = OWNERS[draw.integer(0, OWNERS.length - 1)] as string;
    const ending = draw.next();
    const updateDays = Array.from({ length: total }, () => draw.integer(first, days)).sort((a, b) => a - b);
    updateDays.forEach((day, update) => {
      // minutes apart within a day, so that a milestone's writes are strictly ordered
      const at = span.start + day * DAY_MS + 14 * 3_600_000 + update * 60_000 + draw.integer(0, 59) * 1_000;
      const last = update === total - 1;
      let status: MilestoneStatus =
        update === 0
          ? 'not_started'
          : (IN_PROGRESS[draw.integer(0, IN_PROGRESS.length - 1)] as MilestoneStatus);
      if (last && total > 1 && ending < 0.5) status = 'achieved';
      else if (last && total > 1 && ending < 0.58) status = 'cancelled';
      const body: MilestoneBody = {
        title,
        conditionId: plan.conditionId,
        status,
        dueDate,
        ...(status === 'achieved' ? { achievedOn: isoDate(at) } : {}),
        owner,
        updatedAt: new Date(at).toISOString().replace('.000Z', 'Z'),
      };
      writes.push({ at, milestoneId, body });
    });
  });
  writes.sort((a, b) => a.at - b.at || compare(a.milestoneId, b.milestoneId));
  const rows = writes.map(
    ({ milestoneId, body }, index): HistoryRow => ({
      line: index + 2,
      id: milestoneId,
      cells: {
        milestoneId,
        title: body.title,
        conditionId: body.conditionId,
        status: body.status,
        dueDate: body.dueDate ?? '',
        achievedOn: body.achievedOn ?? '',
        owner: body.owner ?? '',
        updatedAt: body.updatedAt,
      },
      meaning: { valid: true, milestone: { milestoneId, body } },
    }),
  );
  return spoil(draw, rows, [
    (cells) => ({ cells: { ...cells, status: 'achieved', achievedOn: '' }, paths: ['achievedOn'] }),
    (cells) => ({ cells: { ...cells, conditionId: 'equity' }, paths: ['conditionId'] }),
    (cells) => ({ cells: { ...cells, dueDate: '2026-02-30' }, paths: ['dueDate'] }),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// condition ratings

const ROLE_SHARES: readonly (readonly [string, number])[] = [
  ['district-leader', 0.02],
  ['principal', 0.04],
  ['teacher', 0.38],
  ['student', 0.28],
  ['family', 0.2],
  ['community', 0.08],
];
/** Where the district stands on each condition at the start, and how much it moves in three years. */
const CONDITION_START: Readonly<Record<string, number>> = {
  'shared-vision': 2.2,
  culture: 2.0,
  agency: 1.7,
  transparency: 2.4,
};
const ROLE_BIAS: Readonly<Record<string, number>> = {
  superintendent: 0.8,
  'district-leader': 0.6,
  principal: 0.4,
  teacher: 0,
  student: -0.3,
  family: -0.2,
  community: -0.4,
};

interface Respondent {
  readonly id: string;
  readonly role: string;
  readonly schoolId?: string;
}

function ratingRows(draw: Draws, count: number, span: Span): HistoryRow[] {
  const pool = respondents(draw, Math.max(12, Math.round(count / 4.5)));
  const waves = surveyWaves(span);
  const responses: { at: number; wave: string; respondent: Respondent; ratings: [string, number][] }[] = [];
  waves.forEach((wave, w) => {
    const size = Math.floor((count * (w + 1)) / waves.length) - Math.floor((count * w) / waves.length);
    const taking = draw.shuffled(pool);
    for (let n = 0; n < size; n += 1) {
      const respondent = taking[n % taking.length] as Respondent;
      const rated = draw.chance(0.6)
        ? [...CONDITIONS]
        : draw.shuffled(CONDITIONS).slice(0, draw.integer(1, 3));
      const at =
        wave.from + draw.integer(0, wave.days - 1) * DAY_MS + draw.integer(11 * 3_600, 25 * 3_600) * 1_000;
      responses.push({
        at,
        wave: wave.label,
        respondent,
        ratings: rated.map((conditionId) => {
          const mean = (CONDITION_START[conditionId] ?? 2) + (0.9 * w) / waves.length;
          const level = mean + (ROLE_BIAS[respondent.role] ?? 0) + 0.7 * draw.normal();
          return [conditionId, Math.min(RUBRIC_LEVELS, Math.max(1, Math.round(level)))];
        }),
      });
    }
  });
  responses.sort((a, b) => a.at - b.at);
  const perWave = new Map<string, number>();
  const rows = responses.map(({ at, wave, respondent, ratings }, index): HistoryRow => {
    const sequence = (perWave.get(wave) ?? 0) + 1;
    perWave.set(wave, sequence);
    const submissionId = `s-${wave}-${String(sequence).padStart(5, '0')}`;
    const submittedAt = withOffset(at, -4);
    const submission: ConditionRating = {
      type: 'condition-rating',
      submissionId,
      respondent: {
        id: respondent.id,
        role: respondent.role,
        ...(respondent.schoolId === undefined ? {} : { schoolId: respondent.schoolId }),
      },
      submittedAt,
      ratings: ratings.map(([conditionId, level]) => ({ conditionId, level })),
    };
    return {
      line: index + 2,
      id: submissionId,
      cells: {
        submissionId,
        'respondent.id': respondent.id,
        'respondent.role': respondent.role,
        'respondent.schoolId': respondent.schoolId ?? '',
        submittedAt,
        ratings: ratings.map(([conditionId, level]) => `${conditionId}:${level}`).join(';'),
      },
      meaning: { valid: true, submission },
    };
  });
  return spoil(draw, rows, [
    (cells) => ({
      cells: { ...cells, ratings: cells.ratings?.replace(/^([a-z-]+):\d/, '$1:5') ?? '' },
      paths: ['ratings.0.level'],
    }),
    (cells) => ({ cells: { ...cells, 'respondent.role': 'janitor' }, paths: ['respondent.role'] }),
    (cells) => ({
      cells: { ...cells, ratings: 'culture=3' },
      paths: ['ratings.0.conditionId', 'ratings.0.level'],
    }),
    (cells) => ({ cells: { ...cells, ratings: 'culture:3;culture:2' }, paths: ['ratings.1.conditionId'] }),
  ]);
}

function respondents(draw: Draws, count: number): Respondent[] {
  const pool: Respondent[] = [{ id: pseudonym(draw, 'r'), role: 'superintendent' }];
  const schools = [...ELEMENTARY, ...MIDDLE, ...HIGH];
  for (const [role, share] of ROLE_SHARES) {
    const people = Math.max(2, Math.round(count * share));
    for (let n = 0; n < people; n += 1) {
      const atSchool = role !== 'district-leader' && role !== 'community';
      pool.push({
        id: pseudonym(draw, 'r'),
        role,
        ...(atSchool ? { schoolId: schools[draw.integer(0, schools.length - 1)] as string } : {}),
      });
    }
  }
  return pool;
}

/** October and April of each school year in the span. */
function surveyWaves(span: Span): { label: string; from: number; days: number }[] {
  const waves: { label: string; from: number; days: number }[] = [];
  const first = new Date(span.start).getUTCFullYear();
  for (let year = first; year <= new Date(span.end).getUTCFullYear(); year += 1) {
    for (const [month, season] of [
      [3, 'spring'],
      [9, 'fall'],
    ] as const) {
      const from = Date.UTC(year, month, 1);
      if (from >= span.start && Date.UTC(year, month, 30) <= span.end) {
        waves.push({ label: `${year}-${season}`, from, days: 30 });
      }
    }
  }
  return waves;
}

// ---------------------------------------------------------------------------------------------------------------
// competency evidence

interface Learner {
  readonly id: string;
  /** Index into GRADES in the first school year. */
  readonly grade: number;
  readonly school: { readonly es: string; readonly ms: string; readonly hs: string };
  readonly groups: readonly string[];
  /** The school year (0, 1, 2) from which the learner is no longer an English learner, if ever. */
  readonly leavesEll?: number;
  readonly ability: number;
}

function evidenceRows(draw: Draws, count: number, span: Span): HistoryRow[] {
  const learners = Array.from({ length: Math.max(10, Math.round(count / 10)) }, () => learner(draw));
  const schoolDays = schoolDaysOf(span);
  const rows: HistoryRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const day = schoolDays[Math.floor((index * schoolDays.length) / count)] as number;
    const year = Math.min(2, Math.floor((day - span.start) / (365 * DAY_MS)));
    let who = learners[draw.integer(0, learners.length - 1)] as Learner;
    // a learner past grade 12 has graduated: another one takes the row
    while (who.grade + year >= GRADES.length) who = learners[draw.integer(0, learners.length - 1)] as Learner;
    const grade = who.grade + year;
    const schoolId = grade <= 5 ? who.school.es : grade <= 8 ? who.school.ms : who.school.hs;
    const groups = who.groups.filter(
      (group) => group !== 'ell' || who.leavesEll === undefined || year < who.leavesEll,
    );
    const competencyId = COMPETENCIES[draw.integer(0, COMPETENCIES.length - 1)] as string;
    const growth = (day - span.start) / (365 * DAY_MS) / 3;
    const level = Math.min(
      PROFICIENCY_LEVELS,
      Math.max(1, Math.round(2.3 + who.ability + growth + 0.8 * draw.normal())),
    );
    const submissionId = `e-${String(index + 1).padStart(6, '0')}`;
    const submission: CompetencyEvidence = {
      type: 'competency-evidence',
      submissionId,
      learner: {
        id: who.id,
        schoolId,
        gradeLevel: GRADES[grade] as string,
        ...(groups.length === 0 ? {} : { groups: [...groups] }),
      },
      competencyId,
      level,
      assessedOn: isoDate(day),
    };
    rows.push({
      line: index + 2,
      id: submissionId,
      cells: {
        submissionId,
        'learner.id': who.id,
        'learner.schoolId': schoolId,
        'learner.gradeLevel': GRADES[grade] as string,
        'learner.groups': groups.join(';'),
        competencyId,
        level: String(level),
        assessedOn: isoDate(day),
      },
      meaning: { valid: true, submission },
    });
  }
  repeatRows(draw, rows, 2);
  return spoil(draw, rows, [
    (cells) => ({ cells: { ...cells, competencyId: 'juggling' }, paths: ['competencyId'] }),
    (cells) => ({ cells: { ...cells, level: '0' }, paths: ['level'] }),
    (cells) => ({ cells: { ...cells, assessedOn: '2025-13-01' }, paths: ['assessedOn'] }),
    (cells) => ({ cells: { ...cells, 'learner.gradeLevel': '13' }, paths: ['learner.gradeLevel'] }),
    (cells) => ({ cells: { ...cells, 'learner.groups': 'ELL' }, paths: ['learner.groups.0'] }),
    (cells) => ({ cells: { ...cells, 'learner.id': '' }, paths: ['learner.id'] }),
  ]);
}

function learner(draw: Draws): Learner {
  const groups = [
    ...(draw.chance(0.12) ? ['ell'] : []),
    ...(draw.chance(0.13) ? ['iep'] : []),
    ...(draw.chance(0.38) ? ['frl'] : []),
    ...(draw.chance(0.06) ? ['gifted'] : []),
  ];
  const leavesEll = groups.includes('ell') && draw.chance(0.3) ? draw.integer(1, 2) : undefined;
  return {
    id: pseudonym(draw, 'l'),
    grade: draw.integer(0, GRADES.length - 1),
    school: {
      es: ELEMENTARY[draw.integer(0, ELEMENTARY.length - 1)] as string,
      ms: MIDDLE[draw.integer(0, MIDDLE.length - 1)] as string,
      hs: HIGH[draw.integer(0, HIGH.length - 1)] as string,
    },
    groups,
    ...(leavesEll === undefined ? {} : { leavesEll }),
    ability: 0.5 * draw.normal() - (groups.includes('iep') ? 0.3 : 0),
  };
}

/** Weekdays from mid-August to mid-June, without the winter break. */
function schoolDaysOf(span: Span): number[] {
  const days: number[] = [];
  for (let day = span.start; day <= span.end; day += DAY_MS) {
    const date = new Date(day);
    const weekday = date.getUTCDay();
    const month = date.getUTCMonth();
    const dayOfMonth = date.getUTCDate();
    const summer = month === 6 || (month === 7 && dayOfMonth < 15) || (month === 5 && dayOfMonth > 15);
    const winter = (month === 11 && dayOfMonth > 21) || (month === 0 && dayOfMonth < 3);
    if (weekday !== 0 && weekday !== 6 && !summer && !winter) days.push(day);
  }
  return days;
}

/** Copies `count` rows over rows a little later in the file, as an export that repeats a row does. */
function repeatRows(draw: Draws, rows: HistoryRow[], count: number): void {
  for (let n = 0; n < count; n += 1) {
    const from = draw.integer(Math.floor(rows.length * 0.2), Math.floor(rows.length * 0.7));
    const to = Math.min(rows.length - 1, from + draw.integer(150, 400));
    const original = rows[from] as HistoryRow;
    rows[to] = { ...original, line: to + 2 };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// shared

interface Span {
  readonly start: number;
  readonly end: number;
}

type Spoiler = (cells: Readonly<Record<string, string>>) => {
  cells: Record<string, string>;
  paths: readonly string[];
};

/** Makes one row invalid per spoiler, spread over the file, each naming the fields an import must fault. */
function spoil(draw: Draws, rows: HistoryRow[], spoilers: readonly Spoiler[]): HistoryRow[] {
  const stretch = rows.length / spoilers.length;
  spoilers.forEach((spoiler, index) => {
    const at = Math.min(
      rows.length - 1,
      Math.floor(index * stretch + draw.integer(0, Math.floor(stretch) - 1)),
    );
    const row = rows[at] as HistoryRow;
    const { cells, paths } = spoiler(row.cells);
    rows[at] = { ...row, cells, meaning: { valid: false, paths } };
  });
  return rows;
}

/** A pseudonymous id as district systems assign them: a prefix and random hex. */
function pseudonym(draw: Draws, prefix: string): string {
  return `${prefix}-${Array.from({ length: 8 }, () => draw.integer(0, 15).toString(16)).join('')}`;
}

/** `oak-es` as `Oak Elementary`. */
function schoolName(schoolId: string): string {
  const [name = '', level = ''] = schoolId.split('-');
  const kind = { es: 'Elementary', ms: 'Middle School', hs: 'High School' }[level] ?? '';
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${kind}`;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An instant written in a fixed offset from UTC, e.g. `2025-10-14T09:31:07-04:00`. */
function withOffset(ms: number, hours: number): string {
  const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 19);
  const sign = hours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      rows: { type: 'string', default: String(HISTORY_DEFAULTS.rows) },
      seed: { type: 'string', default: String(HISTORY_DEFAULTS.seed) },
      until: { type: 'string', default: HISTORY_DEFAULTS.until },
    },
  });
  if (values.out === undefined) {
    process.stderr.write(
      'usage: generate-history.ts --out <dir> [--rows 50000] [--seed n] [--until YYYY-MM-DD]\n',
    );
    process.exit(2);
  }
  const history = generateHistory({
    rows: Number(values.rows),
    seed: Number(values.seed),
    until: values.until,
  });
  const paths = await writeHistory(history, resolve(values.out));
  for (const file of IMPORT_KINDS) {
    const invalid = history[file].filter((row) => !row.meaning.valid).length;
    process.stdout.write(`${paths[file]}: ${history[file].length} rows, ${invalid} invalid on purpose\n`);
  }
}
