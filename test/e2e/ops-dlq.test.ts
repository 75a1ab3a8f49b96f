/**
 * `dlq show` and `dlq redrive` of the ops CLI against a local stack's SQS emulator: dead letters are put straight
 * into the dead-letter queues, and the queues' consumers are replaced by recorders, so that a redriven message is
 * seen arriving at its consumer. CloudFormation has no emulator: the deployed target gets a mocked client whose
 * outputs name the local queues, and the emulator's SQS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueName } from '../../infra/topology';
import { sqsClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { recordingAws, runOps } from '../support/ops';

/** What the replaced consumers received, per queue. */
const consumed: Record<QueueName, SQSRecord[]> = { metrics: [], digest: [], mailEvents: [] };
const recorder =
  (queue: QueueName) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    consumed[queue].push(...event.Records);
    return { batchItemFailures: [] };
  };

const local = testStack({
  handlers: {
    metricsWorker: recorder('metrics'),
    digestSender: recorder('digest'),
    mailEvents: recorder('mailEvents'),
  },
});

const cloudFormation = new CloudFormationClient({ region: 'us-east-2' });
const cloudFormationMock = mockClient(cloudFormation);
let sqs: SQSClient;
/** Mocked CloudFormation; the local stack's SQS emulator for SQS; the dlq commands use nothing else. */
const { aws: testAws, asked: clientsAsked } = recordingAws({
  cloudFormation: () => cloudFormation,
  sqs: () => sqs,
});

/** Runs the CLI in this process, with an environment of its own. */
const ops = (argv: readonly string[], env: NodeJS.ProcessEnv = {}) => runOps(argv, { env, aws: testAws });

/** The options that point the CLI at the test stack's emulator. */
const localTarget = () => ['--sqs-endpoint', local.info.endpoints.sqs];

/**
 * A table change as the relay delivers it, for a submission whose images hold a learner's and a respondent's
 * ids: personal data the CLI must never print.
 */
function streamRecord(eventID: string, learnerId: string): string {
  const keys = { pk: { S: 'DISTRICT#lincoln-usd' }, sk: { S: `SUBMISSION#${eventID}` } };
  const image = {
    ...keys,
    type: { S: 'submission' },
    learnerId: { S: learnerId },
    respondentId: { S: `respondent-of-${learnerId}` },
    ratings: { M: { 'C-1': { N: '3' } } },
  };
  return JSON.stringify({
    eventID,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: local.info.state.aws.region,
    dynamodb: {
      ApproximateCreationDateTime: 1_767_225_600,
      Keys: keys,
      NewImage: image,
      OldImage: { ...image, learnerId: { S: `${learnerId}-before` } },
      SequenceNumber: '111100000000000000001',
      SizeBytes: 321,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: `arn:aws:dynamodb:${local.info.state.aws.region}:000000000000:table/t/stream/s`,
  });
}

const digestJob = (subscriberId: string) =>
  JSON.stringify({
    subscriberId,
    districtId: 'lincoln-usd',
    cadence: 'weekly',
    period: '2026-W49',
    plannedAt: '2026-12-07T07:00:00.000Z',
  });

/** Puts messages straight into the dead-letter queue of `queue`, as if its consumer had failed them. */
async function deadLetter(queue: QueueName, entries: readonly Omit<SendMessageBatchRequestEntry, 'Id'>[]) {
  const result = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: local.info.queues[queue].dlqUrl,
      Entries: entries.map((entry, index) => ({ Id: String(index), ...entry })),
    }),
  );
  expect(result.Failed ?? []).toEqual([]);
}

