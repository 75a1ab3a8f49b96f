import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean2, rate4, roundHalfAwayFromZero } from '../../shared/domain/rounding';

/**
 * Reference: exact rounding of the number's shortest decimal representation with BigInt arithmetic.
 * x = ±N / 10^k, and half away from zero of |x| × 10^d is floor((2·N·10^d + 10^k) / (2·10^k)).
 */
function referenceRound(value: number, decimals: number): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))!;
  const [, sign, integerPart, fractionPart = '', exponentPart = '0'] = match;
  const scale = fractionPart.length - Number(exponentPart); // |x| = N / 10^scale
  if (scale <= decimals) return value === 0 ? 0 : value;
  const numerator = BigInt(integerPart! + fractionPart);
  const divisor = 10n ** BigInt(scale);
  const rounded = (2n * numerator * 10n ** BigInt(decimals) + divisor) / (2n * divisor);
  const result = Number(`${sign}${rounded}e-${decimals}`);
  return result === 0 ? 0 : result;
}

describe('roundHalfAwayFromZero', () => {
  it.each([
    [4.125, 2, 4.13], // Canvas's decaying-average example
    [1.005, 2, 1.01], // stored as 1.00499999…: binary rounding gives 1.00
    [2.675, 2, 2.68], // stored as 2.67499999…
    [-1.005, 2, -1.01],
    [-2.675, 2, -2.68],
    [1.045, 2, 1.05],
    [8.345, 2, 8.35],
    [0.125, 2, 0.13],
    [1.255, 2, 1.26],
    [0.995, 2, 1],
    [9.9995, 3, 10],
    [2.994, 2, 2.99],
    [2.995, 2, 3],
    [0.62715, 4, 0.6272],
    [0.36365, 4, 0.3637],
    [0.363649, 4, 0.3636],
    [1.5, 0, 2],
    [2.5, 0, 3], // not banker's rounding
    [-2.5, 0, -3],
    [-0.5, 0, -1],
    [0.49999999999999994, 0, 0],
    [123.456, 0, 123],
    [0.000005, 5, 0.00001], // String() gives 5e-6
    [1.23e-7, 2, 0],
    [5e-7, 6, 0.000001],
    [5e-324, 2, 0],
    [1e21, 2, 1e21], // String() gives 1e+21
    [Number.MAX_SAFE_INTEGER, 2, Number.MAX_SAFE_INTEGER],
    [42, 4, 42],
    [3.1, 4, 3.1],
    [0, 2, 0],
  ])('rounds %d to %i decimals as %d', (value, decimals, expected) => {
    expect(roundHalfAwayFromZero(value, decimals)).toBe(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(roundHalfAwayFromZero(-0.004, 2), 0)).toBe(true);
    expect(Object.is(roundHalfAwayFromZero(-0.4, 0), 0)).toBe(true);
    expect(Object.is(roundHalfAwayFromZero(-0, 2), 0)).toBe(true);
  });

  it.each([
    [Number.NaN, 2],
    [Number.POSITIVE_INFINITY, 2],
    [1.5, -1],
    [1.5, 1.5],
    [1.5, 21],
  ])('rejects %d with %d decimals', (value, decimals) => {
    expect(() => roundHalfAwayFromZero(value, decimals)).toThrow(RangeError);
  });

  it('agrees with exact BigInt rounding of the shortest representation, for any double', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 12 }),
        (x, d) => {
          expect(roundHalfAwayFromZero(x, d)).toBe(referenceRound(x, d));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('agrees with exact rounding for values of a few decimals, where the halves are', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale, d) => {
          const x = Number(`${units}e-${scale}`);
          expect(roundHalfAwayFromZero(x, d)).toBe(referenceRound(x, d));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('rounds an exact half away from zero, whatever its binary value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (kept, d, negative) => {
          // kept × 10^-d plus half a unit: e.g. kept 412, d 2 → 4.125; written out it has at most 15 digits
          const sign = negative ? '-' : '';
          const half = Number(`${sign}${kept}5e-${d + 1}`);
          expect(roundHalfAwayFromZero(half, d)).toBe(Number(`${sign}${kept + 1}e-${d}`) || 0);
        },
      ),
    );
  });

  it('rounds just under a half towards zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 3 }), (kept, d) => {
        const under = Number(`${kept}4999999e-${d + 7}`);
        expect(roundHalfAwayFromZero(under, d)).toBe(Number(`${kept}e-${d}`));
      }),
    );
  });

  it('is odd, idempotent, and within half a unit', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const rounded = roundHalfAwayFromZero(x, d);
        expect(roundHalfAwayFromZero(-x, d)).toBe(rounded === 0 ? 0 : -rounded);
        expect(roundHalfAwayFromZero(rounded, d)).toBe(rounded);
        expect(Math.abs(rounded - x)).toBeLessThanOrEqual(0.5 * 10 ** -d * (1 + 1e-9) + Math.abs(x) * 1e-15);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('rate4', () => {
  it('rounds a rate to 4 decimals from exact counts', () => {
    expect(rate4(4, 11)).toBe(0.3636);
    expect(rate4(301, 480)).toBe(0.6271);
    expect(rate4(1, 8)).toBe(0.125);
    expect(rate4(1, 16)).toBe(0.0625);
    expect(rate4(1, 32)).toBe(0.0313); // 0.03125 exactly: half away from zero
    expect(rate4(0, 7)).toBe(0);
    expect(rate4(7, 7)).toBe(1);
  });

  it('refuses a rate of nothing', () => {
    expect(() => rate4(0, 0)).toThrow(RangeError);
  });
});

describe('mean2', () => {
  it('rounds a mean to 2 decimals from an exact sum', () => {
    expect(mean2(33, 8)).toBe(4.13); // 4.125
    expect(mean2(3, 8)).toBe(0.38); // 0.375
    expect(mean2(162, 57)).toBe(2.84); // 2.8421…
    expect(mean2(10, 3)).toBe(3.33);
    expect(mean2(20, 3)).toBe(6.67);
  });

  it('refuses a mean of nothing', () => {
    expect(() => mean2(0, 0)).toThrow(RangeError);
  });
});
