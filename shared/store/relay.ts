/**
 * Table change → metrics queue, one message per stream record, the record's JSON as the body: the shape the
 * EventBridge Pipe sends, so the worker reads the same message whichever relay delivered it.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { sqs } from '../runtime/clients';

const SQS_BATCH = 10;

/** Sends the records in order, ten per request; returns the sequence numbers of those the queue refused. */
export async function relayRecords(
  records: readonly DynamoDBRecord[],
  queueUrl: string,
  client: SQSClient = sqs,
): Promise<string[]> {
  const refused: string[] = [];
  for (let start = 0; start < records.length; start += SQS_BATCH) {
    const chunk = records.slice(start, start + SQS_BATCH);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((record, index) => ({ Id: String(index), MessageBody: JSON.stringify(record) })),
      }),
    );
    for (const failed of result.Failed ?? []) {
      const sequenceNumber = chunk[Number(failed.Id)]?.dynamodb?.SequenceNumber;
      if (sequenceNumber) refused.push(sequenceNumber);
    }
  }
  return refused;
}
