import { TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nagArnOf } from './nag';

export interface DigestScheduleProps {
  /** EventBridge Scheduler expression, e.g. `cron(0 7 ? * MON *)`. */
  readonly expression: string;
  /** IANA timezone the expression is read in: the state's. */
  readonly timezone: string;
  readonly planner: lambda.IFunction;
  /** Where invocations that fail after the retries go. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** Runs the digest planner on the state's schedule, in state time, passing the scheduled time. */
export class DigestSchedule extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Plans the digest e-mails of the period',
      schedule: scheduler.ScheduleExpression.expression(props.expression, TimeZone.of(props.timezone)),
      target: new targets.LambdaInvoke(props.planner, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        role,
        retryAttempts: 3,
        deadLetterQueue: props.deadLetterQueue,
      }),
    });
    // the target grants invoke on the function and its versions (`<arn>:*`); the schedule invokes $LATEST only,
    // but the L2 target adds both and the function ARN pins it to this one function
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnOf(props.planner)}:*]`,
      reason:
        'Invoke permission on this one planner function and its versions, as the Scheduler target grants it.',
    });
  }
}
