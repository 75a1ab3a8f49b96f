/**
 * A closed-loop load of any async operation: `concurrency` loops, each starting its next call when the previous
 * one settles, for a fixed duration — what autocannon does for HTTP, for the raw SDK baselines that the HTTP
 * figures are read against, so that both sides of a ratio are driven the same way.
 */

/** What a load run measured. */
export interface LoadResult {
  /** Calls that succeeded within the duration. */
  readonly calls: number;
  /** Units of work those calls did (items written); equals `calls` when a call is one unit. */
  readonly units: number;
  readonly failures: number;
  /** The duration: calls still in flight at its end are awaited but not counted, as autocannon does. */
  readonly seconds: number;
  /** Latency of the successful calls, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadOptions {
  readonly concurrency: number;
  readonly durationMs: number;
  /** One call; resolves to the units of work it did. `n` counts the calls started, across loops, from 0. */
  readonly call: (n: number) => Promise<number>;
}

/** Runs the load and measures throughput and latency; a failed call is counted and the loop goes on. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let started = 0;
  let units = 0;
  let failures = 0;
  const end = performance.now() + options.durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      const n = started++;
      const callStart = performance.now();
      try {
        const done = await options.call(n);
        const finished = performance.now();
        if (finished > end) return;
        units += done;
        latencies.push(finished - callStart);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    units,
    failures,
    seconds: options.durationMs / 1_000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