/** Messages in a queue, visible or not (the emulator counts a message received with no hold as not visible). */
async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages) + Number(attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

const stackOutputs = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'VisionProgress-OH',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

beforeAll(async () => {
  const info = await local.start();
  sqs = sqsClientFor(info);
});
afterAll(async () => {
  sqs?.destroy();
  await local.stop();
});
beforeEach(async () => {
  // every test counts what it put into the dead-letter queues itself
  for (const queue of Object.values(local.info.queues)) {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
  }
  consumed.metrics = [];
  consumed.digest = [];
  consumed.mailEvents = [];
  cloudFormationMock.reset();
  clientsAsked.length = 0;
});

describe('dlq show', () => {
  it("lists the metrics dead letters by event, type and keys, never their images' personal data", async () => {
    const learnerId = uniqueId('learner');
    const events = [uniqueId('event'), uniqueId('event'), uniqueId('event')];
    await deadLetter(
      'metrics',
      events.map((eventID) => ({ MessageBody: streamRecord(eventID, learnerId) })),
    );

    const human = await ops(['dlq', 'show', 'metrics', ...localTarget()]);
    const json = await ops(['dlq', 'show', 'metrics', '--json', ...localTarget()]);

    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^metrics: vision-progress-xx-metrics-dlq holds about 3 messages\.\n/);
    expect(human.stdout).toMatch(/MESSAGE\s+RECEIVES\s+FIRST SENT\s+SUMMARY\n/);
    for (const eventID of events) {
      expect(human.stdout).toMatch(
        new RegExp(`MODIFY  submission  DISTRICT#lincoln-usd SUBMISSION#${eventID}  event ${eventID}`),
      );
    }
    expect(json.code).toBe(0);
    const [report] = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      queue: 'metrics',
      deadLetterQueueUrl: local.info.queues.metrics.dlqUrl,
      approximateCount: 3,
    });
    expect(report.messages).toHaveLength(3);
    expect(report.messages).toContainEqual({
      messageId: expect.any(String),
      receiveCount: expect.any(Number),
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      summary: {
        kind: 'change',
        eventID: events[0],
        eventName: 'MODIFY',
        itemType: 'submission',
        pk: 'DISTRICT#lincoln-usd',
        sk: `SUBMISSION#${events[0]}`,
      },
    });
    for (const outcome of [human, json]) {
      expect(outcome.stdout).not.toContain(learnerId);
      expect(outcome.stdout).not.toContain('ratings');
      expect(outcome.stderr).toBe('');
    }
  });

  it('leaves the messages in the dead-letter queue, visible at once to the next show and to a redrive', async () => {
    await deadLetter('metrics', [{ MessageBody: streamRecord(uniqueId('event'), uniqueId('learner')) }]);

    const first = JSON.parse((await ops(['dlq', 'show', 'metrics', '--json', ...localTarget()])).stdout);
    const second = JSON.parse((await ops(['dlq', 'show', 'metrics', '--json', ...localTarget()])).stdout);
    const redriven = await ops(['dlq', 'redrive', 'metrics', ...localTarget()]);

    expect(second[0].approximateCount).toBe(1);
    expect(second[0].messages[0].messageId).toBe(first[0].messages[0].messageId);
    // showing is receiving: the count says how often the message was received, failed deliveries and shows alike
    expect(second[0].messages[0].receiveCount).toBeGreaterThan(first[0].messages[0].receiveCount);
    expect(redriven.stdout).toMatch(/^metrics: moved 1 message from /);
  });

  it('lists at most --limit messages and says how many more there are', async () => {
    const entries = Array.from({ length: 12 }, () => ({
      MessageBody: streamRecord(uniqueId('event'), 'learner-x'),
    }));
    await deadLetter('metrics', entries.slice(0, 6));
    await deadLetter('metrics', entries.slice(6));

    const outcome = await ops(['dlq', 'show', 'metrics', '--limit', '11', ...localTarget()]);

    expect(outcome.code).toBe(0);
    expect(outcome.stdout.match(/ event event-/g)).toHaveLength(11);
    expect(outcome.stdout).toContain('Shown: 11 of about 12 (--limit for more).\n');
  });

  it('shows digest jobs whole, and a body that is not a digest job by its size alone', async () => {
    const subscriberId = uniqueId('subscriber');
    const withAddress = JSON.stringify({ ...JSON.parse(digestJob('s-2')), email: 'parent@example.org' });
    await deadLetter('digest', [{ MessageBody: digestJob(subscriberId) }, { MessageBody: withAddress }]);

    const human = await ops(['dlq', 'show', 'digest', ...localTarget()]);
    const json = JSON.parse((await ops(['dlq', 'show', 'digest', '--json', ...localTarget()])).stdout);

    expect(human.stdout).toMatch(
      new RegExp(
        `weekly 2026-W49  subscriber ${subscriberId}  district lincoln-usd  planned 2026-12-07T07:00:00.000Z`,
      ),
    );
    expect(human.stdout).toContain(`unreadable: not a digest job (${withAddress.length} bytes)`);
    expect(json[0].messages.map((message: { summary: unknown }) => message.summary)).toEqual(
      expect.arrayContaining([
        { kind: 'digest-job', ...JSON.parse(digestJob(subscriberId)) },
        { kind: 'unreadable', reason: 'not a digest job', bytes: withAddress.length },
      ]),
    );
    expect(`${human.stdout}${JSON.stringify(json)}`).not.toContain('parent@example.org');
  });

  it('without a queue shows every dead-letter queue, an empty one in so many words', async () => {
    await deadLetter('digest', [{ MessageBody: digestJob(uniqueId('subscriber')) }]);

    const outcome = await ops(['dlq', 'show', ...localTarget()]);

    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^metrics: vision-progress-xx-metrics-dlq is empty\.\n/);
    expect(outcome.stdout).toContain('digest: vision-progress-xx-digest-dlq holds about 1 message.\n');
  });
});

