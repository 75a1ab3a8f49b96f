/**
 * The progress metrics of a district (`GET /v1/districts/{districtId}/progress`, PRODUCT §5), computed from
 * plain facts: the milestones, the latest rating per respondent and condition, and the score per learner and
 * competency.
 *
 * The aggregation is split into small functions over counters — {@link conditionFigures} over per-role
 * `{n, sum}`, {@link competencyFigures} over per-group `{n, atMastery}`, {@link milestoneFigures} over the
 * milestones — so that an incremental implementation keeping those counters in storage publishes exactly what
 * {@link computeProgress} computes from scratch.
 */
import type { Framework } from '../contract/framework';
import { MILESTONE_STATUSES } from '../contract/milestones';
import { isAtMastery } from './mastery';
import { DAY_MS, localIsoDate } from './periods';
import { mean2, rate4 } from './rounding';
import {
  type BreakdownCell,
  isSuppressed,
  type Suppressed,
  suppressBreakdown,
  suppressEntity,
} from './suppression';

export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** A milestone as far as the metrics are concerned. */
export interface MilestoneFact {
  readonly milestoneId: string;
  readonly conditionId: string;
  readonly status: MilestoneStatus;
  /** `YYYY-MM-DD` */
  readonly dueDate: string | null;
  /** `YYYY-MM-DD` */
  readonly achievedOn: string | null;
  /** ISO-8601 timestamp with offset */
  readonly updatedAt: string;
}

/** The latest rating of one respondent on one condition (by `submittedAt`, ties by `submissionId`). */
export interface LatestRating {
  readonly respondentId: string;
  readonly conditionId: string;
  /** The role on that latest rating. */
  readonly role: string;
  readonly level: number;
}

/** One learner on one competency: the score of all their evidence, and the groups on the latest evidence. */
export interface LearnerScore {
  readonly learnerId: string;
  readonly competencyId: string;
  /** `undefined` when the method gives no score (`n_mastery` with fewer than n levels at the threshold). */
  readonly score: number | undefined;
  readonly groups: readonly string[];
}

/** Everything {@link computeProgress} reads. */
export interface ProgressInput {
  readonly districtId: string;
  readonly framework: Framework;
  /** The state's minimum n for suppression. */
  readonly minimumN: number;
  /** The district's IANA timezone: "today" for `overdue` is reckoned there. */
  readonly timezone: string;
  readonly now: Date;
  /** Time of the latest change reflected; `null` before the first one. */
  readonly asOf: string | null;
  readonly eventsApplied: number;
  readonly milestones: readonly MilestoneFact[];
  /** One per respondent and condition, already the latest. */
  readonly latestRatings: readonly LatestRating[];
  /** One per learner and competency with at least one (non-voided) piece of evidence. */
  readonly learnerScores: readonly LearnerScore[];
}

export interface MilestoneProgress {
  readonly total: number;
  /** Every status, 0 when none. */
  readonly byStatus: Readonly<Record<MilestoneStatus, number>>;
  /** achieved / (total − cancelled), 4 decimals; `null` when nothing is left once cancelled ones are out. */
  readonly completionRate: number | null;
  readonly overdue: number;
  readonly stale: number;
  readonly byCondition: Readonly<Record<string, { readonly total: number; readonly achieved: number }>>;
}

export interface RoleFigures {
  readonly n: number;
  readonly mean: number;
}

export interface ConditionHead {
  readonly conditionId: string;
  readonly name: string;
  readonly priority: boolean;
}

export type ConditionProgress =
  | (ConditionHead & Suppressed)
  | (ConditionHead & {
      readonly responses: number;
      readonly mean: number;
      readonly byRole: Readonly<Record<string, BreakdownCell<RoleFigures>>>;
      readonly alignmentGap: number | null;
    });

export interface GroupFigures {
  readonly n: number;
  readonly masteryRate: number;
}

export interface CompetencyHead {
  readonly competencyId: string;
  readonly name: string;
}

