/**
 * The digest e-mail's content (PRODUCT §6) as a plain model: every figure a template prints is already a
 * formatted string here, so the templates (shared/email) only place and escape text and hold no rules.
 *
 * Suppression: the builder reads a suppressed cell only as "suppressed". A hidden cell prints as
 * "fewer than N responses" with the state's minimum n and nothing else: no mean, no rate, no count, and no
 * change since the last digest (current minus previous would give the hidden value back to anyone who kept the
 * last e-mail).
 *
 * Change of a condition's mean since the last digest, in hundredths of the published 2-decimal means:
 * - `"+0.12"`, `"−0.05"` (U+2212 minus), `"no change"` when both digests show a mean;
 * - `"new"` when this digest shows a mean and the previous report had none for that condition (suppressed, or
 *   the condition was not in the framework then);
 * - `null` (nothing printed) when this digest shows no mean, and on a first digest (no previous report): every
 *   figure would be "new", which says nothing; the e-mail says instead that changes start with the next one.
 *
 * Pure: no AWS, no clock (`now` is an input).
 */
import type { Milestone } from '../contract/milestones';
import { DAY_MS, localIsoDate } from './periods';
import {
  type CompetencyProgress,
  type ConditionProgress,
  isOverdue,
  isStale,
  type MilestoneStatus,
  type ProgressReport,
  STALE_AFTER_DAYS,
} from './progress';
import { roundHalfAwayFromZero } from './rounding';
import { isSuppressed } from './suppression';
import { compareText } from './text';

/** How many milestones each list of a digest shows at most; the rest is counted ("and 12 more"). */
const DIGEST_LIST_LIMIT = 10;

/** U+2212, the typographic minus: "−0.05" reads as a negative number where a hyphen may not. */
const MINUS = '\u2212';

/** What {@link buildDistrictDigest} reads. */
export interface DistrictDigestInput {
  readonly districtName: string;
  /** The district's progress now. */
  readonly report: ProgressReport;
  /** What the subscriber's previous digest of this cadence showed; absent for a first digest. */
  readonly previous?: PreviousDigest | undefined;
  /** The district's milestones (removed ones left out). */
  readonly milestones: readonly Milestone[];
  /**
   * For a first digest, the first day (`YYYY-MM-DD`) whose achievements it lists: the first day of the period
   * before the digest's, so that a first weekly digest sent on a Monday lists the week before.
   */
  readonly firstDigestFrom: string;
  readonly now: Date;
  /** The district's IANA timezone: "today" (overdue) and the previous digest's date are reckoned there. */
  readonly timezone: string;
  /** The state's minimum n: suppressed cells print as "fewer than N responses". */
  readonly minimumN: number;
  /** Number of levels of the district's rubric (condition ratings run 1..rubricLevels). */
  readonly rubricLevels: number;
  /** `2026-W48` (weekly) or `2026-11` (monthly). */
  readonly period: string;
  readonly unsubscribeUrl: string;
  /** Most milestones per list; default {@link DIGEST_LIST_LIMIT}. */
  readonly listLimit?: number;
}

/**
 * The previous digest as the ledger recorded it. Milestones achieved since then are those achieved now that were
 * not achieved then, whatever their `achievedOn`: an achievement recorded late, or on the day of the digest after
 * it went out, is listed once, in the next digest.
 */
export interface PreviousDigest {
  readonly report: ProgressReport;
  readonly sentAt: Date;
  readonly achievedMilestoneIds: readonly string[];
}

/** A bulletproof progress bar's two cells, in whole percent; a cell of 0 is left out. */
export interface Bar {
  readonly fill: number;
  readonly rest: number;
}

/** A percentage with its bar, or no figure (`bar: null`) when the value is hidden or undefined. */
export interface Rate {
  /** `"36%"`, `"fewer than 10 responses"`, `"no open milestones"` */
  readonly value: string;
  readonly bar: Bar | null;
}

export interface MilestoneLine {
  readonly title: string;
  /** e.g. `"achieved Nov 20, 2026"`, `"due Nov 1, 2026 · 22 days overdue · at risk"` */
  readonly detail: string;
  /** `"owner: Assistant Superintendent"`, or `null` when the milestone has none. */
  readonly owner: string | null;
}