describe('dlq redrive', () => {
  it('moves every dead letter back to its work queue, whose consumer gets it, and empties the dead-letter queue', async () => {
    const bodies = [1, 2, 3].map(() => streamRecord(uniqueId('event'), uniqueId('learner')));
    await deadLetter('metrics', [
      { MessageBody: bodies[0], MessageAttributes: { origin: { DataType: 'String', StringValue: 'pipe' } } },
      { MessageBody: bodies[1] },
      { MessageBody: bodies[2] },
    ]);

    const outcome = await ops(['dlq', 'redrive', 'metrics', ...localTarget()]);

    expect(outcome).toEqual({
      code: 0,
      stdout:
        'metrics: moved 3 messages from vision-progress-xx-metrics-dlq to vision-progress-xx-metrics.\n',
      stderr: '',
    });
    expect(await messagesIn(local.info.queues.metrics.dlqUrl)).toBe(0);
    const received = await eventually(() => (consumed.metrics.length >= 3 ? consumed.metrics : undefined));
    expect(received.map((record) => record.body).sort()).toEqual([...bodies].sort());
    expect(received.find((record) => record.body === bodies[0])?.messageAttributes).toMatchObject({
      origin: { dataType: 'String', stringValue: 'pipe' },
    });
    expect((await ops(['dlq', 'show', 'metrics', ...localTarget()])).stdout).toBe(
      'metrics: vision-progress-xx-metrics-dlq is empty.\n',
    );
  });

  it('stops after --max and leaves the rest in the dead-letter queue', async () => {
    await deadLetter(
      'digest',
      ['a', 'b', 'c'].map((suffix) => ({ MessageBody: digestJob(uniqueId(`subscriber-${suffix}`)) })),
    );

    const outcome = await ops(['dlq', 'redrive', 'digest', '--max', '2', '--json', ...localTarget()]);

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual([
      {
        queue: 'digest',
        moved: 2,
        from: local.info.queues.digest.dlqUrl,
        to: local.info.queues.digest.url,
      },
    ]);
    expect(await messagesIn(local.info.queues.digest.dlqUrl)).toBe(1);
    await eventually(() => (consumed.digest.length >= 2 ? true : undefined));
  });

  it('on an empty dead-letter queue moves nothing', async () => {
    const outcome = await ops(['dlq', 'redrive', 'metrics', ...localTarget()]);

    expect(outcome.stdout).toBe(
      'metrics: moved 0 messages from vision-progress-xx-metrics-dlq to vision-progress-xx-metrics.\n',
    );
  });
});