export type CompetencyProgress =
  | (CompetencyHead & Suppressed)
  | (CompetencyHead & {
      readonly learnersAssessed: number;
      readonly atMastery: number;
      readonly masteryRate: number;
      readonly byGroup: Readonly<Record<string, BreakdownCell<GroupFigures>>>;
    });

/** The body of `GET /progress`. */
export interface ProgressReport {
  readonly districtId: string;
  readonly asOf: string | null;
  readonly eventsApplied: number;
  readonly milestones: MilestoneProgress;
  readonly conditions: readonly ConditionProgress[];
  readonly competencies: readonly CompetencyProgress[];
}

/** Respondents of one role on one condition: how many, and the sum of their (integer) levels. */
export interface RoleCounter {
  readonly n: number;
  readonly sum: number;
}

/** Learners (of a competency, or of one group in it): how many were assessed, how many are at mastery. */
export interface MasteryCounter {
  readonly n: number;
  readonly atMastery: number;
}

/** The counters of one competency. */
export interface CompetencyCounters {
  /** Every learner assessed; not the sum of the groups, since a learner has any number of groups. */
  readonly total: MasteryCounter;
  readonly byGroup: Readonly<Record<string, MasteryCounter>>;
}

/** A milestone not yet closed goes stale when its last update is more than this many days (of 24 hours) ago. */
export const STALE_AFTER_DAYS = 30;
const STALE_AFTER_MS = STALE_AFTER_DAYS * DAY_MS;

/**
 * The whole progress report, computed from scratch.
 *
 * Facts about conditions, competencies or roles that the framework no longer has are left out of conditions
 * and competencies ("metrics are recomputed under the new framework"); milestones are reported as they are.
 */
export function computeProgress(input: ProgressInput): ProgressReport {
  const { framework } = input;
  const roleCounters = new Map<string, Map<string, { n: number; sum: number }>>();
  for (const rating of input.latestRatings) {
    const byRole = getOrCreate(roleCounters, rating.conditionId, () => new Map());
    const counter = getOrCreate(byRole, rating.role, () => ({ n: 0, sum: 0 }));
    counter.n += 1;
    counter.sum += rating.level;
  }

  // A learner whose evidence gives no score (n_mastery with too few levels at the threshold) has been assessed
  // but is not at mastery: counted in learnersAssessed and in their groups' n, not in atMastery. Leaving such
  // learners out would make n_mastery districts look more masterful the less evidence they hold.
  const threshold = framework.proficiency.masteryThreshold;
  const masteryCounters = new Map<
    string,
    { total: MutableMasteryCounter; byGroup: Map<string, MutableMasteryCounter> }
  >();
  for (const learner of input.learnerScores) {
    const counters = getOrCreate(masteryCounters, learner.competencyId, () => ({
      total: { n: 0, atMastery: 0 },
      byGroup: new Map(),
    }));
    const mastered = isAtMastery(learner.score, threshold) ? 1 : 0;
    counters.total.n += 1;
    counters.total.atMastery += mastered;
    // a group listed twice on the evidence is still one group membership
    for (const group of new Set(learner.groups)) {
      const counter = getOrCreate(counters.byGroup, group, () => ({ n: 0, atMastery: 0 }));
      counter.n += 1;
      counter.atMastery += mastered;
    }
  }

  return progressFromCounters({
    ...input,
    roleCounters: Object.fromEntries(
      [...roleCounters].map(([conditionId, byRole]) => [conditionId, Object.fromEntries(byRole)]),
    ),
    competencyCounters: Object.fromEntries(
      [...masteryCounters].map(([competencyId, counters]) => [
        competencyId,
        { total: counters.total, byGroup: Object.fromEntries(counters.byGroup) },
      ]),
    ),
  });
}