export interface MilestoneList {
  /** Heading, e.g. `"Overdue (2)"`. */
  readonly heading: string;
  /** The explanation under the heading, or what an empty list means. */
  readonly note: string;
  readonly items: readonly MilestoneLine[];
  /** `"and 12 more"` when the list was cut at the limit, else `null`. */
  readonly more: string | null;
}

export interface BreakdownLine {
  /** The role or group as the district names it. */
  readonly label: string;
  /** `"2.71 (31 responses)"`, `"45% (40 learners)"` or `"fewer than 10 responses"` */
  readonly value: string;
}

export interface ConditionLine {
  readonly name: string;
  /** `"priority condition"` or `null` */
  readonly priority: string | null;
  /** `"2.84"` or `"fewer than 10 responses"` */
  readonly mean: string;
  /** `"57 responses"`; `null` when suppressed. */
  readonly responses: string | null;
  /** See the module comment; `null` prints nothing. */
  readonly change: string | null;
  /** `"0.62"`, `"not enough roles to compare"`; `null` when the condition is suppressed. */
  readonly alignmentGap: string | null;
  readonly roles: readonly BreakdownLine[];
}

export interface CompetencyLine {
  readonly name: string;
  readonly masteryRate: Rate;
  /** `"301 of 480 learners at mastery"`; `null` when suppressed. */
  readonly learners: string | null;
  readonly groups: readonly BreakdownLine[];
}

/** Everything the district digest prints. */
export interface DistrictDigestModel {
  readonly subject: string;
  /** The preview line mail clients show after the subject. */
  readonly preheader: string;
  readonly districtName: string;
  /** `"Weekly digest · week 48 of 2026"` */
  readonly periodLabel: string;
  /** `"As of Nov 23, 2026"` */
  readonly asOf: string;
  /** `"Changes are since your last digest of Nov 16, 2026."` or the first-digest wording. */
  readonly sinceNote: string;
  readonly milestones: {
    readonly completion: Rate;
    /** `"4 of 11 milestones achieved (cancelled ones not counted)"` */
    readonly completionDetail: string;
    readonly overdueCount: string;
    readonly staleCount: string;
    /** Whether the counts are above zero (highlighted). */
    readonly overdueAlert: boolean;
    readonly staleAlert: boolean;
    readonly achieved: MilestoneList;
    readonly overdue: MilestoneList;
    readonly stale: MilestoneList;
  };
  /** `"Mean rating on the 1–4 rubric"` */
  readonly conditionsNote: string;
  readonly conditions: readonly ConditionLine[];
  readonly competencies: readonly CompetencyLine[];
  readonly suppressionNote: string;
  readonly unsubscribeUrl: string;
}

/** One district of a state roll-up. */
export interface RollupDistrictInput {
  readonly districtName: string;
  readonly report: ProgressReport;
}

/** What {@link buildStateRollup} reads. */
export interface StateRollupInput {
  readonly stateName: string;
  readonly districts: readonly RollupDistrictInput[];
  readonly now: Date;
  /** The state's timezone, for the "as of" date. */
  readonly timezone: string;
  readonly minimumN: number;
  readonly period: string;
  readonly unsubscribeUrl: string;
}

export interface RollupCell {
  /** The priority condition's name. */
  readonly label: string;
  /** `"2.84"`, `"fewer than 10 responses"` or `"not in this district's framework"` */
  readonly value: string;
}

export interface RollupRow {
  readonly districtName: string;
  readonly completion: Rate;
  /** `"2 overdue milestones"` */
  readonly overdue: string;
  /** Whether any milestone is overdue (the figure is highlighted). */
  readonly overdueAlert: boolean;
  readonly conditions: readonly RollupCell[];
}

/** Everything the state roll-up prints. */
export interface StateRollupModel {
  readonly subject: string;
  readonly preheader: string;
  readonly stateName: string;
  readonly periodLabel: string;
  readonly asOf: string;
  /** `"8 districts"` */
  readonly districtCount: string;
  readonly rows: readonly RollupRow[];
  readonly suppressionNote: string;
  readonly unsubscribeUrl: string;
}

