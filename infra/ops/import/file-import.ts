/**
 * One file of an import, written through the public API: rows are read in order, checked as the API would check
 * them (a row that fails is rejected without being sent), and sent in units — a milestone row is one PUT, up to
 * `batchSize` submission rows one batch POST — with a few units in flight. Once a unit and every unit before it
 * are answered, the checkpoint moves past their rows.
 *
 * Rows the checkpoint already covers are read and skipped, not sent. The writes of one milestone are sent one
 * after another in file order (the API applies a milestone write only when it is newer than the stored one, so a
 * history sorted by updatedAt is applied update by update, as it happened).
 *
 * A dry run reads the file the same way and checks every row, sends nothing and reports every rejected row: what it
 * cannot know is what only the table knows, a submissionId or a milestone write that conflicts with one already
 * stored (409).
 */
import type { Framework } from '../../../shared/contract/framework';
import type { CheckpointKeeper, FileCheckpoint } from './checkpoint';
import { type CsvFileFacts, type CsvRow, readCsvRows } from './csv-rows';
import type { ErrorReport, Rejection } from './error-report';
import type { ImportApi, RowAnswer } from './import-api';
import type { ImportKind } from './kinds';
import type { FileTally, ProgressView } from './progress-view';
import { ConfirmationLedger, KeyedSequence, RequestPool } from './request-pool';
import { checkFileRow, idOfRow, type ValidRequest } from './rows';

/**
 * Rows of a unit at most, rejected ones included: a long run of invalid rows still moves the checkpoint and the
 * report along, and is not held in memory whole.
 */
const MAX_UNIT_ROWS = 1_000;

export interface ImportInput {
  readonly kind: ImportKind;
  /** The file as given. */
  readonly file: string;
  readonly facts: CsvFileFacts;
}

interface FileImportOptions {
  readonly input: ImportInput;
  readonly framework: Framework;
  readonly api: ImportApi;
  /** Where earlier runs left the file: rows confirmed and what became of them (all 0 the first time). */
  readonly start: FileCheckpoint;
  readonly keeper: CheckpointKeeper;
  readonly view: ProgressView;
  /** Units in flight at once. */
  readonly concurrency: number;
  /** Submission rows per batch POST, 1-100. */
  readonly batchSize: number;
  /** Aborted: read no further, let the units in flight finish. */
  readonly signal: AbortSignal;
}

/** Rows sent together, and the rows rejected before sending among them; its rows are consecutive in the file. */
interface Unit {
  readonly sequence: number;
  readonly sends: { readonly row: CsvRow; readonly request: ValidRequest }[];
  readonly rejections: Rejection[];
}

const rowsOf = (unit: Unit) => unit.sends.length + unit.rejections.length;

interface UnitOutcome {
  readonly rows: number;
  readonly written: number;
  readonly replayed: number;
  readonly rejections: readonly Rejection[];
}

/** Imports the file from where `start` left it; resolves its tally once every unit sent is answered. */
export async function importFile(options: FileImportOptions): Promise<FileTally> {
  const { input, start, keeper, view, signal } = options;
  const { kind, file } = input;
  const pool = new RequestPool(options.concurrency);
  const ledger = new ConfirmationLedger<UnitOutcome>();
  const send = unitSender(options);
  const confirmed: FileCheckpoint = { ...start };
  let tally: FileTally = {
    kind,
    file,
    rows: input.facts.rows,
    read: start.confirmed,
    written: start.written,
    replayed: start.replayed,
    rejected: start.rejected,
    valid: 0,
  };
  view.fileStarted(tally);

  const answer = (unit: Unit, outcome: UnitOutcome) => {
    tally = {
      ...tally,
      written: tally.written + outcome.written,
      replayed: tally.replayed + outcome.replayed,
      rejected: tally.rejected + outcome.rejections.length,
    };
    view.fileUpdated(tally);
    const done = ledger.answer(unit.sequence, outcome);
    if (done.length === 0) return;
    for (const each of done) {
      confirmed.confirmed += each.rows;
      confirmed.written += each.written;
      confirmed.replayed += each.replayed;
      confirmed.rejected += each.rejections.length;
    }
    keeper.confirm(
      kind,
      confirmed,
      done.flatMap((each) => each.rejections),
    );
  };
  const dispatch = (unit: Unit) =>
    pool.run(async () => {
      const answers = await send(unit);
      answer(unit, outcomeOf(kind, file, unit, answers));
    });

  let sequence = 0;
  let unit: Unit = { sequence, sends: [], rejections: [] };
  try {
    for await (const row of readCsvRows(file, kind)) {
      if (row.index < start.confirmed) continue;
      if (signal.aborted) break;
      tally = { ...tally, read: tally.read + 1 };
      const checked = checkFileRow(kind, file, row, options.framework);
      if (checked.ok) unit.sends.push({ row, request: checked.request });
      else unit.rejections.push(checked.rejection);
      if (kind === 'milestones' || unit.sends.length >= options.batchSize || rowsOf(unit) >= MAX_UNIT_ROWS) {
        await dispatch(unit);
        sequence += 1;
        unit = { sequence, sends: [], rejections: [] };
      }
    }
    if (rowsOf(unit) > 0 && !signal.aborted) await dispatch(unit);
    await pool.drain();
  } finally {
    // a failure stops the reading; what is in flight still gets its answer into the checkpoint
    await pool.settle();
  }
  if (!signal.aborted) view.fileFinished(tally);
  return tally;
}

