/**
 * Random districts for the progress tests: a random framework and hundreds of learners and respondents, posted the
 * way real district systems post (singly and in batches, in shuffled order, several requests in flight at once,
 * with identical replays, voids, some twice, milestone re-writes older and newer than the stored one, and
 * removals), then compared, once every event is applied, with the independent reference computation
 * (reference-progress.ts), before and after the framework is replaced.
 *
 * progress.test.ts runs them against any API (a contract file); progress-internals.test.ts against a local stack,
 * whose aggregates it rebuilds from the raw items once a district has settled.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { components } from '../../shared/contract/generated/api-types';
import type { ApiClient } from './api-client';
import { createDistrict } from './district-api';
import { eventually } from './eventually';
import {
  type CompetencyEvidence,
  type ConditionRating,
  type Framework,
  type MilestoneStatus,
  type Progress,
  type ReferenceCounts,
  type ReferenceInput,
  type ReferenceMilestone,
  referenceCounts,
  referenceProgress,
  STATUSES,
  type Submission,
} from './reference-progress';

type MilestoneBody = components['schemas']['MilestoneBody'];
type MethodName = Framework['masteryMethod']['method'];

/**
 * The mastery method each run's district starts with, and the one its framework is then replaced with, so that
 * three runs score with every method and re-score with a new framework.
 */
const RUN_METHODS: readonly (readonly [MethodName, MethodName])[] = [
  ['decaying_average', 'highest'],
  ['n_mastery', 'latest'],
  ['average', 'n_mastery'],
];
/**
 * The fast-check seed the progress files draw their districts from; `PROGRESS_SEED=<n>` replays another one (a
 * failure names the seed it ran with).
 */
export const PROGRESS_SEED = Number(process.env.PROGRESS_SEED ?? 20_261_118);
/** Requests in flight at once. */
export const CONCURRENCY = 8;
const DAY_MS = 86_400_000;
/** The contract's largest batch. */
const MAX_BATCH = 100;
const SETTLE_MS = 60_000;
/** Tries of one request answered 5xx: a district system sends it again, which replays make harmless. */
const SEND_ATTEMPTS = 3;

export interface District {
  readonly districtId: string;
  readonly api: ApiClient;
}

/** A settled body with the true sizes behind it. */
export interface SettledBody {
  readonly body: Progress;
  readonly counts: ReferenceCounts;
  readonly groupsPartitionLearners: boolean;
}

export interface RandomDistrictsOptions {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** The state's minimum n. */
  readonly minimumN: number;
  /** The id of a new district from a label (the conformance run's prefix, test/support/contract-target.ts). */
  readonly districtId: (label: string) => string;
  /**
   * How far the API's clock may be from this one's: `asOf` is the server's time, compared with the times the
   * writes were sent.
   */
  readonly clockToleranceMs: number;
  /** Called with a district's settled body before its framework is replaced. */
  readonly afterSettled?: (district: District, body: Progress) => Promise<void>;
}

/** Random districts against one API, and what they exercised. */
export class RandomDistricts {
  /** How often the random districts exercised each case the property is about (each must be above 0). */
  readonly coverage: Record<string, number> = {};
  /** The mastery methods the random districts were scored with. */
  readonly methodsUsed = new Set<string>();
  /** Every progress body read, for the suppression checks that hold whatever was applied so far. */
  readonly bodiesRead: Progress[] = [];
  /** The settled bodies, with the true sizes behind them. */
  readonly settled: SettledBody[] = [];
  /** Requests answered 5xx (and sent again). */
  serverErrors = 0;

  constructor(private readonly options: RandomDistrictsOptions) {}

  newDistrict(body: { framework?: Framework; timezone?: string } = {}): Promise<District> {
    const districtId = this.options.districtId(`d-${randomUUID().slice(0, 8)}`);
    return createDistrict(this.options.apiUrl, this.options.stateKey, {
      districtId,
      name: `Progress ${districtId}`,
      ...body,
    });
  }

