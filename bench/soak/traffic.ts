/**
 * The soak's clients: district systems posting a mix of writes at a steady rate, the way integrators do, and
 * retrying what was not acknowledged (a network error, a 5xx, a 429) with the same payload until it is. Every
 * acknowledgement goes into the district's ledger (bench/soak/ledger.ts); an answer no correct client should get
 * (a 400 for a valid body, a 409 for a replay) is kept as unexpected, and fails the soak.
 *
 * The mix, by share of events: batches of 20 to 100 evidence items 45 %, single evidence 24 %, single condition
 * ratings 15 %, milestone writes 10 % (one in ten older than the stored one, so not applied), identical replays
 * of accepted submissions 3 %, voids 2 %, milestone removals 1 %. Progress reads run beside it, two a second.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type {
  CompetencyEvidence,
  ConditionRating,
  MilestoneStatus,
} from '../../test/support/reference-progress';
import type { DistrictLedger } from './ledger';

/** A deterministic generator (mulberry32), so that a soak's traffic can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one request came to. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** An earlier try failed in a way that may have written (a lost answer, a 5xx). */
  readonly retried: boolean;
}

export interface TrafficCounts {
  /** Events the clients meant to send (a batch counts its items). */
  offered: number;
  /** Events acknowledged (2xx for the event, per item in a batch). */
  acknowledged: number;
  /** Requests sent again after a network error, 5xx or 429. */
  retries: number;
  /** Requests still not acknowledged when the clients gave up. */
  unacknowledged: number;
  /** Milestone writes answered "not applied" because the stored one was newer, as meant. */
  staleWrites: number;
  progressReads: number;
  digestRuns: number;
}

export interface UnexpectedAnswer {
  readonly what: string;
  readonly status: number;
  readonly body: unknown;
}

const STATUSES: readonly MilestoneStatus[] = ['not_started', 'on_track', 'at_risk', 'off_track', 'achieved'];
const MILESTONES_PER_DISTRICT = 30;
const LEARNERS_PER_DISTRICT = 3_000;
const RESPONDENTS_PER_DISTRICT = 600;
const SCHOOLS = ['north-hs', 'south-hs', 'east-ms', 'west-es', 'central-es'];
const GROUPS = ['ell', 'iep', 'frl', 'gifted'];
const MAX_BACKOFF_MS = 5_000;
const PROGRESS_READS_PER_SECOND = 2;

export interface TrafficOptions {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** Per district: its ledger and key. */
  readonly districts: readonly { readonly ledger: DistrictLedger; readonly key: string }[];
  readonly eventsPerSecond: number;
  /** Requests in flight at most; past it the clients wait (and fall behind the rate). */
  readonly maxInFlight: number;
  readonly random: () => number;
}

/** The clients of every district, sharing one rate. */
export class Traffic {
  readonly counts: TrafficCounts = {
    offered: 0,
    acknowledged: 0,
    retries: 0,
    unacknowledged: 0,
    staleWrites: 0,
    progressReads: 0,
    digestRuns: 0,
  };
  readonly unexpected: UnexpectedAnswer[] = [];
  readonly #options: TrafficOptions;
  readonly #random: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  #sequence = 0;
  /** Clients give up retrying after this time (the soak's drain deadline). */
  #giveUpAt = Number.POSITIVE_INFINITY;

