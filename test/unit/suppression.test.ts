import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isBelowMinimum,
  isSuppressed,
  suppressBreakdown,
  suppressEntity,
} from '../../shared/domain/suppression';

const MIN_N = 10;
const HIDDEN = { suppressed: true };

describe('suppressBreakdown', () => {
  it('shows every cell when none is small', () => {
    const cells = { teacher: { n: 31, mean: 2.71 }, principal: { n: 10, mean: 3.1 } };
    expect(suppressBreakdown(cells, MIN_N)).toEqual(cells);
  });

  it('hides the next smallest cell too when only one is small', () => {
    const result = suppressBreakdown(
      {
        teacher: { n: 31, mean: 2.71 },
        family: { n: 4, mean: 3.5 },
        principal: { n: 12, mean: 3.1 },
        student: { n: 20, mean: 2.2 },
      },
      MIN_N,
    );
    expect(result).toEqual({
      teacher: { n: 31, mean: 2.71 },
      family: HIDDEN,
      principal: HIDDEN,
      student: { n: 20, mean: 2.2 },
    });
  });

  it('breaks a tie for the next smallest cell by id', () => {
    const result = suppressBreakdown(
      {
        teacher: { n: 12, mean: 2 },
        family: { n: 3, mean: 3 },
        community: { n: 12, mean: 1 },
        principal: { n: 12, mean: 4 },
      },
      MIN_N,
    );
    expect(result).toEqual({
      teacher: { n: 12, mean: 2 },
      family: HIDDEN,
      community: HIDDEN,
      principal: { n: 12, mean: 4 },
    });
  });

  it('hides just the small cells when two or more are small', () => {
    const result = suppressBreakdown(
      { ell: { n: 9, masteryRate: 0.5 }, iep: { n: 2, masteryRate: 1 }, gifted: { n: 11, masteryRate: 0.2 } },
      MIN_N,
    );
    expect(result).toEqual({ ell: HIDDEN, iep: HIDDEN, gifted: { n: 11, masteryRate: 0.2 } });
  });

  it('hides every cell when all are small', () => {
    const result = suppressBreakdown({ a: { n: 1 }, b: { n: 9 }, c: { n: 5 } }, MIN_N);
    expect(result).toEqual({ a: HIDDEN, b: HIDDEN, c: HIDDEN });
  });

  it('hides the only cell of a breakdown when it is small, with nothing else to hide', () => {
    expect(suppressBreakdown({ teacher: { n: 3, mean: 2 } }, MIN_N)).toEqual({ teacher: HIDDEN });
    expect(suppressBreakdown({ teacher: { n: 10, mean: 2 } }, MIN_N)).toEqual({
      teacher: { n: 10, mean: 2 },
    });
  });

  it('shows a cell of exactly the minimum', () => {
    expect(suppressBreakdown({ a: { n: 10 }, b: { n: 10 } }, MIN_N)).toEqual({ a: { n: 10 }, b: { n: 10 } });
  });

  it('handles an empty breakdown', () => {
    expect(suppressBreakdown({}, MIN_N)).toEqual({});
  });

  it('keeps the key order of its input', () => {
    const result = suppressBreakdown({ z: { n: 1 }, a: { n: 50 }, m: { n: 20 } }, MIN_N);
    expect(Object.keys(result)).toEqual(['z', 'a', 'm']);
  });

  it('never leaves exactly one hidden cell next to shown ones, nor hides a cell it need not', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), fc.record({ n: fc.integer({ min: 1, max: 30 }) }), {
          maxKeys: 8,
        }),
        (cells) => {
          const result = suppressBreakdown(cells, MIN_N);
          const hidden = Object.keys(result).filter((key) => isSuppressed(result[key]!));
          const small = Object.keys(cells).filter((key) => cells[key]!.n < MIN_N);
          for (const key of small) expect(hidden).toContain(key);
          const entries = Object.keys(cells).length;
          if (entries > 1) expect(hidden.length).not.toBe(1);
          expect(hidden.length).toBe(small.length === 1 && entries > 1 ? 2 : small.length);
        },
      ),
    );
  });

  it('rejects a minimum n that is not a positive integer', () => {
    expect(() => suppressBreakdown({ a: { n: 1 } }, 0)).toThrow(RangeError);
    expect(() => isBelowMinimum(5, 2.5)).toThrow(RangeError);
  });
});

describe('suppressEntity', () => {
  const head = { conditionId: 'culture', name: 'Learning Community Culture', priority: true };

  it('keeps only the head and suppressed: true below the minimum, without computing the figures', () => {
    let computed = false;
    const result = suppressEntity(head, 9, MIN_N, () => {
      computed = true;
      return { responses: 9, byRole: {} };
    });
    expect(result).toEqual({ ...head, suppressed: true });
    expect(computed).toBe(false);
  });

  it('shows the head and the figures at or above the minimum', () => {
    const result = suppressEntity(head, 10, MIN_N, () => ({ responses: 10, mean: 2.5 }));
    expect(result).toEqual({ ...head, responses: 10, mean: 2.5 });
    expect(isSuppressed(result)).toBe(false);
  });

  it('suppresses an entity with no data at all', () => {
    expect(suppressEntity(head, 0, 1, () => ({ responses: 0 }))).toEqual({ ...head, suppressed: true });
  });
});