  /**
   * Plans a random district from `draw`, posts it, and checks its progress against the reference, then again
   * under a replaced framework. `run` (from 1) picks the mastery methods (RUN_METHODS).
   */
  async check(draw: Draw, run: number): Promise<void> {
    const [method, nextMethod] = RUN_METHODS[(run - 1) % RUN_METHODS.length] ?? ['latest', 'highest'];
    const plan = planDistrict(draw, new Date(), method);
    countCoverage(plan, new Date(), this.coverage);
    this.methodsUsed.add(plan.framework.masteryMethod.method);
    const firstWriteAt = Date.now();
    const district = await this.newDistrict({ framework: plan.framework, timezone: plan.timezone });
    const log = new WriteLog();

    // a batch of the largest size first, on its own; then submissions (originals, replays, invalid items) singly
    // and in batches, and the milestone histories, all interleaved, CONCURRENCY requests at a time
    await postBatch(district, plan.fullBatch, log);
    await runPool(
      plan.shuffledTasks<() => Promise<void>>([
        ...plan.singles.map((send) => () => postSingle(district, send, log)),
        ...plan.batches.map((batch) => () => postBatch(district, batch, log)),
        ...plan.milestones.map((history) => () => writeMilestone(district, history, log)),
      ]),
      CONCURRENCY,
    );
    await resendUnstored(district, log);
    this.serverErrors += log.serverErrors;
    for (const { submissionId } of plan.submissions) {
      const statuses = log.statuses.get(submissionId) ?? [];
      const accepted = statuses.filter((status) => status === 201).length;
      // one acceptance, every other copy an identical replay; a copy answered 5xx may have been stored unseen
      expect({
        submissionId,
        accepted: log.interrupted.has(submissionId) ? Math.max(accepted, 1) : accepted,
      }).toEqual({ submissionId, accepted: 1 });
      expect(statuses.filter((status) => status !== 201).every((status) => status === 200)).toBe(true);
    }
    // then the voids, each once or twice at the same time
    await runPool(
      plan.voids.map((submissionId) => () => voidSubmission(district, submissionId, log)),
      CONCURRENCY,
    );
    // of a void sent twice only one changed something, no earlier than the first was sent
    for (const sentAt of log.voidsSentAt.values()) log.changed(sentAt);

    const voided = new Set(plan.voids);
    const milestoneEvents = plan.milestones.reduce((sum, history) => sum + history.events, 0);
    const input = (now: Date): ReferenceInput => ({
      districtId: district.districtId,
      framework: plan.framework,
      timezone: plan.timezone,
      minimumN: this.options.minimumN,
      now,
      milestones: plan.milestones.flatMap((history) => (history.final ? [history.final] : [])),
      submissions: plan.submissions,
      voided,
      eventsApplied: plan.submissions.length + voided.size + milestoneEvents,
    });
    const expected = (now: Date) => referenceProgress(input(now));

    const body = await this.settle(district, expected);
    const readAt = Date.now();
    expect(body.eventsApplied, `run ${run}: events applied`).toBe(expected(new Date()).eventsApplied);
    expect(withoutAsOf(body), `run ${run}: progress`).toEqual(expected(new Date()));
    expect(mapKeyOrders(body)).toEqual(mapKeyOrders(expected(new Date())));
    // asOf: the time of the latest change, so no earlier than sending the last write that changed something
    const asOf = Date.parse(body.asOf ?? '');
    expect(body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    const tolerance = this.options.clockToleranceMs;
    expect(asOf).toBeGreaterThanOrEqual(Math.max(firstWriteAt, log.lastChangeSentAt) - tolerance);
    expect(asOf).toBeLessThanOrEqual(readAt + tolerance);
    this.settled.push({
      body,
      counts: referenceCounts(input(new Date())),
      groupsPartitionLearners: plan.groupsPartitionLearners,
    });

    await this.options.afterSettled?.(district, body);

    // a new framework re-scores every learner, with no new event
    const replacement = plan.replacement(nextMethod);
    this.methodsUsed.add(replacement.masteryMethod.method);
    const put = await district.api.PUT('/v1/districts/{districtId}/framework', {
      params: { path: { districtId: district.districtId } },
      body: replacement,
    });
    expect(put.response.status).toBe(200);
    const rescoredInput = (now: Date): ReferenceInput => ({ ...input(now), framework: replacement });
    if (
      !sameJson(expected(new Date()).competencies, referenceProgress(rescoredInput(new Date())).competencies)
    ) {
      this.coverage['framework replacements that change the competencies'] =
        (this.coverage['framework replacements that change the competencies'] ?? 0) + 1;
    }
    const rescored = await this.settle(district, (now) => referenceProgress(rescoredInput(now)));
    expect(withoutAsOf(rescored), `run ${run}: progress under the new framework`).toEqual(
      referenceProgress(rescoredInput(new Date())),
    );
    expect(mapKeyOrders(rescored)).toEqual(mapKeyOrders(referenceProgress(rescoredInput(new Date()))));
    this.settled.push({
      body: rescored,
      counts: referenceCounts(rescoredInput(new Date())),
      groupsPartitionLearners: plan.groupsPartitionLearners,
    });
  }

  /** Polls the progress until it equals the reference (asOf aside), or until SETTLE_MS; returns the last body. */
  async settle(district: District, expected: (now: Date) => Progress): Promise<Progress> {
    let last: Progress | undefined;
    try {
      return await eventually(async () => {
        last = await this.readProgress(district);
        return sameJson(withoutAsOf(last), expected(new Date())) ? last : undefined;
      }, SETTLE_MS);
    } catch (error) {
      // on timeout the caller's assertions show how the last body differs
      if (!last || !(error instanceof Error) || !error.message.startsWith('condition not met')) throw error;
      return last;
    }
  }

  async readProgress(district: District): Promise<Progress> {
    const { data, response } = await district.api.GET('/v1/districts/{districtId}/progress', {
      params: { path: { districtId: district.districtId } },
    });
    expect(response.status).toBe(200);
    if (!data) throw new Error('no progress');
    this.bodiesRead.push(data);
    return data;
  }
}

export function withoutAsOf(body: Progress): Progress {
  return { ...body, asOf: null };
}

/** The key order of the breakdowns whose order the contract (or the implementation's reading) fixes. */
function mapKeyOrders(body: Progress) {
  return {
    byCondition: Object.keys(body.milestones.byCondition),
    byRole: body.conditions.map((c) => ('byRole' in c ? Object.keys(c.byRole) : null)),
    byGroup: body.competencies.map((c) => ('byGroup' in c ? Object.keys(c.byGroup) : null)),
  };
}

/** Equal as JSON documents, key order aside. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

// ---------------------------------------------------------------------------------------------------------------
// sending

/** What the district's system sent and what came back. */
class WriteLog {
  /** Statuses per submission id, over every copy sent (a 503 batch item is sent again and not listed). */
  readonly statuses = new Map<string, number[]>();
  /** Batch items the platform asked to send again (503). */
  readonly unstored: Submission[] = [];
  /** Submissions a copy of which got a 5xx answer and was sent again. */
  readonly interrupted = new Set<string>();
  /** When the first DELETE of each voided submission was sent (epoch ms). */
  readonly voidsSentAt = new Map<string, number>();
  /** 5xx answers to whole requests (sent again, as a client must). */
  serverErrors = 0;
  /** When the last request that changed something was sent (epoch ms). */
  lastChangeSentAt = 0;

