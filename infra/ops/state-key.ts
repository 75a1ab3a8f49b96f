/**
 * `state-key create`: a new state key. No API route makes state keys (a state key could then make itself more),
 * so the CLI writes the key record itself, with the operator's own access:
 *
 * - locally, into the local stack's table in DynamoDB Local, and into its credentials file, as the local stack
 *   does when it first starts (infra/local/credentials.ts);
 * - in AWS, into the table named by the stack's `TableName` output, on the operator's credentials, after
 *   registering its usage key on the usage plan of the `UsagePlanId` output (else API Gateway refuses the key).
 */
import type { Command } from 'commander';
import { type KeyScope, newKey } from '../../shared/domain/api-keys';
import { documentClientFor } from '../../shared/runtime/clients';
import { KeyStore } from '../../shared/store/keys';
import { UsagePlanKeys } from '../../shared/store/usage-plan';
import { issueStateKey } from '../local/credentials';
import { stackName } from '../stack-contract';
import type { CommandContext } from './command-context';
import { type AwsClients, OpsError } from './context';
import { defaultLocalEndpoint, type LocalTableLocation, withLocalTable } from './local-table';
import { printFields, printJson, warnShownOnce } from './output';
import { readStackOutputs } from './stack-outputs';
import { parseStateCode, readLocalCredentials } from './target';

/** A state key just made, and where it went. */
export interface CreatedStateKey {
  readonly keyId: string;
  readonly apiKey: string;
  /** `local` or the stack's name. */
  readonly stack: string;
  /** The credentials file the key was written to (local only). */
  readonly credentialsFile?: string;
}

/**
 * Makes a state key for a deployed stack: reads the table and usage plan from its outputs, registers the usage
 * key, then stores the record. The usage key goes first, as the API does for district keys: a stored key unknown
 * to the plan would be refused.
 */
export async function createDeployedStateKey(
  aws: AwsClients,
  stateCode: string,
  region: string,
): Promise<CreatedStateKey> {
  const outputs = await readStackOutputs(aws.cloudFormation(region), stateCode, region);
  const scope: KeyScope = { kind: 'state' };
  const key = newKey(scope);
  const usagePlan = new UsagePlanKeys(outputs.usagePlanId, aws.apiGateway(region));
  await usagePlan.register(key.keyId, key.usageKey);
  try {
    await new KeyStore(outputs.tableName, documentClientFor(aws.dynamoDb(region))).create(key, scope);
  } catch (error) {
    // the store's error is the one to report; a gateway key left behind holds a usage key, not a credential
    await usagePlan.remove(key.keyId).catch(() => undefined);
    throw error;
  }
  return { keyId: key.keyId, apiKey: key.apiKey, stack: stackName(stateCode) };
}

/**
 * Revokes a state key of a deployed stack: marks its record revoked, then deletes its usage key from the plan,
 * which makes API Gateway refuse the key at once, even where the authorizer's answer is still cached.
 */
export async function revokeDeployedStateKey(
  aws: AwsClients,
  stateCode: string,
  region: string,
  keyId: string,
): Promise<void> {
  const outputs = await readStackOutputs(aws.cloudFormation(region), stateCode, region);
  const store = new KeyStore(outputs.tableName, documentClientFor(aws.dynamoDb(region)));
  if ((await store.revokeState(keyId)) === 'not-found') {
    throw new OpsError(`${stackName(stateCode)} has no state key ${keyId}`);
  }
  await new UsagePlanKeys(outputs.usagePlanId, aws.apiGateway(region)).remove(keyId);
}

/** Revokes a state key of the running local stack. */
export async function revokeLocalStateKey(location: LocalTableLocation, keyId: string): Promise<void> {
  const outcome = await withLocalTable(location, (tableName, client) =>
    new KeyStore(tableName, client).revokeState(keyId),
  );
  if (outcome === 'not-found') throw new OpsError(`the local stack has no state key ${keyId}`);
}

/**
 * Makes a state key for the local stack, which must be running (its table lives in DynamoDB Local): stores the
 * record in its table and writes the key into the credentials file, which keeps its `apiUrl`.
 */
export async function createLocalStateKey(
  credentialsFile: string,
  location: LocalTableLocation,
): Promise<CreatedStateKey> {
  const { apiUrl } = await readLocalCredentials(credentialsFile);
  const issued = await withLocalTable(location, (tableName, client) =>
    issueStateKey(credentialsFile, apiUrl, new KeyStore(tableName, client)),
  );
  return { keyId: issued.keyId, apiKey: issued.credentials.stateKey, stack: 'local', credentialsFile };
}

export function registerStateKey(program: Command, context: CommandContext): void {
  const stateKey = program.command('state-key').description('Create state keys (they may do everything)');

  stateKey
    .command('create')
    .description(
      'Create a state key (printed once). Locally it is stored in the local table and written to the ' +
        "credentials file; with --state, stored in the stack's table and registered on its usage plan, on " +
        'your own AWS credentials.',
    )
    .option(
      '--dynamodb-endpoint <url>',
      'local: the DynamoDB Local URL of the running local stack (default: http://127.0.0.1:$DYNAMODB_PORT, 8000)',
    )
    .option(
      '--local-state <code>',
      'local: the state the local stack runs (npm start -- --state)',
      parseStateCode,
      'XX',
    )
    .action(async (options: { dynamodbEndpoint?: string; localState: string }, command: Command) => {
      const target = context.target(command);
      let created: CreatedStateKey;
      if (target.kind === 'deployed') {
        created = await createDeployedStateKey(context.aws, target.stateCode, target.region);
      } else if (target.kind === 'local') {
        created = await createLocalStateKey(target.credentialsFile, {
          endpoint: options.dynamodbEndpoint ?? defaultLocalEndpoint(context.io.env),
          stateCode: options.localState,
        });
      } else {
        throw new OpsError(
          'state-key create needs --local or --state: a state key is stored in the table, not made through the API',
        );
      }

      if (context.options(command).json) {
        printJson(context.io, created);
      } else {
        context.io.out(
          `State key created for ${created.stack === 'local' ? 'the local stack' : created.stack}.\n`,
        );
        printFields(context.io, [
          ['keyId', created.keyId],
          ['apiKey', created.apiKey],
          ...(created.credentialsFile ? [['written to', created.credentialsFile] as const] : []),
        ]);
      }
      warnShownOnce(context.io, "the state's operators only");
    });

  stateKey
    .command('revoke <keyId>')
    .description(
      'Revoke a state key (a leaked one, say): its record is marked revoked and, with --state, its usage key is ' +
        'deleted from the usage plan, so API Gateway refuses it at once.',
    )
    .option('--dynamodb-endpoint <url>', 'local: the DynamoDB Local URL of the running local stack')
    .option('--local-state <code>', 'local: the state the local stack runs', parseStateCode, 'XX')
    .action(
      async (keyId: string, options: { dynamodbEndpoint?: string; localState: string }, command: Command) => {
        const target = context.target(command);
        if (target.kind === 'deployed') {
          await revokeDeployedStateKey(context.aws, target.stateCode, target.region, keyId);
        } else if (target.kind === 'local') {
          await revokeLocalStateKey(
            {
              endpoint: options.dynamodbEndpoint ?? defaultLocalEndpoint(context.io.env),
              stateCode: options.localState,
            },
            keyId,
          );
        } else {
          throw new OpsError(
            'state-key revoke needs --local or --state: state keys are revoked in the table',
          );
        }
        if (context.options(command).json) printJson(context.io, { keyId, revoked: true });
        else
          context.io.out(`State key ${keyId} revoked.
`);
      },
    );
}
