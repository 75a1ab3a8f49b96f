/**
 * The API calls of an import, with a district key, and what it does when the API cannot answer now:
 *
 * - 429: every request of the import waits out the `Retry-After` (the limit is per key, so they share it), then
 *   the request goes again; throttling is not a failure and does not use up tries.
 * - 5xx, a timeout or a network failure: the request goes again after an exponential backoff with jitter, up to
 *   `attempts` tries; then the import stops (the checkpoint keeps what was done). Sending again is safe: every
 *   write of the contract is idempotent.
 * - a batch item answered 503 (not stored this time) is sent again in a later batch, with the same backoff.
 * - 400 or 409 for a milestone, or for a batch item, is the row's own answer: it is rejected, the import goes on.
 * - anything else (401, 403, 404, 413…) stops the import with the API's problem.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type * as z from 'zod';
import type { BatchResult, Submission } from '../../../shared/contract/assessments';
import { type ApiClient, apiClient } from '../../../shared/contract/client';
import { Problem } from '../../../shared/contract/common';
import type { Framework } from '../../../shared/contract/framework';
import type { MilestoneBody } from '../../../shared/contract/milestones';
import type { FieldError } from '../../../shared/domain/field-error';
import { type FetchOutcome, networkReason, problemError } from '../api';
import { OpsError } from '../context';

/** The API's answer for one row. */
export type RowAnswer =
  | { readonly outcome: 'written' | 'replayed' }
  | { readonly outcome: 'rejected'; readonly status: number; readonly errors: readonly FieldError[] };

export interface RetryPolicy {
  /** Tries of a request that fails with a 5xx, a timeout or a network error (503 batch items too). */
  readonly attempts: number;
  /** The first backoff; each retry doubles it, up to maxDelayMs, and waits a random part of it. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A request without an answer after this long is abandoned and sent again. */
  readonly timeoutMs: number;
  /** Waits for a 429 in a row before giving up: a limit that never lets the import through. */
  readonly throttledAttempts: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  timeoutMs: 60_000,
  throttledAttempts: 120,
};

/** How often the API made the import wait, for the summary. */
export interface ApiCounters {
  throttled: number;
  retried: number;
}

export class ImportApi {
  readonly counters: ApiCounters = { throttled: 0, retried: 0 };
  readonly #client: ApiClient;
  /** No request leaves before this instant: the end of the latest Retry-After. */
  #pausedUntil = 0;

  constructor(
    readonly apiUrl: string,
    key: string,
    readonly districtId: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    this.#client = apiClient(apiUrl, key);
  }