  record(submissionId: string, status: number, sentAt: number) {
    this.statuses.set(submissionId, [...(this.statuses.get(submissionId) ?? []), status]);
    if (status === 201) this.changed(sentAt);
  }

  changed(sentAt: number) {
    this.lastChangeSentAt = Math.max(this.lastChangeSentAt, sentAt);
  }
}

/** One copy of a submission to send: valid (an original or an identical replay), or invalid on purpose. */
type Send =
  | { readonly valid: true; readonly submission: Submission }
  | { readonly valid: false; readonly item: unknown };

async function postSingle(district: District, send: Send, log: WriteLog, attempt = 1): Promise<void> {
  const sentAt = Date.now();
  const { response } = await district.api.POST('/v1/districts/{districtId}/assessments', {
    params: { path: { districtId: district.districtId } },
    body: (send.valid ? send.submission : send.item) as Submission,
  });
  if (response.status >= 500 && attempt < SEND_ATTEMPTS) {
    log.serverErrors += 1;
    if (send.valid) log.interrupted.add(send.submission.submissionId);
    return postSingle(district, send, log, attempt + 1);
  }
  if (!send.valid) {
    expect(response.status).toBe(400);
    return;
  }
  expect([200, 201]).toContain(response.status);
  log.record(send.submission.submissionId, response.status, sentAt);
}

async function postBatch(
  district: District,
  batch: readonly Send[],
  log: WriteLog,
  attempt = 1,
): Promise<void> {
  const sentAt = Date.now();
  const { data, response } = await district.api.POST('/v1/districts/{districtId}/assessments/batch', {
    params: { path: { districtId: district.districtId } },
    body: { items: batch.map((send) => (send.valid ? send.submission : send.item) as Submission) },
  });
  if (response.status >= 500 && attempt < SEND_ATTEMPTS) {
    log.serverErrors += 1;
    for (const send of batch) if (send.valid) log.interrupted.add(send.submission.submissionId);
    return postBatch(district, batch, log, attempt + 1);
  }
  expect(response.status).toBe(200);
  expect(data?.results.map((result) => result.index).sort((a, b) => a - b)).toEqual(
    batch.map((_, index) => index),
  );
  batch.forEach((send, index) => {
    const status = data?.results.find((result) => result.index === index)?.status;
    if (!send.valid) {
      expect(status).toBe(400);
    } else if (status === 503) {
      log.unstored.push(send.submission);
    } else {
      expect([200, 201]).toContain(status);
      log.record(send.submission.submissionId, status ?? 0, sentAt);
    }
  });
}

/** Sends again, one by one, the batch items the platform did not store (503), as a client must. */
async function resendUnstored(district: District, log: WriteLog) {
  const pending = log.unstored.splice(0);
  for (const submission of pending) await postSingle(district, { valid: true, submission }, log);
}

async function voidSubmission(district: District, submissionId: string, log: WriteLog) {
  const sentAt = Date.now();
  const { response } = await district.api.DELETE('/v1/districts/{districtId}/assessments/{submissionId}', {
    params: { path: { districtId: district.districtId, submissionId } },
  });
  expect(response.status).toBe(204);
  log.voidsSentAt.set(submissionId, Math.min(sentAt, log.voidsSentAt.get(submissionId) ?? sentAt));
}

/** Runs one milestone's writes in their planned order, each answered as the model of PRODUCT §3 says. */
async function writeMilestone(district: District, history: MilestoneHistory, log: WriteLog) {
  const path = { districtId: district.districtId, milestoneId: history.milestoneId };
  for (const step of history.steps) {
    const sentAt = Date.now();
    if (step.kind === 'put') {
      const { data, response } = await district.api.PUT(
        '/v1/districts/{districtId}/milestones/{milestoneId}',
        {
          params: { path },
          body: step.body,
        },
      );
      expect({ milestone: history.milestoneId, status: response.status, applied: data?.applied }).toEqual({
        milestone: history.milestoneId,
        status: step.expect.status,
        applied: step.expect.applied,
      });
    } else {
      const { response } = await district.api.DELETE('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path },
      });
      expect({ milestone: history.milestoneId, status: response.status }).toEqual({
        milestone: history.milestoneId,
        status: step.expect.status,
      });
    }
    if (step.expect.applied) log.changed(sentAt);
  }
}

