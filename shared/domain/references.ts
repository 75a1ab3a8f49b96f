/**
 * Checks of a write against its district's framework: every condition, role and competency it names must exist
 * there, and every level must be within the scale it is measured on.
 */
import type { Submission } from '../contract/assessments';
import type { Framework } from '../contract/framework';
import type { MilestoneBody } from '../contract/milestones';
import type { FieldError } from './field-error';

export function milestoneReferenceErrors(milestone: MilestoneBody, framework: Framework): FieldError[] {
  const conditions = new Set(framework.conditions.map((c) => c.id));
  return conditions.has(milestone.conditionId)
    ? []
    : [{ path: 'conditionId', message: `is not a condition of the district's framework` }];
}

export function submissionReferenceErrors(submission: Submission, framework: Framework): FieldError[] {
  const errors: FieldError[] = [];
  if (submission.type === 'condition-rating') {
    if (!framework.roles.includes(submission.respondent.role)) {
      errors.push({ path: 'respondent.role', message: `is not a role of the district's framework` });
    }
    const conditions = new Set(framework.conditions.map((c) => c.id));
    const levels = framework.rubric.length;
    submission.ratings.forEach((rating, index) => {
      if (!conditions.has(rating.conditionId)) {
        errors.push({
          path: `ratings.${index}.conditionId`,
          message: `is not a condition of the district's framework`,
        });
      }
      if (rating.level > levels) {
        errors.push({ path: `ratings.${index}.level`, message: `must be within 1..${levels} (the rubric)` });
      }
    });
  } else {
    if (!framework.competencies.some((c) => c.id === submission.competencyId)) {
      errors.push({ path: 'competencyId', message: `is not a competency of the district's framework` });
    }
    const levels = framework.proficiency.levels;
    if (submission.level > levels) {
      errors.push({ path: 'level', message: `must be within 1..${levels} (proficiency levels)` });
    }
  }
  return errors;
}
