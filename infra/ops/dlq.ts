/**
 * `dlq show` and `dlq redrive`: the dead-letter queues of the topology's work queues (`metrics`, `digest`,
 * `mailEvents`), where
 * a message lands after its consumer failed it maxReceiveCount times. `show` lists them without consuming them;
 * `redrive` returns them to their work queue once the cause is fixed, so the consumer tries them again. Where the
 * queues are is queue-targets.ts's business.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Argument, type Command } from 'commander';
import { type QueueName, topology } from '../topology';
import type { CommandContext } from './command-context';
import type { OpsIo } from './context';
import { type DeadLetterSummary, describeSummary, summarizeDeadLetter } from './dead-letter-summary';
import { approximateCount, type PeekedMessage, peekMessages, redriveMessages } from './dead-letters';
import { wholeNumber } from './districts';
import { printJson, printTable } from './output';
import { forEachTargetQueue, type LocalQueueOptions, type QueuePair } from './queue-targets';
import { parseStateCode } from './target';

const QUEUE_NAMES = Object.keys(topology.queues) as QueueName[];

/** Messages `dlq show` lists per queue at most. */
const MAX_SHOWN = 100;

/** A dead-letter queue as `dlq show` reports it: how many messages it holds, and a sample of them summarized. */
export interface DeadLetterReport {
  readonly queue: QueueName;
  readonly deadLetterQueueUrl: string;
  /** Messages in the queue, as SQS counts them: approximately, and up to a minute late. */
  readonly approximateCount: number;
  readonly messages: readonly {
    readonly messageId: string;
    readonly receiveCount: number;
    readonly sentAt: string | undefined;
    readonly summary: DeadLetterSummary;
  }[];
}

/** What `dlq redrive` did. */
export interface RedriveReport {
  readonly queue: QueueName;
  readonly moved: number;
  readonly from: string;
  readonly to: string;
}

/** How many messages the dead-letter queue of `pair` holds, and up to `limit` of them, left where they are. */
async function showDeadLetters(client: SQSClient, pair: QueuePair, limit: number): Promise<DeadLetterReport> {
  const count = await approximateCount(client, pair.deadLetterUrl);
  const peeked = await peekMessages(client, pair.deadLetterUrl, limit);
  return {
    queue: pair.queue,
    deadLetterQueueUrl: pair.deadLetterUrl,
    approximateCount: count,
    messages: peeked.map((message) => reportedMessage(pair.queue, message)),
  };
}

/** A peeked message without its body: only the summary of the body leaves this module. */
function reportedMessage(queue: QueueName, { body, ...message }: PeekedMessage) {
  return { ...message, summary: summarizeDeadLetter(queue, body) };
}

/** Moves up to `max` messages of the dead-letter queue of `pair` back to its work queue. */
async function redriveDeadLetters(client: SQSClient, pair: QueuePair, max: number): Promise<RedriveReport> {
  const moved = await redriveMessages(client, { from: pair.deadLetterUrl, to: pair.url, max });
  return { queue: pair.queue, moved, from: pair.deadLetterUrl, to: pair.url };
}

/** The name of a queue, the last segment of its URL, which is what the SQS console shows. */
const queueNameOf = (url: string) => new URL(url).pathname.split('/').pop() ?? url;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function printReport(io: OpsIo, report: DeadLetterReport): void {
  const count = report.approximateCount;
  const name = queueNameOf(report.deadLetterQueueUrl);
  if (count === 0 && report.messages.length === 0) {
    io.out(`${report.queue}: ${name} is empty.\n`);
    return;
  }
  io.out(`${report.queue}: ${name} holds about ${plural(count, 'message')}.\n`);
  if (report.messages.length > 0) {
    printTable(
      io,
      ['MESSAGE', 'RECEIVES', 'FIRST SENT', 'SUMMARY'],
      report.messages.map((message) => [
        message.messageId,
        String(message.receiveCount),
        message.sentAt ?? '?',
        describeSummary(message.summary),
      ]),
    );
  }
  if (report.messages.length < count) {
    io.out(`Shown: ${report.messages.length} of about ${count} (--limit for more).\n`);
  }
}

/** commander's reading of the optional queue argument: the queue named, or every queue of the topology. */
const queuesNamed = (queue: QueueName | undefined): readonly QueueName[] =>
  queue === undefined ? QUEUE_NAMES : [queue];

export function registerDlq(program: Command, context: CommandContext): void {
  const dlq = program
    .command('dlq')
    .description('Show and redrive the dead-letter queues of the metrics, digest and mail events queues');
  const withLocalOptions = (command: Command) =>
    command
      .option(
        '--sqs-endpoint <url>',
        'local: the SQS emulator URL of the running local stack (default: http://127.0.0.1:$SQS_PORT, 4566)',
      )
      .option(
        '--local-state <code>',
        'local: the state the local stack runs (npm start -- --state)',
        parseStateCode,
        'XX',
      );

  withLocalOptions(
    dlq
      .command('show')
      .description(
        'List what a dead-letter queue holds, without consuming it: its approximate count and a sample of its ' +
          'messages (id, receives, first sent, and a summary of the body that leaves out personal data). The ' +
          'messages stay visible; being received to be shown adds to their receive count.',
      )
      .addArgument(
        new Argument('[queue]', 'the work queue whose dead letters to show (default: all)').choices(
          QUEUE_NAMES,
        ),
      )
      .option('--limit <n>', `messages to list per queue, 1-${MAX_SHOWN}`, wholeNumber(MAX_SHOWN), 10),
  ).action(
    async (
      queue: QueueName | undefined,
      options: LocalQueueOptions & { limit: number },
      command: Command,
    ) => {
      const reports = await forEachTargetQueue(
        context,
        command,
        queuesNamed(queue),
        options,
        (client, pair) => showDeadLetters(client, pair, options.limit),
      );
      if (context.options(command).json) return printJson(context.io, reports);
      for (const report of reports) printReport(context.io, report);
    },
  );

  withLocalOptions(
    dlq
      .command('redrive')
      .description(
        'Move the messages of a dead-letter queue back to its work queue, so that its consumer tries them again ' +
          '(once what failed them is fixed). Each is deleted from the dead-letter queue only after it was sent: ' +
          'one may be delivered twice, none is lost. Stops when the dead-letter queue is empty or after --max.',
      )
      .addArgument(
        new Argument('[queue]', 'the work queue whose dead letters to redrive (default: all)').choices(
          QUEUE_NAMES,
        ),
      )
      .option('--max <n>', 'move at most n messages per queue (default: all)', wholeNumber()),
  ).action(
    async (queue: QueueName | undefined, options: LocalQueueOptions & { max?: number }, command: Command) => {
      const reports = await forEachTargetQueue(
        context,
        command,
        queuesNamed(queue),
        options,
        (client, pair) => redriveDeadLetters(client, pair, options.max ?? Number.POSITIVE_INFINITY),
      );
      if (context.options(command).json) return printJson(context.io, reports);
      for (const report of reports) {
        context.io.out(
          `${report.queue}: moved ${plural(report.moved, 'message')} from ${queueNameOf(report.from)} to ` +
            `${queueNameOf(report.to)}.\n`,
        );
      }
    },
  );
}
