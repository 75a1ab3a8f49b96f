/**
 * What the `restore` commands share: where they work (the live table of the local stack or of a deployed stack,
 * and a client of the DynamoDB that holds it), how a restored copy is named, encrypted and described, and the
 * check that a table is a restored copy of the stack's table before anything is copied from it or deleted.
 */
import {
  DescribeTableCommand,
  type SSEDescription,
  type SSESpecification,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { documentClientFor } from '../../shared/runtime/clients';
import { stackName } from '../stack-contract';
import type { CommandContext } from './command-context';
import { OpsError } from './context';
import { defaultLocalEndpoint, withLocalTable } from './local-table';
import { readStackOutputs } from './stack-outputs';
import { parseStateCode } from './target';

/** The options that locate the local stack's table, which every restore command but `start` takes. */
export interface LocalTableOptions {
  readonly dynamodbEndpoint?: string;
  readonly localState: string;
}

/** The state the local stack runs unless told otherwise. */
const DEFAULT_LOCAL_STATE = 'XX';

/** Adds the options of LocalTableOptions to a command. */
export function withLocalTableOptions(command: Command): Command {
  return command
    .option('--dynamodb-endpoint <url>', 'local: the DynamoDB Local URL of the running local stack')
    .option(
      '--local-state <code>',
      'local: the state the local stack runs',
      parseStateCode,
      DEFAULT_LOCAL_STATE,
    );
}

/** Where a restore command works. */
export interface RestorePlace {
  readonly kind: 'local' | 'deployed';
  readonly stateCode: string;
  /** The table the platform runs on. */
  readonly liveTable: string;
  /** Item commands and table commands alike (the document client passes the latter through as they are). */
  readonly client: DynamoDBDocumentClient;
  /** A deployed stack's KMS, made when asked for (only `start` reads a key); DynamoDB Local has no KMS keys. */
  readonly kms?: () => KMSClient;
  /** Where the tables are, for messages: `in us-east-2` or `in DynamoDB Local at http://…`. */
  readonly where: string;
  /** The target options of a later command on the same place, for the hints printed: ` --state OH`. */
  readonly flags: string;
}

/**
 * Runs `work` on the target's live table: for `--state`, the table of the stack's TableName output on the
 * operator's credentials; locally, the local stack's table in DynamoDB Local.
 */
export async function withRestorePlace<T>(
  context: CommandContext,
  command: Command,
  options: LocalTableOptions,
  work: (place: RestorePlace) => Promise<T>,
): Promise<T> {
  const target = context.target(command);
  if (target.kind === 'deployed') {
    const outputs = await readStackOutputs(
      context.aws.cloudFormation(target.region),
      target.stateCode,
      target.region,
      ['tableName'],
    );
    const region = context.options(command).region;
    return work({
      kind: 'deployed',
      stateCode: target.stateCode,
      liveTable: outputs.tableName,
      client: documentClientFor(context.aws.dynamoDb(target.region)),
      kms: () => context.aws.kms(target.region),
      where: `in ${target.region}`,
      flags: ` --state ${target.stateCode}${region === undefined ? '' : ` --region ${region}`}`,
    });
  }
  if (target.kind === 'local') {
    const endpoint = options.dynamodbEndpoint ?? defaultLocalEndpoint(context.io.env);
    return withLocalTable({ endpoint, stateCode: options.localState }, (liveTable, client) =>
      work({
        kind: 'local',
        stateCode: options.localState,
        liveTable,
        client,
        where: `in DynamoDB Local at ${endpoint}`,
        flags:
          (options.dynamodbEndpoint === undefined ? '' : ` --dynamodb-endpoint ${endpoint}`) +
          (options.localState === DEFAULT_LOCAL_STATE ? '' : ` --local-state ${options.localState}`),
      }),
    );
  }
  throw new OpsError(`${command.name()} needs --local or --state: it works on the tables themselves`);
}

/** The prefix of the names `restore start` gives the restored copies of `liveTable`. */
export const restoredTablePrefix = (liveTable: string) => `${liveTable}-restore-`;

/**
 * The name of a restored copy of `liveTable` as it was at `at`: the table's name, `-restore-` and the restore
 * time in UTC to the second (`20261120T150405Z`), so that the name says which moment the copy holds.
 */
export function restoredTableName(liveTable: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${restoredTablePrefix(liveTable)}${stamp}`;
}

/**
 * The encryption a restored copy must get: the source table's. Without an override DynamoDB would pick the key it
 * owns, whatever the source's.
 *
 * - A table encrypted with DynamoDB's AWS managed key (`aws/dynamodb`, which the stack uses) names that key's ARN in
 *   its description, but need not be named: `Enabled: true` alone asks for it, and DynamoDB's API reference says
 *   to give a key id only for a key other than `aws/dynamodb`. KMS DescribeKey tells which it is
 *   (`KeyManager` AWS or CUSTOMER; the operator needs `kms:DescribeKey` on the key).
 * - A table encrypted with a customer managed key gets the same key, by its ARN.
 * - A table without a KMS key uses the key DynamoDB owns, and so does the copy (`Enabled: false` asks for it).
 */
export async function copyEncryption(
  place: RestorePlace,
  source: SSEDescription | undefined,
): Promise<SSESpecification> {
  const keyArn = source?.SSEType === 'KMS' ? source.KMSMasterKeyArn : undefined;
  if (!keyArn) return { Enabled: false };
  if (!place.kms) {
    throw new OpsError(
      `the table ${place.liveTable} ${place.where} names KMS key ${keyArn}, but no KMS is reachable`,
    );
  }
  let manager: string | undefined;
  try {
    const { KeyMetadata: key } = await place.kms().send(new DescribeKeyCommand({ KeyId: keyArn }));
    manager = key?.KeyManager;
  } catch (error) {
    throw new OpsError(
      `could not read KMS key ${keyArn} of ${place.liveTable} (${error instanceof Error ? error.name : String(error)}): ` +
        "the copy must be encrypted like the table, and whether that is DynamoDB's AWS managed key or your own " +
        'takes kms:DescribeKey on that key',
    );
  }
  return manager === 'AWS'
    ? { Enabled: true, SSEType: 'KMS' }
    : { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn };
}

/** The encryption of a table, in words. */
export function describeEncryption(sse: SSEDescription | undefined): string {
  if (sse?.SSEType === 'KMS' && sse.KMSMasterKeyArn) return `KMS key ${sse.KMSMasterKeyArn}`;
  return 'the key DynamoDB owns';
}

/** A table's description; an OpsError saying where it was looked for when there is no such table. */
export async function describeTable(place: RestorePlace, tableName: string): Promise<TableDescription> {
  try {
    const { Table: table } = await place.client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!table) throw new OpsError(`DynamoDB described no table ${tableName} ${place.where}`);
    return table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new OpsError(
        `there is no table ${tableName} ${place.where}: \`restore list${place.flags}\` lists the restored copies`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Whether a table is ready to be read: created, and no longer being restored into. */
export const isReady = (table: TableDescription) =>
  table.TableStatus === 'ACTIVE' && table.RestoreSummary?.RestoreInProgress !== true;

/**
 * The description of `name`, refused unless it is a restored copy of the stack's table: the stack's table itself
 * is refused before anything is read, and, on a deployed stack, any table whose restore summary does not name it
 * as the source (another state's table, another stack's restore). DynamoDB Local restores nothing, so locally any
 * other table stands for a restored copy.
 */
export async function describeRestoredCopy(place: RestorePlace, name: string): Promise<TableDescription> {
  if (name === place.liveTable) {
    throw new OpsError(
      `${name} is the table the platform runs on, not a restored copy of it: name the table \`restore start\` ` +
        `made (\`restore list${place.flags}\`)`,
    );
  }
  const copy = await describeTable(place, name);
  if (place.kind === 'local') return copy;
  const liveArn = (await describeTable(place, place.liveTable)).TableArn;
  const summary = copy.RestoreSummary;
  const fromLive =
    liveArn !== undefined &&
    (summary?.SourceTableArn === liveArn ||
      Boolean(summary?.SourceBackupArn?.startsWith(`${liveArn}/backup/`)));
  if (!fromLive) {
    throw new OpsError(
      `${name} is not a restored copy of ${place.liveTable}, the table of ${stackName(place.stateCode)}: ` +
        `\`restore list${place.flags}\` lists the copies`,
    );
  }
  return copy;
}
