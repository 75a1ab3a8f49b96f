/**
 * Checks of a write against its district's framework: every condition, role and competency it names must exist
 * there, and every level must be within the scale it is measured on. They read the input loosely, so that a
 * request with schema errors is also told about its references: every invalid field at once.
 */
import type { Framework } from '../contract/framework';
import type { FieldError } from './field-error';

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
/** A level the schema accepts (an integer of 1..10) but the framework's scale may not. */
const isLevel = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10;

export function milestoneReferenceErrors(milestone: unknown, framework: Framework): FieldError[] {
  const conditionId = asObject(milestone)?.conditionId;
  if (typeof conditionId !== 'string' || framework.conditions.some((c) => c.id === conditionId)) return [];
  return [{ path: 'conditionId', message: `is not a condition of the district's framework` }];
}

export function submissionReferenceErrors(submission: unknown, framework: Framework): FieldError[] {
  const input = asObject(submission);
  if (input?.type === 'condition-rating') return ratingReferenceErrors(input, framework);
  if (input?.type === 'competency-evidence') return evidenceReferenceErrors(input, framework);
  return [];
}

function ratingReferenceErrors(input: Loose, framework: Framework): FieldError[] {
  const errors: FieldError[] = [];
  const role = asObject(input.respondent)?.role;
  if (typeof role === 'string' && !framework.roles.includes(role)) {
    errors.push({ path: 'respondent.role', message: `is not a role of the district's framework` });
  }
  const levels = framework.rubric.length;
  const ratings = Array.isArray(input.ratings) ? input.ratings : [];
  ratings.forEach((entry: unknown, index) => {
    const rating = asObject(entry);
    const conditionId = rating?.conditionId;
    if (typeof conditionId === 'string' && !framework.conditions.some((c) => c.id === conditionId)) {
      errors.push({
        path: `ratings.${index}.conditionId`,
        message: `is not a condition of the district's framework`,
      });
    }
    if (isLevel(rating?.level) && rating.level > levels) {
      errors.push({ path: `ratings.${index}.level`, message: `must be within 1..${levels} (the rubric)` });
    }
  });
  return errors;
}

function evidenceReferenceErrors(input: Loose, framework: Framework): FieldError[] {
  const errors: FieldError[] = [];
  const { competencyId, level } = input;
  if (typeof competencyId === 'string' && !framework.competencies.some((c) => c.id === competencyId)) {
    errors.push({ path: 'competencyId', message: `is not a competency of the district's framework` });
  }
  const levels = framework.proficiency.levels;
  if (isLevel(level) && level > levels) {
    errors.push({ path: 'level', message: `must be within 1..${levels} (proficiency levels)` });
  }
  return errors;
}

/** Schema errors, then the reference errors of fields the schema did not already fault. */
export function withReferenceErrors(
  schemaErrors: readonly FieldError[],
  referenceErrors: readonly FieldError[],
): FieldError[] {
  const reported = new Set(schemaErrors.map((error) => error.path));
  return [...schemaErrors, ...referenceErrors.filter((error) => !reported.has(error.path))];
}
