/**
 * The digest queue: one message per job, with the id of the run that planned it (shared/store/digest-run.ts).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DigestJob } from '../contract/digest-job';
import { sqs } from '../runtime/sqs';
import { runIdAttributes } from './digest-run';
import { sendMessages } from './queue';

export class DigestJobSendError extends Error {
  override readonly name = 'DigestJobSendError';
}

/** Puts digest jobs on the digest queue; a job the queue refuses fails the whole call, so the planner retries. */
export class DigestQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqs,
  ) {}

  /** @param runId the planning run the jobs belong to, carried by each message */
  async enqueue(jobs: readonly DigestJob[], runId?: string): Promise<number> {
    const refused = await sendMessages(
      this.client,
      this.queueUrl,
      jobs.map((job) => JSON.stringify(job)),
      runId === undefined ? undefined : runIdAttributes(runId),
    );
    if (refused.length > 0) {
      throw new DigestJobSendError(
        `${refused.length} of ${jobs.length} digest jobs were refused by the queue`,
      );
    }
    return jobs.length;
  }
}
