/**
 * `unsubscribe-secret rotate`: a new HMAC secret for the unsubscribe links of the digests
 * (shared/domain/unsubscribe-token.ts), with the previous one still accepted, so that no link already mailed breaks.
 *
 * - In AWS: the stack's Secrets Manager secret (infra/constructs/unsubscribe-secret.ts). No stack output names it,
 *   so it is found among the stack's resources; PutSecretValue makes the new value AWSCURRENT and the old one
 *   AWSPREVIOUS, which the api function keeps accepting (shared/runtime/unsubscribe-secrets.ts).
 * - Locally: a new first line in the data dir's `unsubscribe-secret` file (infra/local/unsubscribe-secret.ts), the
 *   previous current secret kept below it.
 *
 * The secret's value is never printed: nothing but the functions has a use for it.
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type CloudFormationClient,
  paginateListStackResources,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { type Command, InvalidArgumentError } from 'commander';
import { dataLayout } from '../local/data-dir';
import { newLocalUnsubscribeSecret } from '../local/unsubscribe-secret';
import { stackName } from '../stack-contract';
import type { CommandContext } from './command-context';
import { type AwsClients, OpsError } from './context';
import { replaceFile } from './files';
import { printFields, printJson } from './output';
import { missingStackError } from './stack-outputs';

/**
 * How long the functions keep the secret they read from Secrets Manager (MAX_AGE_SECONDS of
 * shared/runtime/unsubscribe-secrets.ts): the time a rotation takes to reach every function.
 */
const FUNCTION_CACHE_MINUTES = 5;

/** Previous secrets a local rotation keeps, unless told otherwise: one, as Secrets Manager keeps AWSPREVIOUS. */
const DEFAULT_KEEP = 1;

const SECRET_RESOURCE_TYPE = 'AWS::SecretsManager::Secret';

/**
 * The shape of the value Secrets Manager generated for the secret (`passwordLength: 64, excludePunctuation`):
 * 64 letters and digits, about 381 bits.
 */
const SECRET_LENGTH = 64;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Secrets Manager's generator puts at least one character of every included kind into a value. */
const REQUIRED_KINDS = [/[A-Z]/, /[a-z]/, /[0-9]/] as const;

/**
 * A new value of the shape Secrets Manager generates for the secret. `randomInt` draws each character without
 * modulo bias; a value lacking a kind of character is drawn again as a whole, which keeps the draw uniform over the
 * values Secrets Manager itself could have made.
 */
export function newSecretsManagerStyleSecret(): string {
  let value: string;
  do {
    value = Array.from({ length: SECRET_LENGTH }, () =>
      ALPHANUMERIC.charAt(randomInt(ALPHANUMERIC.length)),
    ).join('');
  } while (!REQUIRED_KINDS.every((kind) => kind.test(value)));
  return value;
}

/** A rotation of a deployed stack's secret. */
interface DeployedRotation {
  readonly stack: string;
  readonly region: string;
  readonly secretArn: string;
  /** The id of the version just made AWSCURRENT. */
  readonly versionId: string;
}

/**
 * The ARN of the stack's one Secrets Manager secret, read from its resources (the physical id of a secret is its
 * ARN). ListStackResources rather than DescribeStackResources: the latter answers the first 100 resources only,
 * and a state stack has more.
 */
async function findUnsubscribeSecretArn(
  client: CloudFormationClient,
  stateCode: string,
  region: string,
): Promise<string> {
  const name = stackName(stateCode);
  const secrets: StackResourceSummary[] = [];
  try {
    for await (const page of paginateListStackResources({ client }, { StackName: name })) {
      secrets.push(
        ...(page.StackResourceSummaries ?? []).filter(
          (resource) =>
            resource.ResourceType === SECRET_RESOURCE_TYPE &&
            resource.PhysicalResourceId &&
            // a secret the stack is letting go of (replaced, and retained) is not the one the functions read
            !resource.ResourceStatus?.startsWith('DELETE_'),
        ),
      );
    }
  } catch (error) {
    throw missingStackError(error, stateCode, region);
  }
  const [secret, ...others] = secrets;
  if (!secret?.PhysicalResourceId) {
    throw new OpsError(
      `stack ${name} in ${region} has no ${SECRET_RESOURCE_TYPE}: deploy the current version ` +
        `(npm run cdk -- deploy ${name} -c state=${stateCode})`,
    );
  }
  if (others.length > 0) {
    throw new OpsError(
      `stack ${name} in ${region} has ${secrets.length} secrets; which one signs is unclear`,
      {
        details: secrets.map((found) => `${found.LogicalResourceId}: ${found.PhysicalResourceId}`),
      },
    );
  }
  return secret.PhysicalResourceId;
}

/**
 * Puts a new value into the stack's secret. PutSecretValue labels the new version AWSCURRENT and moves AWSPREVIOUS
 * to the version that was current, which is what the api function verifies with besides AWSCURRENT.
 */
async function rotateDeployedUnsubscribeSecret(
  aws: AwsClients,
  stateCode: string,
  region: string,
): Promise<DeployedRotation> {
  const secretArn = await findUnsubscribeSecretArn(aws.cloudFormation(region), stateCode, region);
  const { VersionId: versionId } = await aws
    .secretsManager(region)
    .send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: newSecretsManagerStyleSecret() }));
  if (!versionId) throw new OpsError(`Secrets Manager named no version for the new value of ${secretArn}`);
  return { stack: stackName(stateCode), region, secretArn, versionId };
}

