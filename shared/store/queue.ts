import { type MessageAttributeValue, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS takes at most ten messages per batch call. */
const SQS_BATCH = 10;

/** Batch requests in flight at once: a few thousand messages take a fraction of a second, not seconds. */
const REQUESTS_IN_FLIGHT = 8;

/**
 * Sends the bodies ten per request, several requests at once (a standard queue keeps no order anyway); returns
 * the indices of those the queue refused, in ascending order.
 *
 * @param attributes message attributes every message carries (what the messages have in common, such as the run
 *   that made them), beside the body
 */
export async function sendMessages(
  client: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
  attributes?: Readonly<Record<string, MessageAttributeValue>>,
): Promise<number[]> {
  const refused: number[] = [];
  let next = 0;
  let failed = false;
  const sender = async () => {
    while (next < bodies.length && !failed) {
      const start = next;
      next += SQS_BATCH;
      const chunk = bodies.slice(start, start + SQS_BATCH);
      const result = await client
        .send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((body, index) => ({
              Id: String(index),
              MessageBody: body,
              ...(attributes && { MessageAttributes: attributes }),
            })),
          }),
        )
        .catch((error: unknown) => {
          failed = true;
          throw error;
        });
      for (const entry of result.Failed ?? []) refused.push(start + Number(entry.Id));
    }
  };
  const senders = Math.min(REQUESTS_IN_FLIGHT, Math.ceil(bodies.length / SQS_BATCH));
  // every sender stops before a failure is answered: none is left sending behind the caller's back
  const outcomes = await Promise.allSettled(Array.from({ length: senders }, sender));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return refused.sort((a, b) => a - b);
}