/** The district digest's model. */
export function buildDistrictDigest(input: DistrictDigestInput): DistrictDigestModel {
  const { report, previous, minimumN, now, timezone } = input;
  const limit = input.listLimit ?? DIGEST_LIST_LIMIT;
  const today = localIsoDate(now, timezone);
  const byId = (a: Milestone, b: Milestone) => compareText(a.milestoneId, b.milestoneId);

  const achievedThen = new Set(previous?.achievedMilestoneIds);
  const achieved = input.milestones
    .filter(
      (m) =>
        m.status === 'achieved' &&
        (previous
          ? !achievedThen.has(m.milestoneId)
          : m.achievedOn !== null && m.achievedOn >= input.firstDigestFrom),
    )
    .sort((a, b) => compareText(b.achievedOn ?? '', a.achievedOn ?? '') || byId(a, b));
  const achievedSince = previous ? 'since your last digest' : `since ${formatDate(input.firstDigestFrom)}`;
  const overdue = input.milestones
    .filter((m) => isOverdue(m, today))
    .sort((a, b) => compareText(a.dueDate ?? '', b.dueDate ?? '') || byId(a, b));
  const stale = input.milestones
    .filter((m) => isStale(m, now))
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || byId(a, b));

  const { completionRate, byStatus, total } = report.milestones;
  const counted = total - byStatus.cancelled;
  const completion: Rate =
    completionRate === null ? { value: 'no open milestones', bar: null } : percent(completionRate);
  const period = describePeriod(input.period);
  const periodLabel = `${period.kind} · ${period.span}`;
  const districtName = oneLine(input.districtName);
  const fewer = fewerThan(minimumN);
  const previousConditions = new Map(previous?.report.conditions.map((c) => [c.conditionId, c]));

  return {
    subject: `${districtName}: vision progress, ${period.span}`,
    preheader: [
      completion.bar ? `${completion.value} of milestones achieved` : 'No open milestones',
      count(overdue.length, 'overdue milestone'),
      `${count(achieved.length, 'milestone')} achieved ${achievedSince}`,
    ].join(' · '),
    districtName,
    periodLabel,
    asOf: `As of ${formatDate(today)}`,
    sinceNote: previous
      ? `Changes are since your last digest of ${formatDate(localIsoDate(previous.sentAt, timezone))}.`
      : `This is your first digest: changes in the figures are shown from the next one on. Achievements are counted since ${formatDate(input.firstDigestFrom)}.`,
    milestones: {
      completion,
      completionDetail: `${byStatus.achieved} of ${count(counted, 'milestone')} achieved${byStatus.cancelled > 0 ? ` (${byStatus.cancelled} cancelled not counted)` : ''}`,
      overdueCount: count(overdue.length, 'overdue milestone'),
      staleCount: count(stale.length, 'stale milestone'),
      overdueAlert: overdue.length > 0,
      staleAlert: stale.length > 0,
      achieved: listOf(
        `Achieved ${achievedSince} (${achieved.length})`,
        achieved.length > 0 ? 'Well done.' : `No milestone was achieved ${achievedSince}.`,
        achieved,
        limit,
        (m) => `achieved ${formatDate(m.achievedOn ?? '')}`,
      ),
      overdue: listOf(
        `Overdue (${overdue.length})`,
        overdue.length > 0
          ? 'Open milestones past their due date, most overdue first.'
          : 'Nothing is overdue.',
        overdue,
        limit,
        (m) =>
          `due ${formatDate(m.dueDate ?? '')} · ${count(daysBetween(m.dueDate ?? today, today), 'day')} overdue · ${statusLabel(m.status)}`,
      ),
      stale: listOf(
        `Stale (${stale.length})`,
        stale.length > 0
          ? `Open milestones without an update for more than ${STALE_AFTER_DAYS} days, oldest first.`
          : `Every open milestone was updated in the last ${STALE_AFTER_DAYS} days.`,
        stale,
        limit,
        (m) =>
          `last updated ${formatDate(localIsoDate(new Date(m.updatedAt), timezone))} (${count(Math.floor((now.getTime() - Date.parse(m.updatedAt)) / DAY_MS), 'day')} ago) · ${statusLabel(m.status)}`,
      ),
    },
    conditionsNote: `Mean of stakeholders' ratings on the 1–${input.rubricLevels} rubric; the alignment gap is the highest minus the lowest role mean.`,
    conditions: report.conditions.map((condition) =>
      conditionLine(
        condition,
        previous ? (previousConditions.get(condition.conditionId) ?? null) : undefined,
        fewer,
      ),
    ),
    competencies: report.competencies.map((competency) => competencyLine(competency, fewer)),
    suppressionNote: suppressionNote(minimumN),
    unsubscribeUrl: input.unsubscribeUrl,
  };
}

