import { CfnOutput, Duration, Lazy, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { KEY_PARTITION_PREFIX } from '../shared/store/keys';
import type { StateConfig } from './config/schema';
import { Api } from './constructs/api';
import { AppFunction } from './constructs/app-function';
import { DataStore } from './constructs/data-store';
import { DigestSchedule } from './constructs/digest-schedule';
import { MailEvents } from './constructs/mail-events';
import { Observability } from './constructs/observability';
import { OperatorRole } from './constructs/operator-role';
import { StreamRelay } from './constructs/stream-relay';
import { UnsubscribeSecret } from './constructs/unsubscribe-secret';
import { WorkQueue } from './constructs/work-queue';
import { functionEnvironment, KEY_ISSUER, type ResourceNames } from './environment';
import {
  digestConfigurationSetName,
  QUEUE_OUTPUTS,
  type QueueOutputNames,
  STACK_OUTPUTS,
  senderDomain,
} from './stack-contract';
import {
  deployedFunctions,
  type FunctionName,
  type QueueName,
  type TableAccess,
  type TableSpec,
  type Topology,
  topology,
  visibilityTimeoutSeconds,
} from './topology';

export interface VisionProgressStackProps extends StackProps {
  readonly config: StateConfig;
  /** @default the platform topology */
  readonly topology?: Topology;
}

const RETENTION: Record<StateConfig['logRetentionDays'], logs.RetentionDays> = {
  30: logs.RetentionDays.ONE_MONTH,
  90: logs.RetentionDays.THREE_MONTHS,
  180: logs.RetentionDays.SIX_MONTHS,
  365: logs.RetentionDays.ONE_YEAR,
  731: logs.RetentionDays.TWO_YEARS,
};

export { stackName } from './stack-contract';

/**
 * One state's whole platform. Stateful parts (table, queues) and stateless ones (functions, API) are built from
 * the topology declaration; nothing is shared with another state's stack.
 */
export class VisionProgressStack extends Stack {
  /** The functions this stack deploys (the relay function only where Pipes are missing). */
  readonly functions: Partial<Record<FunctionName, AppFunction>>;
  readonly queues: Record<QueueName, WorkQueue>;
  readonly api: Api;
  readonly unsubscribeSecret: UnsubscribeSecret;
  readonly mailEvents: MailEvents;

  constructor(scope: Construct, id: string, props: VisionProgressStackProps) {
    super(scope, id, props);
    const { config } = props;
    const spec = props.topology ?? topology;
    Tags.of(this).add('application', 'vision-progress');
    Tags.of(this).add('state', config.stateCode);
    const logRetention = RETENTION[config.logRetentionDays];

    // stateful
    const { table } = new DataStore(this, 'Data', { spec: spec.table });
    this.queues = {
      metrics: this.workQueue('Metrics', 'metrics', spec),
      digest: this.workQueue('Digest', 'digest', spec),
      mailEvents: this.workQueue('MailEvents', 'mailEvents', spec),
    };
    this.unsubscribeSecret = new UnsubscribeSecret(this, 'UnsubscribeSecret');
    this.mailEvents = new MailEvents(this, 'SesEvents', {
      configurationSetName: digestConfigurationSetName(config.stateCode),
      queue: this.queues.mailEvents.queue,
    });

    // stateless
    const resources: ResourceNames = {
      tableName: table.tableName,
      queueUrls: {
        metrics: this.queues.metrics.queue.queueUrl,
        digest: this.queues.digest.queue.queueUrl,
        mailEvents: this.queues.mailEvents.queue.queueUrl,
      },
      // the usage plan belongs to the API, which needs the functions first: resolved once both exist
      usagePlanId: Lazy.string({ produce: () => this.api.usagePlan.usagePlanId }),
      unsubscribeSecret: { arn: this.unsubscribeSecret.secret.secretArn },
      sesConfigurationSet: this.mailEvents.configurationSet.configurationSetName,
    };
    // the API reaches the functions behind its routes by name (see Api), so those get one, unique per stack
    const routeTargets = new Set(spec.routes.map((route) => route.function));
    const fn = (name: FunctionName, id: string) => {
      const fnSpec = spec.functions[name];
      const appFunction = new AppFunction(this, id, {
        name,
        spec: fnSpec,
        environment: functionEnvironment(name, config, resources, spec),
        logRetention,
        functionName: routeTargets.has(name) ? `${this.stackName}-${name}` : undefined,
      });
      if (fnSpec.table !== 'none') grantTable(appFunction.role, table, fnSpec.table, spec.table);
      for (const queue of fnSpec.sendsTo) this.queues[queue].queue.grantSendMessages(appFunction.role);
      if (fnSpec.sendsEmail) this.mailEvents.grantSend(appFunction.role, config.sesSender);
      if (fnSpec.unsubscribeSecret) this.unsubscribeSecret.grantRead(appFunction.role);
      // X-Ray accepts no resource-level permissions: its write actions only take "*"
      Validations.of(appFunction.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords support only "*" as resource.',
      });
      return appFunction;
    };
    const region = Stack.of(this).region;
    this.functions = Object.fromEntries(
      deployedFunctions(region, spec).map((name) => [
        name,
        fn(name, `${name[0]?.toUpperCase()}${name.slice(1)}Function`),
      ]),
    );

    // event sources: each queue feeds its consumer with partial batch failure reporting
    for (const [name, queueSpec] of Object.entries(spec.queues) as [
      QueueName,
      Topology['queues'][QueueName],
    ][]) {
      this.need(queueSpec.consumer).function.addEventSource(
        new lambdaEventSources.SqsEventSource(this.queues[name].queue, {
          batchSize: queueSpec.batchSize,
          maxBatchingWindow: Duration.seconds(queueSpec.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          maxConcurrency: queueSpec.maxConcurrency,
        }),
      );
    }

    const relay = new StreamRelay(this, 'StreamRelay', {
      spec: spec.streamRelay,
      table,
      target: this.queues[spec.streamRelay.target].queue,
      relayFunction: this.functions[spec.streamRelay.fallbackFunction]?.function,
    });

    const scheduleFailures = new sqs.Queue(this, 'ScheduleFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(scheduleFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the digest schedule target.',
    });
    for (const [name, schedule] of Object.entries(spec.schedules)) {
      new DigestSchedule(this, `${name[0]?.toUpperCase()}${name.slice(1)}Schedule`, {
        expression: config[schedule.expressionFrom],
        timezone: config.timezone,
        planner: this.need(schedule.target).function,
        deadLetterQueue: scheduleFailures,
      });
    }

    this.api = new Api(this, 'Api', {
      stateCode: config.stateCode,
      routes: spec.routes,
      functionFor: (name) => this.need(name).function,
      authorizer: { spec: spec.authorizer, function: this.need(spec.authorizer.function).function },
      rateLimit: spec.rateLimit,
      logRetention,
    });
    this.api.grantKeyRegistration(this.need(KEY_ISSUER).role);

    const observability = new Observability(this, 'Observability', {
      alarmEmail: config.alarmEmail,
      alarmTopicArn: config.alarmTopicArn,
    });
    observability.watchFailureQueue('MetricsDeadLetters', this.queues.metrics.deadLetterQueue);
    observability.watchFailureQueue('DigestDeadLetters', this.queues.digest.deadLetterQueue);
    observability.watchFailureQueue('MailEventsDeadLetters', this.queues.mailEvents.deadLetterQueue);
    observability.watchFailureQueue('RelayFailures', relay.failureQueue);
    observability.watchFailureQueue('ScheduleFailures', scheduleFailures);
    observability.watchSesReputation(this.mailEvents.configurationSet.configurationSetName);
    for (const [name, appFunction] of Object.entries(this.functions)) {
      observability.watchFunction(name, appFunction.function);
    }
    observability.addDashboard({
      stateCode: config.stateCode,
      api: this.api.restApi,
      functions: Object.fromEntries(
        Object.entries(this.functions).map(([name, appFunction]) => [name, appFunction.function]),
      ),
      queues: this.queues,
      table,
    });

    const operator = new OperatorRole(this, 'Operator', {
      table,
      globalSecondaryIndexes: spec.table.globalSecondaryIndexes.map((index) => index.name),
      queues: Object.values(this.queues),
      api: this.api,
      unsubscribeSecret: this.unsubscribeSecret,
      senderDomain: senderDomain(config.sesSender),
      configurationSetName: this.mailEvents.configurationSet.configurationSetName,
    });

    // what the ops CLI reads back with DescribeStacks to reach this state (infra/ops/)
    new CfnOutput(this, STACK_OUTPUTS.operatorRoleArn, {
      value: operator.role.roleArn,
      description: 'The role to run `npm run ops -- … --state` with: a profile with this role_arn',
    });
    new CfnOutput(this, STACK_OUTPUTS.apiUrl, {
      value: this.api.restApi.url,
      description: "The API's base URL; the contract's paths are appended to it",
    });
    new CfnOutput(this, STACK_OUTPUTS.tableName, {
      value: table.tableName,
      description: 'The table, which holds the API key records',
    });
    new CfnOutput(this, STACK_OUTPUTS.usagePlanId, {
      value: this.api.usagePlan.usagePlanId,
      description: "The usage plan every key's usage key is registered on",
    });
    for (const [name, outputs] of Object.entries(QUEUE_OUTPUTS) as [QueueName, QueueOutputNames][]) {
      new CfnOutput(this, STACK_OUTPUTS[outputs.queueUrl], {
        value: this.queues[name].queue.queueUrl,
        description: `The ${name} queue, to which \`npm run ops -- dlq redrive ${name}\` returns dead letters`,
      });
      new CfnOutput(this, STACK_OUTPUTS[outputs.deadLetterQueueUrl], {
        value: this.queues[name].deadLetterQueue.queueUrl,
        description: `The dead-letter queue of the ${name} queue, read by \`npm run ops -- dlq show ${name}\``,
      });
    }
  }

  private need(name: FunctionName): AppFunction {
    const appFunction = this.functions[name];
    if (!appFunction) throw new Error(`function ${name} is not deployed in ${Stack.of(this).region}`);
    return appFunction;
  }

  private workQueue(id: string, name: QueueName, spec: Topology): WorkQueue {
    return new WorkQueue(this, id, {
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(name, spec),
      maxReceiveCount: spec.queues[name].maxReceiveCount,
    });
  }
}

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Table access by name: the table and each of its indexes by ARN (no `index/*`), and no Scan, which nothing on
 * the platform needs. Transactions need no actions of their own: they are authorized per item operation.
 */
function grantTable(
  role: iam.IRole,
  table: ITableV2,
  access: Exclude<TableAccess, 'none'>,
  spec: TableSpec,
): void {
  if (access === 'keys') {
    // GetItem of key records only: the leading key of every item it may read starts with KEY#
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${KEY_PARTITION_PREFIX}*`] } },
      }),
    );
    return;
  }
  if (access === 'subscriber-status') {
    // a subscriber's status change reads the item and updates it, by key: no query, no index
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
      }),
    );
    return;
  }
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
      resources: [table.tableArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: spec.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.name}`),
    }),
  );
}
