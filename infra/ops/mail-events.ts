/**
 * `mail-events inject-bounce`: puts a sample SES event on the local stack's mail events queue, shaped as the
 * configuration set's event destination delivers it (a permanent bounce, or with `--complaint` a complaint,
 * tagged with the subscriber and district the way the digest sender tags its e-mails). The mail events function
 * then marks the subscriber suppressed, as it would for a real bounce in AWS; a developer sees the status change
 * in `GET /v1/districts/{districtId}/subscribers` and the digests stop.
 *
 * Local stack only: in AWS, SES publishes the events itself (the mailbox simulator, bounce@simulator.amazonses.com
 * or complaint@simulator.amazonses.com, makes one on demand).
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { stackName } from '../stack-contract';
import type { CommandContext } from './command-context';
import { OpsError } from './context';
import { printJson } from './output';
import { forEachTargetQueue, type LocalQueueOptions } from './queue-targets';
import { parseStateCode } from './target';

export interface SampleMailEventOptions {
  readonly subscriberId: string;
  /** Absent for a state-wide subscriber. */
  readonly districtId?: string;
  /** A complaint instead of a permanent bounce. */
  readonly complaint?: boolean;
  /** The configuration set the e-mail was sent with, which SES tags the event with. @default no such tag */
  readonly configurationSet?: string;
  /** @default now */
  readonly at?: Date;
  /** SES's id of the e-mail the event is about. @default a new one */
  readonly sesMessageId?: string;
}

/**
 * An SES event as the configuration set's SNS destination publishes it (and raw delivery puts it on the queue):
 * the event type, its bounce or complaint, and the mail with its tags. The recipient is an address of the
 * reserved `.invalid` domain.
 */
export function sampleMailEvent(options: SampleMailEventOptions): Record<string, unknown> {
  const at = (options.at ?? new Date()).toISOString();
  const recipient = 'subscriber@example.invalid';
  const tags: Record<string, string[]> = {
    ...(options.configurationSet === undefined
      ? {}
      : { 'ses:configuration-set': [options.configurationSet] }),
    'ses:from-domain': ['example.org'],
    subscriberId: [options.subscriberId],
    ...(options.districtId === undefined ? {} : { districtId: [options.districtId] }),
  };
  const mail = {
    timestamp: at,
    source: 'digests@example.org',
    sendingAccountId: '000000000000',
    messageId: options.sesMessageId ?? `0100${randomUUID().replaceAll('-', '')}-000000`,
    destination: [recipient],
    headersTruncated: false,
    tags,
  };
  if (options.complaint) {
    return {
      eventType: 'Complaint',
      complaint: {
        feedbackId: `0100${randomUUID().replaceAll('-', '')}-000000`,
        complainedRecipients: [{ emailAddress: recipient }],
        complaintFeedbackType: 'abuse',
        timestamp: at,
        arrivalDate: at,
      },
      mail,
    };
  }
  return {
    eventType: 'Bounce',
    bounce: {
      feedbackId: `0100${randomUUID().replaceAll('-', '')}-000000`,
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: recipient,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: at,
      reportingMTA: 'dsn; mta.example.invalid',
    },
    mail,
  };
}

interface InjectOptions extends LocalQueueOptions {
  readonly district?: string;
  readonly complaint?: boolean;
}

export function registerMailEvents(program: Command, context: CommandContext): void {
  const mailEvents = program
    .command('mail-events')
    .description('SES bounce and complaint events, which suppress subscribers (local stack)');

  mailEvents
    .command('inject-bounce <subscriberId>')
    .description(
      "Put a sample SES bounce (Permanent) of a subscriber's digest on the local stack's mail events queue, as " +
        "the configuration set's event destination would: the mail events function marks the subscriber " +
        'suppressed, and it gets no more digests. Local stack only: in AWS, SES publishes the events itself.',
    )
    .option('--district <districtId>', "the subscriber's district (default: a state-wide subscriber)")
    .option('--complaint', 'a complaint (marked as spam) instead of a bounce')
    .option(
      '--sqs-endpoint <url>',
      'the SQS emulator URL of the running local stack (default: http://127.0.0.1:$SQS_PORT, 4566)',
    )
    .option(
      '--local-state <code>',
      'the state the local stack runs (npm start -- --state)',
      parseStateCode,
      'XX',
    )
    .action(async (subscriberId: string, options: InjectOptions, command: Command) => {
      const target = context.target(command);
      if (target.kind !== 'local') {
        throw new OpsError(
          'mail-events inject-bounce works on the local stack only: in AWS, SES publishes bounces and ' +
            'complaints itself (send a digest to bounce@simulator.amazonses.com or complaint@simulator.amazonses.com)',
        );
      }
      const event = sampleMailEvent({
        subscriberId,
        ...(options.district === undefined ? {} : { districtId: options.district }),
        complaint: options.complaint ?? false,
        configurationSet: `${stackName(options.localState)}-digests`,
      });
      const [sent] = await forEachTargetQueue(
        context,
        command,
        ['mailEvents'],
        options,
        async (client, pair) => {
          const { MessageId: messageId } = await client.send(
            new SendMessageCommand({ QueueUrl: pair.url, MessageBody: JSON.stringify(event) }),
          );
          return { queueUrl: pair.url, messageId: messageId ?? '' };
        },
      );
      const report = {
        eventType: event.eventType as string,
        subscriberId,
        ...(options.district === undefined ? {} : { districtId: options.district }),
        queueUrl: sent?.queueUrl ?? '',
        messageId: sent?.messageId ?? '',
      };
      if (context.options(command).json) return printJson(context.io, report);
      const whom = options.district === undefined ? 'state-wide' : `of district ${options.district}`;
      context.io.out(
        `Put a ${options.complaint ? 'complaint' : 'permanent bounce'} of subscriber ${subscriberId} (${whom}) on ` +
          `${new URL(report.queueUrl).pathname.split('/').pop()}: the mail events function marks the subscriber ` +
          'suppressed within seconds.\n',
      );
    });
}
