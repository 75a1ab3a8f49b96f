/**
 * The progress aggregates in the table: one state item per unit (`STATE#…`) and a few counter items per district
 * (`AGG#…`), kept equal to the sum of the states' contributions by writing each change of a state together with
 * the counter deltas it causes in one transaction.
 *
 * Exactly once, without a ledger of message ids: a state item holds every fact it was built from, so applying an
 * observation it already holds changes nothing and writes nothing. Every state write is conditioned on the
 * version it was computed from, so two workers folding into one unit at once cannot both win; the loser reads
 * again and folds again. Counters are only ever moved by `ADD`, which commutes, so concurrent transactions on
 * one district never have to agree on a counter's value. Learner scores depend on the framework, so a write that
 * scored learners is also conditioned on the framework revision it scored with.
 *
 * Cost per event does not depend on the district's size: one BatchGetItem and one TransactWriteItems per batch
 * and district, touching the units in the batch and the counters of their conditions and competencies.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { Framework } from '../contract/framework';
import {
  type CounterDelta,
  type CounterDeltas,
  counterKey,
  emptyState,
  expectedCounters,
  fold,
  isEmptyDelta,
  type LearnerContribution,
  mergeDeltas,
  type Observation,
  type UnitId,
  type UnitState,
  unitKey,
} from '../domain/aggregates';
import { documentClient } from '../runtime/clients';
import { type ObservedItem, observeItem, UnreadableItemError } from './observations';
import { counterSortKey, districtPartition, keys, queryAll, stateSortKey } from './table';

/** DynamoDB's limits on one TransactWriteItems call. */
const TRANSACTION_ITEMS = 100;
const TRANSACTION_BYTES = 3_500_000;
/** BatchGetItem's limit on keys per call. */
const BATCH_GET_KEYS = 100;
/** Units read and folded together; each slice is one BatchGetItem. */
const SLICE_UNITS = 90;

/**
 * How long a slice is read and folded again after losing races, counted in the backoff slept between tries. A
 * budget of time rather than of tries: under contention (a busy district's counters written by several workers at
 * once) a slice that gave up would come back only after the queue's visibility timeout (six times the worker's
 * timeout), minutes in which its events are not in the progress the contract promises within seconds. It stays
 * under the shortest visibility timeout the platform runs with (the soak's 10 s), so that a slice still retrying
 * is not delivered to another worker meanwhile. About 15 tries fit once the backoff reaches its cap.
 */
export const RACE_BACKOFF_BUDGET_MS = 8_000;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 1_000;

/** What an application of observations did. */
export interface ApplyReport {
  /** Units whose state changed. */
  readonly unitsChanged: number;
  /** Newly applied events (accepted submissions, voids, milestone writes and removals). */
  readonly events: number;
  readonly transactions: number;
  /** Reads and folds repeated after losing a race to another writer. */
  readonly retries: number;
}

/** The stored framework and the revision it is at. */
interface StoredFramework {
  readonly framework: Framework;
  readonly revision: number | undefined;
}

/** Thrown when the framework the learners must be scored with is missing or invalid. */
export class FrameworkUnreadableError extends Error {
  override readonly name = 'FrameworkUnreadableError';
}

/** A state as read, with the version a write of it is conditioned on (`undefined`: not stored yet). */
interface ReadState {
  readonly state: UnitState;
  readonly version: number | undefined;
}

interface UnitWork {
  readonly unit: UnitId;
  readonly observations: Observation[];
}

interface CounterSnapshot {
  asOf: number;
}

