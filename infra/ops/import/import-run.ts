/**
 * A whole import, or its dry run: the files checked first (header, size, hash), then the district's framework
 * read, then each file in turn (milestones, ratings, evidence). A real import resumes from its checkpoint, writes
 * with a district key (a given one, or one it makes and revokes), and stops cleanly on SIGINT/SIGTERM; a dry run
 * writes nothing but the error report.
 */
import { resolve } from 'node:path';
import type { Framework } from '../../../shared/contract/framework';
import { OpsError, type OpsIo } from '../context';
import { createDistrictKey } from '../keys';
import type { ApiTarget } from '../target';
import { type Checkpoint, CheckpointKeeper, type FileCheckpoint, readCheckpoint } from './checkpoint';
import { inspectCsvFile } from './csv-rows';
import { ErrorReport } from './error-report';
import { type ImportInput, importFile, validateFile } from './file-import';
import { revokeImportKey } from './import-access';
import { type ApiCounters, ImportApi } from './import-api';
import { IMPORT_KINDS, type ImportKind } from './kinds';
import type { FileTally, ProgressView } from './progress-view';

/** What to import, and how. */
export interface ImportPlan {
  readonly districtId: string;
  /** The files given, by kind. */
  readonly files: Partial<Record<ImportKind, string>>;
  /** The error report asked for; `undefined` for the checkpoint's, or else defaultErrorReport. */
  readonly errorReport: string | undefined;
  readonly defaultErrorReport: string;
  readonly checkpoint: string;
  /** Starts from the first row, replacing the checkpoint and the error report. */
  readonly restart: boolean;
  readonly concurrency: number;
  readonly batchSize: number;
}

/**
 * How the import reaches the API: with a district key given by the caller, or with the state key of `state`,
 * which makes one for the import (a dry run reads the framework with the state key itself).
 */
export type ImportAccess =
  | { readonly kind: 'district-key'; readonly apiUrl: string; readonly districtKey: string }
  | { readonly kind: 'state-key'; readonly state: ApiTarget };

export interface ImportSummary {
  readonly districtId: string;
  readonly apiUrl: string;
  readonly dryRun: boolean;
  /** Rows confirmed by earlier runs when this one started. */
  readonly resumedRows: number;
  readonly seconds: number;
  readonly files: readonly Omit<FileTally, 'read'>[];
  readonly rejected: number;
  readonly errorReport: string;
  readonly checkpoint?: string;
  /** How often the API made the import wait: 429s, and requests sent again after a 5xx or a network failure. */
  readonly api?: ApiCounters;
}

const apiUrlOfAccess = (access: ImportAccess) =>
  access.kind === 'district-key' ? access.apiUrl : access.state.apiUrl;

/** Every file's header, size, hash and row count, before anything is sent: a bad header stops nothing midway. */
async function inspectInputs(plan: ImportPlan): Promise<ImportInput[]> {
  const inputs: ImportInput[] = [];
  for (const kind of IMPORT_KINDS) {
    const file = plan.files[kind];
    if (file !== undefined) inputs.push({ kind, file, facts: await inspectCsvFile(file, kind) });
  }
  return inputs;
}

export async function dryRun(
  plan: ImportPlan,
  access: ImportAccess,
  view: ProgressView,
): Promise<ImportSummary> {
  const started = Date.now();
  const inputs = await inspectInputs(plan);
  const framework = await new ImportApi(
    apiUrlOfAccess(access),
    readingKey(access),
    plan.districtId,
  ).framework();
  const report = await ErrorReport.create(resolve(plan.errorReport ?? plan.defaultErrorReport));
  const tallies: FileTally[] = [];
  try {
    for (const input of inputs) tallies.push(await validateFile(input, framework, report, view));
  } finally {
    view.stop();
    await report.close();
  }
  return summary(plan, access, { dryRun: true, started, tallies, resumedRows: 0, report: report.path });
}

