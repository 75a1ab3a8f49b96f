/**
 * `restore`: putting data back from the table's point-in-time recovery. DynamoDB restores a point in time only
 * into a new table, so a restore is done in steps:
 *
 *   npm run ops -- restore start --at 2026-11-20T15:04:00Z --state OH    # a copy of the table as it was then
 *   npm run ops -- restore status <copy> --state OH                       # until it is ACTIVE
 *   npm run ops -- restore district lincoln-usd --from <copy> --state OH  # the district back as in the copy
 *   npm run ops -- restore delete <copy> --state OH                       # the copy, once it is no longer needed
 *
 * `start` is AWS-only: DynamoDB Local keeps no point-in-time backups. The other commands work on the local stack
 * too, where any other table of DynamoDB Local stands for a restored copy. Everything runs on the operator's own
 * AWS credentials, on the table of the stack's TableName output.
 */
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  ListTablesCommand,
  RestoreTableToPointInTimeCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type Command, InvalidArgumentError } from 'commander';
import { Timestamp } from '../../shared/contract/common';
import type { CommandContext } from './command-context';
import { confirmTypedBack, OpsError } from './context';
import { printFields, printJson, printTable } from './output';
import { registerRestoreDistrict } from './restore-district';
import {
  copyEncryption,
  describeEncryption,
  describeRestoredCopy,
  describeTable,
  isReady,
  type LocalTableOptions,
  type RestorePlace,
  restoredTableName,
  restoredTablePrefix,
  withLocalTableOptions,
  withRestorePlace,
} from './restore-tables';

/** commander's parser of `--at`: an ISO-8601 instant with its offset, never a local time open to guessing. */
function parseInstant(value: string): Date {
  const parsed = Timestamp.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'is not an ISO-8601 timestamp');
  }
  return new Date(parsed.data);
}