/** What {@link progressFromCounters} reads: the facts of {@link ProgressInput}, with counters for people. */
export interface CountedProgressInput extends Omit<ProgressInput, 'latestRatings' | 'learnerScores'> {
  /** Per condition id, `{n, sum}` by role of the respondents' latest ratings. */
  readonly roleCounters: Readonly<Record<string, Readonly<Record<string, RoleCounter>>>>;
  /** Per competency id, the learners assessed and at mastery. */
  readonly competencyCounters: Readonly<Record<string, CompetencyCounters>>;
}

/**
 * The whole progress report from counters: what the progress route reads back from the stored aggregates, and
 * what {@link computeProgress} computes them to be. Counters of conditions, competencies or roles the framework
 * does not have are ignored.
 */
export function progressFromCounters(input: CountedProgressInput): ProgressReport {
  const { framework, minimumN } = input;
  return {
    districtId: input.districtId,
    asOf: input.asOf,
    eventsApplied: input.eventsApplied,
    milestones: milestoneFigures(input.milestones, {
      now: input.now,
      timezone: input.timezone,
      conditionOrder: framework.conditions.map((condition) => condition.id),
    }),
    conditions: framework.conditions.map((condition) =>
      conditionFigures(
        { conditionId: condition.id, name: condition.name, priority: condition.priority },
        input.roleCounters[condition.id] ?? {},
        { minimumN, roles: framework.roles },
      ),
    ),
    competencies: framework.competencies.map((competency) =>
      competencyFigures(
        { competencyId: competency.id, name: competency.name },
        input.competencyCounters[competency.id] ?? { total: { n: 0, atMastery: 0 }, byGroup: {} },
        minimumN,
      ),
    ),
  };
}

/**
 * The milestone figures. Not suppressed: they are about the district's plan, not about people.
 *
 * @param options.now the current instant, for `stale`
 * @param options.timezone the district's timezone: a milestone is overdue once its due date is before today there
 * @param options.conditionOrder the framework's condition ids: `byCondition` lists those first, in this order,
 *   then any other condition id of a milestone in code-unit order
 */
export function milestoneFigures(
  milestones: readonly MilestoneFact[],
  options: { readonly now: Date; readonly timezone: string; readonly conditionOrder: readonly string[] },
): MilestoneProgress {
  const byStatus = Object.fromEntries(MILESTONE_STATUSES.map((status) => [status, 0])) as Record<
    MilestoneStatus,
    number
  >;
  const byCondition = new Map<string, { total: number; achieved: number }>();
  const today = localIsoDate(options.now, options.timezone);
  let overdue = 0;
  let stale = 0;
  for (const milestone of milestones) {
    byStatus[milestone.status] += 1;
    const condition = getOrCreate(byCondition, milestone.conditionId, () => ({ total: 0, achieved: 0 }));
    condition.total += 1;
    if (milestone.status === 'achieved') condition.achieved += 1;
    if (isOverdue(milestone, today)) overdue += 1;
    if (isStale(milestone, options.now)) stale += 1;
  }
  const open = milestones.length - byStatus.cancelled;
  return {
    total: milestones.length,
    byStatus,
    completionRate: open > 0 ? rate4(byStatus.achieved, open) : null,
    overdue,
    stale,
    byCondition: Object.fromEntries(
      orderKeys([...byCondition.keys()], options.conditionOrder).flatMap((id) => {
        const counts = byCondition.get(id);
        return counts ? [[id, counts]] : [];
      }),
    ),
  };
}

/**
 * Whether a milestone is overdue: not achieved or cancelled, and due before `today`.
 *
 * @param today `YYYY-MM-DD` in the district's timezone; a milestone due today is not overdue yet
 */
export function isOverdue(milestone: Pick<MilestoneFact, 'status' | 'dueDate'>, today: string): boolean {
  return isOpen(milestone.status) && milestone.dueDate !== null && milestone.dueDate < today;
}

/**
 * Whether a milestone is stale: not achieved or cancelled, and last updated more than 30 days (of 24 hours)
 * before `now`. Exactly 30 days is not stale yet.
 */
