/**
 * How tools outside the CDK app find a state's deployed stack and what it holds: the stack name and the keys of
 * its CloudFormation outputs. The stack (stack.ts) writes them and the ops CLI (infra/ops/) reads them back with
 * DescribeStacks; this module imports nothing but types, so that the CLI does not load aws-cdk-lib to learn a name.
 */
import type { QueueName } from './topology';

/** The stack id of a state. */
export const stackName = (stateCode: string) => `VisionProgress-${stateCode}`;

/** The SES configuration set a state's digests are sent with (the stack has no output for it: it is named so). */
export const digestConfigurationSetName = (stateCode: string) => `${stackName(stateCode)}-digests`;

/**
 * The domain of a sender address, lower-cased: the SES identity the digests are sent under. A domain identity
 * (rather than the address alone) is what DKIM signs for and what lets the agency change the address later.
 */
export function senderDomain(sender: string): string {
  const at = sender.lastIndexOf('@');
  if (at < 0) throw new Error(`${sender} is not an e-mail address`);
  return sender.slice(at + 1).toLowerCase();
}

/** The output keys of a state stack. */
export const STACK_OUTPUTS = {
  /** The stage's invoke URL: the contract's paths (`/v1/health`) are appended to it. */
  apiUrl: 'ApiUrl',
  /** The single table, which holds the API keys' records among the rest. */
  tableName: 'TableName',
  /** The usage plan on which every key's usage key must be registered, or API Gateway refuses the key. */
  usagePlanId: 'UsagePlanId',
  /** The metrics queue, where `dlq redrive metrics` puts dead letters back. */
  metricsQueueUrl: 'MetricsQueueUrl',
  /** The dead-letter queue of the metrics queue: table changes the metrics worker gave up on. */
  metricsDeadLetterQueueUrl: 'MetricsDeadLetterQueueUrl',
  /** The digest queue, where `dlq redrive digest` puts dead letters back. */
  digestQueueUrl: 'DigestQueueUrl',
  /** The dead-letter queue of the digest queue: digest jobs the sender gave up on. */
  digestDeadLetterQueueUrl: 'DigestDeadLetterQueueUrl',
  /** The mail events queue (SES bounces and complaints), where `dlq redrive mailEvents` puts dead letters back. */
  mailEventsQueueUrl: 'MailEventsQueueUrl',
  /** The dead-letter queue of the mail events queue: SES events the mail events function gave up on. */
  mailEventsDeadLetterQueueUrl: 'MailEventsDeadLetterQueueUrl',
  /** The role the ops CLI runs with against this stack (infra/constructs/operator-role.ts). */
  operatorRoleArn: 'OperatorRoleArn',
} as const;

export type StackOutputName = keyof typeof STACK_OUTPUTS;

/** The outputs that locate a work queue of the topology and its dead-letter queue. */
export interface QueueOutputNames {
  readonly queueUrl: StackOutputName;
  readonly deadLetterQueueUrl: StackOutputName;
}

/** Which outputs hold each queue's URL and its dead-letter queue's URL. */
export const QUEUE_OUTPUTS: Readonly<Record<QueueName, QueueOutputNames>> = {
  metrics: { queueUrl: 'metricsQueueUrl', deadLetterQueueUrl: 'metricsDeadLetterQueueUrl' },
  digest: { queueUrl: 'digestQueueUrl', deadLetterQueueUrl: 'digestDeadLetterQueueUrl' },
  mailEvents: { queueUrl: 'mailEventsQueueUrl', deadLetterQueueUrl: 'mailEventsDeadLetterQueueUrl' },
};
