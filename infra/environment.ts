/**
 * The environment of each function, computed once for both stacks: the CDK stack passes it to Lambda, the local
 * stack to the same handler files. Only the resource names differ between the two.
 */
import type { StateConfig } from './config/schema';
import { type FunctionName, type QueueName, queueUrlVariable, type Topology, topology } from './topology';

export interface ResourceNames {
  readonly tableName: string;
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  /**
   * The usage plan that throttles each key, on which the api function registers the keys it issues. Absent in
   * the local stack, whose front door throttles each key by itself.
   */
  readonly usagePlanId?: string;
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
    STATE_TIMEZONE: config.timezone,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    MINIMUM_N: String(config.minimumN),
    POWERTOOLS_SERVICE_NAME: 'vision-progress',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (fn.table !== 'none') environment.TABLE_NAME = resources.tableName;
  for (const queue of fn.sendsTo) environment[queueUrlVariable(queue)] = resources.queueUrls[queue];
  if (fn.sendsEmail) environment.SES_SENDER = config.sesSender;
  if (name === KEY_ISSUER && resources.usagePlanId !== undefined)
    environment.USAGE_PLAN_ID = resources.usagePlanId;
  // new districts start from the state's framework unless they bring their own
  if (name === 'api') environment.DEFAULT_FRAMEWORK = JSON.stringify(config.defaultFramework);
  return environment;
}
