import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamRelaySpec } from '../topology';

export interface StreamRelayProps {
  readonly spec: StreamRelaySpec;
  readonly table: dynamodb.ITableV2;
  readonly target: sqs.IQueue;
  /**
   * The relay function, where EventBridge Pipes are not offered; it gets a stream event source mapping with the
   * Pipe's settings instead.
   * @default an EventBridge Pipe relays
   */
  readonly relayFunction?: lambda.IFunction;
}

/**
 * Table stream → queue. A write acknowledged to a district reaches the metrics even if the function that wrote
 * it dies right after: the table is the source of truth and the queue is fed from its change log. Only item
 * types that count are relayed; a batch that keeps failing is bisected, retried a bounded number of times and
 * then parked in the failure queue, with the shard and sequence numbers to replay it.
 */
export class StreamRelay extends Construct {
  readonly failureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamRelayProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error(`${id}: the table has no stream`);

    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the failure destination of the stream relay, the end of the line like a dead-letter queue.',
    });

    const patterns = (['NewImage', 'OldImage'] as const).map((image) => ({
      dynamodb: { [image]: { type: { S: props.spec.itemTypes } } },
    }));

    if (props.relayFunction) {
      props.relayFunction.addEventSource(
        new lambdaEventSources.DynamoEventSource(props.table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: props.spec.batchSize,
          retryAttempts: props.spec.maximumRetryAttempts,
          maxRecordAge: Duration.seconds(props.spec.maximumRecordAgeSeconds),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new lambdaEventSources.SqsDlq(this.failureQueue),
          filters: patterns.map((pattern) => lambda.FilterCriteria.filter(pattern)),
        }),
      );
      return;
    }

    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: [props.table.tableArn] }),
    );
    props.target.grantSendMessages(role);
    this.failureQueue.grantSendMessages(role);

    const pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'Relays table changes that count towards progress to the metrics queue',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: props.spec.batchSize,
          maximumRetryAttempts: props.spec.maximumRetryAttempts,
          maximumRecordAgeInSeconds: props.spec.maximumRecordAgeSeconds,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.failureQueue.queueArn },
        },
        filterCriteria: { filters: patterns.map((pattern) => ({ pattern: JSON.stringify(pattern) })) },
      },
      target: props.target.queueArn,
    });
    pipe.node.addDependency(role);
  }
}
