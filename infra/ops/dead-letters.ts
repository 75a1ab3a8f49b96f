/**
 * Reading and redriving a dead-letter queue with the plain SQS calls (receive, send, delete), which the local
 * emulator and SQS both answer: fauxqs has no StartMessageMoveTask, and one loop for both means that the tests
 * run the code that runs against AWS.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { OpsError } from './context';

/** SQS hands out and takes back at most ten messages per call. */
const SQS_BATCH = 10;

/**
 * A peeked message is not hidden at all: it stays visible to the next receive, and a redrive right after a peek
 * finds it. (Hiding it, then making it visible again with ChangeMessageVisibility 0, would page better through a
 * large queue, but fauxqs with persistence loses a message made visible that way.)
 */
const PEEK_HOLD_SECONDS = 0;

/** Seconds a message being redriven stays hidden: ample for one send and one delete. */
const REDRIVE_HOLD_SECONDS = 60;

/**
 * A receive waits this long for a message before it comes back empty. SQS answers a receive without a wait from
 * a sample of its servers only, and so may come back empty while messages wait on the others.
 */
const RECEIVE_WAIT_SECONDS = 1;

/** A message of a dead-letter queue, as `dlq show` lists it. */
export interface PeekedMessage {
  readonly messageId: string;
  /** Receives so far, the peek's own included: its failed deliveries, and each time it was shown. */
  readonly receiveCount: number;
  /** When the message was first sent, to the work queue. */
  readonly sentAt: string | undefined;
  readonly body: string;
}

/**
 * How many messages the queue holds, as SQS counts them (approximately, and up to a minute late): those a receive
 * could return and those received but not yet deleted. A dead-letter queue has no consumer, so the latter are
 * being shown or redriven, and still in it.
 */
export async function approximateCount(client: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/**
 * Up to `limit` messages of the queue, left in it and visible: each receive counts as one for its messages. A
 * receive may bring messages already seen (SQS returns a sample of the queue); the peek stops when one brings
 * nothing new.
 */
export async function peekMessages(
  client: SQSClient,
  queueUrl: string,
  limit: number,
): Promise<PeekedMessage[]> {
  const peeked = new Map<string, PeekedMessage>();
  while (peeked.size < limit) {
    const messages = await receive(client, queueUrl, {
      count: Math.min(SQS_BATCH, limit - peeked.size),
      holdSeconds: PEEK_HOLD_SECONDS,
    });
    const fresh = messages.filter((message) => message.MessageId && !peeked.has(message.MessageId));
    if (fresh.length === 0) break;
    for (const message of fresh) peeked.set(message.MessageId as string, peekedMessage(message));
  }
  return [...peeked.values()];
}

function peekedMessage(message: Message): PeekedMessage {
  const sentTimestamp = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId as string,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: Number.isFinite(sentTimestamp) ? new Date(sentTimestamp).toISOString() : undefined,
    body: message.Body ?? '',
  };
}

export interface RedriveRequest {
  /** The dead-letter queue. */
  readonly from: string;
  /** The work queue its messages came from. */
  readonly to: string;
  /** Messages to move at most. */
  readonly max: number;
}

/**
 * Moves messages from the dead-letter queue back to its work queue, so that its consumer tries them again, until a
 * receive comes back empty or `max` have moved; resolves how many moved.
 *
 * Each message is sent with its body and message attributes, and deleted from the dead-letter queue only once the
 * send succeeded: delivery is at-least-once. A failure (or a crash) between the two leaves the message in both
 * queues, and its next redrive delivers it twice. The consumers tolerate that, as they must anyway: SQS itself
 * delivers at least once.
 *
 * A redriven message that fails again returns to the dead-letter queue only after the work queue's
 * maxReceiveCount receives, each a visibility timeout apart (minutes), so the loop does not chase its own tail.
 */
export async function redriveMessages(client: SQSClient, request: RedriveRequest): Promise<number> {
  let moved = 0;
  while (moved < request.max) {
    const messages = await receive(client, request.from, {
      count: Math.min(SQS_BATCH, request.max - moved),
      holdSeconds: REDRIVE_HOLD_SECONDS,
    });
    if (messages.length === 0) break;
    const outcomes = await Promise.allSettled(
      messages.map((message) => moveMessage(client, message, request)),
    );
    moved += outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const failures = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected'
        ? [`${messages[index]?.MessageId}: ${describeError(outcome.reason)}`]
        : [],
    );
    if (failures.length > 0) {
      throw new OpsError(
        `moved ${moved} message${moved === 1 ? '' : 's'}, then ${failures.length} could not be moved: they stay ` +
          'in the dead-letter queue (one sent but not deleted is delivered again by the next redrive)',
        { details: failures },
      );
    }
  }
  return moved;
}

/** Sends one message to the work queue, then deletes it from the dead-letter queue. */
async function moveMessage(client: SQSClient, message: Message, request: RedriveRequest): Promise<void> {
  await client.send(
    new SendMessageCommand({
      QueueUrl: request.to,
      MessageBody: message.Body ?? '',
      MessageAttributes: message.MessageAttributes,
    }),
  );
  // only now: a message deleted before its send succeeded would be lost
  await client.send(
    new DeleteMessageCommand({ QueueUrl: request.from, ReceiptHandle: message.ReceiptHandle }),
  );
}

async function receive(
  client: SQSClient,
  queueUrl: string,
  options: { readonly count: number; readonly holdSeconds: number },
): Promise<Message[]> {
  const { Messages: messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.count,
      VisibilityTimeout: options.holdSeconds,
      WaitTimeSeconds: RECEIVE_WAIT_SECONDS,
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      MessageAttributeNames: ['All'],
    }),
  );
  return messages;
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
