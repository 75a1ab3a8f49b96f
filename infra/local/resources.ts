/**
 * The table and queues of the local stack, created from infra/topology.ts in the emulators. Every call is
 * idempotent: a restart finds what the previous run created (and brings its attributes up to date).
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { StateConfig } from '../config/schema';
import {
  type QueueName,
  type TableSpec,
  type Topology,
  topology,
  visibilityTimeoutSeconds,
} from '../topology';

/** Dead-letter queues keep a message for the longest period SQS allows, 14 days, so ops can redrive it. */
const DLQ_RETENTION_SECONDS = 1_209_600;

/** A queue of the topology with its dead-letter queue, as created in the emulator. */
export interface LocalQueue {
  readonly name: QueueName;
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly visibilityTimeoutSeconds: number;
}

export interface LocalTable {
  readonly tableName: string;
  readonly streamArn: string;
}

/** Prefix of every local resource name: `vision-progress-xx`; one state per emulator set, as in AWS. */
export function localNamePrefix(config: StateConfig): string {
  return `vision-progress-${config.stateCode.toLowerCase()}`;
}

/** The local name of a queue of the topology. */
export const localQueueName = (prefix: string, queue: QueueName) => `${prefix}-${queue}`;

/** The local name of a queue's dead-letter queue. */
export const localDeadLetterQueueName = (prefix: string, queue: QueueName) => `${prefix}-${queue}-dlq`;

/**
 * Creates the single table: string keys `pk`/`sk`, the GSIs (all attributes projected), a NEW_AND_OLD_IMAGES
 * stream for the relay, and TTL on the topology's attribute (DynamoDB Local records it but never expires items).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  spec: TableSpec = topology.table,
): Promise<LocalTable> {
  let table = await describeTable(client, tableName);
  if (!table) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(spec),
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            { AttributeName: spec.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: spec.globalSecondaryIndexes.map((index) => gsiDefinition(index)),
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
    } catch (error) {
      // a concurrent start created it first: fine, it is the same table
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    table = await describeTable(client, tableName);
  }
  table = await addMissingParts(client, tableName, table, spec);
  const streamArn = table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  await ensureTimeToLive(client, tableName, spec.timeToLiveAttribute);
  return { tableName, streamArn };
}

export interface QueueOptions {
  /** Overrides of the visibility timeout per queue (tests use a short one); default from the topology. */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueName, number>>;
}

/**
 * Creates each topology queue and its dead-letter queue: `<prefix>-<queue>` with VisibilityTimeout from the
 * topology and a RedrivePolicy of the queue's maxReceiveCount, and `<prefix>-<queue>-dlq`. The URLs returned are
 * on `endpoint`: the emulator names its queues `http://sqs.<region>.localhost:<port>/...`, a host that does not
 * resolve everywhere, and the SDK sends a request to its QueueUrl's host unless the client was given an endpoint
 * in code (the handlers' clients get theirs from AWS_ENDPOINT_URL_SQS, which does not count).
 */
export async function ensureQueues(
  client: SQSClient,
  endpoint: string,
  prefix: string,
  options: QueueOptions = {},
  spec: Topology = topology,
): Promise<Record<QueueName, LocalQueue>> {
  const entries = await Promise.all(
    (Object.keys(spec.queues) as QueueName[]).map(async (name): Promise<[QueueName, LocalQueue]> => {
      const queueSpec = spec.queues[name];
      const visibility = options.visibilityTimeoutSeconds?.[name] ?? visibilityTimeoutSeconds(name, spec);
      const dlqUrl = await ensureQueue(client, endpoint, localDeadLetterQueueName(prefix, name), {
        MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
      });
      const dlqArn = await queueArn(client, dlqUrl);
      const url = await ensureQueue(client, endpoint, localQueueName(prefix, name), {
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: queueSpec.maxReceiveCount,
        }),
      });
      const arn = await queueArn(client, url);
      return [name, { name, url, arn, dlqUrl, dlqArn, visibilityTimeoutSeconds: visibility }];
    }),
  );
  return Object.fromEntries(entries) as Record<QueueName, LocalQueue>;
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const names = new Set([
    spec.partitionKey,
    spec.sortKey,
    ...spec.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]);
  return [...names].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
}

function gsiDefinition(index: TableSpec['globalSecondaryIndexes'][number]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

/** Brings a table made by an earlier run up to the topology: the stream, then any GSI added since. */
async function addMissingParts(
  client: DynamoDBClient,
  tableName: string,
  table: TableDescription | undefined,
  spec: TableSpec,
): Promise<TableDescription | undefined> {
  let current = table;
  if (!current?.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    current = await describeTable(client, tableName);
  }
  const existing = new Set(current?.GlobalSecondaryIndexes?.map((index) => index.IndexName));
  for (const index of spec.globalSecondaryIndexes.filter((candidate) => !existing.has(candidate.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [{ Create: gsiDefinition(index) }],
      }),
    );
    current = await describeTable(client, tableName);
  }
  return current;
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  // enabling it twice is an error in DynamoDB
  if (ttl?.TimeToLiveStatus === 'ENABLED' && ttl.AttributeName === attribute) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}

/**
 * The queue's URL on `endpoint`; creates the queue, or sets its attributes when it exists (CreateQueue refuses
 * changed attributes).
 */
async function ensureQueue(
  client: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (QueueUrl) {
      await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
      return onEndpoint(QueueUrl, endpoint);
    }
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist)) throw error;
  }
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`queue ${name} was created without a URL`);
  return onEndpoint(QueueUrl, endpoint);
}

/** The queue URL with the endpoint's origin: its path (`/<account>/<name>`) alone names the queue. */
/** A queue URL the emulator gave, on the endpoint the caller reaches it by. */
export function onEndpoint(queueUrl: string, endpoint: string): string {
  return new URL(new URL(queueUrl).pathname, endpoint).href;
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${url} has no ARN`);
  return arn;
}
