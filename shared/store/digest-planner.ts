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

export class DigestPlanner {
  /** @param timeZone the state's IANA timezone, in which weeks and months are reckoned */
  constructor(
    private readonly subscribers: SubscriberStore,
    private readonly queue: DigestQueue,
    private readonly timeZone: string,
  ) {}

  /** Enqueues the jobs of every active subscriber as if it were `at`; a refused job fails the whole run. */
  async plan(at: Date): Promise<PlannedRun> {
    const periods = digestPeriods(at, this.timeZone);
    const jobs: DigestJob[] = [];
    for (const cadence of CADENCES) {
      for await (const subscriber of this.subscribers.active(cadence)) {
        jobs.push({ ...subscriber, cadence, period: periods[cadence], plannedAt: at.toISOString() });
      }
    }
    return { periods, enqueued: await this.queue.enqueue(jobs) };
  }
}