/** Runs the tasks with at most `concurrency` in flight; rejects with the first failure once all have settled. */
export async function runPool(
  tasks: readonly (() => Promise<unknown>)[],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      try {
        await task?.();
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures.length > 0) throw failures[0];
}

// ---------------------------------------------------------------------------------------------------------------
// planning a random district

/**
 * Uniform random draws (mulberry32) from a seed that fast-check picks, so that a run is replayed by fast-check's
 * seed. fast-check's own integer arbitraries are biased towards the bounds, which would skew the probabilities.
 */
export class Draw {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[this.int(0, values.length - 1)];
    if (value === undefined) throw new RangeError('nothing to pick from');
    return value;
  }

  /** One of `values`, each as likely as its weight. */
  weighted<T>(values: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let ticket = this.int(0, total - 1);
    for (const [index, weight] of weights.entries()) {
      if (ticket < weight) return values[index] as T;
      ticket -= weight;
    }
    return values[values.length - 1] as T;
  }

  shuffle<T>(values: readonly T[]): T[] {
    const copy = [...values];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = this.int(0, index);
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }

  /** `count` distinct values of `pool`, in random order. */
  some<T>(pool: readonly T[], count: number): T[] {
    return this.shuffle(pool).slice(0, count);
  }
}

interface DistrictPlan {
  readonly framework: Framework;
  readonly timezone: string;
  /** Every distinct submission, once. */
  readonly submissions: readonly Submission[];
  /** A batch of the largest size the contract allows, sent first. */
  readonly fullBatch: readonly Send[];
  readonly singles: readonly Send[];
  readonly batches: readonly (readonly Send[])[];
  /** The tasks in the plan's random order. */
  readonly shuffledTasks: <T>(tasks: readonly T[]) => T[];
  /** The framework to replace the district's with once settled: another method and threshold. */
  readonly replacement: (method: MethodName) => Framework;
  /** Submission ids to void; an id listed twice is voided twice at about the same time. */
  readonly voids: readonly string[];
  readonly milestones: readonly MilestoneHistory[];
  /** Every evidence names exactly one group, so a competency's groups partition its learners. */
  readonly groupsPartitionLearners: boolean;
}