export function isStale(milestone: Pick<MilestoneFact, 'status' | 'updatedAt'>, now: Date): boolean {
  return isOpen(milestone.status) && now.getTime() - Date.parse(milestone.updatedAt) > STALE_AFTER_MS;
}

/**
 * One condition's figures from its per-role counters.
 *
 * `responses` and `mean` are taken over the roles counted, which partition the respondents (each respondent
 * counts under the role of their latest rating), so a stored set of per-role counters is all that is needed.
 * Roles with no response are not listed. The alignment gap is the difference of the published (2-decimal)
 * means of the roles left visible after suppression, so that it agrees with the figures a reader sees next to
 * it; `null` with fewer than two such roles.
 *
 * @param counters `{n, sum}` by role; counters of roles missing from `options.roles` are ignored
 * @param options.roles the framework's roles: `byRole` follows this order
 */
export function conditionFigures(
  head: ConditionHead,
  counters: Readonly<Record<string, RoleCounter>>,
  options: { readonly minimumN: number; readonly roles: readonly string[] },
): ConditionProgress {
  const roles = options.roles.filter((role) => (counters[role]?.n ?? 0) > 0);
  let responses = 0;
  let levelSum = 0;
  for (const role of roles) {
    responses += counters[role]?.n ?? 0;
    levelSum += counters[role]?.sum ?? 0;
  }
  return suppressEntity(head, responses, options.minimumN, () => {
    const byRole = suppressBreakdown(
      Object.fromEntries(
        roles.map((role) => {
          const { n, sum } = counters[role] ?? { n: 0, sum: 0 };
          return [role, { n, mean: mean2(sum, n) }];
        }),
      ),
      options.minimumN,
    );
    return { responses, mean: mean2(levelSum, responses), byRole, alignmentGap: alignmentGap(byRole) };
  });
}

/**
 * One competency's figures from its counters. Groups with no learner are not listed; `byGroup` is in code-unit
 * order of the group ids, which have no order of their own in the framework.
 */
export function competencyFigures(
  head: CompetencyHead,
  counters: CompetencyCounters,
  minimumN: number,
): CompetencyProgress {
  const { n, atMastery } = counters.total;
  return suppressEntity(head, n, minimumN, () => {
    const groups = Object.keys(counters.byGroup)
      .filter((group) => (counters.byGroup[group]?.n ?? 0) > 0)
      .sort();
    const byGroup = suppressBreakdown(
      Object.fromEntries(
        groups.map((group) => {
          const counter = counters.byGroup[group] ?? { n: 0, atMastery: 0 };
          return [group, { n: counter.n, masteryRate: rate4(counter.atMastery, counter.n) }];
        }),
      ),
      minimumN,
    );
    return { learnersAssessed: n, atMastery, masteryRate: rate4(atMastery, n), byGroup };
  });
}

/** Highest minus lowest visible role mean, to 2 decimals; `null` with fewer than two visible roles. */
function alignmentGap(byRole: Readonly<Record<string, BreakdownCell<RoleFigures>>>): number | null {
  // the means are already 2-decimal; subtracting them in whole hundredths keeps float noise out of the gap
  const hundredths = Object.values(byRole).flatMap((cell) =>
    isSuppressed(cell) ? [] : [Math.round(cell.mean * 100)],
  );
  if (hundredths.length < 2) return null;
  return (Math.max(...hundredths) - Math.min(...hundredths)) / 100;
}

interface MutableMasteryCounter {
  n: number;
  atMastery: number;
}

function isOpen(status: MilestoneStatus): boolean {
  return status !== 'achieved' && status !== 'cancelled';
}

/** `keys` in the order of `order`, then those not in it in code-unit order. */
function orderKeys(keys: readonly string[], order: readonly string[]): string[] {
  const present = new Set(keys);
  const known = new Set(order);
  return [...order.filter((key) => present.has(key)), ...keys.filter((key) => !known.has(key)).sort()];
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