export class MetricsStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Folds observations into a district's aggregates. Idempotent: observations already applied change nothing.
   *
   * @throws FrameworkUnreadableError when learners must be scored and the framework cannot be read
   * @throws the SDK's errors (throttling after its own retries), or the last TransactionCanceledException when
   *   the races did not settle within RACE_BACKOFF_BUDGET_MS of backoff: nothing of the unsettled slice was written
   */
  async apply(districtId: string, observations: readonly Observation[]): Promise<ApplyReport> {
    const work = new Map<string, UnitWork>();
    for (const observation of observations) {
      const key = unitKey(observation.unit);
      const entry = work.get(key) ?? { unit: observation.unit, observations: [] };
      entry.observations.push(observation);
      work.set(key, entry);
    }
    const units = [...work.values()];
    let report: ApplyReport = { unitsChanged: 0, events: 0, transactions: 0, retries: 0 };
    for (let start = 0; start < units.length; start += SLICE_UNITS) {
      report = sum(report, await this.applySlice(districtId, units.slice(start, start + SLICE_UNITS)));
    }
    return report;
  }

  /** One slice: read, fold, write; read and fold again while another writer wins a race. */
  private async applySlice(districtId: string, units: readonly UnitWork[]): Promise<ApplyReport> {
    const { value, retries } = await this.retryLostRaces(() => this.tryApplySlice(districtId, units));
    return { ...value, retries };
  }

  /**
   * Runs `attempt` until it is not cancelled by another writer (a version moved, a transaction in flight), with
   * jittered exponential backoff, until the backoff slept would pass RACE_BACKOFF_BUDGET_MS; any other error is
   * thrown at once.
   */
  private async retryLostRaces<T>(attempt: () => Promise<T>): Promise<{ value: T; retries: number }> {
    let slept = 0;
    for (let tries = 1; ; tries += 1) {
      try {
        return { value: await attempt(), retries: tries - 1 };
      } catch (error) {
        const backoff = Math.random() * backoffMs(tries);
        if (!isLostRace(error) || slept + backoff > RACE_BACKOFF_BUDGET_MS) throw error;
        slept += backoff;
        await this.sleep(backoff);
      }
    }
  }

  private async tryApplySlice(districtId: string, units: readonly UnitWork[]) {
    const needsFramework = units.some(({ unit }) => unit.kind === 'learner');
    const counterKeys = new Set(units.flatMap(({ observations }) => observations.flatMap(countersOf)));
    const items = await this.batchGet([
      ...units.map(({ unit }) => ({ pk: districtPartition(districtId), sk: stateSortKey(unitKey(unit)) })),
      ...[...counterKeys].map((key) => ({ pk: districtPartition(districtId), sk: counterSortKey(key) })),
      ...(needsFramework ? [keys.framework(districtId)] : []),
    ]);
    const framework = needsFramework
      ? readFramework(districtId, items.get(keys.framework(districtId).sk))
      : undefined;
    const counters = new Map<string, CounterSnapshot>(
      [...counterKeys].map((key) => [key, { asOf: numberOr(items.get(counterSortKey(key))?.asOf, 0) }]),
    );

    const changed: { work: UnitWork; read: ReadState; state: UnitState; deltas: CounterDeltas }[] = [];
    let events = 0;
    for (const work of units) {
      const read = readState(work.unit, items.get(stateSortKey(unitKey(work.unit))));
      const folded = fold(read.state, work.observations, framework?.framework ?? NO_SCORING);
      if (!folded.changed) continue;
      changed.push({ work, read, state: folded.state, deltas: folded.deltas });
      for (const delta of folded.deltas.values()) events += delta.events;
    }

    let transactions = 0;
    for (const chunk of chunksOf(changed)) {
      const deltas: CounterDeltas = new Map();
      for (const unit of chunk) mergeDeltas(deltas, unit.deltas);
      const writes = [
        ...chunk.map(({ work, read, state }) => this.statePut(districtId, work.unit, read.version, state)),
        ...[...deltas.values()]
          .filter((delta) => !isEmptyDelta(delta))
          .map((delta) => this.counterUpdate(districtId, delta, counters)),
        ...(chunk.some(({ state }) => state.kind === 'learner') && framework
          ? [this.frameworkCheck(districtId, framework.revision)]
          : []),
      ];
      await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
      transactions += 1;
      // later chunks of this slice must see the times this one wrote
      for (const delta of deltas.values()) {
        const snapshot = counters.get(counterKey(delta.counter));
        if (snapshot) snapshot.asOf = Math.max(snapshot.asOf, delta.asOf);
      }
    }
    return { unitsChanged: changed.length, events, transactions };
  }

  /**
   * Recomputes a district's aggregates from its stored raw data: every submission and milestone is folded in
   * again (which brings in anything a lost message left out, and re-scores every learner under the current
   * framework), then the counters are checked against the states and corrected if they drifted.
   */
  async rebuild(districtId: string): Promise<RebuildReport> {
    const observed: ObservedItem[] = [];
    for (const prefix of ['SUBMISSION#', 'MILESTONE#']) {
      for (const item of await this.queryPrefix(districtId, prefix)) {
        const seen = observeItem(item);
        if (seen) observed.push(seen);
      }
    }
    const applied = await this.apply(
      districtId,
      observed.map(({ observation }) => observation),
    );
    const countersCorrected = await this.reconcileCounters(districtId);
    return { rawItems: observed.length, ...applied, countersCorrected };
  }

  /**
   * Makes the counters equal to what the states add up to, atomically against concurrent writers: the
   * correction is conditioned on every counter's version, and every write that moves a counter moves its
   * version. Returns how many counter items were corrected (0 when none had drifted).
   */
  async reconcileCounters(districtId: string): Promise<number> {
    const { value } = await this.retryLostRaces(() => this.tryReconcileCounters(districtId));
    return value;
  }

  private async tryReconcileCounters(districtId: string): Promise<number> {
    const stored = new Map(
      (await this.queryPrefix(districtId, 'AGG#')).map((item) => [String(item.sk), item] as const),
    );
    const states = (await this.queryPrefix(districtId, 'STATE#')).map((item) => stateOfItem(item));
    const expected = new Map(
      [...expectedCounters(states).values()].map((delta) => [
        counterSortKey(counterKey(delta.counter)),
        delta,
      ]),
    );
    const corrections = [...new Set([...stored.keys(), ...expected.keys()])].flatMap((sk) => {
      const want = counterAttributes(expected.get(sk));
      const have = stored.get(sk);
      return sameCounters(want, have) ? [] : [{ sk, want, have }];
    });
    if (corrections.length === 0) return 0;
    const corrected = new Set(corrections.map(({ sk }) => sk));
    const checks = [...stored.values()]
      .filter((item) => !corrected.has(String(item.sk)))
      .slice(0, TRANSACTION_ITEMS - corrections.length)
      .map((item) => ({
        ConditionCheck: {
          TableName: this.tableName,
          Key: { pk: item.pk, sk: item.sk },
          ConditionExpression: 'ver = :ver',
          ExpressionAttributeValues: { ':ver': item.ver },
        },
      }));
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          ...corrections.map(({ sk, want, have }) => ({
            Put: {
              TableName: this.tableName,
              Item: {
                pk: districtPartition(districtId),
                sk,
                type: COUNTER_TYPE,
                ...want,
                ver: numberOr(have?.ver, 0) + 1,
              },
              ...versionCondition(have === undefined ? undefined : numberOr(have.ver, 0)),
            },
          })),
          ...checks,
        ],
      }),
    );
    return corrections.length;
  }

  private statePut(districtId: string, unit: UnitId, version: number | undefined, state: UnitState) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: districtPartition(districtId),
          sk: stateSortKey(unitKey(unit)),
          type: STATE_TYPE,
          ...state,
          ver: (version ?? 0) + 1,
        },
        ...versionCondition(version),
      },
    };
  }

  private counterUpdate(districtId: string, delta: CounterDelta, counters: Map<string, CounterSnapshot>) {
    const names: Record<string, string> = { '#ver': 'ver', '#type': 'type' };
    const values: Record<string, unknown> = { ':one': 1, ':type': COUNTER_TYPE };
    const adds = ['#ver :one'];
    let index = 0;
    for (const [attribute, amount] of delta.add) {
      names[`#c${index}`] = attribute;
      values[`:c${index}`] = amount;
      adds.push(`#c${index} :c${index}`);
      index += 1;
    }
    if (delta.events !== 0) {
      names['#events'] = 'events';
      values[':events'] = delta.events;
      adds.push('#events :events');
    }
    const sets = ['#type = :type'];
    let condition: string | undefined;
    // asOf only ever moves forward; the condition makes a concurrent later time win over this one
    if (delta.asOf > (counters.get(counterKey(delta.counter))?.asOf ?? 0)) {
      names['#asOf'] = 'asOf';
      values[':asOf'] = delta.asOf;
      sets.push('#asOf = :asOf');
      condition = 'attribute_not_exists(#asOf) OR #asOf < :asOf';
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: districtPartition(districtId), sk: counterSortKey(counterKey(delta.counter)) },
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private frameworkCheck(districtId: string, revision: number | undefined) {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: keys.framework(districtId),
        ...(revision === undefined
          ? { ConditionExpression: 'attribute_not_exists(revision)' }
          : {
              ConditionExpression: 'revision = :revision',
              ExpressionAttributeValues: { ':revision': revision },
            }),
      },
    };
  }

  /** Items by sort key, read consistently; keys that do not exist are absent. */
  private async batchGet(keyList: readonly { pk: string; sk: string }[]) {
    const found = new Map<string, Record<string, unknown>>();
    for (let start = 0; start < keyList.length; start += BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] | undefined = keyList.slice(start, start + BATCH_GET_KEYS);
      for (let round = 0; pending && pending.length > 0; round += 1) {
        if (round > 0) await this.sleep(backoffMs(round));
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(String(item.sk), item);
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /** Every item of the district whose sort key starts with `prefix`, read consistently. */
  private queryPrefix(districtId: string, prefix: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': districtPartition(districtId), ':prefix': prefix },
      ConsistentRead: true,
    });
  }
}