type MilestoneStep =
  | {
      readonly kind: 'put';
      readonly body: MilestoneBody;
      readonly expect: { status: 200 | 201; applied: boolean };
    }
  | { readonly kind: 'delete'; readonly expect: { status: 204 | 404; applied: boolean } };

interface MilestoneHistory {
  readonly milestoneId: string;
  readonly steps: readonly MilestoneStep[];
  /** The milestone as the steps leave it; undefined when removed (or never created). */
  readonly final: ReferenceMilestone | undefined;
  /** Applied writes and removals that changed something. */
  readonly events: number;
}

const CONDITION_POOL = ['shared-vision', 'culture', 'agency', 'transparency', 'equity', 'c-9', 'c-10'];
const ROLE_POOL = [
  'superintendent',
  'district-leader',
  'principal',
  'teacher',
  'student',
  'family',
  'community',
];
const COMPETENCY_POOL = ['critical-thinking', 'communication', 'collaboration', 'creativity', 'k-2', 'k-10'];
const GROUP_POOL = ['ell', 'iep', 'frl', 'gifted', '504', 'migrant', 'foster'];
const TIMEZONES = ['America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata', 'UTC'];
/** Offsets a timestamp may be written in. */
const OFFSETS = ['Z', '+00:00', '-05:00', '+05:30', '+14:00', '-11:00', '+01:00'];
/**
 * How likely a respondent rates a condition, or a learner is assessed on a competency: one of them rarely (a few
 * people: hidden whole), the others often enough for their cells to straddle minimum n.
 */
const RARE = [0.015, 0.03, 0.045];
const OFTEN = [0.3, 0.5, 0.8];

/** Weights or odds for `count` things: one of them, at random, drawn from `rare`, the others from `common`. */
function oneRare(draw: Draw, count: number, rare: readonly number[], common: readonly number[]): number[] {
  const rareIndex = draw.int(0, count - 1);
  return Array.from({ length: count }, (_, index) => draw.pick(index === rareIndex ? rare : common));
}