/** The state roll-up's model: a row per district, in name order. */
export function buildStateRollup(input: StateRollupInput): StateRollupModel {
  const fewer = fewerThan(input.minimumN);
  // columns: every priority condition of any district, in order of first appearance
  const columns = new Map<string, string>();
  for (const { report } of input.districts) {
    for (const condition of report.conditions) {
      if (condition.priority && !columns.has(condition.conditionId)) {
        columns.set(condition.conditionId, condition.name);
      }
    }
  }
  const rows = input.districts
    .map(({ districtName, report }): RollupRow => {
      const conditions = new Map(report.conditions.map((c) => [c.conditionId, c]));
      const { completionRate, overdue } = report.milestones;
      return {
        districtName: oneLine(districtName),
        completion:
          completionRate === null ? { value: 'no open milestones', bar: null } : percent(completionRate),
        overdue: count(overdue, 'overdue milestone'),
        overdueAlert: overdue > 0,
        conditions: [...columns].map(([conditionId, name]) => {
          const condition = conditions.get(conditionId);
          return {
            label: name,
            value:
              condition === undefined
                ? "not in this district's framework"
                : isSuppressed(condition)
                  ? fewer
                  : formatMean(condition.mean),
          };
        }),
      };
    })
    .sort(
      (a, b) =>
        a.districtName.localeCompare(b.districtName, 'en') || compareText(a.districtName, b.districtName),
    );
  const stateName = oneLine(input.stateName);
  const period = describePeriod(input.period);
  const periodLabel = `${period.kind} · ${period.span}`;
  return {
    subject: `${stateName}: vision progress by district, ${period.span}`,
    preheader: `${count(rows.length, 'district')}: milestone completion, overdue milestones and priority conditions`,
    stateName,
    periodLabel,
    asOf: `As of ${formatDate(localIsoDate(input.now, input.timezone))}`,
    districtCount: count(rows.length, 'district'),
    rows,
    suppressionNote: suppressionNote(input.minimumN),
    unsubscribeUrl: input.unsubscribeUrl,
  };
}

/**
 * A rate as a whole percentage with its bar. Never "0%" for a rate above zero nor "100%" below one: "<1%" and
 * ">99%" keep a single achievement (or a single miss) visible.
 */
export function percent(rate: number): Rate {
  const whole = Math.round(roundHalfAwayFromZero(rate, 2) * 100);
  if (whole === 0 && rate > 0) return { value: '<1%', bar: { fill: 1, rest: 99 } };
  if (whole === 100 && rate < 1) return { value: '>99%', bar: { fill: 99, rest: 1 } };
  const fill = Math.min(100, Math.max(0, whole));
  return { value: `${fill}%`, bar: { fill, rest: 100 - fill } };
}

/**
 * The change of a 2-decimal mean: `"+0.12"`, `"−0.05"` or `"no change"`, computed in whole hundredths so that
 * floating-point noise never shows.
 */
export function formatChange(current: number, previous: number): string {
  const hundredths = Math.round(current * 100) - Math.round(previous * 100);
  if (hundredths === 0) return 'no change';
  return `${hundredths > 0 ? '+' : MINUS}${(Math.abs(hundredths) / 100).toFixed(2)}`;
}

/** The wording of a suppressed cell (PRODUCT §6). */
function fewerThan(minimumN: number): string {
  return `fewer than ${minimumN} responses`;
}

