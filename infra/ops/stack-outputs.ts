/**
 * A deployed state's resources, read from its stack's CloudFormation outputs (written by infra/stack.ts), so the
 * operator never copies an API URL, a table name or a usage plan id by hand.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUTS, type StackOutputName, stackName } from '../stack-contract';
import { OpsError } from './context';

/** The outputs of a state stack, by their name in STACK_OUTPUTS. */
export type StackOutputs = Readonly<Record<StackOutputName, string>>;

/**
 * Reads the outputs of `VisionProgress-<stateCode>` in `region`. Fails with an OpsError naming the stack and the
 * region when the stack does not exist there, and naming the outputs it lacks (a stack deployed before they were).
 */
export async function readStackOutputs(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
): Promise<StackOutputs> {
  const name = stackName(stateCode);
  let outputs: { OutputKey?: string; OutputValue?: string }[];
  try {
    const { Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: name }));
    outputs = stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    // CloudFormation answers an unknown stack name with a ValidationError, not a not-found error
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) {
      throw new OpsError(
        `stack ${name} does not exist in ${region}: pass --region with the region it is deployed in, or deploy it ` +
          `(npm run cdk -- deploy ${name} -c state=${stateCode})`,
        { cause: error },
      );
    }
    throw error;
  }
  const byKey = new Map(outputs.map((output) => [output.OutputKey, output.OutputValue]));
  const found: Partial<Record<StackOutputName, string>> = {};
  const missing: string[] = [];
  for (const [field, key] of Object.entries(STACK_OUTPUTS) as [StackOutputName, string][]) {
    const value = byKey.get(key);
    if (value) found[field] = value;
    else missing.push(key);
  }
  if (missing.length > 0) {
    throw new OpsError(
      `stack ${name} in ${region} has no output ${missing.join(', ')}: deploy the current version ` +
        `(npm run cdk -- deploy ${name} -c state=${stateCode})`,
    );
  }
  return found as StackOutputs;
}
