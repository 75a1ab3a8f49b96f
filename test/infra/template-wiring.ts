/**
 * Reads the wiring of a synthesized state stack back out of its template, in the form of infra/wiring.ts.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_TAG } from '../../infra/constructs/app-function';
import type { FunctionName } from '../../infra/topology';
import { indexKey, routeKey, scheduleKey, type Wiring } from '../../infra/wiring';
import { referencedId, resourcesOf } from './synth';

export function wiringFromTemplate(template: Template): Wiring {
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const nameOf = (logicalId: string | undefined): FunctionName => {
    const tag = functions[logicalId ?? '']?.Properties.Tags?.find(
      (t: { Key: string }) => t.Key === FUNCTION_TAG,
    );
    if (!tag) throw new Error(`${logicalId} is not a function of the topology`);
    return tag.Value;
  };
  /**
   * The one function a CloudFormation value (an integration URI, say) names: by logical id, or by the physical
   * name in an ARN (the API reaches the functions behind its routes by name).
   */
  const functionIn = (value: unknown): FunctionName => {
    const json = JSON.stringify(value);
    const ids = Object.entries(functions)
      .filter(([id, fn]) => {
        const physical = fn.Properties.FunctionName;
        return (
          json.includes(`"${id}"`) ||
          (typeof physical === 'string' && json.includes(`:function:${physical}/`))
        );
      })
      .map(([id]) => id);
    if (ids.length !== 1) throw new Error(`expected one function in ${json}`);
    return nameOf(ids[0]);
  };

  const [table] = Object.values(resourcesOf(template, 'AWS::DynamoDB::GlobalTable'));
  if (!table) throw new Error('no table');
  const keyOf = (schema: { AttributeName: string; KeyType: string }[], type: string) =>
    schema.find((key) => key.KeyType === type)?.AttributeName ?? '';

  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (resourceId: unknown): string => {
    const id = referencedId(resourceId);
    const resource = id ? resources[id] : undefined;
    if (!resource) return ''; // the API's root resource
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  /** `key` for a method behind the authorizer that needs the key's usage key; `none` for an open one. */
  const guardOf = (method: { AuthorizationType?: string; ApiKeyRequired?: boolean }) => {
    const type = method.AuthorizationType ?? 'NONE';
    const apiKey = method.ApiKeyRequired === true;
    if (type === 'CUSTOM' && apiKey) return 'key';
    if (type === 'NONE' && !apiKey) return 'none';
    return `${type}${apiKey ? '+api-key' : ''}`;
  };
  const routes = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))
    .filter((method) => method.Properties.HttpMethod !== 'OPTIONS')
    .map((method) =>
      routeKey(
        method.Properties.HttpMethod,
        pathOf(method.Properties.ResourceId),
        functionIn(method.Properties.Integration.Uri),
        guardOf(method.Properties),
      ),
    )
    .sort();

  const authorizers = Object.values(resourcesOf(template, 'AWS::ApiGateway::Authorizer'));
  if (authorizers.length !== 1) throw new Error(`expected one authorizer, found ${authorizers.length}`);
  const authorizer = authorizers[0]!.Properties;
  const plans = Object.values(resourcesOf(template, 'AWS::ApiGateway::UsagePlan'));
  if (plans.length !== 1) throw new Error(`expected one usage plan, found ${plans.length}`);
  const throttle = plans[0]!.Properties.Throttle;

  const queues = resourcesOf(template, 'AWS::SQS::Queue');
  const consumerOfQueue = new Map<string, FunctionName>();
  const eventSources: Record<string, Wiring['eventSources'][FunctionName]> = {};
  for (const mapping of Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'))) {
    const queueId = referencedId(mapping.Properties.EventSourceArn);
    const queue = queueId ? queues[queueId] : undefined;
    if (!queueId || !queue) continue; // the stream mapping of the relay function, where there is one
    const consumer = nameOf(referencedId(mapping.Properties.FunctionName));
    consumerOfQueue.set(queueId, consumer);
    eventSources[consumer] = {
      batchSize: mapping.Properties.BatchSize,
      maxBatchingWindowSeconds: mapping.Properties.MaximumBatchingWindowInSeconds ?? 0,
      maxConcurrency: mapping.Properties.ScalingConfig?.MaximumConcurrency,
      reportBatchItemFailures: (mapping.Properties.FunctionResponseTypes ?? []).includes(
        'ReportBatchItemFailures',
      ),
      visibilityTimeoutSeconds: queue.Properties.VisibilityTimeout,
      maxReceiveCount: queue.Properties.RedrivePolicy?.maxReceiveCount,
    };
  }

  const [pipe] = Object.values(resourcesOf(template, 'AWS::Pipes::Pipe'));
  if (!pipe) throw new Error('no pipe');
  const stream = pipe.Properties.SourceParameters.DynamoDBStreamParameters;
  const itemTypes = new Set<string>();
  for (const filter of pipe.Properties.SourceParameters.FilterCriteria.Filters) {
    const pattern = JSON.parse(filter.Pattern).dynamodb;
    for (const image of Object.values(pattern) as { type: { S: string[] } }[]) {
      for (const type of image.type.S) itemTypes.add(type);
    }
  }
  const deliversTo = consumerOfQueue.get(referencedId(pipe.Properties.Target) ?? '');
  if (!deliversTo) throw new Error('the pipe delivers to a queue that nothing consumes');

  return {
    table: {
      partitionKey: keyOf(table.Properties.KeySchema, 'HASH'),
      sortKey: keyOf(table.Properties.KeySchema, 'RANGE'),
      indexes: (table.Properties.GlobalSecondaryIndexes ?? [])
        .map((index: { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[] }) =>
          indexKey(index.IndexName, keyOf(index.KeySchema, 'HASH'), keyOf(index.KeySchema, 'RANGE')),
        )
        .sort(),
      streamViewType: table.Properties.StreamSpecification.StreamViewType,
      timeToLiveAttribute: table.Properties.TimeToLiveSpecification.AttributeName,
    },
    functions: Object.fromEntries(
      Object.entries(functions).map(([id, fn]) => [
        nameOf(id),
        { timeoutSeconds: fn.Properties.Timeout, memoryMb: fn.Properties.MemorySize },
      ]),
    ),
    routes,
    authorizer: {
      function: functionIn(authorizer.AuthorizerUri),
      resultsCacheTtlSeconds: authorizer.AuthorizerResultTtlInSeconds,
      identityValidationExpression: authorizer.IdentityValidationExpression,
    },
    rateLimit: { ratePerSecond: throttle.RateLimit, burst: throttle.BurstLimit },
    eventSources,
    streamRelay: {
      deliversTo,
      itemTypes: [...itemTypes].sort(),
      batchSize: stream.BatchSize,
      maximumRetryAttempts: stream.MaximumRetryAttempts,
    },
    schedules: Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'))
      .map((schedule) =>
        scheduleKey(
          functionIn(schedule.Properties.Target.Arn),
          schedule.Properties.ScheduleExpression,
          schedule.Properties.ScheduleExpressionTimezone,
        ),
      )
      .sort(),
  };
}