describe('dlq on a deployed state', () => {
  const queueOutputs = () => ({
    MetricsQueueUrl: local.info.queues.metrics.url,
    MetricsDeadLetterQueueUrl: local.info.queues.metrics.dlqUrl,
    DigestQueueUrl: local.info.queues.digest.url,
    DigestDeadLetterQueueUrl: local.info.queues.digest.dlqUrl,
  });

  it("finds the queues through the stack's outputs and works on them with an SQS client of its region", async () => {
    cloudFormationMock
      .on(DescribeStacksCommand, { StackName: 'VisionProgress-OH' })
      .resolves(stackOutputs(queueOutputs()));
    await deadLetter('metrics', [{ MessageBody: streamRecord(uniqueId('event'), uniqueId('learner')) }]);

    const shown = await ops(['dlq', 'show', 'metrics', '--state', 'OH', '--json']);
    const redriven = await ops(['dlq', 'redrive', 'metrics', '--state', 'OH', '--region', 'us-gov-east-1']);

    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)[0]).toMatchObject({ approximateCount: 1 });
    expect(redriven.stdout).toMatch(/^metrics: moved 1 message from /);
    expect(clientsAsked).toEqual([
      'cloudformation us-east-2',
      'sqs us-east-2',
      'cloudformation us-gov-east-1',
      'sqs us-gov-east-1',
    ]);
    await eventually(() => (consumed.metrics.length >= 1 ? true : undefined));
  });

  it('names the queue outputs a stack deployed before them lacks, and needs no state key', async () => {
    cloudFormationMock.on(DescribeStacksCommand).resolves(
      stackOutputs({
        ApiUrl: 'https://abc123.execute-api.us-east-2.amazonaws.com/v1/',
        TableName: 'vp-table',
        UsagePlanId: 'plan-oh',
      }),
    );

    const outcome = await ops(['dlq', 'show', '--state', 'OH']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /^error: stack VisionProgress-OH in us-east-2 has no output MetricsQueueUrl, MetricsDeadLetterQueueUrl, DigestQueueUrl, DigestDeadLetterQueueUrl, MailEventsQueueUrl, MailEventsDeadLetterQueueUrl: deploy the current version/,
    );
    expect(clientsAsked).toEqual(['cloudformation us-east-2']);
  });
});

describe('dlq targets and usage', () => {
  it('says that the SQS emulator cannot be reached when no local stack listens there', async () => {
    const port = await closedPort();

    const outcome = await ops(['dlq', 'show'], { SQS_PORT: String(port) });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `cannot reach the SQS emulator at http://127.0.0.1:${port}: is the local stack running?`,
    );
  });

  it('names --local-state when the emulator has no queues of the state asked for', async () => {
    const outcome = await ops(['dlq', 'redrive', 'digest', '--local-state', 'ME', ...localTarget()]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/has no queue vision-progress-me-digest: pass --local-state/);
  });

  it('refuses an API URL: the queues are not reached through the API', async () => {
    const outcome = await ops(['dlq', 'show', '--api-url', 'https://api.example.test']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/dlq show needs --local or --state/);
  });

  it.each([
    ['a queue that is not in the topology', ['dlq', 'show', 'relay']],
    ['a limit over 100', ['dlq', 'show', 'metrics', '--limit', '101']],
    ['a max of 0', ['dlq', 'redrive', 'metrics', '--max', '0']],
  ])('%s is a usage error: exit 2', async (_, argv) => {
    const outcome = await ops(argv);

    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
  });
});
