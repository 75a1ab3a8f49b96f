/**
 * `import <districtId>`: a district's history from its CSV exports, through the public API (docs/import.md).
 *
 *   npm run ops -- import lincoln-usd --milestones m.csv --ratings r.csv --evidence e.csv --dry-run
 *   npm run ops -- import lincoln-usd --milestones m.csv --ratings r.csv --evidence e.csv
 *
 * Exit 0 when every row was written (or was there already), 1 when any row was rejected (the error report lists
 * them) or the import failed or was stopped (the same command resumes it), 2 on a usage error.
 */
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MAX_BATCH_ITEMS } from '../../../shared/contract/assessments';
import { Id } from '../../../shared/contract/common';
import { defaultDataDir } from '../../local/data-dir';
import type { CommandContext } from '../command-context';
import { OpsError } from '../context';
import { wholeNumber } from '../districts';
import { printJson, printTable } from '../output';
import { resolveApiTarget } from '../target';
import { apiUrlOf, DISTRICT_KEY_ENV, givenDistrictKey } from './import-access';
import { dryRun, type ImportAccess, type ImportPlan, type ImportSummary, importHistory } from './import-run';
import { IMPORT_KINDS, KIND_DESCRIPTIONS } from './kinds';
import { PROGRESS_MODES, type ProgressMode, progressView } from './progress-view';

interface ImportOptions {
  readonly milestones?: string;
  readonly ratings?: string;
  readonly evidence?: string;
  readonly dryRun?: boolean;
  readonly checkpoint?: string;
  readonly errors?: string;
  readonly restart?: boolean;
  readonly districtKey?: string;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly progress: ProgressMode;
  readonly progressInterval: number;
}

const MAX_CONCURRENCY = 16;

