import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MailEventsProps {
  /** The name of the SES configuration set the digests are sent with; unique in the account and region. */
  readonly configurationSetName: string;
  /** The queue the bounce and complaint events are delivered to, one SES event per message body. */
  readonly queue: sqs.IQueue;
}

/**
 * The path of SES's word on the digests back to the platform: the configuration set the sender sends with, whose
 * event destination publishes bounces and complaints to an encrypted SNS topic, which delivers each event to the
 * mail events queue as it is (raw message delivery: the message body is the SES event JSON). The queue's consumer
 * marks the subscribers suppressed (functions/mail-events).
 */
export class MailEvents extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  /** The configuration set's ARN: sending with the set is authorized on it as well as on the identity. */
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      // bounced and complaining addresses are also suppressed at the account level, whatever the set says
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSetName,
    });

    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the topic of SES bounce and complaint events',
      enableKeyRotation: true,
    });
    // SES publishes to an encrypted topic only when the key lets it, and only for this configuration set
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.configurationSetArn },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });

    // adds the topic policy that lets ses.amazonaws.com publish, for this configuration set of this account only
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    // adds the queue policy that lets sns.amazonaws.com send, from this topic only
    this.topic.addSubscription(new subscriptions.SqsSubscription(props.queue, { rawMessageDelivery: true }));
  }

  /**
   * Lets a role send e-mail from `sender` with the configuration set: `ses:SendEmail` on the address's identity,
   * its domain's identity and the configuration set, only with `sender` as the From address (the domain's identity
   * alone would let any address at the domain send); and `ses:GetAccount`, which reads the account's send quota
   * that the sender paces itself to.
   */
  grantSend(role: iam.Role, sender: string): void {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identity(sender.split('@')[1] ?? sender), identity(sender), this.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': sender } },
      }),
    );
    const quota = new iam.Policy(role, 'SendQuota', {
      statements: [new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] })],
      roles: [role],
    });
    Validations.of(quota).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount supports only "*" as resource: the sender reads the account\'s maximum send rate with it ' +
        'and divides it by its maximum concurrency.',
    });
  }
}
