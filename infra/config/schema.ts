/**
 * The per-state configuration: one file per state in this folder, validated here at synth so that a bad value
 * fails with the name of its field before anything reaches CloudFormation.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Timezone } from '../../shared/contract/common';
import { Framework } from '../../shared/contract/framework';
import * as z from '../../shared/contract/zod';

/** An EventBridge Scheduler expression: `cron(min hour day-of-month month day-of-week year)` or `rate(n unit)`. */
const ScheduleExpression = z
  .string()
  .regex(
    /^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
    'must be an EventBridge Scheduler expression such as cron(0 7 ? * MON *)',
  );

/** An SNS topic's ARN: partition, region, account, and a standard topic's name (alarms cannot notify FIFO ones). */
const SNS_TOPIC_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):sns:([a-z]{2}(?:-gov)?-[a-z]+-\d):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The parts of an SNS topic ARN the config must agree with; undefined when it is none. */
function snsTopicArnParts(arn: string): { partition: string; region: string } | undefined {
  const match = SNS_TOPIC_ARN.exec(arn);
  return match ? { partition: match[1] ?? '', region: match[2] ?? '' } : undefined;
}

const StateConfigFields = z.strictObject({
  /** Two-letter code; the stack is `VisionProgress-<stateCode>`. `XX` is the local state. */
  stateCode: z.string().regex(/^[A-Z]{2}$/, 'must be two capital letters, e.g. OH'),
  name: z.string().trim().min(1).max(100),
  /** IANA timezone of the agency: digest periods and schedules are in state time. */
  timezone: Timezone,
  /** Target account and region; omit the account for an environment-agnostic template. */
  aws: z.strictObject({
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-2'),
  }),
  /** Verified SES identity the digests are sent from. */
  sesSender: z.email(),
  /** Public HTTPS base URL of the API (unsubscribe links point here). */
  publicBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  /** Counts below this are suppressed in every report. */
  minimumN: z.number().int().min(1).max(100).default(10),
  digestSchedule: ScheduleExpression.default('cron(0 7 ? * MON *)'),
  logRetentionDays: z
    .union([z.literal(30), z.literal(90), z.literal(180), z.literal(365), z.literal(731)])
    .default(365),
  /** Where alarms notify (an e-mail subscription on the alarm topic), if anywhere. */
  alarmEmail: z.email().optional(),
  /**
   * An existing SNS topic every alarm also notifies, when it goes off and when it is OK again: the agency's
   * on-call topic (behind PagerDuty or AWS Chatbot, say). In the stack's region, as CloudWatch requires; it may
   * belong to another account, whose topic policy (and key policy, if encrypted) must let CloudWatch publish.
   */
  alarmTopicArn: z
    .string()
    .refine((arn) => snsTopicArnParts(arn) !== undefined, {
      error: 'must be the ARN of a standard SNS topic, arn:<partition>:sns:<region>:<account>:<name>',
    })
    .optional(),
  defaultFramework: Framework,
});

/** A state's config: its fields, and the on-call topic in the stack's own region and partition. */
export const StateConfig = StateConfigFields.superRefine((config, ctx) => {
  const topic = config.alarmTopicArn === undefined ? undefined : snsTopicArnParts(config.alarmTopicArn);
  if (!topic) return;
  if (topic.region !== config.aws.region) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarmTopicArn'],
      message: `must be a topic in the stack's region ${config.aws.region}: CloudWatch alarms notify topics of their own region`,
    });
    return;
  }
  const partition = RegionInfo.get(config.aws.region).partition;
  if (partition !== undefined && topic.partition !== partition) {
    ctx.addIssue({
      code: 'custom',
      path: ['alarmTopicArn'],
      message: `must name the partition of ${config.aws.region}, ${partition}`,
    });
  }
});

export type StateConfigInput = z.input<typeof StateConfig>;
export type StateConfig = z.output<typeof StateConfig>;

/** Thrown when a state config is invalid; the message lists every bad field as `path: message`. */
export class StateConfigError extends Error {
  override readonly name = 'StateConfigError';
  constructor(
    readonly source: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`invalid state config ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
  }
}

export function parseStateConfig(input: unknown, source: string): StateConfig {
  const result = StateConfig.safeParse(input);
  if (result.success) return result.data;
  throw new StateConfigError(
    source,
    result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })),
  );
}
