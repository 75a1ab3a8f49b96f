/**
 * A small deterministic generator (xorshift32): the same seed gives the same sequence on every run. `npm run demo`
 * draws its figures from it, and the tests their shuffles and picks (test/support/seeded.ts), so that a failure
 * replays from its seed.
 */

/** Numbers in [0, 1) from `seed`. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Draws of the kinds the demo data needs, from one seeded sequence. */
export function seededDraws(seed: number) {
  const next = seeded(seed);
  return {
    next,
    chance: (probability: number) => next() < probability,
    /** An integer in [min, max]. */
    integer: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    /** A standard normal draw (Box-Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffled: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = Math.floor(next() * (index + 1));
        [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
      }
      return copy;
    },
  };
}