/** What a rebuild read and changed. */
export interface RebuildReport extends ApplyReport {
  /** Submissions and milestones read. */
  readonly rawItems: number;
  /** Counter items found to differ from their states, and corrected. */
  readonly countersCorrected: number;
}

const STATE_TYPE = 'metrics-state';
const COUNTER_TYPE = 'metrics-counter';

/** Ratings and milestones are not scored; a learner never folds with this. */
const NO_SCORING: Pick<Framework, 'masteryMethod' | 'proficiency'> = {
  masteryMethod: { method: 'latest' },
  proficiency: { levels: 2, masteryThreshold: 1 },
};

function versionCondition(version: number | undefined) {
  return version === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'ver = :ver', ExpressionAttributeValues: { ':ver': version } };
}

/** The counter records an observation may move. */
function countersOf(observation: Observation): string[] {
  switch (observation.kind) {
    case 'rating':
      return Object.keys(observation.entry.r).map((conditionId) =>
        counterKey({ kind: 'condition', conditionId }),
      );
    case 'evidence':
      return [counterKey({ kind: 'competency', competencyId: unitCompetency(observation) })];
    case 'milestone':
      return [counterKey({ kind: 'milestones' })];
  }
}

function unitCompetency(observation: Observation): string {
  if (observation.unit.kind !== 'learner') throw new TypeError('evidence folds into a learner');
  return observation.unit.competencyId;
}

