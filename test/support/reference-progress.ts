/**
 * A reference computation of `GET /v1/districts/{districtId}/progress` (PRODUCT §5), written from the contract's
 * definitions alone, for the end-to-end tests to compare the platform's answer with.
 *
 * It shares nothing with shared/domain: it reads the raw submissions (not pre-digested facts), orders them itself,
 * and does every mean, rate and score in exact integer arithmetic (BigInt rationals), rounding half away from
 * zero on the exact value. A figure is turned into a JS number only once, as `units / 10^decimals`, which is the
 * double nearest to the decimal a reader would write.
 *
 * Where the contract is silent this follows the implementation's reading (shared/domain/progress.ts); each such
 * place says so in a comment marked "implementation's reading".
 */
import type { components } from '../../shared/contract/generated/api-types';

type Schemas = components['schemas'];
export type Progress = Schemas['Progress'];
export type Framework = Schemas['Framework'];
export type ConditionRating = Schemas['ConditionRating'];
export type CompetencyEvidence = Schemas['CompetencyEvidence'];
export type Submission = ConditionRating | CompetencyEvidence;
export type MilestoneStatus = Schemas['Milestone']['status'];

/** Every milestone status, in the contract's order. */
export const STATUSES: readonly MilestoneStatus[] = [
  'not_started',
  'on_track',
  'at_risk',
  'off_track',
  'achieved',
  'cancelled',
];

/** An active milestone as its latest applied PUT left it. */
export interface ReferenceMilestone {
  readonly milestoneId: string;
  readonly conditionId: string;
  readonly status: MilestoneStatus;
  readonly dueDate?: string | null;
  /** ISO-8601 with offset. */
  readonly updatedAt: string;
}

/** What was posted to a district, as far as its progress is concerned. */
export interface ReferenceInput {
  readonly districtId: string;
  readonly framework: Framework;
  /** The district's IANA timezone. */
  readonly timezone: string;
  /** The state's minimum n. */
  readonly minimumN: number;
  readonly now: Date;
  /** The milestones that exist (applied and not removed), each at its latest applied write. */
  readonly milestones: readonly ReferenceMilestone[];
  /** Every accepted submission, once each (replays left out), voided ones included. */
  readonly submissions: readonly Submission[];
  /** The submission ids that were voided. */
  readonly voided: ReadonlySet<string>;
  /** Applied milestone writes + distinct accepted submissions + voids and removals that changed something. */
  readonly eventsApplied: number;
  /** The server's time of the latest change; the caller takes it from the answer. Default `null`. */
  readonly asOf?: string | null;
}

/** The true sizes behind the published figures, before any suppression (for checking suppression). */
export interface ReferenceCounts {
  /** Per condition id of the framework: respondents counted, and per role with responses. */
  readonly conditions: Readonly<
    Record<string, { readonly n: number; readonly cells: Record<string, number> }>
  >;
  /** Per competency id of the framework: learners assessed, and per group with learners. */
  readonly competencies: Readonly<
    Record<string, { readonly n: number; readonly cells: Record<string, number> }>
  >;
}

const STALE_MS = 30n * 24n * 60n * 60n * 1000n;

