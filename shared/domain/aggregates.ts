/**
 * The progress aggregates kept up to date one change at a time (PRODUCT §4–§5), as pure functions: no AWS here.
 *
 * Every relayed change is read as an *observation* of one raw item: "submission s exists (and was voided at v)",
 * "milestone m is at revision r after x removals". Observations are folded into one *state* per unit of the
 * metrics (a respondent, a learner on a competency, a milestone) by a merge that is a union of facts, so it is
 * idempotent, commutative and associative: redelivered, duplicated, concurrent and out-of-order changes all end
 * in the state one orderly pass gives, and a full rebuild is the same merge of every stored raw item.
 *
 * Each state remembers what it currently adds to the district's counters (its *contribution*: the role and
 * level of each condition's latest rating, whether a learner is at mastery and in which groups). Applying an
 * observation is then O(1): recompute the unit's contribution, and move the counters by the difference between
 * the new and the remembered one. The counters are always the sum of the remembered contributions, which is how
 * {@link expectedCounters} can check them.
 */
import type { Framework } from '../contract/framework';
import { isAtMastery, orderEvidence, scoreEvidence } from './mastery';

/** One condition-rating submission as its respondent's state keeps it. */
export interface RatingEntry {
  /** `submittedAt` in epoch ms: the order of a respondent's ratings. */
  readonly t: number;
  /** The digits of `submittedAt` below the millisecond, in nanoseconds (absent when none). */
  readonly tf?: number;
  readonly role: string;
  /** Level by condition id. */
  readonly r: Readonly<Record<string, number>>;
  /** When the submission was accepted (epoch ms). */
  readonly a: number;
  /** When it was voided (epoch ms), if it was. */
  readonly v?: number;
}

/** One competency-evidence submission as its learner's state keeps it. */
export interface EvidenceEntry {
  /** `assessedOn`, `YYYY-MM-DD`. */
  readonly d: string;
  readonly l: number;
  /** The learner's groups on this evidence. */
  readonly g: readonly string[];
  readonly a: number;
  readonly v?: number;
}

/** What a respondent adds to one condition: the role and level of their latest rating of it. */
export interface RatingContribution {
  readonly role: string;
  readonly level: number;
}

/** What a learner adds to one competency: counted once, at mastery or not, in the groups of the latest evidence. */
export interface LearnerContribution {
  /** 1 at mastery, 0 not. */
  readonly m: 0 | 1;
  readonly g: readonly string[];
}

export interface RespondentState {
  readonly kind: 'respondent';
  readonly subs: Readonly<Record<string, RatingEntry>>;
  /** Contribution by condition id. */
  readonly counted: Readonly<Record<string, RatingContribution>>;
}

export interface LearnerState {
  readonly kind: 'learner';
  readonly competencyId: string;
  readonly subs: Readonly<Record<string, EvidenceEntry>>;
  /** `null` while the learner has no evidence that counts (none, or all of it voided). */
  readonly counted: LearnerContribution | null;
}

export interface MilestoneState {
  readonly kind: 'milestone';
  /** Applied writes of the milestone (201, or 200 with `applied: true`). */
  readonly revision: number;
  /** Removals that changed something. */
  readonly removals: number;
  /** Time of the latest of those (epoch ms). */
  readonly at: number;
}

export type UnitState = RespondentState | LearnerState | MilestoneState;

/** What one version of a raw item says; `unit` names the state it folds into. */
export type Observation =
  | {
      readonly kind: 'rating';
      readonly unit: UnitId;
      readonly submissionId: string;
      readonly entry: RatingEntry;
    }
  | {
      readonly kind: 'evidence';
      readonly unit: UnitId;
      readonly submissionId: string;
      readonly entry: EvidenceEntry;
    }
  | {
      readonly kind: 'milestone';
      readonly unit: UnitId;
      readonly revision: number;
      readonly removals: number;
      readonly at: number;
    };

/** A unit of the metrics, by what identifies it. */
export type UnitId =
  | { readonly kind: 'respondent'; readonly respondentId: string }
  | { readonly kind: 'learner'; readonly competencyId: string; readonly learnerId: string }
  | { readonly kind: 'milestone'; readonly milestoneId: string };