function readFramework(districtId: string, item: Record<string, unknown> | undefined): StoredFramework {
  const parsed = Framework.safeParse(item?.framework);
  if (!parsed.success) {
    throw new FrameworkUnreadableError(
      item ? `the framework of district ${districtId} is invalid` : `district ${districtId} has no framework`,
    );
  }
  const revision = item?.revision;
  return { framework: parsed.data, revision: typeof revision === 'number' ? revision : undefined };
}

function readState(unit: UnitId, item: Record<string, unknown> | undefined): ReadState {
  if (!item) return { state: emptyState(unit), version: undefined };
  return { state: stateOfItem(item), version: numberOr(item.ver, 0) };
}

/** A state item back as the state it stores. */
function stateOfItem(item: Record<string, unknown>): UnitState {
  switch (item.kind) {
    case 'respondent':
      return { kind: 'respondent', subs: record(item.subs), counted: record(item.counted) };
    case 'learner':
      return {
        kind: 'learner',
        competencyId: String(item.competencyId),
        subs: record(item.subs),
        counted: (item.counted ?? null) as LearnerContribution | null,
      };
    case 'milestone':
      return {
        kind: 'milestone',
        revision: numberOr(item.revision, 0),
        removals: numberOr(item.removals, 0),
        at: numberOr(item.at, 0),
      };
    default:
      throw new UnreadableItemError('a metrics state item is of no known kind');
  }
}

function record<T>(value: unknown): Record<string, T> {
  return (typeof value === 'object' && value !== null ? value : {}) as Record<string, T>;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** The stored attributes a counter record should have: its counts (zeros left out), events and asOf. */
function counterAttributes(delta: CounterDelta | undefined): Record<string, number> {
  if (!delta) return {};
  return {
    ...Object.fromEntries(delta.add),
    ...(delta.events === 0 ? {} : { events: delta.events }),
    ...(delta.asOf === 0 ? {} : { asOf: delta.asOf }),
  };
}

const COUNTER_META = new Set(['pk', 'sk', 'type', 'ver']);

function sameCounters(want: Record<string, number>, have: Record<string, unknown> | undefined): boolean {
  const stored = Object.entries(have ?? {}).filter(([name, value]) => !COUNTER_META.has(name) && value !== 0);
  return stored.length === Object.keys(want).length && stored.every(([name, value]) => want[name] === value);
}

function* chunksOf<T extends { state: UnitState; deltas: CounterDeltas }>(units: readonly T[]) {
  let chunk: T[] = [];
  let counters = new Set<string>();
  let bytes = 0;
  for (const unit of units) {
    const unitCounters = [...unit.deltas.keys()];
    const nextCounters = new Set([...counters, ...unitCounters]);
    const size = JSON.stringify(unit.state).length;
    // the states with this one, their counters, and the framework check a chunk with learners carries
    const items = chunk.length + 1 + nextCounters.size + 1;
    if (chunk.length > 0 && (items > TRANSACTION_ITEMS || bytes + size > TRANSACTION_BYTES)) {
      yield chunk;
      chunk = [];
      counters = new Set(unitCounters);
      bytes = 0;
    } else {
      counters = nextCounters;
    }
    chunk.push(unit);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** The longest wait before the `tries`-th retry: exponential from BACKOFF_BASE_MS, capped. */
function backoffMs(tries: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** tries);
}

/** Whether a transaction was cancelled by another writer (a version moved, or a transaction in flight). */
function isLostRace(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

function sum(a: ApplyReport, b: ApplyReport): ApplyReport {
  return {
    unitsChanged: a.unitsChanged + b.unitsChanged,
    events: a.events + b.events,
    transactions: a.transactions + b.transactions,
    retries: a.retries + b.retries,
  };
}
