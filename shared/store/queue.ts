import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS takes at most ten messages per batch call. */
const SQS_BATCH = 10;

/** Sends the bodies in order, ten per request; returns the indices of those the queue refused. */
export async function sendMessages(
  client: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<number[]> {
  const refused: number[] = [];
  for (let start = 0; start < bodies.length; start += SQS_BATCH) {
    const chunk = bodies.slice(start, start + SQS_BATCH);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
    for (const failed of result.Failed ?? []) refused.push(start + Number(failed.Id));
  }
  return refused;
}