/**
 * A period for readers: `2026-W48` is a weekly digest of "week 48 of 2026", `2026-11` a monthly digest of
 * "November 2026".
 */
export function describePeriod(period: string): { readonly kind: string; readonly span: string } {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return { kind: 'Weekly digest', span: `week ${Number(week[2])} of ${week[1]}` };
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const name = MONTH_NAME.format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
    return { kind: 'Monthly digest', span: `${name} ${month[1]}` };
  }
  throw new RangeError(`a digest period is YYYY-Www or YYYY-MM, got ${period}`);
}

/**
 * One condition's line.
 *
 * @param previous the condition in the previous report; `null` when that report did not have it; `undefined`
 *   when there is no previous report (first digest)
 */
function conditionLine(
  condition: ConditionProgress,
  previous: ConditionProgress | null | undefined,
  fewer: string,
): ConditionLine {
  const head = { name: condition.name, priority: condition.priority ? 'priority condition' : null };
  if (isSuppressed(condition)) {
    return { ...head, mean: fewer, responses: null, change: null, alignmentGap: null, roles: [] };
  }
  let change: string | null = null;
  if (previous === null || (previous !== undefined && isSuppressed(previous))) change = 'new';
  else if (previous !== undefined) change = formatChange(condition.mean, previous.mean);
  return {
    ...head,
    mean: formatMean(condition.mean),
    responses: count(condition.responses, 'response'),
    change,
    alignmentGap:
      condition.alignmentGap === null ? 'not enough roles to compare' : condition.alignmentGap.toFixed(2),
    roles: Object.entries(condition.byRole).map(([role, cell]) => ({
      label: humanize(role),
      value: isSuppressed(cell) ? fewer : `${formatMean(cell.mean)} (${count(cell.n, 'response')})`,
    })),
  };
}

function competencyLine(competency: CompetencyProgress, fewer: string): CompetencyLine {
  if (isSuppressed(competency)) {
    return { name: competency.name, masteryRate: { value: fewer, bar: null }, learners: null, groups: [] };
  }
  return {
    name: competency.name,
    masteryRate: percent(competency.masteryRate),
    learners: `${competency.atMastery} of ${count(competency.learnersAssessed, 'learner')} at mastery`,
    groups: Object.entries(competency.byGroup).map(([group, cell]) => ({
      label: humanize(group),
      value: isSuppressed(cell) ? fewer : `${percent(cell.masteryRate).value} (${count(cell.n, 'learner')})`,
    })),
  };
}

function listOf(
  heading: string,
  note: string,
  milestones: readonly Milestone[],
  limit: number,
  detail: (milestone: Milestone) => string,
): MilestoneList {
  return {
    heading,
    note,
    items: milestones.slice(0, limit).map((m) => ({
      title: oneLine(m.title),
      detail: detail(m),
      owner: m.owner ? `owner: ${oneLine(m.owner)}` : null,
    })),
    more: milestones.length > limit ? `and ${milestones.length - limit} more` : null,
  };
}

function suppressionNote(minimumN: number): string {
  return `To protect individuals, figures about fewer than ${minimumN} people are not shown.`;
}

/** A 2-decimal mean as published: `2.8` prints `"2.80"`. */
function formatMean(mean: number): string {
  return mean.toFixed(2);
}

/** `"1 day"`, `"3 days"` */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function statusLabel(status: MilestoneStatus): string {
  return status.replaceAll('_', ' ');
}

/** A role or group id as words: `district-leader` → `district leader`. */
function humanize(id: string): string {
  return id.replaceAll('-', ' ');
}

/** Formatters made once: a digest formats dozens of dates. */
const MONTH_NAME = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' });
const SHORT_DATE = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `"Nov 20, 2026"` from `2026-11-20`. */
function formatDate(isoDate: string): string {
  return SHORT_DATE.format(new Date(`${isoDate}T00:00:00Z`));
}

/** Whole days from one `YYYY-MM-DD` to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** A client's text on one line: control characters and line breaks would break a subject header or a layout. */
function oneLine(text: string): string {
  // \p{Cc}: C0 and C1 control characters (CR, LF, tab, …); U+2028/U+2029 are line and paragraph separators
  return text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
