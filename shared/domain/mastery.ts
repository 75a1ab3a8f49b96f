/**
 * Scoring a learner's evidence on one competency with the framework's mastery method, as Canvas defines the
 * methods (PRODUCT §5): `highest`, `latest`, `average`, `decaying_average` and `n_mastery`.
 *
 * Every score is computed as one division of exact integers (levels and weights are integers), so that
 * rounding it to 2 decimals sees the true decimal value: Canvas's 1,2,3,4,5 at `decaying_average` 65 is
 * exactly 4.125 and rounds to 4.13.
 */
import type { Framework } from '../contract/framework';
import { roundHalfAwayFromZero } from './rounding';
import { compareText } from './text';

/** A framework's mastery method, e.g. `{method: 'decaying_average', weight: 65}`. */
export type MasteryMethod = Framework['masteryMethod'];

/** What ordering needs of one piece of evidence. */
export interface OrderedEvidence {
  /** `YYYY-MM-DD`: sorts as text in calendar order. */
  readonly assessedOn: string;
  readonly submissionId: string;
  readonly level: number;
}

/**
 * Evidence in the order the methods read it: by `assessedOn`, ties by `submissionId` (PRODUCT §5: ties in time
 * order broken by id). Returns a new array; extra fields of the items are kept.
 */
export function orderEvidence<T extends OrderedEvidence>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => compareText(a.assessedOn, b.assessedOn) || compareText(a.submissionId, b.submissionId),
  );
}

/**
 * The score of a learner on one competency.
 *
 * @param levels the levels of the learner's evidence, already in {@link orderEvidence} order
 * @param method the framework's mastery method
 * @param threshold the framework's `masteryThreshold` (only `n_mastery` reads it)
 * @returns the unrounded score, or `undefined` when there is none: no evidence at all, or under `n_mastery`
 *   fewer than `n` levels at or above the threshold
 */
export function scoreEvidence(
  levels: readonly number[],
  method: MasteryMethod,
  threshold: number,
): number | undefined {
  const last = levels.at(-1);
  if (last === undefined) return undefined;
  switch (method.method) {
    case 'highest':
      return Math.max(...levels);
    case 'latest':
      return last;
    case 'average':
      return sum(levels) / levels.length;
    case 'decaying_average': {
      const earlier = levels.length - 1;
      if (earlier === 0) return last;
      // last × w/100 + mean(earlier) × (100 − w)/100, over one common denominator so it is a single division
      const earlierSum = sum(levels) - last;
      return (last * method.weight * earlier + earlierSum * (100 - method.weight)) / (100 * earlier);
    }
    case 'n_mastery': {
      const mastered = levels.filter((level) => level >= threshold);
      return mastered.length >= method.n ? sum(mastered) / mastered.length : undefined;
    }
    default:
      return unknownMethod(method);
  }
}

/**
 * Whether a score shows mastery: the score rounded to 2 decimals (half away from zero) is at or above the
 * threshold, so 2.995 is at mastery of 3 and 2.994 is not. No score is not mastery.
 */
export function isAtMastery(score: number | undefined, threshold: number): boolean {
  return score !== undefined && roundHalfAwayFromZero(score, 2) >= threshold;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function unknownMethod(method: never): never {
  throw new TypeError(`unknown mastery method ${JSON.stringify(method)}`);
}
