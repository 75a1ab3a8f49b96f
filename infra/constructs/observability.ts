import { Annotations, Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type CustomMetric,
  METRIC,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../../shared/contract/custom-metrics';

export interface ObservabilityProps {
  /**
   * Where alarm notifications are e-mailed, if anywhere.
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /**
   * An existing SNS topic (the agency's on-call topic) that every alarm also notifies, when it goes off and when it
   * is OK again, so that a paging service can open and resolve an incident. In the stack's region.
   * @default the stack's own alarm topic only
   */
  readonly alarmTopicArn?: string;
}

/** What the dashboard shows. */
export interface DashboardProps {
  readonly stateCode: string;
  readonly api: apigateway.RestApi;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly queues: Readonly<
    Record<string, { readonly queue: sqs.IQueue; readonly deadLetterQueue: sqs.IQueue }>
  >;
  readonly table: dynamodb.ITableV2;
}

/**
 * The rates SES reviews an account at: a bounce rate of 5% and a complaint rate of 0.1% (values of the metrics
 * are fractions, 0 to 1). The alarms go off when the digests reach them, before SES acts on the whole account.
 */
export const SES_REPUTATION_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/**
 * Alarms an ops team acts on, all notifying one encrypted topic and, when the state names one, its on-call topic:
 * anything in a dead-letter or failure queue, any function error, any throttle, and the digests' bounce and
 * complaint rates.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  /** The state's on-call topic, which every alarm notifies when it goes off and when it is OK again. */
  readonly #onCallTopic: sns.ITopic | undefined;
  /** Every alarm made here, for the dashboard's alarm status. */
  readonly #alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to an encrypted topic only when the key lets them
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.#onCallTopic =
      props.alarmTopicArn === undefined ? undefined : this.importOnCallTopic(props.alarmTopicArn);
  }

  /** Alarms as soon as one message waits in a queue that only holds failures. */
  watchFailureQueue(id: string, queue: sqs.IQueue): cloudwatch.Alarm {
    return this.notify(
      new cloudwatch.Alarm(this, `${id}Depth`, {
        alarmDescription: `Messages are waiting in ${id}: inspect them and redrive once the cause is fixed.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /** Alarms on any error and any throttle of a function. */
  watchFunction(id: string, fn: lambda.IFunction): void {
    for (const [what, metric] of [
      ['Errors', fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' })],
      ['Throttles', fn.metricThrottles({ period: Duration.minutes(1), statistic: 'Sum' })],
    ] as const) {
      this.notify(
        new cloudwatch.Alarm(this, `${id}${what}`, {
          alarmDescription: `${id} reports ${what.toLowerCase()}.`,
          metric,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }

  /**
   * Alarms on the bounce and complaint rates of the mail sent with a configuration set whose reputation metrics
   * are on: SES publishes `Reputation.BounceRate` and `Reputation.ComplaintRate` (namespace `AWS/SES`) for it with
   * the dimension `ses:configuration-set`. Without bounces or complaints there are no data points, which is no
   * breach.
   */
  watchSesReputation(configurationSetName: string): cloudwatch.Alarm[] {
    return (
      [
        ['BounceRate', 'Reputation.BounceRate', SES_REPUTATION_THRESHOLDS.bounceRate, 'bounce'],
        ['ComplaintRate', 'Reputation.ComplaintRate', SES_REPUTATION_THRESHOLDS.complaintRate, 'complaint'],
      ] as const
    ).map(([id, metricName, threshold, what]) =>
      this.notify(
        new cloudwatch.Alarm(this, `SesReputation${id}`, {
          alarmDescription:
            `The ${what} rate of the digests (configuration set ${configurationSetName}) reached ` +
            `${threshold * 100}%, where SES reviews an account: find the cause before SES pauses sending.`,
          metric: new cloudwatch.Metric({
            namespace: 'AWS/SES',
            metricName,
            dimensionsMap: { 'ses:configuration-set': configurationSetName },
            period: Duration.hours(1),
            statistic: 'Maximum',
          }),
          threshold,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ),
    );
  }

  /**
   * The state's dashboard, `VisionProgress-<STATE>`: the alarms' states, the functions' own metrics (events
   * accepted and applied, the freshness lag, digests sent, bounces and complaints), then the API (requests, 4xx and 5xx,
   * latency), the functions (errors, throttles, duration), the work and dead-letter queues (depth and the age of
   * the oldest message, which is how far the metrics lag behind), and the table (consumed capacity, throttles).
   * Made last, once every alarm exists.
   */
  addDashboard(props: DashboardProps): cloudwatch.Dashboard {
    const period = Duration.minutes(5);
    const sum = { period, statistic: 'Sum' } as const;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `VisionProgress-${props.stateCode}`,
      defaultInterval: Duration.hours(6),
    });
    const functions = Object.entries(props.functions);
    const queues = Object.entries(props.queues);
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.#alarms, width: 24, height: 4 }),
    );
    // the functions' own metrics (embedded metric format, shared/runtime/metrics.ts)
    const custom = (metric: CustomMetric, statistic: string, label: string = metric.name) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: metric.name,
        dimensionsMap: { service: METRICS_SERVICE, state: props.stateCode },
        period,
        statistic,
        label,
      });
    dashboard.addWidgets(
      graph('Events accepted and applied', [
        custom(METRIC.eventsAccepted, 'Sum'),
        custom(METRIC.eventsApplied, 'Sum'),
      ]),
      graph('Freshness lag (ms): acknowledged to applied', [
        custom(METRIC.freshnessLag, 'p50', 'p50'),
        custom(METRIC.freshnessLag, 'p95', 'p95'),
        custom(METRIC.freshnessLag, 'Maximum', 'max'),
      ]),
      graph(
        'Digests sent, bounces and complaints',
        [custom(METRIC.digestsSent, 'Sum')],
        [custom(METRIC.bounces, 'Sum'), custom(METRIC.complaints, 'Sum')],
      ),
    );
    dashboard.addWidgets(
      graph(
        'API requests and errors',
        [props.api.metricCount(sum)],
        [props.api.metricClientError(sum), props.api.metricServerError(sum)],
      ),
      graph('API latency (ms)', [
        props.api.metricLatency({ period, statistic: 'p50' }),
        props.api.metricLatency({ period, statistic: 'p99' }),
      ]),
      graph(
        'Function errors and throttles',
        functions.map(([name, fn]) => fn.metricErrors({ ...sum, label: `${name} errors` })),
        functions.map(([name, fn]) => fn.metricThrottles({ ...sum, label: `${name} throttles` })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Function duration p95 (ms)',
        functions.map(([name, fn]) => fn.metricDuration({ period, statistic: 'p95', label: name })),
      ),
      graph(
        'Queue depth',
        queues.map(([name, queue]) =>
          queue.queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
        ),
        queues.map(([name, queue]) =>
          queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
            label: `${name} dead letters`,
          }),
        ),
      ),
      graph(
        'Oldest message age (s): how far work lags',
        queues.map(([name, queue]) =>
          queue.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: name }),
        ),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Table capacity consumed',
        [props.table.metricConsumedWriteCapacityUnits(sum)],
        [props.table.metricConsumedReadCapacityUnits(sum)],
      ),
      graph('Table throttled requests', [
        props.table.metricThrottledRequestsForOperations({
          ...sum,
          operations: [
            dynamodb.Operation.PUT_ITEM,
            dynamodb.Operation.UPDATE_ITEM,
            dynamodb.Operation.TRANSACT_WRITE_ITEMS,
            dynamodb.Operation.QUERY,
            dynamodb.Operation.GET_ITEM,
          ],
        }),
      ]),
      // in a graph of its own: both sums name their operations' metrics alike (getitem, query, ...)
      graph('Table system errors', [props.table.metricSystemErrorsForOperations({ ...sum })]),
    );
    return dashboard;
  }

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    if (this.#onCallTopic) {
      const onCall = new actions.SnsAction(this.#onCallTopic);
      alarm.addAlarmAction(onCall);
      alarm.addOkAction(onCall);
    }
    this.#alarms.push(alarm);
    return alarm;
  }

  /**
   * The on-call topic; none, with an error that fails `cdk synth` and `cdk deploy`, when it is in another region
   * than the stack. The config checks the topic against its own region; a stack synthesized for another one (with
   * the `region` context) must not deploy alarms that cannot reach their topic.
   */
  private importOnCallTopic(arn: string): sns.ITopic | undefined {
    const { region } = Stack.of(this);
    const topicRegion = Arn.split(arn, ArnFormat.NO_RESOURCE_NAME).region;
    if (!Token.isUnresolved(region) && topicRegion !== region) {
      Annotations.of(this).addError(
        `The alarm topic ${arn} is not in the stack's region ${region}: CloudWatch alarms notify topics of their own region.`,
      );
      return undefined;
    }
    return sns.Topic.fromTopicArn(this, 'OnCallTopic', arn);
  }
}
