/**
 * The error report: a CSV file with a line per problem of every rejected row (a row with three invalid fields
 * has three lines; one refused as a whole, a 409, has one with the API's detail), so that it can be filtered by
 * file, row or field in a spreadsheet. Its columns: file, line, id, status, path, message.
 *
 * A resumed import carries on the report of the run it resumes: the report is cut back to the length the
 * checkpoint recorded, so that rows reported after the checkpoint and reported again on resume are listed once.
 */
import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { FieldError } from '../../../shared/domain/field-error';
import { OpsError } from '../context';

/** A row the import did not write, as the error report lists it. */
export interface Rejection {
  /** The input file as it was given. */
  readonly file: string;
  /** The line the row starts on (the header is line 1). */
  readonly line: number;
  /** The row's milestoneId or submissionId as written. */
  readonly id: string;
  /** The API's status for the row, or `invalid` when it was refused before sending (the dry run: every one). */
  readonly status: number | 'invalid';
  readonly errors: readonly FieldError[];
}

const ERROR_REPORT_COLUMNS = ['file', 'line', 'id', 'status', 'path', 'message'] as const;

export class ErrorReport {
  #bytes: number;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    bytes: number,
  ) {
    this.#bytes = bytes;
  }

  /** A new report at `path`, replacing any file there, with its header line. */
  static async create(path: string): Promise<ErrorReport> {
    await mkdir(dirname(path), { recursive: true });
    const report = new ErrorReport(path, await open(path, 'w'), 0);
    await report.#write(stringify([ERROR_REPORT_COLUMNS]));
    return report;
  }

  /** The report of an earlier run, cut back to the `bytes` its checkpoint recorded. */
  static async resume(path: string, bytes: number): Promise<ErrorReport> {
    const size = await stat(path).then(
      (stats) => stats.size,
      () => -1,
    );
    if (size < bytes) {
      throw new OpsError(
        `the error report ${path} is ${size < 0 ? 'missing' : 'shorter than its checkpoint says'}: it was moved ` +
          'or changed since the last run. Pass --restart to import from the start with a new report.',
      );
    }
    const handle = await open(path, 'r+');
    await handle.truncate(bytes);
    return new ErrorReport(path, handle, bytes);
  }

  /** The report's length: what a checkpoint records. */
  get bytes(): number {
    return this.#bytes;
  }

  async append(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    await this.#write(stringify(rejections.flatMap(reportLines)));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  async #write(text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    await this.handle.write(data, 0, data.length, this.#bytes);
    this.#bytes += data.length;
  }
}

/** The report's lines of one rejected row: one per field error, or one without a path when there is none. */
function reportLines(rejection: Rejection): (string | number)[][] {
  const errors = rejection.errors.length > 0 ? rejection.errors : [{ path: '', message: '' }];
  return errors.map((error) => [
    rejection.file,
    rejection.line,
    rejection.id,
    rejection.status,
    error.path,
    error.message,
  ]);
}
