/**
 * The mail events function (functions/mail-events/handler.ts) against DynamoDB Local: SES events shaped as the
 * configuration set's SNS destination publishes them suppress the subscriber a permanent bounce or a complaint
 * names, leave one of a transient bounce alone, and settle a removed subscriber's event; a body that is no SES
 * event fails its record alone (so that it reaches the dead-letter queue), and no log line quotes an address.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SubscriberScope } from '../../shared/domain/subscribers';
import { SubscriberStore } from '../../shared/store/subscribers';
import { keys } from '../../shared/store/table';
import { documentsFor } from '../support/clients';
import { testStack } from '../support/local-stack';

// the stack's poller of the mail events queue is not used here: the test invokes the handler itself
const local = testStack({ handlers: { mailEvents: async () => ({ batchItemFailures: [] }) } });
let subscribers: SubscriberStore;
let documents: DynamoDBDocumentClient;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const context = {
  functionName: 'mailEvents',
  awsRequestId: 'mail-events-test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

beforeAll(async () => {
  const info = await local.start();
  documents = documentsFor(info);
  subscribers = new SubscriberStore(info.table.tableName, documents);
  // imported once the stack has set the functions' environment, as Lambda's init would find it
  ({ handler } = await import('../../functions/mail-events/handler'));
});
afterAll(() => local.stop());

/** A district of its own for one test: the district item is all a subscriber needs. */
async function newDistrict(): Promise<string> {
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  await documents.send(
    new PutCommand({
      TableName: local.info.table.tableName,
      Item: { ...keys.district(districtId), type: 'district', districtId, name: districtId },
    }),
  );
  return districtId;
}

async function newSubscriber(scope: SubscriberScope) {
  const email = `parent.${randomUUID().slice(0, 8)}@lincoln.example.org`;
  const { subscriberId } = await subscribers.create(scope, { email, cadence: 'weekly' });
  return { subscriberId, email };
}

const statusOf = async (scope: SubscriberScope, subscriberId: string) =>
  (await subscribers.get(scope, subscriberId))?.status;

/** An SES event as event publishing writes it, with the digest's tags and the recipient's address. */
function sesEvent(
  kind: 'permanent-bounce' | 'transient-bounce' | 'complaint',
  recipient: string,
  tags: { subscriberId: string; districtId?: string },
) {
  const mail = {
    timestamp: '2026-11-30T12:00:01.123Z',
    source: 'vision-progress@education.ohio.example',
    sourceArn: 'arn:aws:ses:us-east-2:123456789012:identity/education.ohio.example',
    sendingAccountId: '123456789012',
    messageId: `0100018c${randomUUID().replaceAll('-', '')}-000000`,
    destination: [recipient],
    headersTruncated: false,
    headers: [{ name: 'To', value: recipient }],
    commonHeaders: { from: ['vision-progress@education.ohio.example'], to: [recipient], subject: 'Digest' },
    tags: {
      'ses:configuration-set': ['VisionProgress-OH-digests'],
      'ses:source-ip': ['192.0.2.10'],
      'ses:from-domain': ['education.ohio.example'],
      'ses:caller-identity': ['VisionProgress-OH-DigestSenderFunctionRole'],
      subscriberId: [tags.subscriberId],
      ...(tags.districtId ? { districtId: [tags.districtId] } : {}),
    },
  };
  if (kind === 'complaint') {
    return {
      eventType: 'Complaint',
      complaint: {
        feedbackId: `0100018c${randomUUID().replaceAll('-', '')}-000000`,
        complaintSubType: null,
        complainedRecipients: [{ emailAddress: recipient }],
        timestamp: '2026-11-30T12:05:00.000Z',
        userAgent: 'Mail Provider Feedback Loop',
        complaintFeedbackType: 'abuse',
        arrivalDate: '2026-11-30T12:04:58.000Z',
      },
      mail,
    };
  }
  const permanent = kind === 'permanent-bounce';
  return {
    eventType: 'Bounce',
    bounce: {
      feedbackId: `0100018c${randomUUID().replaceAll('-', '')}-000000`,
      bounceType: permanent ? 'Permanent' : 'Transient',
      bounceSubType: permanent ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: recipient,
          action: 'failed',
          status: permanent ? '5.1.1' : '4.2.2',
          diagnosticCode: permanent ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 4.2.2 mailbox full',
        },
      ],
      timestamp: '2026-11-30T12:00:03.000Z',
      reportingMTA: 'dsn; a8-50.smtp-out.amazonses.com',
    },
    mail,
  };
}

