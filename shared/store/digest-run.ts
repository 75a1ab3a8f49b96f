/**
 * The id of a digest run, carried by each job's message on the digest queue as the message attribute `runId`,
 * beside the job (shared/contract/digest-job.ts), whose shape stays as it is: the planner names the run on its
 * log lines, the sender on each of its lines about one of the run's jobs. Apart from digest-queue.ts, so that the
 * sender reads it without bundling the SQS client.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** The message attribute that carries a job's run id. */
const RUN_ID_ATTRIBUTE = 'runId';

/** What a run id must look like to be logged: the API's correlation ids and Lambda's request ids are such. */
const SAFE_RUN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The message attributes of a run's jobs. */
export function runIdAttributes(runId: string): Record<string, MessageAttributeValue> {
  return { [RUN_ID_ATTRIBUTE]: { DataType: 'String', StringValue: runId } };
}

/**
 * The run id a job's message carries; undefined for a message without one (sent before run ids were, or by hand)
 * or with one that is not a plain token.
 */
export function runIdOf(record: Pick<SQSRecord, 'messageAttributes'>): string | undefined {
  const runId = record.messageAttributes?.[RUN_ID_ATTRIBUTE]?.stringValue;
  return runId !== undefined && SAFE_RUN_ID.test(runId) ? runId : undefined;
}