/** The district's counter records. */
export type CounterId =
  | { readonly kind: 'condition'; readonly conditionId: string }
  | { readonly kind: 'competency'; readonly competencyId: string }
  | { readonly kind: 'milestones' };

/**
 * Changes to counter records: numbers to add by attribute name, the applied events each record gained, and
 * the latest time of those events. Attribute names: `n:<role>`/`s:<role>` (respondents and level sum of a role
 * on a condition), `n`/`m` and `n:<group>`/`m:<group>` (learners assessed and at mastery on a competency).
 */
export type CounterDeltas = Map<string, CounterDelta>;

export interface CounterDelta {
  readonly counter: CounterId;
  readonly add: Map<string, number>;
  events: number;
  /** Latest time of the events counted here (epoch ms); 0 when none. */
  asOf: number;
}

/** The state of a unit nothing has been observed for yet. */
export function emptyState(unit: UnitId): UnitState {
  switch (unit.kind) {
    case 'respondent':
      return { kind: 'respondent', subs: {}, counted: {} };
    case 'learner':
      return { kind: 'learner', competencyId: unit.competencyId, subs: {}, counted: null };
    case 'milestone':
      return { kind: 'milestone', revision: 0, removals: 0, at: 0 };
  }
}

/** The key of a unit, unique within a district. */
export function unitKey(unit: UnitId): string {
  switch (unit.kind) {
    case 'respondent':
      return `R#${unit.respondentId}`;
    case 'learner':
      return `L#${unit.competencyId}#${unit.learnerId}`;
    case 'milestone':
      return `M#${unit.milestoneId}`;
  }
}

/** The key of a counter record, unique within a district. */
export function counterKey(counter: CounterId): string {
  switch (counter.kind) {
    case 'condition':
      return `R#${counter.conditionId}`;
    case 'competency':
      return `C#${counter.competencyId}`;
    case 'milestones':
      return 'M';
  }
}

/** The outcome of folding observations into a state. */
export interface Folded<S extends UnitState = UnitState> {
  readonly state: S;
  /** Whether the state changed (and so must be written). */
  readonly changed: boolean;
  readonly deltas: CounterDeltas;
}

/**
 * Folds observations of one unit into its state and recomputes its contribution under `framework`.
 *
 * A state changes when an observation brings a fact it lacked, or when its contribution moved (a framework with
 * another mastery method or threshold re-scores a learner without any new fact). The deltas move the counters
 * from the remembered contribution to the new one and count each newly seen event once: an accepted submission,
 * a void, an applied milestone write, a removal.
 */
export function fold(
  state: UnitState,
  observations: readonly Observation[],
  framework: Pick<Framework, 'masteryMethod' | 'proficiency'>,
): Folded {
  switch (state.kind) {
    case 'respondent':
      return foldRespondent(state, observations);
    case 'learner':
      return foldLearner(state, observations, framework);
    case 'milestone':
      return foldMilestone(state, observations);
  }
}

function foldRespondent(state: RespondentState, observations: readonly Observation[]): Folded {
  const subs: Record<string, RatingEntry> = { ...state.subs };
  const deltas: CounterDeltas = new Map();
  let changed = false;
  for (const observation of observations) {
    if (observation.kind !== 'rating') throw new TypeError(`a ${observation.kind} is no rating`);
    const before = subs[observation.submissionId];
    const after = mergeEntry(before, observation.entry);
    if (after === before) continue;
    subs[observation.submissionId] = after;
    changed = true;
    const eventsHolder = ratingEventsCounter(after);
    if (eventsHolder) countEvents(deltas, eventsHolder, before, after);
  }
  const counted = latestRatings(subs);
  for (const conditionId of new Set([...Object.keys(state.counted), ...Object.keys(counted)])) {
    const was = state.counted[conditionId];
    const now = counted[conditionId];
    if (was?.role === now?.role && was?.level === now?.level) continue;
    changed = true;
    const delta = deltaOf(deltas, { kind: 'condition', conditionId });
    if (was) {
      add(delta, `n:${was.role}`, -1);
      add(delta, `s:${was.role}`, -was.level);
    }
    if (now) {
      add(delta, `n:${now.role}`, 1);
      add(delta, `s:${now.role}`, now.level);
    }
  }
  return { state: { kind: 'respondent', subs, counted }, changed, deltas };
}