function planDistrict(draw: Draw, now: Date, method: MethodName): DistrictPlan {
  const framework = planFramework(draw, method);
  const submissions: Submission[] = [];
  // numbered ids: their code-unit order ("s-10" < "s-9") is not their number order, nor the time order
  let numbered = 0;
  const nextId = (prefix: string) => `${prefix}-${numbered++}`;

  // respondents: a role each (sometimes another on a later rating), some conditions each, 1-3 ratings
  const roleWeights = oneRare(draw, framework.roles.length, [1, 2], [5, 20, 40]);
  const conditionOdds = oneRare(draw, framework.conditions.length, RARE, OFTEN);
  const instants = Array.from({ length: 5 }, () => now.getTime() - draw.int(1, 90) * DAY_MS);
  instants.push((instants[0] ?? 0) + 1); // a millisecond apart
  const respondents = draw.int(150, 200);
  for (let respondent = 0; respondent < respondents; respondent += 1) {
    const role = draw.weighted(framework.roles, roleWeights);
    let rated = framework.conditions.filter((_, index) => draw.chance(conditionOdds[index] ?? 0));
    if (rated.length === 0)
      rated = [framework.conditions[conditionOdds.indexOf(Math.max(...conditionOdds))]!];
    const count = draw.weighted([1, 2, 3], [6, 3, 1]);
    for (let copy = 0; copy < count; copy += 1) {
      const ratings = draw.some(rated, draw.int(1, rated.length));
      submissions.push({
        type: 'condition-rating',
        submissionId: nextId('s'),
        respondent: {
          id: `r-${respondent}`,
          role: draw.chance(0.15) ? draw.pick(framework.roles) : role,
          ...(draw.chance(0.5) ? { schoolId: draw.pick(['lincoln-hs', 'adams-ms']) } : {}),
        },
        submittedAt: writeInstant(draw.pick(instants), draw.pick(OFFSETS), draw.chance(0.3)),
        ratings: ratings.map((condition) => ({
          conditionId: condition.id,
          level: draw.int(1, framework.rubric.length),
        })),
      });
    }
  }

  // learners: groups, some competencies each, 1-3 pieces of evidence on few distinct days
  const groupsPartitionLearners = draw.chance(0.34);
  const groups = draw.some(GROUP_POOL, draw.int(2, 5));
  const groupOdds = oneRare(draw, groups.length, [0.01, 0.02], [0.05, 0.2, 0.5]);
  const groupWeights = oneRare(draw, groups.length, [1], [3, 20, 40]);
  const drawGroups = (): string[] | undefined => {
    if (groupsPartitionLearners) return [draw.weighted(groups, groupWeights)];
    const chosen = groups.filter((_, index) => draw.chance(groupOdds[index] ?? 0));
    if (chosen.length > 0 && draw.chance(0.05)) chosen.push(chosen[0] ?? ''); // a group listed twice
    return chosen.length === 0 && draw.chance(0.5) ? undefined : chosen;
  };
  const competencyOdds = oneRare(draw, framework.competencies.length, RARE, OFTEN);
  const days = Array.from({ length: 4 }, () => isoDate(now.getTime() - draw.int(1, 200) * DAY_MS));
  const learners = draw.int(150, 200);
  for (let learner = 0; learner < learners; learner += 1) {
    const usual = drawGroups();
    for (const [index, competency] of framework.competencies.entries()) {
      if (!draw.chance(competencyOdds[index] ?? 0)) continue;
      const count = draw.weighted([1, 2, 3], [5, 3, 2]);
      for (let copy = 0; copy < count; copy += 1) {
        const groupsNow = draw.chance(0.2) ? drawGroups() : usual;
        submissions.push({
          type: 'competency-evidence',
          submissionId: nextId('e'),
          learner: {
            id: `l-${learner}`,
            ...(groupsNow === undefined ? {} : { groups: groupsNow }),
            ...(draw.chance(0.3) ? { gradeLevel: draw.pick(['K', '3', '10']) } : {}),
          },
          competencyId: competency.id,
          level: draw.int(1, framework.proficiency.levels),
          assessedOn: draw.pick(days),
        });
      }
    }
  }

  // what is sent: every submission, some of them again, and a few invalid items
  const sends: Send[] = submissions.map((submission) => ({ valid: true, submission }));
  for (const submission of submissions) {
    if (draw.chance(0.05)) sends.push({ valid: true, submission });
  }
  for (let index = 0; index < 6; index += 1)
    sends.push({ valid: false, item: invalidItem(draw, framework, index) });
  const singles: Send[] = [];
  const batched = draw.shuffle(sends);
  const fullBatch = batched.splice(0, MAX_BATCH);
  for (const send of batched.splice(0)) (draw.chance(0.12) ? singles : batched).push(send);
  // the other batches smaller: with CONCURRENCY requests in flight on a 2-core machine, a batch of 100 could run past the
  // API function's timeout
  const batches: Send[][] = [];
  while (batched.length > 0) batches.push(batched.splice(0, draw.int(10, 40)));

  // a submission voided twice has both DELETEs side by side, so that they are in flight together
  const voids: string[][] = [];
  for (const { submissionId } of submissions) {
    if (draw.chance(0.06)) voids.push(draw.chance(0.25) ? [submissionId, submissionId] : [submissionId]);
  }

  const milestones = Array.from({ length: draw.int(10, 30) }, (_, index) =>
    planMilestone(draw, framework, `m-${index}`, now),
  );

  return {
    framework,
    timezone: draw.pick(TIMEZONES),
    submissions,
    fullBatch,
    singles,
    batches,
    shuffledTasks: (tasks) => draw.shuffle(tasks),
    replacement: (nextMethod) => ({
      ...framework,
      proficiency: {
        levels: framework.proficiency.levels,
        masteryThreshold: draw.int(1, framework.proficiency.levels),
      },
      masteryMethod: planMethod(draw, nextMethod),
    }),
    voids: draw.shuffle(voids).flat(),
    milestones,
    groupsPartitionLearners,
  };
}

function planFramework(draw: Draw, method: MethodName): Framework {
  const levels = draw.int(2, 6);
  return {
    visionStatement: 'Every learner graduates ready for what comes next.',
    conditions: draw.some(CONDITION_POOL, draw.int(2, 5)).map((id) => ({
      id,
      name: `Condition ${id}`,
      priority: draw.chance(0.5),
    })),
    roles: draw.some(ROLE_POOL, draw.int(3, 5)),
    rubric: Array.from({ length: draw.int(2, 6) }, (_, index) => `Level ${index + 1}`),
    competencies: draw.some(COMPETENCY_POOL, draw.int(2, 3)).map((id) => ({ id, name: `Competency ${id}` })),
    proficiency: { levels, masteryThreshold: draw.int(1, levels) },
    masteryMethod: planMethod(draw, method),
  };
}

