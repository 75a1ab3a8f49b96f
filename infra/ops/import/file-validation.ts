/**
 * One file of a dry run: every row checked as the API would check it (schema and the district's framework),
 * every rejected row in the error report, nothing sent. What a dry run cannot know is what only the table knows:
 * a submissionId or a milestone write that conflicts with one already stored (409).
 */
import type { Framework } from '../../../shared/contract/framework';
import { readCsvRows } from './csv-rows';
import type { ErrorReport } from './error-report';
import type { ImportInput } from './file-import';
import type { FileTally, ProgressView } from './progress-view';
import type { Rejection } from './rejection';
import { checkFileRow } from './row-check';

/** Rejections are written to the report in runs of this many rows. */
const REPORT_EVERY_ROWS = 1_000;

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