  constructor(options: TrafficOptions) {
    this.#options = options;
    this.#random = options.random;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Sends at the rate until `until` (epoch ms); resolves when the last request was sent, not answered. */
  async run(until: number): Promise<void> {
    const { eventsPerSecond, maxInFlight } = this.#options;
    let credit = 0;
    let readCredit = 0;
    let last = Date.now();
    while (Date.now() < until) {
      await delay(50);
      const now = Date.now();
      credit += ((now - last) / 1_000) * eventsPerSecond;
      readCredit += ((now - last) / 1_000) * PROGRESS_READS_PER_SECOND;
      last = now;
      while (credit > 0 && this.#inFlight.size < maxInFlight) credit -= this.#sendOne();
      for (; readCredit >= 1; readCredit -= 1) this.#track(this.#readProgress());
    }
  }

  /** Resolves once every request sent so far was answered, or given up at `giveUpAt`. */
  async settle(giveUpAt: number): Promise<void> {
    this.#giveUpAt = giveUpAt;
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
  }

  /** Runs the digest planner as if it were `at`, retried until acknowledged; resolves whether it was. */
  async runDigests(at: Date): Promise<boolean> {
    const answer = await this.#request('POST', '/v1/digests/run', this.#options.stateKey, {
      at: at.toISOString(),
    });
    if (answer?.status === 202) {
      this.counts.digestRuns += 1;
      return true;
    }
    if (answer) this.#unexpected('digest run', answer);
    return false;
  }

  #track(request: Promise<void>): void {
    this.#inFlight.add(request);
    request.finally(() => this.#inFlight.delete(request));
  }

