/**
 * What the local stack wired, read back from the emulators (table, queue attributes) and from the parts it
 * started (routes, pollers, relay, schedules), for comparison with the synthesized template.
 */
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type KeyType,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  AuthorizerSpec,
  FunctionName,
  QueueSpec,
  RateLimitSpec,
  RouteSpec,
  StreamRelaySpec,
  Topology,
} from '../topology';
import { indexKey, routeKey, scheduleKey, type Wiring } from '../wiring';
import { routeGuard } from './front-door';
import type { LocalQueue } from './resources';
import type { ScheduleDefinition } from './scheduler';

export interface LocalParts {
  readonly dynamoDb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tableName: string;
  readonly functions: Topology['functions'];
  readonly routes: readonly RouteSpec[];
  /** The front door's authorizer settings (cache TTL as configured for this run). */
  readonly authorizer: AuthorizerSpec;
  /** The front door's per-key rate limit. */
  readonly rateLimit: RateLimitSpec;
  /** Each poller's queue and settings. */
  readonly eventSources: readonly { readonly queue: LocalQueue; readonly spec: QueueSpec }[];
  readonly relay: { readonly targetQueueUrl: string; readonly spec: StreamRelaySpec };
  readonly schedules: readonly ScheduleDefinition[];
  readonly functionNames: readonly FunctionName[];
}

export async function describeLocalWiring(parts: LocalParts): Promise<Wiring> {
  const { Table: table } = await parts.dynamoDb.send(
    new DescribeTableCommand({ TableName: parts.tableName }),
  );
  const { TimeToLiveDescription: ttl } = await parts.dynamoDb.send(
    new DescribeTimeToLiveCommand({ TableName: parts.tableName }),
  );
  const keyOf = (schema: KeySchemaElement[] | undefined, type: KeyType) =>
    schema?.find((key) => key.KeyType === type)?.AttributeName ?? '';

  const eventSources: Wiring['eventSources'] = Object.fromEntries(
    await Promise.all(
      parts.eventSources.map(async ({ queue, spec }) => {
        const { Attributes: attributes = {} } = await parts.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'],
          }),
        );
        const redrive = JSON.parse(attributes.RedrivePolicy ?? '{}') as { maxReceiveCount?: number | string };
        return [
          spec.consumer,
          {
            batchSize: spec.batchSize,
            maxBatchingWindowSeconds: spec.maxBatchingWindowSeconds,
            maxConcurrency: spec.maxConcurrency,
            reportBatchItemFailures: true,
            visibilityTimeoutSeconds: Number(attributes.VisibilityTimeout),
            maxReceiveCount: Number(redrive.maxReceiveCount),
          },
        ] as const;
      }),
    ),
  );
  const relayTarget = parts.eventSources.find(({ queue }) => queue.url === parts.relay.targetQueueUrl);
  if (!relayTarget) throw new Error('the stream relay delivers to a queue that nothing consumes');

  return {
    table: {
      partitionKey: keyOf(table?.KeySchema, 'HASH'),
      sortKey: keyOf(table?.KeySchema, 'RANGE'),
      indexes: (table?.GlobalSecondaryIndexes ?? [])
        .map((index) =>
          indexKey(index.IndexName ?? '', keyOf(index.KeySchema, 'HASH'), keyOf(index.KeySchema, 'RANGE')),
        )
        .sort(),
      streamViewType: table?.StreamSpecification?.StreamViewType ?? '',
      timeToLiveAttribute: ttl?.AttributeName ?? '',
    },
    functions: Object.fromEntries(
      parts.functionNames.map((name) => [
        name,
        { timeoutSeconds: parts.functions[name].timeoutSeconds, memoryMb: parts.functions[name].memoryMb },
      ]),
    ),
    routes: parts.routes
      .map((route) => routeKey(route.method, route.path, route.function, routeGuard(route)))
      .sort(),
    authorizer: {
      function: parts.authorizer.function,
      resultsCacheTtlSeconds: parts.authorizer.resultsCacheTtlSeconds,
      identityValidationExpression: parts.authorizer.identityValidationExpression,
    },
    rateLimit: { ratePerSecond: parts.rateLimit.ratePerSecond, burst: parts.rateLimit.burst },
    eventSources,
    streamRelay: {
      deliversTo: relayTarget.spec.consumer,
      itemTypes: [...parts.relay.spec.itemTypes].sort(),
      batchSize: parts.relay.spec.batchSize,
      maximumRetryAttempts: parts.relay.spec.maximumRetryAttempts,
    },
    schedules: parts.schedules.map((s) => scheduleKey(s.target, s.expression, s.timezone)).sort(),
  };
}
