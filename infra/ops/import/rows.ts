/**
 * A CSV row as the request the API takes for it, checked as the API would check that request.
 *
 * The mapping only reshapes: it never judges a value, so that the contract's own schemas report every problem
 * with the field's path, as the API would.
 *
 * - An empty cell leaves its field out (a required field is then reported as "is required").
 * - `level` and the levels of `ratings` become numbers when they are whole numbers, else they stay text and the
 *   schema says what it expected.
 * - `ratings` is `conditionId:level` pairs separated by `;` (`culture:3;agency:2`), in the order of the
 *   submission's `ratings` array, so `ratings.1.level` is the level of the second pair.
 * - `learner.groups` is group ids separated by `;` (`ell;iep`).
 *
 * The check is the contract's zod schemas, then the references to the district's framework
 * (shared/domain/references.ts), every problem at once with the path the API would give. A row that passes here
 * is only refused by the API for what it alone knows: a conflict with what is stored.
 */
import type { Submission } from '../../../shared/contract/assessments';
import { Id } from '../../../shared/contract/common';
import { fieldErrors } from '../../../shared/contract/field-errors';
import type { Framework } from '../../../shared/contract/framework';
import { MilestoneBody } from '../../../shared/contract/milestones';
import type { FieldError } from '../../../shared/domain/field-error';
import { milestoneReferenceErrors, withReferenceErrors } from '../../../shared/domain/references';
import { checkSubmission } from '../../../shared/domain/submission-check';
import type { Cells, CsvRow } from './csv-rows';
import type { Rejection } from './error-report';
import type { ImportKind } from './kinds';

/** What one row asks the API to do. */
type RowRequest =
  | { readonly kind: 'milestones'; readonly milestoneId: string; readonly body: Record<string, unknown> }
  | { readonly kind: 'ratings' | 'evidence'; readonly submission: Record<string, unknown> };

/** The separator of the entries of a list cell. */
const LIST_SEPARATOR = ';';
/** The separator of a rating's condition and level in the `ratings` cell. */
const PAIR_SEPARATOR = ':';

export function requestOfRow(kind: ImportKind, cells: Cells): RowRequest {
  switch (kind) {
    case 'milestones':
      return {
        kind,
        milestoneId: cells.milestoneId ?? '',
        body: present({
          title: cells.title,
          conditionId: cells.conditionId,
          status: cells.status,
          dueDate: cells.dueDate,
          achievedOn: cells.achievedOn,
          owner: cells.owner,
          updatedAt: cells.updatedAt,
        }),
      };
    case 'ratings':
      return {
        kind,
        submission: present({
          type: 'condition-rating',
          submissionId: cells.submissionId,
          respondent: present({
            id: cells['respondent.id'],
            role: cells['respondent.role'],
            schoolId: cells['respondent.schoolId'],
          }),
          submittedAt: cells.submittedAt,
          ratings: ratingsOf(cells.ratings),
        }),
      };
    case 'evidence':
      return {
        kind,
        submission: present({
          type: 'competency-evidence',
          submissionId: cells.submissionId,
          learner: present({
            id: cells['learner.id'],
            schoolId: cells['learner.schoolId'],
            gradeLevel: cells['learner.gradeLevel'],
            groups: listOf(cells['learner.groups']),
          }),
          competencyId: cells.competencyId,
          level: wholeNumberOr(cells.level),
          assessedOn: cells.assessedOn,
        }),
      };
  }
}

/**
 * The id a row's report line names: its milestoneId or submissionId as written, even when invalid (never a
 * learner or respondent id).
 */
export function idOfRow(kind: ImportKind, cells: Cells): string {
  return (kind === 'milestones' ? cells.milestoneId : cells.submissionId) ?? '';
}

/** `culture:3;agency:2` as the contract's ratings; an empty cell as no ratings, which the schema refuses. */
export function ratingsOf(cell: string | undefined): { conditionId: string; level?: number | string }[] {
  return (listOf(cell) ?? []).map((entry) => {
    const at = entry.indexOf(PAIR_SEPARATOR);
    if (at < 0) return { conditionId: entry };
    const level = entry.slice(at + 1).trim();
    return {
      conditionId: entry.slice(0, at).trim(),
      ...(level === '' ? {} : { level: wholeNumberOr(level) }),
    };
  });
}

/** The non-empty entries of a list cell; `undefined` for an empty cell. */
export function listOf(cell: string | undefined): string[] | undefined {
  const entries = (cell ?? '')
    .split(LIST_SEPARATOR)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.length === 0 ? undefined : entries;
}

/** A whole number as a number; anything else as it is, for the schema to refuse in its own words. */
function wholeNumberOr(cell: string | undefined): number | string | undefined {
  if (cell === undefined || cell === '') return undefined;
  return /^[+-]?\d{1,15}$/.test(cell) ? Number(cell) : cell;
}

/** The fields that have a value: an empty cell (or list) is a field left out. */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/** A row's request, ready to send. */
export type ValidRequest =
  | { readonly kind: 'milestones'; readonly milestoneId: string; readonly body: MilestoneBody }
  | { readonly kind: 'ratings' | 'evidence'; readonly submission: Submission };

type CheckedRow =
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
