/**
 * How tools outside the CDK app find a state's deployed stack and what it holds: the stack name and the keys of
 * its CloudFormation outputs. The stack (stack.ts) writes them and the ops CLI (infra/ops/) reads them back with
 * DescribeStacks; this module imports nothing, so that the CLI does not load aws-cdk-lib to learn a name.
 */

/** The stack id of a state. */
export const stackName = (stateCode: string) => `VisionProgress-${stateCode}`;

/** The output keys of a state stack. */
export const STACK_OUTPUTS = {
  /** The stage's invoke URL: the contract's paths (`/v1/health`) are appended to it. */
  apiUrl: 'ApiUrl',
  /** The single table, which holds the API keys' records among the rest. */
  tableName: 'TableName',
  /** The usage plan on which every key's usage key must be registered, or API Gateway refuses the key. */
  usagePlanId: 'UsagePlanId',
} as const;

export type StackOutputName = keyof typeof STACK_OUTPUTS;
