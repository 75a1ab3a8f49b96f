/**
 * A deployed state's resources, read from its stack's CloudFormation outputs (written by infra/stack.ts), so the
 * operator never copies an API URL, a table name, a usage plan id or a queue URL by hand.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUTS, type StackOutputName, stackName } from '../stack-contract';
import { OpsError } from './context';

/**
 * The outputs the API and key commands read. A command asks only for the outputs it needs, so that a stack
 * deployed before a later output (the queue URLs) was added still serves the commands that do not use it.
 */
const ACCESS_OUTPUTS = ['apiUrl', 'tableName', 'usagePlanId'] as const;

/** Outputs of a state stack, by their name in STACK_OUTPUTS: by default those of ACCESS_OUTPUTS. */
export type StackOutputs<N extends StackOutputName = (typeof ACCESS_OUTPUTS)[number]> = Readonly<
  Record<N, string>
>;

/**
 * Reads the outputs `wanted` (by default ACCESS_OUTPUTS) of `VisionProgress-<stateCode>` in `region`. Fails with
 * an OpsError naming the stack and the region when the stack does not exist there, and naming the wanted outputs
 * it lacks (a stack deployed before they were).
 */
export function readStackOutputs(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
): Promise<StackOutputs>;
export function readStackOutputs<N extends StackOutputName>(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
  wanted: readonly N[],
): Promise<StackOutputs<N>>;
export async function readStackOutputs(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
  wanted: readonly StackOutputName[] = ACCESS_OUTPUTS,
): Promise<Partial<Record<StackOutputName, string>>> {
  const name = stackName(stateCode);
  const byKey = new Map(
    (await describeOutputs(client, stateCode, region)).map((output) => [
      output.OutputKey,
      output.OutputValue,
    ]),
  );
  const found: Partial<Record<StackOutputName, string>> = {};
  const missing: string[] = [];
  for (const field of wanted) {
    const value = byKey.get(STACK_OUTPUTS[field]);
    if (value) found[field] = value;
    else missing.push(STACK_OUTPUTS[field]);
  }
  if (missing.length > 0) {
    throw new OpsError(
      `stack ${name} in ${region} has no output ${missing.join(', ')}: deploy the current version ` +
        `(npm run cdk -- deploy ${name} -c state=${stateCode})`,
    );
  }
  return found;
}

/** Every output of the stack, as DescribeStacks lists them. */
async function describeOutputs(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
): Promise<{ OutputKey?: string; OutputValue?: string }[]> {
  const name = stackName(stateCode);
  try {
    const { Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: name }));
    return stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    throw missingStackError(error, stateCode, region);
  }
}

/**
 * What to throw for an error of a CloudFormation call on the state's stack: an OpsError naming the stack and the
 * region when the stack does not exist there, else the error itself.
 */
export function missingStackError(error: unknown, stateCode: string, region: string): unknown {
  // CloudFormation answers an unknown stack name with a ValidationError, not a not-found error
  if (!(error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message))) {
    return error;
  }
  const name = stackName(stateCode);
  return new OpsError(
    `stack ${name} does not exist in ${region}: pass --region with the region it is deployed in, or deploy it ` +
      `(npm run cdk -- deploy ${name} -c state=${stateCode})`,
    { cause: error },
  );
}