function foldLearner(
  state: LearnerState,
  observations: readonly Observation[],
  framework: Pick<Framework, 'masteryMethod' | 'proficiency'>,
): Folded {
  const subs: Record<string, EvidenceEntry> = { ...state.subs };
  const deltas: CounterDeltas = new Map();
  const counter: CounterId = { kind: 'competency', competencyId: state.competencyId };
  let changed = false;
  for (const observation of observations) {
    if (observation.kind !== 'evidence') throw new TypeError(`a ${observation.kind} is no evidence`);
    const before = subs[observation.submissionId];
    const after = mergeEntry(before, observation.entry);
    if (after === before) continue;
    subs[observation.submissionId] = after;
    changed = true;
    countEvents(deltas, counter, before, after);
  }
  const counted = learnerContribution(subs, framework);
  const was = state.counted;
  if (!sameLearnerContribution(was, counted)) {
    changed = true;
    const delta = deltaOf(deltas, counter);
    if (was) moveLearner(delta, was, -1);
    if (counted) moveLearner(delta, counted, 1);
  }
  return { state: { kind: 'learner', competencyId: state.competencyId, subs, counted }, changed, deltas };
}

function foldMilestone(state: MilestoneState, observations: readonly Observation[]): Folded {
  let { revision, removals, at } = state;
  for (const observation of observations) {
    if (observation.kind !== 'milestone') throw new TypeError(`a ${observation.kind} is no milestone`);
    revision = Math.max(revision, observation.revision);
    removals = Math.max(removals, observation.removals);
    at = Math.max(at, observation.at);
  }
  const events = revision + removals - state.revision - state.removals;
  const deltas: CounterDeltas = new Map();
  if (events > 0) {
    const delta = deltaOf(deltas, { kind: 'milestones' });
    delta.events += events;
    delta.asOf = Math.max(delta.asOf, at);
  }
  const changed = events > 0 || at !== state.at;
  return { state: changed ? { kind: 'milestone', revision, removals, at } : state, changed, deltas };
}

/**
 * Two observations of one submission agree on its content (a submission id is never reused), so merging is
 * keeping the first and adding a void once it is seen. Returns `before` itself when nothing is new.
 */
function mergeEntry<E extends RatingEntry | EvidenceEntry>(before: E | undefined, incoming: E): E {
  if (!before) return incoming;
  if (before.v !== undefined || incoming.v === undefined) return before;
  return { ...before, v: incoming.v };
}

/** The events an entry stands for: its acceptance, and its void once seen. */
function eventsOf(entry: RatingEntry | EvidenceEntry | undefined): number {
  if (!entry) return 0;
  return 1 + (entry.v === undefined ? 0 : 1);
}

function latestTime(entry: RatingEntry | EvidenceEntry): number {
  return Math.max(entry.a, entry.v ?? 0);
}

function countEvents(
  deltas: CounterDeltas,
  counter: CounterId,
  before: RatingEntry | EvidenceEntry | undefined,
  after: RatingEntry | EvidenceEntry,
) {
  const delta = deltaOf(deltas, counter);
  delta.events += eventsOf(after) - eventsOf(before);
  delta.asOf = Math.max(delta.asOf, latestTime(after));
}

/**
 * The counter record that counts a rating submission's events: the one of its first condition id in code-unit
 * order, a choice made from the submission alone so that the worker and {@link expectedCounters} agree.
 */
function ratingEventsCounter(entry: Pick<RatingEntry, 'r'>): CounterId | undefined {
  const [first] = Object.keys(entry.r).sort();
  return first === undefined ? undefined : { kind: 'condition', conditionId: first };
}

/** Per condition, the role and level of the respondent's latest rating that is not voided (ties by id). */
export function latestRatings(
  subs: Readonly<Record<string, RatingEntry>>,
): Record<string, RatingContribution> {
  const latest: Record<string, { t: number; tf: number; id: string; role: string; level: number }> = {};
  for (const [id, entry] of Object.entries(subs)) {
    if (entry.v !== undefined) continue;
    const tf = entry.tf ?? 0;
    for (const [conditionId, level] of Object.entries(entry.r)) {
      const current = latest[conditionId];
      const later =
        !current ||
        entry.t > current.t ||
        (entry.t === current.t && (tf > current.tf || (tf === current.tf && id > current.id)));
      if (later) latest[conditionId] = { t: entry.t, tf, id, role: entry.role, level };
    }
  }
  return Object.fromEntries(
    Object.entries(latest).map(([conditionId, { role, level }]) => [conditionId, { role, level }]),
  );
}

