/**
 * Planning a digest run: one job per active subscriber and cadence, for the period that `at` falls in (state
 * time). The scheduled planner function and `POST /v1/digests/run` both run this, so a manual run plans exactly
 * what the schedule would have.
 *
 * Planning is safe to repeat: the sender's ledger (shared/store/digest-ledger.ts) sends a period once per
 * subscriber however many jobs name it.
 */
import type { DigestJob } from '../contract/digest-job';
import { CADENCES, type DigestPeriods, digestPeriods } from '../domain/periods';
import type { DigestQueue } from './digest-queue';
import type { SubscriberStore } from './subscribers';

export interface PlannedRun {
  /** The period each cadence was planned for. */
  readonly periods: DigestPeriods;
  /** Jobs put on the digest queue. */
  readonly enqueued: number;
}

/** Jobs sent to the queue at a time: 25 batch requests of ten, in flight eight at a time. */
const JOBS_PER_FLUSH = 250;

export class DigestPlanner {
  /** @param timeZone the state's IANA timezone, in which weeks and months are reckoned */
  constructor(
    private readonly subscribers: SubscriberStore,
    private readonly queue: DigestQueue,
    private readonly timeZone: string,
  ) {}

  /**
   * Enqueues the jobs of every active subscriber as if it were `at`, a few hundred at a time while the
   * subscribers are still being read; a refused job fails the run (a rerun is safe).
   *
   * @param runId names the run in each job's message (shared/store/digest-run.ts), so that the sender's log
   *   lines lead back to the planner's: the scheduled planner's request id, or the API request's correlation id
   */
  async plan(at: Date, runId?: string): Promise<PlannedRun> {
    const periods = digestPeriods(at, this.timeZone);
    let jobs: DigestJob[] = [];
    let enqueued = 0;
    for (const cadence of CADENCES) {
      for await (const subscriber of this.subscribers.active(cadence)) {
        jobs.push({ ...subscriber, cadence, period: periods[cadence], plannedAt: at.toISOString() });
        if (jobs.length === JOBS_PER_FLUSH) {
          enqueued += await this.queue.enqueue(jobs, runId);
          jobs = [];
        }
      }
    }
    enqueued += await this.queue.enqueue(jobs, runId);
    return { periods, enqueued };
  }
}
