/**
 * One submission checked on its own: against the schema and against the district's framework, reporting the
 * problems of both at once. The single route and every item of a batch go through here, so both answer the
 * same for the same input.
 */
import { Submission } from '../contract/assessments';
import { fieldErrors } from '../contract/field-errors';
import type { Framework } from '../contract/framework';
import type { FieldError } from './field-error';
import { submissionReferenceErrors, withReferenceErrors } from './references';

export type CheckedSubmission =
  | { readonly ok: true; readonly submission: Submission }
  | { readonly ok: false; readonly errors: FieldError[] };

export function checkSubmission(input: unknown, framework: Framework): CheckedSubmission {
  const parsed = Submission.safeParse(input);
  const errors = withReferenceErrors(
    parsed.success ? [] : fieldErrors(parsed.error),
    submissionReferenceErrors(input, framework),
  );
  return parsed.success && errors.length === 0
    ? { ok: true, submission: parsed.data }
    : { ok: false, errors };
}
