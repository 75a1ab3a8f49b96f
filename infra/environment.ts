/**
 * The environment of each function, computed once for both stacks: the CDK stack passes it to Lambda, the local
 * stack to the same handler files. Only the resource names differ between the two.
 */
import type { StateConfig } from './config/schema';
import { type FunctionName, type QueueName, queueUrlVariable, type Topology, topology } from './topology';

/** Where the secrets of the unsubscribe tokens are: a Secrets Manager secret in AWS, a file on the local stack. */
export type UnsubscribeSecretLocation = { readonly arn: string } | { readonly file: string };

export interface ResourceNames {
  readonly tableName: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  /**
   * The usage plan that throttles each key, on which the api function registers the keys it issues. Absent in
   * the local stack, whose front door throttles each key by itself.
   */
  readonly usagePlanId?: string;
  /** Required when a function of the topology reads the unsubscribe secret. */
  readonly unsubscribeSecret?: UnsubscribeSecretLocation;
  /**
   * The SES configuration set digests are sent with, whose event destination reports bounces and complaints.
   * Absent in the local stack: its SES emulator has no configuration sets.
   */
  readonly sesConfigurationSet?: string;
  /**
   * E-mails per second the senders may send together. Only the local stack sets it: in AWS the sender reads the
   * account's quota with SES `GetAccount`.
   */
  readonly sesSendRate?: number;
}

/** The one function that issues and revokes keys, and so registers their usage keys on the usage plan. */
export const KEY_ISSUER: FunctionName = 'api';

export function functionEnvironment(
  name: FunctionName,
  config: StateConfig,
  resources: ResourceNames,
  spec: Topology = topology,
): Record<string, string> {
  const fn = spec.functions[name];
  const environment: Record<string, string> = {
    STATE_CODE: config.stateCode,
    STATE_NAME: config.name,
    STATE_TIMEZONE: config.timezone,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    MINIMUM_N: String(config.minimumN),
    POWERTOOLS_SERVICE_NAME: 'vision-progress',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (fn.table !== 'none') environment.TABLE_NAME = resources.tableName;
  for (const queue of fn.sendsTo) environment[queueUrlVariable(queue)] = resources.queueUrls[queue];
  if (fn.sendsEmail) {
    environment.SES_SENDER = config.sesSender;
    // how many senders share the account's send rate: the digest queue's consumers at most run this many at once
    environment.DIGEST_SENDERS = String(spec.queues.digest.maxConcurrency);
    if (resources.sesConfigurationSet !== undefined) {
      environment.SES_CONFIGURATION_SET = resources.sesConfigurationSet;
    }
    if (resources.sesSendRate !== undefined) environment.SES_SEND_RATE = String(resources.sesSendRate);
  }
  if (fn.unsubscribeSecret) Object.assign(environment, unsubscribeSecretVariable(name, resources));
  if (name === KEY_ISSUER && resources.usagePlanId !== undefined)
    environment.USAGE_PLAN_ID = resources.usagePlanId;
  // new districts start from the state's framework unless they bring their own
  if (name === 'api') environment.DEFAULT_FRAMEWORK = JSON.stringify(config.defaultFramework);
  return environment;
}

/** `UNSUBSCRIBE_SECRET_ARN` or `UNSUBSCRIBE_SECRET_FILE`: a function that signs or verifies tokens needs one. */
function unsubscribeSecretVariable(name: FunctionName, resources: ResourceNames): Record<string, string> {
  const location = resources.unsubscribeSecret;
  if (!location) throw new Error(`${name} reads the unsubscribe secret, but no secret location was given`);
  return 'arn' in location
    ? { UNSUBSCRIBE_SECRET_ARN: location.arn }
    : { UNSUBSCRIBE_SECRET_FILE: location.file };
}
