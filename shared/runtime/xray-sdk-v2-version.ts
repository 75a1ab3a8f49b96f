/**
 * What the function bundles give the X-Ray SDK where it imports `semver` (infra/constructs/bundling.ts aliases it
 * here). The one importer, the SDK's AWS SDK v2 patcher, compares versions only when an SDK v2 client is
 * captured (`captureAWS`, `captureAWSClient`); the functions use SDK v3 clients, captured by
 * `captureAWSv3Client`, so the comparison never runs. The whole of semver is 28 KB of the bundle of each
 * function that traces (shared/runtime/tracer.ts), read and compiled at every cold start.
 */

/** `semver.gte`, as the SDK v2 patcher calls it: refused, since no SDK v2 client exists to be captured. */
export function gte(): never {
  throw new Error('AWS SDK v2 clients are not traced: the functions use SDK v3 clients only');
}