  /** Sends one request of the mix; returns the events it carries. */
  #sendOne(): number {
    const district = this.#pick(this.#options.districts);
    const roll = this.#random();
    // by events: a batch carries 60 on average, so it is picked about once in 75 sends (45 % of the events)
    if (roll < 0.0135) return this.#batch(district, 20 + Math.floor(this.#random() * 81));
    if (roll < 0.444) return this.#single(district, this.#evidence(district.ledger));
    if (roll < 0.7133) return this.#single(district, this.#rating(district.ledger));
    if (roll < 0.8928) return this.#milestoneWrite(district);
    if (roll < 0.9466) return this.#replay(district);
    if (roll < 0.9825) return this.#void(district);
    return this.#removal(district);
  }

  #batch(district: TrafficOptions['districts'][number], size: number): number {
    const items = Array.from({ length: size }, () => this.#evidence(district.ledger));
    this.counts.offered += size;
    this.#track(this.#sendBatch(district, items));
    return size;
  }

  async #sendBatch(
    district: TrafficOptions['districts'][number],
    items: readonly CompetencyEvidence[],
  ): Promise<void> {
    let pending = items;
    let attempt = 0;
    while (pending.length > 0) {
      const path = `/v1/districts/${district.ledger.districtId}/assessments/batch`;
      const answer = await this.#request('POST', path, district.key, { items: pending });
      if (!answer) {
        this.counts.unacknowledged += pending.length;
        return;
      }
      if (answer.status !== 200) return this.#unexpected('batch', answer);
      const results = (answer.body as { results: { index: number; status: number }[] }).results;
      const again: CompetencyEvidence[] = [];
      for (const result of results) {
        const item = pending[result.index];
        if (!item) continue;
        if (result.status === 201 || result.status === 200) {
          district.ledger.accept(item);
          this.counts.acknowledged += 1;
        } else if (result.status >= 500 || result.status === 429) again.push(item);
        else this.#unexpected(`batch item ${result.status}`, { ...answer, body: result });
      }
      pending = again;
      if (pending.length > 0) {
        this.counts.retries += 1;
        attempt += 1;
        await delay(backoff(attempt));
      }
    }
  }

  #single(
    district: TrafficOptions['districts'][number],
    submission: ConditionRating | CompetencyEvidence,
  ): number {
    this.counts.offered += 1;
    this.#track(
      (async () => {
        const path = `/v1/districts/${district.ledger.districtId}/assessments`;
        const answer = await this.#request('POST', path, district.key, submission);
        if (!answer) this.counts.unacknowledged += 1;
        else if (answer.status === 201 || answer.status === 200) {
          district.ledger.accept(submission);
          this.counts.acknowledged += 1;
        } else this.#unexpected('submission', answer);
      })(),
    );
    return 1;
  }

  /** An identical replay of an accepted submission that is not voided: 200, and counted once. */
  #replay(district: TrafficOptions['districts'][number]): number {
    const { ledger } = district;
    const submissionId = this.#claimSubmission(ledger);
    const submission = submissionId ? ledger.submissions.get(submissionId) : undefined;
    if (!submissionId || !submission) return this.#single(district, this.#evidence(ledger));
    this.counts.offered += 1;
    this.#track(
      (async () => {
        const path = `/v1/districts/${ledger.districtId}/assessments`;
        const answer = await this.#request('POST', path, district.key, submission);
        ledger.release(submissionId);
        if (!answer) this.counts.unacknowledged += 1;
        else if (answer.status === 200) this.counts.acknowledged += 1;
        else this.#unexpected('replay', answer);
      })(),
    );
    return 1;
  }

  #void(district: TrafficOptions['districts'][number]): number {
    const { ledger } = district;
    const submissionId = this.#claimSubmission(ledger);
    if (!submissionId) return this.#single(district, this.#rating(ledger));
    this.counts.offered += 1;
    this.#track(
      (async () => {
        const path = `/v1/districts/${ledger.districtId}/assessments/${submissionId}`;
        const answer = await this.#request('DELETE', path, district.key);
        if (!answer) this.counts.unacknowledged += 1;
        else if (answer.status === 204) {
          ledger.void(submissionId);
          this.counts.acknowledged += 1;
        } else this.#unexpected('void', answer);
        ledger.release(submissionId);
      })(),
    );
    return 1;
  }

  #milestoneWrite(district: TrafficOptions['districts'][number]): number {
    const { ledger } = district;
    const milestoneId = `m-${String(1 + Math.floor(this.#random() * MILESTONES_PER_DISTRICT)).padStart(2, '0')}`;
    if (!ledger.claim(milestoneId)) return this.#single(district, this.#evidence(ledger));
    const latest = ledger.latestUpdate.get(milestoneId);
    const stale = latest !== undefined && ledger.milestones.has(milestoneId) && this.#random() < 0.1;
    const updatedAt = new Date(stale ? (latest ?? 0) - 60_000 : Math.max(Date.now(), (latest ?? 0) + 1_000));
    const status = this.#pick(STATUSES);
    const conditionId = this.#pick(ledger.framework.conditions).id;
    const dueDate = `2027-0${1 + Math.floor(this.#random() * 9)}-15`;
    const body = {
      title: `Milestone ${milestoneId}`,
      conditionId,
      status,
      dueDate,
      achievedOn: status === 'achieved' ? updatedAt.toISOString().slice(0, 10) : null,
      owner: 'District office',
      updatedAt: updatedAt.toISOString(),
    };
    this.counts.offered += 1;
    this.#track(
      (async () => {
        const path = `/v1/districts/${ledger.districtId}/milestones/${milestoneId}`;
        const answer = await this.#request('PUT', path, district.key, body);
        if (!answer) this.counts.unacknowledged += 1;
        else if (answer.status === 201 || answer.status === 200) {
          this.counts.acknowledged += 1;
          const { applied } = answer.body as { applied: boolean };
          // a newer write answered "not applied" is identical to the stored one: an earlier try wrote it
          const written = answer.status === 201 || applied || (!stale && answer.retried);
          if (written)
            ledger.applyMilestone({ milestoneId, conditionId, status, dueDate, updatedAt: body.updatedAt });
          else if (stale) this.counts.staleWrites += 1;
          else this.#unexpected('milestone write not applied', answer);
        } else this.#unexpected('milestone write', answer);
        ledger.release(milestoneId);
      })(),
    );
    return 1;
  }

  #removal(district: TrafficOptions['districts'][number]): number {
    const { ledger } = district;
    const milestoneId = [...ledger.milestones.keys()].find((id) => ledger.claim(id));
    if (!milestoneId) return this.#milestoneWrite(district);
    this.counts.offered += 1;
    this.#track(
      (async () => {
        const path = `/v1/districts/${ledger.districtId}/milestones/${milestoneId}`;
        const answer = await this.#request('DELETE', path, district.key);
        if (!answer) this.counts.unacknowledged += 1;
        else if (answer.status === 204) {
          ledger.removeMilestone(milestoneId);
          this.counts.acknowledged += 1;
        } else this.#unexpected('milestone removal', answer);
        ledger.release(milestoneId);
      })(),
    );
    return 1;
  }

  async #readProgress(): Promise<void> {
    const district = this.#pick(this.#options.districts);
    const path = `/v1/districts/${district.ledger.districtId}/progress`;
    const answer = await this.#request('GET', path, district.key);
    if (answer?.status === 200) this.counts.progressReads += 1;
    else if (answer) this.#unexpected('progress read', answer);
  }

  #evidence(ledger: DistrictLedger): CompetencyEvidence {
    const groups = GROUPS.filter(() => this.#random() < 0.2);
    const day = 1 + Math.floor(this.#random() * 300);
    return {
      type: 'competency-evidence',
      submissionId: `e-${this.#nextSequence()}`,
      learner: {
        id: `l-${Math.floor(this.#random() * LEARNERS_PER_DISTRICT).toString(36)}`,
        schoolId: this.#pick(SCHOOLS),
        gradeLevel: String(6 + Math.floor(this.#random() * 7)),
        groups,
      },
      competencyId: this.#pick(ledger.framework.competencies).id,
      level: 1 + Math.floor(this.#random() * ledger.framework.proficiency.levels),
      assessedOn: new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10),
    };
  }

  #rating(ledger: DistrictLedger): ConditionRating {
    const conditions = ledger.framework.conditions.filter(() => this.#random() < 0.6);
    const rated = conditions.length > 0 ? conditions : [this.#pick(ledger.framework.conditions)];
    return {
      type: 'condition-rating',
      submissionId: `s-${this.#nextSequence()}`,
      respondent: {
        id: `r-${Math.floor(this.#random() * RESPONDENTS_PER_DISTRICT).toString(36)}`,
        role: this.#pick(ledger.framework.roles),
        schoolId: this.#pick(SCHOOLS),
      },
      submittedAt: new Date(Date.now() - Math.floor(this.#random() * 86_400_000)).toISOString(),
      ratings: rated.map((condition) => ({
        conditionId: condition.id,
        level: 1 + Math.floor(this.#random() * ledger.framework.rubric.length),
      })),
    };
  }

  /**
   * Sends until the answer is one a retry would not change (anything but a network error, a 5xx or a 429), or
   * the clients give up; resolves undefined then.
   */
  async #request(method: string, path: string, key: string, body?: unknown): Promise<Answer | undefined> {
    let retried = false;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        if (Date.now() > this.#giveUpAt) return undefined;
        this.counts.retries += 1;
        await delay(backoff(attempt));
      }
      try {
        const response = await fetch(`${this.#options.apiUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.status >= 500 || response.status === 429) {
          retried = true;
          continue;
        }
        return { status: response.status, body: text ? JSON.parse(text) : undefined, retried };
      } catch {
        retried = true;
      }
    }
  }

  #nextSequence(): number {
    this.#sequence += 1;
    return this.#sequence;
  }

  #unexpected(what: string, answer: Answer): void {
    this.unexpected.push({ what, status: answer.status, body: answer.body });
  }

  #pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#random() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  }

  /** Claims an accepted submission that is not voided, trying a few at random; undefined when none was free. */
  #claimSubmission(ledger: DistrictLedger): string | undefined {
    const ids = ledger.acceptedIds;
    for (let tries = 0; tries < 8 && ids.length > 0; tries += 1) {
      const id = ids[Math.floor(this.#random() * ids.length)];
      if (id !== undefined && !ledger.voided.has(id) && ledger.claim(id)) return id;
    }
    return undefined;
  }
}

function backoff(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 200 * 2 ** (attempt - 1));
}
