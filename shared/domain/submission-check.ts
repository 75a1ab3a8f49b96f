/**
 * One submission checked on its own: against the schema, then against the district's framework. The single
 * route and every item of a batch go through here, so both answer the same for the same input.
 */
import { Submission } from '../contract/assessments';
import { fieldErrors } from '../contract/field-errors';
import type { Framework } from '../contract/framework';
import type { FieldError } from './field-error';
import { submissionReferenceErrors } from './references';

export type CheckedSubmission =
  | { readonly ok: true; readonly submission: Submission }
  | { readonly ok: false; readonly errors: FieldError[] };

export function checkSubmission(input: unknown, framework: Framework): CheckedSubmission {
  const parsed = Submission.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const errors = submissionReferenceErrors(parsed.data, framework);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, submission: parsed.data };
}