/** Whether the learner counts under `framework`, and how: scored over the evidence that is not voided. */
function learnerContribution(
  subs: Readonly<Record<string, EvidenceEntry>>,
  framework: Pick<Framework, 'masteryMethod' | 'proficiency'>,
): LearnerContribution | null {
  const evidence = orderEvidence(
    Object.entries(subs).flatMap(([submissionId, entry]) =>
      entry.v === undefined ? [{ submissionId, assessedOn: entry.d, level: entry.l, groups: entry.g }] : [],
    ),
  );
  const last = evidence.at(-1);
  if (!last) return null;
  const threshold = framework.proficiency.masteryThreshold;
  const score = scoreEvidence(
    evidence.map((item) => item.level),
    framework.masteryMethod,
    threshold,
  );
  return { m: isAtMastery(score, threshold) ? 1 : 0, g: [...new Set(last.groups)].sort() };
}

function sameLearnerContribution(a: LearnerContribution | null, b: LearnerContribution | null): boolean {
  if (a === null || b === null) return a === b;
  return a.m === b.m && a.g.length === b.g.length && a.g.every((group, index) => group === b.g[index]);
}

function moveLearner(delta: CounterDelta, contribution: LearnerContribution, sign: 1 | -1) {
  add(delta, 'n', sign);
  add(delta, 'm', sign * contribution.m);
  for (const group of contribution.g) {
    add(delta, `n:${group}`, sign);
    add(delta, `m:${group}`, sign * contribution.m);
  }
}

/** The delta of a counter record in `deltas`, created empty when missing. */
function deltaOf(deltas: CounterDeltas, counter: CounterId): CounterDelta {
  const key = counterKey(counter);
  let delta = deltas.get(key);
  if (!delta) {
    delta = { counter, add: new Map(), events: 0, asOf: 0 };
    deltas.set(key, delta);
  }
  return delta;
}

function add(delta: CounterDelta, attribute: string, amount: number) {
  if (amount === 0) return;
  const total = (delta.add.get(attribute) ?? 0) + amount;
  if (total === 0) delta.add.delete(attribute);
  else delta.add.set(attribute, total);
}

/** Adds `source` into `target` (the deltas of several units written in one transaction). */
export function mergeDeltas(target: CounterDeltas, source: CounterDeltas): void {
  for (const delta of source.values()) {
    const merged = deltaOf(target, delta.counter);
    for (const [attribute, amount] of delta.add) add(merged, attribute, amount);
    merged.events += delta.events;
    merged.asOf = Math.max(merged.asOf, delta.asOf);
  }
}

/** Whether a delta changes nothing. */
export function isEmptyDelta(delta: CounterDelta): boolean {
  return delta.add.size === 0 && delta.events === 0;
}

/**
 * The counter records that the states' remembered contributions and events add up to: what the stored counters
 * must equal. A full rebuild compares the two.
 */
export function expectedCounters(states: Iterable<UnitState>): CounterDeltas {
  const expected: CounterDeltas = new Map();
  for (const state of states) {
    switch (state.kind) {
      case 'respondent': {
        for (const [conditionId, { role, level }] of Object.entries(state.counted)) {
          const delta = deltaOf(expected, { kind: 'condition', conditionId });
          add(delta, `n:${role}`, 1);
          add(delta, `s:${role}`, level);
        }
        for (const entry of Object.values(state.subs)) {
          const holder = ratingEventsCounter(entry);
          if (holder) countEvents(expected, holder, undefined, entry);
        }
        break;
      }
      case 'learner': {
        const counter: CounterId = { kind: 'competency', competencyId: state.competencyId };
        if (state.counted) moveLearner(deltaOf(expected, counter), state.counted, 1);
        for (const entry of Object.values(state.subs)) countEvents(expected, counter, undefined, entry);
        break;
      }
      case 'milestone': {
        if (state.revision + state.removals === 0) break;
        const delta = deltaOf(expected, { kind: 'milestones' });
        delta.events += state.revision + state.removals;
        delta.asOf = Math.max(delta.asOf, state.at);
        break;
      }
    }
  }
  return expected;
}
