/**
 * A stand-in for the digest sender of a test stack that records each job a digest run put on the queue instead
 * of sending it, so that a test sees what the planner enqueued and nothing else happens.
 */
import type { SQSEvent } from 'aws-lambda';
import { DigestJob } from '../../shared/contract/digest-job';

/**
 * A recording digest sender: pass `digestSender` as the stack's handler (LocalStackOptions.handlers); every job
 * it consumed is in `jobs`, in the order it came.
 */
export function recordingDigestSender() {
  const jobs: DigestJob[] = [];
  const digestSender = async (event: SQSEvent) => {
    jobs.push(...event.Records.map((record) => DigestJob.parse(JSON.parse(record.body))));
    return { batchItemFailures: [] };
  };
  return { jobs, digestSender };
}
