import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  /** Where alarm notifications are e-mailed, if anywhere. */
  readonly alarmEmail?: string;
}

/**
 * The rates SES reviews an account at: a bounce rate of 5% and a complaint rate of 0.1% (values of the metrics
 * are fractions, 0 to 1). The alarms go off when the digests reach them, before SES acts on the whole account.
 */
export const SES_REPUTATION_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 } as const;

/**
 * Alarms an ops team acts on, all notifying one encrypted topic: anything in a dead-letter or failure queue,
 * any function error, any throttle, and the digests' bounce and complaint rates.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;

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

  private notify(alarm: cloudwatch.Alarm): cloudwatch.Alarm {
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    return alarm;
  }
}