export async function importHistory(
  plan: ImportPlan,
  access: ImportAccess,
  view: ProgressView,
  io: OpsIo,
): Promise<ImportSummary> {
  const started = Date.now();
  const inputs = await inspectInputs(plan);
  const apiUrl = apiUrlOfAccess(access);
  // read first, with the key at hand: a district that does not exist, or a key refused, leaves no file behind
  const framework = await new ImportApi(apiUrl, readingKey(access), plan.districtId).framework();
  const checkpointFile = resolve(plan.checkpoint);
  const earlier = await readCheckpoint(checkpointFile);
  const resumed = plan.restart ? undefined : earlier;
  if (resumed) checkResumable(resumed, plan, apiUrl, inputs, checkpointFile);

  const report = resumed
    ? await ErrorReport.resume(resumed.errorReport.path, resumed.errorReport.bytes)
    : await ErrorReport.create(resolve(plan.errorReport ?? plan.defaultErrorReport));
  const keeper = new CheckpointKeeper(
    checkpointFile,
    resumed ?? {
      version: 1,
      apiUrl,
      districtId: plan.districtId,
      errorReport: { path: report.path, bytes: report.bytes },
      ...(earlier?.mintedKeyId === undefined ? {} : { mintedKeyId: earlier.mintedKeyId }),
      files: {},
      updatedAt: new Date().toISOString(),
    },
    report,
  );
  // each file from where the checkpoint left it, or from its first row
  const files = inputs.map((input) => ({
    input,
    start: resumed?.files[input.kind] ?? newFileCheckpoint(input),
  }));
  for (const { input, start } of files) keeper.confirm(input.kind, start, []);
  await keeper.flush();
  const unfinished = files.some(({ start }) => start.confirmed < start.rows);

  const stop = new AbortController();
  const unlisten = listenForStop(stop, io);
  /** The key this run made, until it is revoked. */
  let mintedKeyId: string | undefined;
  const tallies: FileTally[] = [];
  let api: ImportApi | undefined;
  try {
    if (access.kind === 'state-key') await revokeLeftOverKey(keeper, access.state, plan.districtId, io);
    // a finished import is only summed up: no key is made for it
    if (unfinished) {
      let key: string;
      if (access.kind === 'district-key') {
        key = access.districtKey;
      } else {
        const made = await createDistrictKey(access.state, plan.districtId);
        mintedKeyId = made.keyId;
        await keeper.recordMintedKey(made.keyId);
        key = made.apiKey;
      }
      api = new ImportApi(apiUrl, key, plan.districtId);
    }
    for (const { input, start } of files) {
      tallies.push(await runFile(input, start, { framework, api, keeper, view, plan, signal: stop.signal }));
      if (stop.signal.aborted) break;
    }
  } finally {
    unlisten();
    view.stop();
    await settleAfterRun(keeper, report, access, plan.districtId, mintedKeyId, io);
  }
  if (stop.signal.aborted) {
    throw new OpsError(
      `stopped: the checkpoint ${checkpointFile} keeps what was done; run the same command again to resume`,
    );
  }
  return summary(plan, access, {
    dryRun: false,
    started,
    tallies,
    resumedRows: files.reduce((sum, { start }) => sum + start.confirmed, 0),
    report: report.path,
    checkpoint: checkpointFile,
    ...(api ? { api: api.counters } : {}),
  });
}

/** The key to read the framework with: the district key given, else the state key, which may read any district. */
const readingKey = (access: ImportAccess) =>
  access.kind === 'district-key' ? access.districtKey : access.state.stateKey;

function newFileCheckpoint(input: ImportInput): FileCheckpoint {
  const { size, sha256, rows } = input.facts;
  return {
    path: resolve(input.file),
    size,
    sha256,
    rows,
    confirmed: 0,
    written: 0,
    replayed: 0,
    rejected: 0,
  };
}

/** A file the checkpoint has done already is only tallied; any other is imported from where it stopped. */
async function runFile(
  input: ImportInput,
  start: FileCheckpoint,
  run: {
    readonly framework: Framework;
    /** Absent when every file is done. */
    readonly api: ImportApi | undefined;
    readonly keeper: CheckpointKeeper;
    readonly view: ProgressView;
    readonly plan: ImportPlan;
    readonly signal: AbortSignal;
  },
): Promise<FileTally> {
  if (start.confirmed >= start.rows || run.api === undefined) {
    const tally: FileTally = { kind: input.kind, file: input.file, read: start.rows, valid: 0, ...start };
    run.view.fileStarted(tally);
    run.view.fileFinished(tally);
    return tally;
  }
  return importFile({
    input,
    start,
    framework: run.framework,
    api: run.api,
    keeper: run.keeper,
    view: run.view,
    concurrency: run.plan.concurrency,
    batchSize: run.plan.batchSize,
    signal: run.signal,
  });
}