/** A rotation of the local stack's secret file. */
interface LocalRotation {
  readonly file: string;
  /** Previous secrets left in the file, still accepted. */
  readonly kept: number;
  /** Older secrets removed from it: links signed with them no longer work. */
  readonly dropped: number;
}

/**
 * Puts a new secret on top of the local secret file and keeps the `keep` most recent previous ones. The file is
 * replaced by a rename, so that the running stack's functions, which read it on every use, read either the old
 * file or the new one, never half of it.
 */
async function rotateLocalUnsubscribeSecret(file: string, keep: number): Promise<LocalRotation> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new OpsError(
        `no unsubscribe secret at ${file}: the local stack has never started with this data dir. Start it with ` +
          '`npm start` (VP_LOCAL_DIR or --credentials names another data dir), or pass --state <code>.',
        { cause: error },
      );
    }
    throw error;
  }
  // read as secretsFromFile (shared/runtime/unsubscribe-secrets.ts) reads it: trimmed lines, blank ones ignored
  const previous = content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const kept = previous.slice(0, keep);
  await replaceFile(file, `${[newLocalUnsubscribeSecret(), ...kept].join('\n')}\n`);
  return { file, kept: kept.length, dropped: previous.length - kept.length };
}

/** commander's parser of `--keep`: a whole number, 0 included. */
function parseKeep(value: string): number {
  if (!/^\d{1,3}$/.test(value)) throw new InvalidArgumentError('must be a whole number from 0 to 999');
  return Number(value);
}

function printDeployed(context: CommandContext, rotation: DeployedRotation): void {
  context.io.out(`Unsubscribe secret of ${rotation.stack} rotated.\n`);
  printFields(context.io, [
    ['secret', rotation.secretArn],
    ['versionId', rotation.versionId],
  ]);
  context.io.out(
    'The new value is AWSCURRENT and signs new links; the previous one is AWSPREVIOUS, so links signed with it stay ' +
      'valid until the next rotation.\n' +
      `The functions pick the new value up within ${FUNCTION_CACHE_MINUTES} minutes, as they cache the secret that ` +
      'long: until then the sender may still sign with the previous value (accepted), and an API instance not yet ' +
      'refreshed may refuse a link signed with the new one. ' +
      `Rotate again no sooner than ${FUNCTION_CACHE_MINUTES} minutes from now.\n`,
  );
}

function printLocal(context: CommandContext, rotation: LocalRotation): void {
  context.io.out(`Unsubscribe secret rotated: a new first line in ${rotation.file}.\n`);
  printFields(context.io, [
    ['previous secrets kept', String(rotation.kept)],
    ['older secrets dropped', String(rotation.dropped)],
  ]);
  context.io.out(
    "It takes effect at once: the local stack's functions read the file every time they sign or verify a link, " +
      'so no restart is needed. Links signed with a kept secret stay valid until a later rotation drops it' +
      (rotation.dropped > 0 ? '; links signed with a dropped one no longer work.\n' : '.\n'),
  );
}

export function registerUnsubscribeSecret(program: Command, context: CommandContext): void {
  const secret = program
    .command('unsubscribe-secret')
    .description('Rotate the secret that signs the unsubscribe links of the digests');

  secret
    .command('rotate')
    .description(
      'Sign new unsubscribe links with a new secret; the previous one stays accepted, so no link already mailed ' +
        "breaks. With --state, a new value of the stack's Secrets Manager secret (AWSCURRENT; the old one becomes " +
        'AWSPREVIOUS), on your own AWS credentials; locally, a new first line in the unsubscribe-secret file of the ' +
        'data dir (.local/, VP_LOCAL_DIR, or the folder of --credentials). The value is never printed.',
    )
    .option(
      '--keep <n>',
      `local: how many previous secrets stay accepted (default ${DEFAULT_KEEP}, like AWSPREVIOUS); 0 retires them ` +
        'all, and every link signed with them',
      parseKeep,
    )
    .action(async (options: { keep?: number }, command: Command) => {
      const target = context.target(command);
      const json = context.options(command).json;
      if (target.kind === 'deployed') {
        if (options.keep !== undefined) {
          throw new OpsError(
            '--keep applies to the local stack only: Secrets Manager keeps one previous value',
          );
        }
        const rotation = await rotateDeployedUnsubscribeSecret(context.aws, target.stateCode, target.region);
        if (json) printJson(context.io, rotation);
        else printDeployed(context, rotation);
      } else if (target.kind === 'local') {
        // the data dir holds both files: `.local/`, VP_LOCAL_DIR, or the folder of --credentials
        const file = dataLayout(dirname(target.credentialsFile)).unsubscribeSecret;
        const rotation = await rotateLocalUnsubscribeSecret(file, options.keep ?? DEFAULT_KEEP);
        if (json) printJson(context.io, rotation);
        else printLocal(context, rotation);
      } else {
        throw new OpsError(
          'unsubscribe-secret rotate needs --local or --state: the secret is not reachable through the API',
        );
      }
    });
}