function planMethod(draw: Draw, method: MethodName): Framework['masteryMethod'] {
  switch (method) {
    case 'decaying_average':
      return { method, weight: draw.chance(0.3) ? 65 : draw.int(1, 99) };
    case 'n_mastery':
      return { method, n: draw.int(1, 5) };
    default:
      return { method };
  }
}

/** Counts, into `coverage`, the cases of PRODUCT §3 and §5 that a plan exercises. */
function countCoverage(plan: DistrictPlan, now: Date, coverage: Record<string, number>) {
  const count = (what: string, n: number) => {
    coverage[what] = (coverage[what] ?? 0) + n;
  };
  const ratings = new Map<string, ConditionRating[]>();
  const evidence = new Map<string, CompetencyEvidence[]>();
  for (const submission of plan.submissions) {
    if (submission.type === 'condition-rating') {
      for (const { conditionId } of submission.ratings) {
        const key = `${submission.respondent.id} ${conditionId}`;
        ratings.set(key, [...(ratings.get(key) ?? []), submission]);
      }
    } else {
      const key = `${submission.learner.id} ${submission.competencyId}`;
      evidence.set(key, [...(evidence.get(key) ?? []), submission]);
    }
  }
  const pairs = <T>(items: readonly T[]) =>
    items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as const));
  let sameInstant = 0;
  let sameInstantOtherText = 0;
  let roleChanged = 0;
  for (const list of ratings.values()) {
    for (const [a, b] of pairs(list)) {
      if (Date.parse(a.submittedAt) === Date.parse(b.submittedAt)) {
        sameInstant += 1;
        if (a.submittedAt !== b.submittedAt) sameInstantOtherText += 1;
      }
      if (a.respondent.role !== b.respondent.role) roleChanged += 1;
    }
  }
  count('ratings of one respondent and condition at the same instant', sameInstant);
  count('ratings at the same instant written in other offsets', sameInstantOtherText);
  count('respondents rating in another role', roleChanged);
  let sameDay = 0;
  let groupsChanged = 0;
  for (const list of evidence.values()) {
    for (const [a, b] of pairs(list)) {
      if (a.assessedOn === b.assessedOn) sameDay += 1;
      if (JSON.stringify(a.learner.groups) !== JSON.stringify(b.learner.groups)) groupsChanged += 1;
    }
  }
  count('evidence of one learner and competency on the same day', sameDay);
  count('learners whose groups changed', groupsChanged);
  count(
    'learners with several pieces of evidence',
    [...evidence.values()].filter((l) => l.length > 1).length,
  );
  const sends = [...plan.fullBatch, ...plan.singles, ...plan.batches.flat()];
  count('replays', sends.filter((send) => send.valid).length - plan.submissions.length);
  count('invalid items', sends.filter((send) => !send.valid).length);
  count('voids', new Set(plan.voids).size);
  count('voids sent twice', plan.voids.length - new Set(plan.voids).size);
  const steps = plan.milestones.flatMap((history) => history.steps);
  count(
    'milestone writes not applied',
    steps.filter((step) => step.kind === 'put' && !step.expect.applied).length,
  );
  count('milestone removals', steps.filter((step) => step.kind === 'delete' && step.expect.applied).length);
  count(
    'removals of a removed or unknown milestone',
    steps.filter((s) => s.kind === 'delete' && !s.expect.applied).length,
  );
  count(
    'milestones created anew after removal',
    plan.milestones.filter((history) =>
      history.steps.some(
        (step, index) =>
          step.kind === 'put' &&
          step.expect.status === 201 &&
          history.steps.slice(0, index).some((before) => before.kind === 'delete' && before.expect.applied),
      ),
    ).length,
  );
  const open = plan.milestones.flatMap((history) =>
    history.final && history.final.status !== 'achieved' && history.final.status !== 'cancelled'
      ? [history.final]
      : [],
  );
  const today = isoDate(now.getTime());
  count('overdue milestones', open.filter((m) => m.dueDate && m.dueDate < today).length);
  count('stale milestones', open.filter((m) => now.getTime() - Date.parse(m.updatedAt) > 30 * DAY_MS).length);
}