/** commander's parser of a district id: the contract's id rule, so that a typo is a usage error. */
function parseDistrictId(value: string): string {
  const parsed = Id.safeParse(value);
  if (!parsed.success)
    throw new InvalidArgumentError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export function registerImport(program: Command, context: CommandContext): void {
  program
    .command('import')
    .description(
      "Import a district's history from CSV exports through the public API: milestones, condition ratings and " +
        'competency evidence (formats: docs/import.md). Resumable from its checkpoint; every rejected row goes ' +
        'to the error report; --dry-run checks every row and writes nothing.',
    )
    .argument('<districtId>', 'the district, which must exist', parseDistrictId)
    .option('--milestones <file>', `CSV of ${KIND_DESCRIPTIONS.milestones}`)
    .option('--ratings <file>', `CSV of ${KIND_DESCRIPTIONS.ratings}`)
    .option('--evidence <file>', `CSV of ${KIND_DESCRIPTIONS.evidence}`)
    .option(
      '--dry-run',
      "check every row (schema and the district's framework) and write only the error report",
    )
    .option(
      '--checkpoint <file>',
      'the checkpoint to resume from and keep (default .local/imports/<districtId>.checkpoint.json)',
    )
    .option(
      '--errors <file>',
      'the error report, CSV (default .local/imports/<districtId>.errors.csv, or .dry-run-errors.csv for a dry run)',
    )
    .option('--restart', 'start from the first row: replace the checkpoint and the error report')
    .option(
      '--district-key <key>',
      `write with this district key (default ${DISTRICT_KEY_ENV}; else a key made for the import with the state ` +
        'key and revoked at its end)',
    )
    .option('--concurrency <n>', `requests in flight, 1-${MAX_CONCURRENCY}`, wholeNumber(MAX_CONCURRENCY), 4)
    .option(
      '--batch-size <n>',
      `submissions per batch request, 1-${MAX_BATCH_ITEMS}`,
      wholeNumber(MAX_BATCH_ITEMS),
      MAX_BATCH_ITEMS,
    )
    .addOption(
      new Option('--progress <mode>', 'a bar on a terminal, else a line every few seconds')
        .choices(PROGRESS_MODES)
        .default('auto'),
    )
    .option('--progress-interval <seconds>', 'seconds between progress lines', wholeNumber(3_600), 5)
    .action(async (districtId: string, options: ImportOptions, command: Command) => {
      const files = Object.fromEntries(
        IMPORT_KINDS.flatMap((kind) => (options[kind] === undefined ? [] : [[kind, options[kind]]])),
      );
      if (Object.keys(files).length === 0) {
        command.error('error: give at least one of --milestones, --ratings and --evidence', { exitCode: 2 });
      }
      const imports = join(defaultDataDir(context.io.env), 'imports');
      const dryRunning = options.dryRun ?? false;
      const plan: ImportPlan = {
        districtId,
        files,
        errorReport: options.errors,
        defaultErrorReport: join(imports, `${districtId}.${dryRunning ? 'dry-run-errors' : 'errors'}.csv`),
        checkpoint: options.checkpoint ?? join(imports, `${districtId}.checkpoint.json`),
        restart: options.restart ?? false,
        concurrency: options.concurrency,
        batchSize: options.batchSize,
      };
      const access = await importAccess(context, command, options);
      const view = progressView(context.io, {
        mode: options.progress,
        intervalMs: options.progressInterval * 1_000,
        dryRun: dryRunning,
      });
      const summary = dryRunning
        ? await dryRun(plan, access, view)
        : await importHistory(plan, access, view, context.io);
      if (context.options(command).json) printJson(context.io, summary);
      else printSummary(context, summary);
      if (summary.rejected > 0) {
        throw new OpsError(
          `${summary.rejected.toLocaleString('en-US')} row${summary.rejected === 1 ? ' was' : 's were'} rejected: ` +
            `${summary.errorReport} lists ${summary.rejected === 1 ? 'it' : 'them'}`,
        );
      }
    });
}

/** A district key if one is given (no state key needed), else the state key of the target. */
async function importAccess(
  context: CommandContext,
  command: Command,
  options: ImportOptions,
): Promise<ImportAccess> {
  const districtKey = givenDistrictKey(options.districtKey, context.io.env);
  const target = context.target(command);
  if (districtKey !== undefined) {
    return { kind: 'district-key', apiUrl: await apiUrlOf(target, context.aws), districtKey };
  }
  const state = await resolveApiTarget(target, context.options(command), context.io.env, context.aws);
  return { kind: 'state-key', state };
}

function printSummary(context: CommandContext, summary: ImportSummary): void {
  const { io } = context;
  const count = (value: number) => value.toLocaleString('en-US');
  if (summary.dryRun) {
    io.out(
      `Dry run for ${summary.districtId} (${summary.apiUrl}) in ${summary.seconds} s: nothing was written.\n`,
    );
    printTable(
      io,
      ['KIND', 'FILE', 'ROWS', 'VALID', 'REJECTED'],
      summary.files.map((file) => [
        file.kind,
        file.file,
        count(file.rows),
        count(file.valid),
        count(file.rejected),
      ]),
    );
  } else {
    const resumed = summary.resumedRows > 0 ? `, resumed after ${count(summary.resumedRows)} rows` : '';
    io.out(`Imported into ${summary.districtId} (${summary.apiUrl}) in ${summary.seconds} s${resumed}.\n`);
    printTable(
      io,
      ['KIND', 'FILE', 'ROWS', 'WRITTEN', 'REPLAYED', 'REJECTED'],
      summary.files.map((file) => [
        file.kind,
        file.file,
        count(file.rows),
        count(file.written),
        count(file.replayed),
        count(file.rejected),
      ]),
    );
    if (summary.api && summary.api.throttled + summary.api.retried > 0) {
      io.out(
        `The API asked the import to slow down ${count(summary.api.throttled)} times (429); ` +
          `${count(summary.api.retried)} requests were sent again.\n`,
      );
    }
  }
  io.out(`error report: ${summary.errorReport}\n`);
  if (summary.checkpoint !== undefined) io.out(`checkpoint:   ${summary.checkpoint}\n`);
}
