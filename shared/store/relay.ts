/**
 * Table change → metrics queue, one message per stream record, the record's JSON as the body: the shape the
 * EventBridge Pipe sends, so the worker reads the same message whichever relay delivered it.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { sqs } from '../runtime/sqs';
import { sendMessages } from './queue';

/** Sends the records in order; returns the sequence numbers of those the queue refused. */
export async function relayRecords(
  records: readonly DynamoDBRecord[],
  queueUrl: string,
  client: SQSClient = sqs,
): Promise<string[]> {
  const refused = await sendMessages(
    client,
    queueUrl,
    records.map((record) => JSON.stringify(record)),
  );
  return refused.flatMap((index) => records[index]?.dynamodb?.SequenceNumber ?? []);
}
