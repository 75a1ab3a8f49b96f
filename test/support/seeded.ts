/**
 * A small deterministic generator (xorshift32) for shuffles and picks inside tests, so that a failure replays
 * from its seed: the one `npm run demo` draws its figures from (scripts/seeded.ts).
 */
export { seeded } from '../../scripts/seeded';
