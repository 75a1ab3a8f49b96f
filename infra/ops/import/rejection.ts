/** A row the import did not write, as the error report lists it. */
import type { FieldError } from '../../../shared/domain/field-error';

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
