/**
 * A row checked as the API would check its request: the contract's zod schemas, then the references to the
 * district's framework (shared/domain/references.ts), every problem at once with the path the API would give.
 * A row that passes here is only refused by the API for what it alone knows: a conflict with what is stored.
 */
import { Id } from '../../../shared/contract/common';
import { fieldErrors } from '../../../shared/contract/field-errors';
import type { Framework } from '../../../shared/contract/framework';
import { MilestoneBody } from '../../../shared/contract/milestones';
import type { FieldError } from '../../../shared/domain/field-error';
import { milestoneReferenceErrors, withReferenceErrors } from '../../../shared/domain/references';
import { checkSubmission } from '../../../shared/domain/submission-check';
import type { CsvRow } from './csv-rows';
import type { ImportKind } from './kinds';
import type { Rejection } from './rejection';
import { type Cells, idOfRow, requestOfRow } from './row-mapping';

/** A row's request, ready to send. */
export type ValidRequest =
  | { readonly kind: 'milestones'; readonly milestoneId: string; readonly body: MilestoneBody }
  | { readonly kind: 'ratings' | 'evidence'; readonly submission: unknown };

export type CheckedRow =
  | { readonly ok: true; readonly request: ValidRequest }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export function checkRow(kind: ImportKind, cells: Cells, framework: Framework): CheckedRow {
  const request = requestOfRow(kind, cells);
  if (request.kind === 'milestones') {
    const id = Id.safeParse(request.milestoneId);
    const body = MilestoneBody.safeParse(request.body);
    const errors = [
      ...(id.success ? [] : fieldErrors(id.error, 'milestoneId')),
      ...withReferenceErrors(
        body.success ? [] : fieldErrors(body.error),
        milestoneReferenceErrors(request.body, framework),
      ),
    ];
    return id.success && body.success && errors.length === 0
      ? { ok: true, request: { kind: 'milestones', milestoneId: id.data, body: body.data } }
      : { ok: false, errors };
  }
  const checked = checkSubmission(request.submission, framework);
  return checked.ok
    ? { ok: true, request: { kind: request.kind, submission: checked.submission } }
    : { ok: false, errors: checked.errors };
}

/** A row of a file checked, or its rejection as the error report lists it (status `invalid`). */
export function checkFileRow(
  kind: ImportKind,
  file: string,
  row: CsvRow,
  framework: Framework,
):
  | { readonly ok: true; readonly request: ValidRequest }
  | { readonly ok: false; readonly rejection: Rejection } {
  const checked: CheckedRow = row.shape
    ? { ok: false, errors: [{ path: '', message: row.shape }] }
    : checkRow(kind, row.cells, framework);
  if (checked.ok) return checked;
  return {
    ok: false,
    rejection: {
      file,
      line: row.line,
      id: idOfRow(kind, row.cells),
      status: 'invalid',
      errors: checked.errors,
    },
  };
}