/** Refuses a checkpoint of another import: another API, another district, changed files or another report. */
function checkResumable(
  checkpoint: Checkpoint,
  plan: ImportPlan,
  apiUrl: string,
  inputs: readonly ImportInput[],
  file: string,
): void {
  const elsewhere = `pass --restart to import from the start, or --checkpoint <file> to keep this one`;
  if (checkpoint.districtId !== plan.districtId || checkpoint.apiUrl !== apiUrl) {
    throw new OpsError(
      `the checkpoint ${file} is of an import of ${checkpoint.districtId} into ${checkpoint.apiUrl}: ${elsewhere}`,
    );
  }
  for (const input of inputs) {
    const done = checkpoint.files[input.kind];
    if (done && (done.size !== input.facts.size || done.sha256 !== input.facts.sha256)) {
      throw new OpsError(
        `${input.file} is not the ${input.kind} file the checkpoint ${file} was made for (its content differs): ` +
          elsewhere,
      );
    }
  }
  if (plan.errorReport !== undefined && resolve(plan.errorReport) !== checkpoint.errorReport.path) {
    throw new OpsError(
      `the checkpoint ${file} keeps its error report at ${checkpoint.errorReport.path}: pass --errors with that ` +
        `path to resume, or ${elsewhere}`,
    );
  }
}

/** A key an earlier run made and could not revoke (it was killed) is revoked before a new one is made. */
async function revokeLeftOverKey(
  keeper: CheckpointKeeper,
  state: ApiTarget,
  districtId: string,
  io: OpsIo,
): Promise<void> {
  const keyId = keeper.mintedKeyId;
  if (keyId === undefined) return;
  await revokeImportKey(state, districtId, keyId);
  io.err(`import: revoked key ${keyId}, made by an earlier run of this import\n`);
  await keeper.recordMintedKey(undefined);
}

/**
 * After the run, whatever became of it: the key it made is revoked, the checkpoint and the report are on disk.
 * A failure here is told, and does not hide the run's own failure.
 */
async function settleAfterRun(
  keeper: CheckpointKeeper,
  report: ErrorReport,
  access: ImportAccess,
  districtId: string,
  mintedKeyId: string | undefined,
  io: OpsIo,
): Promise<void> {
  try {
    if (mintedKeyId !== undefined && access.kind === 'state-key') {
      try {
        await revokeImportKey(access.state, districtId, mintedKeyId);
        await keeper.recordMintedKey(undefined);
      } catch (error) {
        io.err(
          `warning: could not revoke the import's key ${mintedKeyId} (${error instanceof Error ? error.message : error}); ` +
            `revoke it with: npm run ops -- keys revoke ${districtId} ${mintedKeyId}\n`,
        );
      }
    }
    await keeper.flush();
  } catch (error) {
    io.err(
      `warning: could not save the checkpoint ${keeper.file}: ${error instanceof Error ? error.message : error}\n`,
    );
  } finally {
    await report.close();
  }
}

/**
 * SIGINT or SIGTERM stops the reading and lets the requests in flight finish, so that their answers reach the
 * checkpoint and the key is revoked; a second one ends the process at once. Returns the unlistening.
 */
function listenForStop(stop: AbortController, io: OpsIo): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      unlisten();
      process.kill(process.pid, signal);
      return;
    }
    io.err(`\nimport: ${signal}: finishing the requests in flight, then stopping (again to stop at once)\n`);
    stop.abort();
  };
  const unlisten = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return unlisten;
}

function summary(
  plan: ImportPlan,
  access: ImportAccess,
  run: {
    readonly dryRun: boolean;
    readonly started: number;
    readonly tallies: readonly FileTally[];
    readonly resumedRows: number;
    readonly report: string;
    readonly checkpoint?: string;
    readonly api?: ApiCounters;
  },
): ImportSummary {
  return {
    districtId: plan.districtId,
    apiUrl: apiUrlOfAccess(access),
    dryRun: run.dryRun,
    resumedRows: run.resumedRows,
    seconds: Math.round((Date.now() - run.started) / 100) / 10,
    files: run.tallies.map(({ read: _read, ...tally }) => tally),
    rejected: run.tallies.reduce((sum, tally) => sum + tally.rejected, 0),
    errorReport: run.report,
    ...(run.checkpoint === undefined ? {} : { checkpoint: run.checkpoint }),
    ...(run.api === undefined ? {} : { api: { ...run.api } }),
  };
}