export function registerRestore(program: Command, context: CommandContext): void {
  const restore = program
    .command('restore')
    .description(
      "Restore from the table's point-in-time recovery: a copy of the table as it was at an instant (start, " +
        'status), one district copied back from it (district), the copy deleted when done (delete, list)',
    )
    .addHelpText(
      'after',
      '\nSteps on a deployed state: restore start --at <instant> --state <code>, then restore status <copy> ' +
        'until it is ready, then restore district <districtId> --from <copy> for each damaged district, then ' +
        'restore delete <copy> (restore list shows the copies left). Every step takes the same --state.',
    );

  restore
    .command('start')
    .description(
      "Start a point-in-time restore of the stack's table into a new table, <table>-restore-<yyyymmddThhmmssZ>, " +
        'encrypted like the table (kms:DescribeKey on its key tells whose it is) and billed on demand; prints ' +
        'its name. AWS only: DynamoDB Local keeps ' +
        'no point-in-time backups. The live table is not touched.',
    )
    .requiredOption(
      '--at <instant>',
      'the instant to restore to, ISO-8601 with offset, e.g. 2026-11-20T15:04:00Z: just before the damage',
      parseInstant,
    )
    .action(async (options: { at: Date }, command: Command) => {
      const target = context.target(command);
      if (target.kind !== 'deployed') {
        throw new OpsError(
          'restore start needs --state: DynamoDB Local keeps no point-in-time backups. To rehearse locally, ' +
            'copy the table into another table of DynamoDB Local and pass it to restore district --from.',
        );
      }
      await withRestorePlace(context, command, { localState: target.stateCode }, (place) =>
        startRestore(context, command, place, options.at),
      );
    });

  withLocalTableOptions(
    restore
      .command('status')
      .description(
        'Show a restored copy: CREATING while DynamoDB restores it (minutes to hours, with the size of the ' +
          'table), ACTIVE when restore district may read it, and then its item count',
      )
      .argument('<table>', 'the restored copy, as restore start printed it'),
  ).action(async (tableName: string, options: LocalTableOptions, command: Command) => {
    await withRestorePlace(context, command, options, async (place) => {
      const table = await describeTable(place, tableName);
      const ready = isReady(table);
      if (context.options(command).json) {
        printJson(context.io, { ...statusOf(table), ready });
        return;
      }
      printFields(context.io, statusFields(table));
      context.io.out(
        ready
          ? `Ready: restore district <districtId> --from ${tableName}${place.flags}\n`
          : `Not ready yet: run restore status ${tableName}${place.flags} again in a few minutes.\n`,
      );
    });
  });

  withLocalTableOptions(
    restore
      .command('list')
      .description(
        "List the restored copies of the stack's table that restore start made (named <table>-restore-…), " +
          'with their status: each one is billed for its storage until it is deleted',
      ),
  ).action(async (options: LocalTableOptions, command: Command) => {
    await withRestorePlace(context, command, options, async (place) => {
      const tables: TableDescription[] = [];
      for (const name of await restoredCopies(place)) tables.push(await describeTable(place, name));
      if (context.options(command).json) {
        printJson(context.io, tables.map(statusOf));
        return;
      }
      if (tables.length === 0) {
        context.io.out(`No restored copies of ${place.liveTable} ${place.where}.\n`);
        return;
      }
      printTable(
        context.io,
        ['TABLE', 'STATUS', 'RESTORED TO', 'ITEMS'],
        tables.map((table) => {
          const status = statusOf(table);
          return [
            status.table,
            status.status,
            status.restoredTo ?? '-',
            status.itemCount === undefined ? '-' : String(status.itemCount),
          ];
        }),
      );
    });
  });

  withLocalTableOptions(
    restore
      .command('delete')
      .description(
        "Delete a restored copy once it is no longer needed. Refuses the stack's own table and any table that is " +
          "not a restore of it. Asks for the table's name to be typed back first, unless --yes.",
      )
      .argument('<table>', 'the restored copy')
      .option('--yes', "do not ask for the table's name to be typed back first"),
  ).action(async (tableName: string, options: LocalTableOptions & { yes?: boolean }, command: Command) => {
    await withRestorePlace(context, command, options, async (place) => {
      const table = await describeRestoredCopy(place, tableName);
      if (!options.yes) await confirmDeletion(context, tableName, table);
      try {
        await place.client.send(new DeleteTableCommand({ TableName: tableName }));
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceInUseException') {
          throw new OpsError(
            `${tableName} cannot be deleted while it is ${table.TableStatus ?? 'busy'}: wait until restore status ` +
              'says ACTIVE',
            { cause: error },
          );
        }
        throw error;
      }
      if (context.options(command).json) {
        printJson(context.io, { table: tableName, deleted: true });
      } else {
        context.io.out(`Deleting ${tableName}: DynamoDB removes it within minutes.\n`);
      }
    });
  });

  registerRestoreDistrict(restore, context);
}

/**
 * Checks that the restore time is within the table's recovery window (DescribeContinuousBackups), then starts the
 * restore with the source's encryption, on-demand billing and the indexes of the source.
 */
async function startRestore(context: CommandContext, command: Command, place: RestorePlace, at: Date) {
  const { ContinuousBackupsDescription: backups } = await place.client.send(
    new DescribeContinuousBackupsCommand({ TableName: place.liveTable }),
  );
  const recovery = backups?.PointInTimeRecoveryDescription;
  if (recovery?.PointInTimeRecoveryStatus !== 'ENABLED') {
    throw new OpsError(
      `point-in-time recovery is not enabled on ${place.liveTable}: there is nothing to restore from. Deploy ` +
        'the current version of the stack, which enables it.',
    );
  }
  const earliest = recovery.EarliestRestorableDateTime;
  const latest = recovery.LatestRestorableDateTime;
  if ((earliest && at < earliest) || (latest && at > latest)) {
    throw new OpsError(
      `${at.toISOString()} is outside the recovery window of ${place.liveTable}: pass --at from ` +
        `${earliest?.toISOString() ?? 'its start'} to ${latest?.toISOString() ?? 'about five minutes ago'}`,
    );
  }

  const source = await describeTable(place, place.liveTable);
  const targetTable = restoredTableName(place.liveTable, at);
  const encryption = await copyEncryption(place, source.SSEDescription);
  try {
    await place.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: place.liveTable,
        TargetTableName: targetTable,
        RestoreDateTime: at,
        BillingModeOverride: 'PAY_PER_REQUEST',
        SSESpecificationOverride: encryption,
      }),
    );
  } catch (error) {
    throw restoreStartError(error, targetTable, place) ?? error;
  }

  if (context.options(command).json) {
    printJson(context.io, {
      sourceTable: place.liveTable,
      table: targetTable,
      restoredTo: at.toISOString(),
      encryption,
    });
    return;
  }
  context.io.out(
    `Restoring ${place.liveTable} as it was at ${at.toISOString()} into ${targetTable}, encrypted with ` +
      `${describeEncryption(source.SSEDescription)}, billed on demand.\n` +
      'A restore takes from minutes to hours, with the size of the table. Follow it with:\n' +
      `  npm run ops -- restore status ${targetTable}${place.flags}\n` +
      'Once it is ACTIVE, put a district back with:\n' +
      `  npm run ops -- restore district <districtId> --from ${targetTable}${place.flags}\n`,
  );
}

