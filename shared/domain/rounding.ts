/**
 * Rounding of the published figures: half away from zero on the *decimal* value (PRODUCT §5), so 4.125 → 4.13
 * and 1.005 → 1.01 even though neither is exactly representable as a binary double.
 *
 * `Math.round(x * 100) / 100` and `toFixed` both work on the binary value (1.005 is stored as
 * 1.00499999999999989…, so they give 1.00). Here the number's shortest round-trip decimal representation
 * (`String(x)`, the digits a reader would write) is rounded digit by digit, then parsed back, which is exact.
 *
 * Callers that compute a figure should do so with a single division of exact integers (a sum of integer levels
 * by a count, …): the double nearest to an exact decimal like 4.125 always prints as "4.125", so the rounding
 * then sees the true value. A chain of floating-point steps could leave 4.124999999999999 instead.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/** The most decimals accepted: beyond this a double has no meaningful digits left to round. */
const MAX_DECIMALS = 20;

/**
 * Rounds `value` to `decimals` places, halves away from zero, on its decimal representation.
 *
 * @param value a finite number
 * @param decimals an integer in 0..20
 * @returns the rounded number; never `-0` (a negative value that rounds to zero gives `0`)
 * @throws RangeError when `value` is not finite or `decimals` is out of range
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new RangeError(`decimals must be an integer in 0..${MAX_DECIMALS}, got ${decimals}`);
  }
  const match = DECIMAL.exec(String(value));
  // String() of a finite number always matches; the guard keeps the types honest
  if (!match) throw new RangeError(`cannot read ${value} as a decimal`);
  const [, sign = '', integerPart = '', fractionPart = '', exponentPart = '0'] = match;
  const digits = integerPart + fractionPart;
  // value = ±digits × 10^exponent
  const exponent = Number(exponentPart) - fractionPart.length;
  // digits × 10^shift is the value counted in units of the last kept decimal
  const shift = exponent + decimals;
  if (shift >= 0) return value === 0 ? 0 : value; // no digit beyond the requested precision
  const kept = digits.length + shift;
  let units = kept > 0 ? BigInt(digits.slice(0, kept)) : 0n;
  const firstDropped = kept >= 0 ? (digits[kept] ?? '0') : '0';
  // the digits are exact, so only the first dropped digit decides: 5 or more is at least half a unit
  if (firstDropped >= '5') units += 1n;
  if (units === 0n) return 0;
  return Number(`${sign}${units}e-${decimals}`);
}

/**
 * A rate to 4 decimals (`masteryRate`, `completionRate`), from the exact counts.
 *
 * @throws RangeError when `whole` is not positive: a rate of nothing is the caller's case to handle
 */
export function rate4(part: number, whole: number): number {
  if (!(whole > 0)) throw new RangeError(`a rate needs a positive whole, got ${whole}`);
  return roundHalfAwayFromZero(part / whole, 4);
}

/**
 * A mean to 2 decimals, from the exact sum of integer levels and their count.
 *
 * @throws RangeError when `count` is not positive
 */
export function mean2(sum: number, count: number): number {
  if (!(count > 0)) throw new RangeError(`a mean needs a positive count, got ${count}`);
  return roundHalfAwayFromZero(sum / count, 2);
}
