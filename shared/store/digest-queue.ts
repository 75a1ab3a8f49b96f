import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DigestJob } from '../contract/digest-job';
import { sqs } from '../runtime/clients';

/** SQS takes at most ten messages per batch call. */
const SQS_BATCH = 10;

export class DigestJobSendError extends Error {
  override readonly name = 'DigestJobSendError';
}

/** Puts digest jobs on the digest queue, ten per request; a job the queue refuses fails the whole call. */
export class DigestQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqs,
  ) {}

  async enqueue(jobs: readonly DigestJob[]): Promise<number> {
    for (let start = 0; start < jobs.length; start += SQS_BATCH) {
      const chunk = jobs.slice(start, start + SQS_BATCH);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
        }),
      );
      if (result.Failed?.length) {
        throw new DigestJobSendError(`${result.Failed.length} digest jobs were refused by the queue`, {
          cause: result.Failed,
        });
      }
    }
    return jobs.length;
  }
}