  async framework(): Promise<Framework> {
    const outcome = await this.#send('GET the framework', (signal) =>
      this.#client.GET('/v1/districts/{districtId}/framework', {
        params: { path: { districtId: this.districtId } },
        signal,
      }),
    );
    if (!outcome.response.ok || !outcome.data) throw problemError(outcome.response, outcome.error);
    return outcome.data as Framework;
  }

  /** PUT of one milestone: 201, or 200 applied, is written; 200 not applied (same or older write) replayed. */
  async putMilestone(milestoneId: string, body: MilestoneBody): Promise<RowAnswer> {
    const outcome = await this.#send(`PUT milestone ${milestoneId}`, (signal) =>
      this.#client.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
        params: { path: { districtId: this.districtId, milestoneId } },
        body,
        signal,
      }),
    );
    const { response, data } = outcome;
    if (response.ok && data) return { outcome: data.applied ? 'written' : 'replayed' };
    if (response.status === 400 || response.status === 409) {
      return { outcome: 'rejected', status: response.status, errors: rowErrors(outcome.error) };
    }
    throw problemError(outcome.response, outcome.error);
  }

  /**
   * POST of a batch (at most 100 items): one answer per item, in order. Items answered 503 go again in a batch of
   * their own after a backoff, until every item has its answer or the tries are used up.
   */
  async postBatch(items: readonly Submission[]): Promise<RowAnswer[]> {
    const answers: (RowAnswer | undefined)[] = new Array(items.length);
    let pending = items.map((_, index) => index);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) {
        if (attempt > this.policy.attempts) {
          throw new OpsError(
            `POST assessments/batch: ${pending.length} items were still not stored after ${this.policy.attempts} ` +
              'tries (503): the checkpoint keeps what was done; run the same command again later to resume',
          );
        }
        this.counters.retried += 1;
        await sleep(this.#backoff(attempt - 1));
      }
      const sent = pending;
      const outcome = await this.#send(`POST assessments/batch of ${sent.length}`, (signal) =>
        this.#client.POST('/v1/districts/{districtId}/assessments/batch', {
          params: { path: { districtId: this.districtId } },
          body: { items: sent.map((index) => items[index] as Submission) },
          signal,
        }),
      );
      if (!outcome.response.ok || !outcome.data) throw problemError(outcome.response, outcome.error);
      const results: readonly z.infer<typeof BatchResult>[] = outcome.data.results;
      if (results.length !== sent.length) {
        throw new OpsError(
          `POST assessments/batch answered ${results.length} results for ${sent.length} items`,
        );
      }
      pending = [];
      for (const result of results) {
        const index = sent[result.index];
        if (index === undefined)
          throw new OpsError(`POST assessments/batch answered for item ${result.index}`);
        if (result.status >= 500) pending.push(index);
        else answers[index] = itemAnswer(result);
      }
    }
    return answers as RowAnswer[];
  }

  /**
   * Sends a request until it has an answer that is not a 429 or a 5xx; a network failure or a timeout counts as
   * a 5xx. The last such answer, or failure, ends the import when the tries are used up.
   */
  async #send<T>(
    what: string,
    call: (signal: AbortSignal) => Promise<FetchOutcome<T>>,
  ): Promise<FetchOutcome<T>> {
    let failures = 0;
    let throttles = 0;
    for (;;) {
      const pause = this.#pausedUntil - Date.now();
      if (pause > 0) await sleep(pause);
      let outcome: FetchOutcome<T> | undefined;
      let failure: string;
      try {
        outcome = await call(AbortSignal.timeout(this.policy.timeoutMs));
        if (outcome.response.status === 429) {
          throttles += 1;
          this.counters.throttled += 1;
          if (throttles > this.policy.throttledAttempts) {
            throw new OpsError(`${what}: still refused for the rate limit (429) after ${throttles} waits`);
          }
          const seconds = Number(outcome.response.headers.get('retry-after'));
          const wait =
            (Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 1_000) + Math.random() * 250;
          this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
          continue;
        }
        if (outcome.response.status < 500) return outcome;
        failure = `${outcome.response.status} ${outcome.response.statusText}`;
      } catch (error) {
        if (error instanceof OpsError) throw error;
        failure = failureReason(error);
      }
      failures += 1;
      if (failures >= this.policy.attempts) {
        throw new OpsError(
          `${what} at ${this.apiUrl} failed ${failures} times (last: ${failure}): the checkpoint keeps what was ` +
            'done; run the same command again to resume',
        );
      }
      this.counters.retried += 1;
      await sleep(this.#backoff(failures));
    }
  }

  /** Full jitter: a random wait up to base × 2^(retry − 1), capped. */
  #backoff(retry: number): number {
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (retry - 1));
    return Math.random() * ceiling;
  }
}

function itemAnswer(result: z.infer<typeof BatchResult>): RowAnswer {
  if (result.status === 201) return { outcome: 'written' };
  if (result.status === 200) return { outcome: 'replayed' };
  return { outcome: 'rejected', status: result.status, errors: result.errors ?? [] };
}

/** A row's field errors from a problem body; the detail alone when it names no field (a 409). */
function rowErrors(body: unknown): FieldError[] {
  const problem = Problem.safeParse(body);
  if (!problem.success) return [];
  const { errors = [], detail } = problem.data;
  return errors.length > 0 ? errors : [{ path: '', message: detail }];
}

/** Why a request got no answer: a timeout of the import's own, or what fetch says. */
function failureReason(error: unknown): string {
  return error instanceof Error && error.name === 'TimeoutError' ? 'no answer in time' : networkReason(error);
}
