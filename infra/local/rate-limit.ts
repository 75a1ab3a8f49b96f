/**
 * Per-key throttling as the usage plan does it: a token bucket per usage key that holds `burst` requests and
 * refills at `ratePerSecond`. A request finding its bucket empty is refused, with the whole seconds until the
 * bucket has a token again.
 */
import type { RateLimitSpec } from '../topology';

/** Buckets past which full ones (keys idle long enough to have refilled) are swept out. */
const SWEEP_SIZE = 10_000;

export type Take =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();

  /**
   * @param limit steady rate and burst per key; both must be positive
   * @param now @default Date.now
   */
  constructor(
    readonly limit: RateLimitSpec,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(
        `a rate limit needs ratePerSecond > 0 and burst >= 1, got ${JSON.stringify(limit)}`,
      );
    }
  }

  /** Takes a token from the key's bucket if it has one. */
  take(key: string): Take {
    const now = this.now();
    if (this.#buckets.size >= SWEEP_SIZE) this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.limit.burst, updatedAt: now };
    bucket.tokens = this.#refilled(bucket, now);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const seconds = Math.ceil((1 - bucket.tokens) / this.limit.ratePerSecond);
    return { allowed: false, retryAfterSeconds: Math.max(1, seconds) };
  }

  #refilled(bucket: { tokens: number; updatedAt: number }, now: number): number {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1_000;
    return Math.min(this.limit.burst, bucket.tokens + elapsedSeconds * this.limit.ratePerSecond);
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now) >= this.limit.burst) this.#buckets.delete(key);
    }
  }
}