/** A batch item the platform must refuse (400) without storing it or spoiling the batch. */
function invalidItem(draw: Draw, framework: Framework, index: number): unknown {
  const submissionId = `x-${index}`;
  return draw.chance(0.5)
    ? {
        type: 'condition-rating',
        submissionId,
        respondent: { id: 'r-0', role: framework.roles[0] },
        submittedAt: '2026-11-18T14:00:00-05:00',
        ratings: [{ conditionId: 'no-such-condition', level: 1 }],
      }
    : {
        type: 'competency-evidence',
        submissionId,
        learner: { id: 'l-0', nickname: 'not a field of the contract' },
        competencyId: framework.competencies[0]?.id,
        level: 1,
        assessedOn: '2026-09-01',
      };
}

/**
 * One milestone's writes in the order they will be sent (versions out of order, replays, removals, a PUT after a
 * removal), with the answer each must get. Due dates and update times stay days away from the overdue and stale
 * boundaries, so the expected figures cannot flip while the test runs.
 */
function planMilestone(draw: Draw, framework: Framework, milestoneId: string, now: Date): MilestoneHistory {
  const versionCount = draw.int(1, 3);
  // ages in days: recent (under 28) or old (over 32), older versions first
  const ages = Array.from({ length: versionCount }, () =>
    draw.chance(0.4) ? draw.int(33, 300) * DAY_MS + draw.int(0, DAY_MS) : draw.int(60_000, 27 * DAY_MS),
  ).sort((a, b) => b - a);
  const versions: MilestoneBody[] = ages.map((age, index) => {
    const status = draw.pick(STATUSES);
    const dueDate = draw.chance(0.2)
      ? null
      : isoDate(now.getTime() + (draw.chance(0.5) ? 1 : -1) * draw.int(3, 400) * DAY_MS);
    return {
      title: `Milestone ${milestoneId} v${index + 1}`,
      conditionId: draw.pick(framework.conditions).id,
      status,
      dueDate,
      ...(status === 'achieved' ? { achievedOn: isoDate(now.getTime() - draw.int(1, 60) * DAY_MS) } : {}),
      ...(draw.chance(0.5) ? { owner: 'Assistant Superintendent' } : {}),
      // distinct instants per version: the same instant with other content would be a 409
      updatedAt: writeInstant(now.getTime() - age + index, draw.pick(OFFSETS), draw.chance(0.5)),
    };
  });
  const order: ({ kind: 'put'; version: number } | { kind: 'delete' })[] = draw
    .shuffle(versions.map((_, version) => ({ kind: 'put' as const, version })))
    .concat(draw.chance(0.3) ? [{ kind: 'put', version: draw.int(0, versionCount - 1) }] : []);
  if (draw.chance(0.3)) order.splice(draw.int(0, order.length), 0, { kind: 'delete' });
  if (draw.chance(0.15)) order.push({ kind: 'delete' });

  // the model of PRODUCT §3: writes ordered by updatedAt; a removed milestone is created anew by any PUT
  let current: MilestoneBody | undefined;
  let existed = false;
  let events = 0;
  const steps: MilestoneStep[] = order.map((step) => {
    if (step.kind === 'delete') {
      if (!existed) return { kind: 'delete', expect: { status: 404, applied: false } };
      const applied = current !== undefined;
      if (applied) events += 1;
      current = undefined;
      return { kind: 'delete', expect: { status: 204, applied } };
    }
    const body = versions[step.version] as MilestoneBody;
    if (current === undefined) {
      current = body;
      existed = true;
      events += 1;
      return { kind: 'put', body, expect: { status: 201, applied: true } };
    }
    const applied = Date.parse(body.updatedAt) > Date.parse(current.updatedAt);
    if (applied) {
      current = body;
      events += 1;
    }
    return { kind: 'put', body, expect: { status: 200, applied } };
  });
  const final: ReferenceMilestone | undefined = current && {
    milestoneId,
    conditionId: current.conditionId,
    status: current.status as MilestoneStatus,
    dueDate: current.dueDate ?? null,
    updatedAt: current.updatedAt,
  };
  return { milestoneId, steps, final, events };
}

/** An instant written as ISO-8601 in one of OFFSETS, with milliseconds when it has some or when asked. */
function writeInstant(epochMs: number, offset: string, withMillis: boolean): string {
  const minutes =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(epochMs + minutes * 60_000).toISOString();
  return `${withMillis || epochMs % 1000 !== 0 ? local.slice(0, 23) : local.slice(0, 19)}${offset}`;
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