/** The expected progress body. */
export function referenceProgress(input: ReferenceInput): Progress {
  const { framework, minimumN } = input;
  const people = countPeople(input);
  return {
    districtId: input.districtId,
    asOf: input.asOf ?? null,
    eventsApplied: input.eventsApplied,
    milestones: milestoneFigures(input),
    conditions: framework.conditions.map((condition) => {
      const head = { conditionId: condition.id, name: condition.name, priority: condition.priority };
      const roles = people.roles.get(condition.id) ?? new Map<string, { n: number; sum: bigint }>();
      // byRole lists the framework's roles in framework order (implementation's reading: the contract gives no
      // order for byRole)
      const listed = framework.roles.filter((role) => (roles.get(role)?.n ?? 0) > 0);
      let responses = 0;
      let sum = 0n;
      for (const role of listed) {
        responses += roles.get(role)?.n ?? 0;
        sum += roles.get(role)?.sum ?? 0n;
      }
      if (responses < minimumN) return { ...head, suppressed: true as const };
      const hidden = hiddenCells(
        listed.map((role) => [role, roles.get(role)?.n ?? 0]),
        minimumN,
      );
      const byRole: Record<string, { n: number; mean: number } | { suppressed: true }> = {};
      const visibleHundredths: bigint[] = [];
      for (const role of listed) {
        const cell = roles.get(role) ?? { n: 0, sum: 0n };
        if (hidden.has(role)) {
          byRole[role] = { suppressed: true };
        } else {
          const hundredths = roundDiv(cell.sum * 100n, BigInt(cell.n));
          visibleHundredths.push(hundredths);
          byRole[role] = { n: cell.n, mean: decimal(hundredths, 2) };
        }
      }
      // the gap of the published 2-decimal means, so it agrees with what a reader sees beside it
      // (implementation's reading: the contract says "role mean" without saying which rounding)
      const alignmentGap =
        visibleHundredths.length < 2 ? null : decimal(maxOf(visibleHundredths) - minOf(visibleHundredths), 2);
      return {
        ...head,
        responses,
        mean: decimal(roundDiv(sum * 100n, BigInt(responses)), 2),
        byRole,
        alignmentGap,
      };
    }),
    competencies: framework.competencies.map((competency) => {
      const head = { competencyId: competency.id, name: competency.name };
      const learners = people.learners.get(competency.id) ?? [];
      if (learners.length < minimumN) return { ...head, suppressed: true as const };
      const groups = new Map<string, { n: number; atMastery: number }>();
      let atMastery = 0;
      for (const learner of learners) {
        if (learner.atMastery) atMastery += 1;
        for (const group of learner.groups) {
          const cell = groups.get(group) ?? { n: 0, atMastery: 0 };
          cell.n += 1;
          if (learner.atMastery) cell.atMastery += 1;
          groups.set(group, cell);
        }
      }
      // byGroup in code-unit order of the group ids (implementation's reading: groups have no order of their own)
      const listed = [...groups.keys()].sort(compareText);
      const hidden = hiddenCells(
        listed.map((group) => [group, groups.get(group)?.n ?? 0]),
        minimumN,
      );
      const byGroup: Record<string, { n: number; masteryRate: number } | { suppressed: true }> = {};
      for (const group of listed) {
        const cell = groups.get(group) ?? { n: 0, atMastery: 0 };
        byGroup[group] = hidden.has(group)
          ? { suppressed: true }
          : { n: cell.n, masteryRate: rate4(cell.atMastery, cell.n) };
      }
      return {
        ...head,
        learnersAssessed: learners.length,
        atMastery,
        masteryRate: rate4(atMastery, learners.length),
        byGroup,
      };
    }),
  };
}

/** The true sizes of every condition, role cell, competency and group cell, before suppression. */
export function referenceCounts(input: ReferenceInput): ReferenceCounts {
  const people = countPeople(input);
  const conditions: Record<string, { n: number; cells: Record<string, number> }> = {};
  for (const condition of input.framework.conditions) {
    const roles = people.roles.get(condition.id) ?? new Map<string, { n: number }>();
    const cells: Record<string, number> = {};
    let n = 0;
    for (const role of input.framework.roles) {
      const count = roles.get(role)?.n ?? 0;
      if (count > 0) cells[role] = count;
      n += count;
    }
    conditions[condition.id] = { n, cells };
  }
  const competencies: Record<string, { n: number; cells: Record<string, number> }> = {};
  for (const competency of input.framework.competencies) {
    const learners = people.learners.get(competency.id) ?? [];
    const cells: Record<string, number> = {};
    for (const learner of learners) {
      for (const group of learner.groups) cells[group] = (cells[group] ?? 0) + 1;
    }
    competencies[competency.id] = { n: learners.length, cells };
  }
  return { conditions, competencies };
}

/**
 * Which cells of a breakdown are hidden: every cell below the minimum, and if that is exactly one cell, also the
 * smallest of the others (ties by key in code-unit order). With a single cell there is no other to hide.
 */
export function hiddenCells(cells: readonly (readonly [string, number])[], minimumN: number): Set<string> {
  const hidden = new Set(cells.filter(([, n]) => n < minimumN).map(([key]) => key));
  if (hidden.size === 1) {
    let next: readonly [string, number] | undefined;
    for (const cell of cells) {
      if (hidden.has(cell[0])) continue;
      if (!next || cell[1] < next[1] || (cell[1] === next[1] && compareText(cell[0], next[0]) < 0))
        next = cell;
    }
    if (next) hidden.add(next[0]);
  }
  return hidden;
}

// ---------------------------------------------------------------------------------------------------------------
// people: respondents' latest ratings and learners' scores

interface LearnerOutcome {
  readonly atMastery: boolean;
  /** Groups on the latest evidence, without repeats. */
  readonly groups: readonly string[];
}

interface People {
  /** Per condition id, per role: respondents whose latest rating is in that role, and the sum of their levels. */
  readonly roles: Map<string, Map<string, { n: number; sum: bigint }>>;
  /** Per competency id, one outcome per learner with evidence. */
  readonly learners: Map<string, LearnerOutcome[]>;
}

