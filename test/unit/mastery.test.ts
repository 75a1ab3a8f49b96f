import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAtMastery, type MasteryMethod, orderEvidence, scoreEvidence } from '../../shared/domain/mastery';
import { roundHalfAwayFromZero } from '../../shared/domain/rounding';

const THRESHOLD = 3;

describe('scoreEvidence', () => {
  it("scores Canvas's example 1,2,3,4,5 at decaying_average 65 as 4.125, published as 4.13", () => {
    const score = scoreEvidence([1, 2, 3, 4, 5], { method: 'decaying_average', weight: 65 }, THRESHOLD);
    expect(score).toBe(4.125);
    expect(roundHalfAwayFromZero(score!, 2)).toBe(4.13);
  });

  it.each<[MasteryMethod, readonly number[], number]>([
    [{ method: 'highest' }, [2, 4, 1], 4],
    [{ method: 'latest' }, [4, 4, 1], 1],
    [{ method: 'average' }, [1, 2, 4], 7 / 3],
    [{ method: 'decaying_average', weight: 65 }, [4], 4], // a single result is itself
    [{ method: 'decaying_average', weight: 65 }, [2, 4], 3.3], // 4 × 0.65 + 2 × 0.35
    [{ method: 'decaying_average', weight: 50 }, [1, 3, 2, 4], 3], // 4 × 0.5 + 2 × 0.5
    [{ method: 'decaying_average', weight: 99 }, [1, 1, 4], 3.97],
    [{ method: 'decaying_average', weight: 1 }, [4, 4, 1], 3.97],
    [{ method: 'n_mastery', n: 2 }, [3, 1, 4, 2], 3.5], // mean of the levels at or above 3
    [{ method: 'n_mastery', n: 1 }, [1, 3], 3],
  ])('%j scores %j as %d', (method, levels, expected) => {
    expect(scoreEvidence(levels, method, THRESHOLD)).toBeCloseTo(expected, 12);
  });

  it('gives no score under n_mastery with fewer than n levels at or above the threshold', () => {
    expect(scoreEvidence([3, 4, 2, 1, 2], { method: 'n_mastery', n: 3 }, THRESHOLD)).toBeUndefined();
    expect(scoreEvidence([2, 2, 2], { method: 'n_mastery', n: 1 }, THRESHOLD)).toBeUndefined();
  });

  it('scores n_mastery once exactly n levels reach the threshold', () => {
    expect(scoreEvidence([3, 4, 2, 4], { method: 'n_mastery', n: 3 }, THRESHOLD)).toBeCloseTo(11 / 3, 12);
  });

  it('reads the threshold given, not a fixed one', () => {
    expect(scoreEvidence([2, 2, 1], { method: 'n_mastery', n: 2 }, 2)).toBe(2);
  });

  it('gives no score without evidence, whatever the method', () => {
    const methods: MasteryMethod[] = [
      { method: 'highest' },
      { method: 'latest' },
      { method: 'average' },
      { method: 'decaying_average', weight: 65 },
      { method: 'n_mastery', n: 1 },
    ];
    for (const method of methods) expect(scoreEvidence([], method, THRESHOLD)).toBeUndefined();
  });

  it('keeps decaying_average exact enough that its decimal halves round up', () => {
    // last × w + mean(earlier) × (100 − w), over 100: whenever that is a 3-decimal half the score must print as
    // exactly that decimal, else rounding would see 4.124999… and publish 4.12
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 1, max: 99 }),
        (levels, weight) => {
          const score = scoreEvidence(levels, { method: 'decaying_average', weight }, THRESHOLD)!;
          const earlier = levels.length - 1;
          const numerator = BigInt(
            levels.at(-1)! * weight * earlier + (sumOf(levels) - levels.at(-1)!) * (100 - weight),
          );
          const denominator = BigInt(100 * earlier);
          // the exact value in thousandths, when it is a whole number of them
          if ((numerator * 1000n) % denominator === 0n) {
            const thousandths = (numerator * 1000n) / denominator;
            expect(score).toBe(Number(`${thousandths}e-3`));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('isAtMastery', () => {
  it('compares the score rounded to 2 decimals with the threshold', () => {
    expect(isAtMastery(2.995, 3)).toBe(true); // 3.00
    expect(isAtMastery(2.994, 3)).toBe(false); // 2.99
    expect(isAtMastery(3, 3)).toBe(true);
    expect(isAtMastery(2.9949999, 3)).toBe(false);
    expect(isAtMastery(4, 3)).toBe(true);
  });

  it('treats no score as not at mastery', () => {
    expect(isAtMastery(undefined, 1)).toBe(false);
  });

  it('applies at the boundary of a computed score', () => {
    // decaying_average 50 of 2, 2, 2, 4 is 3 exactly; of 3, 3, 2 at weight 99 it is 2.01
    expect(isAtMastery(scoreEvidence([2, 2, 2, 4], { method: 'decaying_average', weight: 50 }, 3), 3)).toBe(
      true,
    );
    expect(isAtMastery(scoreEvidence([3, 3, 2], { method: 'decaying_average', weight: 99 }, 3), 3)).toBe(
      false,
    );
  });

  it('puts a decaying average of exactly 2.995 at mastery of 3', () => {
    // 3 × 0.99 + 2.5 × 0.01 = 2.995; computed term by term in floating point it would be 2.9949999999999997
    const score = scoreEvidence([2, 3, 3], { method: 'decaying_average', weight: 99 }, 3);
    expect(score).toBe(2.995);
    expect(isAtMastery(score, 3)).toBe(true);
  });
});

describe('orderEvidence', () => {
  it('orders by assessedOn, then by submissionId on the same day', () => {
    const ordered = orderEvidence([
      { assessedOn: '2026-11-12', submissionId: 'e-2', level: 4 },
      { assessedOn: '2026-10-01', submissionId: 'e-9', level: 1 },
      { assessedOn: '2026-11-12', submissionId: 'e-10', level: 2 },
      { assessedOn: '2026-11-12', submissionId: 'e-1', level: 3 },
    ]);
    // ids compare as text, so e-10 sorts before e-2
    expect(ordered.map((item) => item.submissionId)).toEqual(['e-9', 'e-1', 'e-10', 'e-2']);
  });

  it('decides which tie is the latest', () => {
    const ordered = orderEvidence([
      { assessedOn: '2026-11-12', submissionId: 'b', level: 1 },
      { assessedOn: '2026-11-12', submissionId: 'a', level: 4 },
    ]);
    expect(
      scoreEvidence(
        ordered.map((item) => item.level),
        { method: 'latest' },
        THRESHOLD,
      ),
    ).toBe(1);
  });

  it('keeps extra fields and leaves its input alone', () => {
    const input = [
      { assessedOn: '2026-11-12', submissionId: 'b', level: 1, groups: ['ell'] },
      { assessedOn: '2026-11-11', submissionId: 'a', level: 4, groups: [] },
    ];
    const ordered = orderEvidence(input);
    expect(ordered[1]?.groups).toEqual(['ell']);
    expect(input[0]?.submissionId).toBe('b');
  });
});

function sumOf(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