/** The SNS envelope of a message, as SNS delivers it without raw message delivery. */
const snsEnvelope = (message: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:us-east-2:123456789012:VisionProgress-OH-SesEventsTopic',
    Message: JSON.stringify(message),
    Timestamp: '2026-11-30T12:00:04.000Z',
    SignatureVersion: '1',
  });

function record(body: string): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764504004000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764504004100',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:mail-events',
    awsRegion: 'us-east-2',
  };
}

const invoke = (...records: SQSRecord[]) => handler({ Records: records }, context);

describe('the mail events function', () => {
  it('suppresses the subscriber of a permanent bounce, in the tagged district, and no one else', async () => {
    const districtId = await newDistrict();
    const scope: SubscriberScope = { kind: 'district', districtId };
    const bounced = await newSubscriber(scope);
    const neighbour = await newSubscriber(scope);

    const result = await invoke(
      record(JSON.stringify(sesEvent('permanent-bounce', bounced.email, { ...bounced, districtId }))),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await statusOf(scope, bounced.subscriberId)).toBe('suppressed');
    expect(await statusOf(scope, neighbour.subscriberId)).toBe('active');
  });

  it('leaves the subscriber of a transient bounce active: the next period tries again', async () => {
    const districtId = await newDistrict();
    const scope: SubscriberScope = { kind: 'district', districtId };
    const { subscriberId, email } = await newSubscriber(scope);

    const result = await invoke(
      record(JSON.stringify(sesEvent('transient-bounce', email, { subscriberId, districtId }))),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await statusOf(scope, subscriberId)).toBe('active');
  });

  it('suppresses a state-wide subscriber who complained (no district tag)', async () => {
    const scope: SubscriberScope = { kind: 'state' };
    const { subscriberId, email } = await newSubscriber(scope);

    const result = await invoke(record(JSON.stringify(sesEvent('complaint', email, { subscriberId }))));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await statusOf(scope, subscriberId)).toBe('suppressed');
  });

  it('reads an event in an SNS envelope, as delivered without raw message delivery', async () => {
    const districtId = await newDistrict();
    const scope: SubscriberScope = { kind: 'district', districtId };
    const { subscriberId, email } = await newSubscriber(scope);

    const result = await invoke(
      record(snsEnvelope(sesEvent('complaint', email, { subscriberId, districtId }))),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await statusOf(scope, subscriberId)).toBe('suppressed');
  });

  it('settles the event of a subscriber removed since the digest went out, without a retry', async () => {
    const districtId = await newDistrict();
    const scope: SubscriberScope = { kind: 'district', districtId };
    const { subscriberId, email } = await newSubscriber(scope);
    await subscribers.remove(scope, subscriberId);

    const result = await invoke(
      record(JSON.stringify(sesEvent('permanent-bounce', email, { subscriberId, districtId }))),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await subscribers.get(scope, subscriberId)).toBeUndefined();
  });

  it("settles SES's topic validation message, raw or in an envelope, without a retry", async () => {
    const validation = 'Successfully validated SNS topic for Amazon SES event publishing.';
    const result = await invoke(
      record(validation),
      record(JSON.stringify({ Type: 'Notification', Message: validation })),
    );
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('fails only the records that are no SES event, and logs none of their content', async () => {
    const districtId = await newDistrict();
    const scope: SubscriberScope = { kind: 'district', districtId };
    const { subscriberId, email } = await newSubscriber(scope);
    const notJson = record(`not json, from ${email}`);
    const notAnEvent = record(JSON.stringify({ notificationType: 'Bounce', recipient: email }));
    const envelopeOfNothing = record(
      JSON.stringify({ Type: 'Notification', Message: `{"broken": "${email}"` }),
    );
    const good = record(JSON.stringify(sesEvent('permanent-bounce', email, { subscriberId, districtId })));
    const written: string[] = [];
    const capture = (text: string | Uint8Array) => {
      written.push(String(text));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);

    let result: SQSBatchResponse;
    try {
      result = await invoke(notJson, good, notAnEvent, envelopeOfNothing);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }

    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [notJson.messageId, notAnEvent.messageId, envelopeOfNothing.messageId].sort(),
    );
    expect(await statusOf(scope, subscriberId)).toBe('suppressed');
    const logs = written.join('');
    expect(logs).toContain('mail event unreadable');
    expect(logs).toContain(notJson.messageId);
    expect(logs).not.toContain(email);
  });
});