function countPeople(input: ReferenceInput): People {
  const { framework } = input;
  const conditionIds = new Set(framework.conditions.map((condition) => condition.id));
  const roleIds = new Set(framework.roles);
  const competencyIds = new Set(framework.competencies.map((competency) => competency.id));
  const live = input.submissions.filter((submission) => !input.voided.has(submission.submissionId));

  // latest rating per respondent and condition: by the instant of submittedAt, ties by the higher submissionId
  const latest = new Map<string, { at: Instant; submissionId: string; role: string; level: number }>();
  for (const submission of live) {
    if (submission.type !== 'condition-rating') continue;
    const at = parseInstant(submission.submittedAt);
    for (const rating of submission.ratings) {
      const key = JSON.stringify([submission.respondent.id, rating.conditionId]);
      const current = latest.get(key);
      const order = current
        ? compareInstants(at, current.at) || compareText(submission.submissionId, current.submissionId)
        : 1;
      if (order > 0) {
        latest.set(key, {
          at,
          submissionId: submission.submissionId,
          role: submission.respondent.role,
          level: rating.level,
        });
      }
    }
  }
  const roles = new Map<string, Map<string, { n: number; sum: bigint }>>();
  for (const [key, rating] of latest) {
    const [, conditionId] = JSON.parse(key) as [string, string];
    // the latest rating is chosen first, then left out if its condition or role is not in the framework: an
    // earlier rating in a role still in the framework does not stand in for it (implementation's reading of
    // "metrics are recomputed under the new framework")
    if (!conditionIds.has(conditionId) || !roleIds.has(rating.role)) continue;
    const byRole = roles.get(conditionId) ?? new Map<string, { n: number; sum: bigint }>();
    const cell = byRole.get(rating.role) ?? { n: 0, sum: 0n };
    cell.n += 1;
    cell.sum += BigInt(rating.level);
    byRole.set(rating.role, cell);
    roles.set(conditionId, byRole);
  }

  const evidence = new Map<string, CompetencyEvidence[]>();
  for (const submission of live) {
    if (submission.type !== 'competency-evidence') continue;
    if (!competencyIds.has(submission.competencyId)) continue;
    const key = JSON.stringify([submission.competencyId, submission.learner.id]);
    const list = evidence.get(key) ?? [];
    list.push(submission);
    evidence.set(key, list);
  }
  const learners = new Map<string, LearnerOutcome[]>();
  for (const [key, list] of evidence) {
    const [competencyId] = JSON.parse(key) as [string, string];
    const ordered = [...list].sort(
      (a, b) => compareText(a.assessedOn, b.assessedOn) || compareText(a.submissionId, b.submissionId),
    );
    const last = ordered[ordered.length - 1];
    if (!last) continue;
    const score = scoreLevels(
      ordered.map((item) => item.level),
      framework,
    );
    const outcomes = learners.get(competencyId) ?? [];
    outcomes.push({
      // a learner without a score (n_mastery with too few levels at the threshold) is assessed but not at
      // mastery (implementation's reading, see computeProgress in shared/domain/progress.ts)
      atMastery: score !== undefined && isMastery(score, framework.proficiency.masteryThreshold),
      groups: [...new Set(last.learner.groups ?? [])],
    });
    learners.set(competencyId, outcomes);
  }
  return { roles, learners };
}

/** An exact non-negative rational. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * The exact score of a learner's levels (in evidence order) under the framework's mastery method, as Canvas
 * defines the methods; `undefined` when n_mastery has fewer than n levels at or above the threshold.
 */
export function scoreLevels(
  levels: readonly number[],
  framework: Pick<Framework, 'masteryMethod' | 'proficiency'>,
) {
  const values = levels.map(BigInt);
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  const total = values.reduce((a, b) => a + b, 0n);
  const method = framework.masteryMethod;
  switch (method.method) {
    case 'highest':
      return { num: maxOf(values), den: 1n };
    case 'latest':
      return { num: last, den: 1n };
    case 'average':
      return { num: total, den: BigInt(values.length) };
    case 'decaying_average': {
      const earlier = BigInt(values.length - 1);
      if (earlier === 0n) return { num: last, den: 1n };
      // last × w/100 + (sumEarlier / earlier) × (100 − w)/100 over the common denominator 100 × earlier
      const w = BigInt(method.weight);
      return { num: last * w * earlier + (total - last) * (100n - w), den: 100n * earlier };
    }
    case 'n_mastery': {
      const threshold = BigInt(framework.proficiency.masteryThreshold);
      const mastered = values.filter((level) => level >= threshold);
      if (mastered.length < method.n) return undefined;
      return { num: mastered.reduce((a, b) => a + b, 0n), den: BigInt(mastered.length) };
    }
  }
}

/** At mastery: the score rounded to 2 decimals (half away from zero) is at or above the threshold. */
export function isMastery(score: Rational, threshold: number): boolean {
  return roundDiv(score.num * 100n, score.den) >= BigInt(threshold) * 100n;
}