/** Sends a unit's valid rows: a PUT per milestone (in file order per milestone), one batch POST otherwise. */
function unitSender(options: FileImportOptions): (unit: Unit) => Promise<readonly RowAnswer[]> {
  const { api } = options;
  const milestoneOrder = new KeyedSequence();
  return async (unit) => {
    if (unit.sends.length === 0) return [];
    if (options.input.kind === 'milestones') {
      return Promise.all(
        unit.sends.map(({ request }) => {
          if (request.kind !== 'milestones') throw new TypeError('a milestone file holds milestones');
          return milestoneOrder.after(request.milestoneId, () =>
            api.putMilestone(request.milestoneId, request.body),
          );
        }),
      );
    }
    return api.postBatch(
      unit.sends.map(({ request }) => {
        if (request.kind === 'milestones') throw new TypeError('a submission file holds submissions');
        return request.submission;
      }),
    );
  };
}

function outcomeOf(kind: ImportKind, file: string, unit: Unit, answers: readonly RowAnswer[]): UnitOutcome {
  let written = 0;
  let replayed = 0;
  const rejections = [...unit.rejections];
  unit.sends.forEach(({ row }, index) => {
    const answer = answers[index];
    if (answer?.outcome === 'written') written += 1;
    else if (answer?.outcome === 'replayed') replayed += 1;
    else if (answer?.outcome === 'rejected') {
      rejections.push({
        file,
        line: row.line,
        id: idOfRow(kind, row.cells),
        status: answer.status,
        errors: answer.errors,
      });
    }
  });
  // a unit's rejections in file order: the report lists rows as they come
  rejections.sort((a, b) => a.line - b.line);
  return { rows: rowsOf(unit), written, replayed, rejections };
}

/** Rejections are written to the report in runs of this many rows. */
const REPORT_EVERY_ROWS = 1_000;

/** Checks every row of the file; resolves its tally once every rejected row is in the report. */
export async function validateFile(
  input: ImportInput,
  framework: Framework,
  report: ErrorReport,
  view: ProgressView,
): Promise<FileTally> {
  const { kind, file } = input;
  let tally: FileTally = {
    kind,
    file,
    rows: input.facts.rows,
    read: 0,
    written: 0,
    replayed: 0,
    rejected: 0,
    valid: 0,
  };
  view.fileStarted(tally);
  let rejections: Rejection[] = [];
  for await (const row of readCsvRows(file, kind)) {
    const checked = checkFileRow(kind, file, row, framework);
    if (!checked.ok) rejections.push(checked.rejection);
    tally = {
      ...tally,
      read: tally.read + 1,
      valid: tally.valid + (checked.ok ? 1 : 0),
      rejected: tally.rejected + (checked.ok ? 0 : 1),
    };
    if (tally.read % REPORT_EVERY_ROWS === 0) {
      await report.append(rejections);
      rejections = [];
      view.fileUpdated(tally);
    }
  }
  await report.append(rejections);
  view.fileFinished(tally);
  return tally;
}
