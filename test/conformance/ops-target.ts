/**
 * The platform the operator may name besides the API URL, for what the API cannot remove: a run's districts (the
 * contract has no DELETE of a district) and its state-wide subscribers (no route lists or removes one). The kit
 * removes districts with the ops CLI's own `districts remove` (infra/ops/district-removal.ts) and reaches the
 * table as the ops CLI does: DynamoDB Local of the local stack, or a deployed stack's `TableName` output on the
 * operator's AWS credentials.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadStateConfig } from '../../infra/config/index';
import { DefaultAwsClients } from '../../infra/ops/context';
import { defaultLocalEndpoint, withLocalTable } from '../../infra/ops/local-table';
import { readStackOutputs } from '../../infra/ops/stack-outputs';
import { documentClientFor } from '../../shared/runtime/clients';

export type OpsTarget =
  | {
      readonly kind: 'local';
      /** DynamoDB Local of the running local stack; default the ops CLI's (DYNAMODB_PORT or 8000). */
      readonly dynamodbEndpoint: string | undefined;
      /** The state the local stack runs. */
      readonly localState: string;
    }
  | { readonly kind: 'deployed'; readonly stateCode: string; readonly region: string | undefined };

/** The state config code of the target, for its minimum n. */
export const stateCodeOf = (target: OpsTarget) =>
  target.kind === 'local' ? target.localState : target.stateCode;

/** The ops CLI's options that name the target (infra/ops/cli.ts, districts remove). */
export function opsTargetOptions(target: OpsTarget): { global: string[]; command: string[] } {
  if (target.kind === 'deployed') {
    return {
      global: ['--state', target.stateCode, ...(target.region ? ['--region', target.region] : [])],
      command: [],
    };
  }
  return {
    global: ['--local'],
    command: [
      ...(target.dynamodbEndpoint ? ['--dynamodb-endpoint', target.dynamodbEndpoint] : []),
      '--local-state',
      target.localState,
    ],
  };
}

/** How the target is named on the ops CLI's command line, for the operator to copy. */
export function describeOpsTarget(target: OpsTarget): string {
  const { global, command } = opsTargetOptions(target);
  return [...global, ...command].join(' ');
}

/** Runs `work` on the target's table, with the clients the ops CLI would use; they are closed after. */
export async function withTargetTable<T>(
  target: OpsTarget,
  env: NodeJS.ProcessEnv,
  work: (tableName: string, client: DynamoDBDocumentClient) => Promise<T>,
): Promise<T> {
  if (target.kind === 'local') {
    const endpoint = target.dynamodbEndpoint ?? defaultLocalEndpoint(env);
    return withLocalTable({ endpoint, stateCode: target.localState }, work);
  }
  const region = target.region ?? loadStateConfig(target.stateCode).aws.region;
  const aws = new DefaultAwsClients();
  try {
    const outputs = await readStackOutputs(aws.cloudFormation(region), target.stateCode, region, [
      'tableName',
    ]);
    return await work(outputs.tableName, documentClientFor(aws.dynamoDb(region)));
  } finally {
    aws.close();
  }
}
