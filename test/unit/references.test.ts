import { describe, expect, it } from 'vitest';
import { seedFramework } from '../../infra/config/default-framework';
import { competencyEvidenceExample, conditionRatingExample } from '../../shared/contract/examples';
import { Framework } from '../../shared/contract/framework';
import { canonicalJson, contentHash } from '../../shared/domain/content-hash';
import { checkSubmission } from '../../shared/domain/submission-check';

const framework = Framework.parse(seedFramework);

const rating = conditionRatingExample;
const evidence = competencyEvidenceExample;

describe('checkSubmission', () => {
  it('accepts both submission types of the contract', () => {
    expect(checkSubmission(rating, framework)).toMatchObject({ ok: true });
    expect(checkSubmission(evidence, framework)).toMatchObject({ ok: true });
  });

  it('names every unknown reference and every level off its scale', () => {
    const result = checkSubmission(
      {
        ...rating,
        respondent: { id: 'r-1', role: 'janitor' },
        ratings: [
          { conditionId: 'weather', level: 2 },
          { conditionId: 'culture', level: 5 },
        ],
      },
      framework,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: 'respondent.role', message: expect.any(String) },
        { path: 'ratings.0.conditionId', message: expect.any(String) },
        { path: 'ratings.1.level', message: 'must be within 1..4 (the rubric)' },
      ],
    });
    expect(checkSubmission({ ...evidence, competencyId: 'juggling', level: 9 }, framework)).toMatchObject({
      ok: false,
      errors: [
        { path: 'competencyId' },
        { path: 'level', message: 'must be within 1..4 (proficiency levels)' },
      ],
    });
  });

  it('lists unknown fields one by one and missing ones as required', () => {
    const { learner, ...withoutLearner } = evidence;
    void learner;
    const result = checkSubmission({ ...withoutLearner, name: 'Ada', grade: 'A' }, framework);
    expect(result).toMatchObject({ ok: false });
    const paths = result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name: is not a known field',
        'grade: is not a known field',
        'learner: is required',
      ]),
    );
  });
  it('reports the references of a body that also breaks the schema: every invalid field at once', () => {
    const result = checkSubmission(
      {
        ...evidence,
        learner: { id: 'l-91c2', name: 'Ada' },
        competencyId: 'juggling',
        level: 9,
        assessedOn: '2026-11-31',
      },
      framework,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path).sort()).toEqual(
      ['assessedOn', 'competencyId', 'learner.name', 'level'].sort(),
    );
  });
});

describe('contentHash', () => {
  it('ignores key order and sees every value', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(contentHash({ a: 1, b: [1, 2] })).toBe(contentHash({ b: [1, 2], a: 1 }));
    expect(contentHash({ a: 1, b: [1, 2] })).not.toBe(contentHash({ a: 1, b: [2, 1] }));
  });
});