// ---------------------------------------------------------------------------------------------------------------
// milestones

function milestoneFigures(input: ReferenceInput): Progress['milestones'] {
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
    MilestoneStatus,
    number
  >;
  const byCondition = new Map<string, { total: number; achieved: number }>();
  const today = dateIn(input.now, input.timezone);
  const now = BigInt(input.now.getTime());
  let overdue = 0;
  let stale = 0;
  for (const milestone of input.milestones) {
    byStatus[milestone.status] += 1;
    const cell = byCondition.get(milestone.conditionId) ?? { total: 0, achieved: 0 };
    cell.total += 1;
    if (milestone.status === 'achieved') cell.achieved += 1;
    byCondition.set(milestone.conditionId, cell);
    const open = milestone.status !== 'achieved' && milestone.status !== 'cancelled';
    if (open && milestone.dueDate && milestone.dueDate < today) overdue += 1;
    // "more than 30 days ago": strictly more than 30 × 24 h before now; the instant is compared to the
    // millisecond, which is all `now` has
    if (open && now * 1_000_000n - parseInstant(milestone.updatedAt).nanos > STALE_MS * 1_000_000n)
      stale += 1;
  }
  const denominator = input.milestones.length - byStatus.cancelled;
  // byCondition: the framework's conditions first in framework order, then any other in code-unit order
  // (implementation's reading: the contract only says it is keyed by the milestones' conditionIds; milestones of a
  // condition the framework no longer has are still counted, as the contract reports milestones as they are)
  const frameworkOrder = input.framework.conditions.map((condition) => condition.id);
  const others = [...byCondition.keys()].filter((id) => !frameworkOrder.includes(id)).sort(compareText);
  const keys = [...frameworkOrder.filter((id) => byCondition.has(id)), ...others];
  return {
    total: input.milestones.length,
    byStatus,
    completionRate: denominator > 0 ? rate4(byStatus.achieved, denominator) : null,
    overdue,
    stale,
    byCondition: Object.fromEntries(keys.map((id) => [id, byCondition.get(id) ?? { total: 0, achieved: 0 }])),
  };
}

/** `YYYY-MM-DD` of an instant in a timezone. */
export function dateIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// exact time and arithmetic

/** An instant in nanoseconds since the epoch (fractions beyond nanoseconds are kept as `rest`). */
export interface Instant {
  readonly nanos: bigint;
  /** Digits of the fraction beyond the ninth, right-trimmed of zeros. */
  readonly rest: string;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

/** Parses an ISO-8601 timestamp with offset exactly: the instant it names, to any fraction of a second. */
export function parseInstant(text: string): Instant {
  const match = TIMESTAMP.exec(text);
  if (!match) throw new RangeError(`not an ISO-8601 timestamp with offset: ${text}`);
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone, sign, oh = '0', om = '0'] = match;
  const localSeconds =
    BigInt(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))) / 1000n;
  const offsetSeconds = zone?.toUpperCase() === 'Z' ? 0n : BigInt(Number(oh) * 3600 + Number(om) * 60);
  const utcSeconds = sign === '-' ? localSeconds + offsetSeconds : localSeconds - offsetSeconds;
  const nanos = utcSeconds * 1_000_000_000n + BigInt(fraction.slice(0, 9).padEnd(9, '0'));
  return { nanos, rest: fraction.slice(9).replace(/0+$/, '') };
}

export function compareInstants(a: Instant, b: Instant): number {
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  const length = Math.max(a.rest.length, b.rest.length);
  return compareText(a.rest.padEnd(length, '0'), b.rest.padEnd(length, '0'));
}

/** `num / den` rounded to an integer, halves away from zero. */
export function roundDiv(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const units = (2n * n + d) / (2n * d);
  return negative ? -units : units;
}

/** A rate to 4 decimals, half away from zero. */
export function rate4(part: number, whole: number): number {
  return decimal(roundDiv(BigInt(part) * 10_000n, BigInt(whole)), 4);
}

/** `units × 10^−decimals` as the nearest double (one correctly rounded division of exact integers). */
function decimal(units: bigint, decimals: number): number {
  const value = Number(units) / 10 ** decimals;
  return value === 0 ? 0 : value;
}

/** The bigints in ascending order (Math.max and Math.min do not take bigints). */
function ascending(values: readonly bigint[]): bigint[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function maxOf(values: readonly bigint[]): bigint {
  return ascending(values).at(-1) ?? 0n;
}

function minOf(values: readonly bigint[]): bigint {
  return ascending(values)[0] ?? 0n;
}

/** Code-unit order, as the contract's "ties by id" and sorted keys are read. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
