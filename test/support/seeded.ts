/**
 * A small deterministic generator (xorshift32) for shuffles and picks inside tests, so that a failure replays
 * from its seed.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