/** The SDK errors of a restore an operator can act on, as what to do; undefined for the rest. */
function restoreStartError(error: unknown, targetTable: string, place: RestorePlace): OpsError | undefined {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'TableAlreadyExistsException':
      return new OpsError(
        `${targetTable} exists already: a restore to this instant was started before. Follow it with restore ` +
          `status ${targetTable}${place.flags}, or delete it first with restore delete ${targetTable}${place.flags}`,
        { cause: error },
      );
    case 'InvalidRestoreTimeException':
    case 'PointInTimeRecoveryUnavailableException':
      return new OpsError(`DynamoDB refused the restore time: ${error.message}`, { cause: error });
    case 'LimitExceededException':
      return new OpsError(
        `DynamoDB refused another restore now (${error.message}): wait for running restores to finish`,
        { cause: error },
      );
    default:
      return undefined;
  }
}

/** The names of the tables named like restored copies of the live table. */
async function restoredCopies(place: RestorePlace): Promise<string[]> {
  const prefix = restoredTablePrefix(place.liveTable);
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await place.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** What `status` and `list` say of a table. */
function statusOf(table: TableDescription) {
  return {
    table: table.TableName ?? '',
    status: table.TableStatus ?? 'UNKNOWN',
    restoring: table.RestoreSummary?.RestoreInProgress ?? false,
    restoredTo: table.RestoreSummary?.RestoreDateTime?.toISOString(),
    source: table.RestoreSummary?.SourceTableArn ?? table.RestoreSummary?.SourceBackupArn,
    // DynamoDB counts a table's items only once it is there, and refreshes the count about every six hours
    itemCount: isReady(table) ? table.ItemCount : undefined,
    sizeBytes: isReady(table) ? table.TableSizeBytes : undefined,
    encryption: describeEncryption(table.SSEDescription),
  };
}

function statusFields(table: TableDescription): [string, string][] {
  const status = statusOf(table);
  return [
    ['table', status.table],
    ['status', status.restoring ? `${status.status}, restoring` : status.status],
    ...(status.restoredTo === undefined ? [] : [['restored to', status.restoredTo] as [string, string]]),
    ...(status.source === undefined ? [] : [['source', status.source] as [string, string]]),
    [
      'items',
      status.itemCount === undefined
        ? 'counted once the table is ACTIVE'
        : `${status.itemCount} (DynamoDB refreshes this count about every six hours)`,
    ],
    ['encryption', status.encryption],
  ];
}

/** Asks for the table's name to be typed back; refuses where nobody can answer. */
function confirmDeletion(context: CommandContext, tableName: string, table: TableDescription): Promise<void> {
  const items = table.ItemCount === undefined ? '' : ` (about ${table.ItemCount} items)`;
  return confirmTypedBack(context.io, {
    question: `This deletes the restored copy ${tableName}${items}, for good.\nType its name to go on: `,
    expected: tableName,
    unattended: `deleting ${tableName}${items} cannot be undone`,
    subject: tableName,
  });
}
