/**
 * Whether the stack's memory stayed flat over a soak. The first samples are left out (warm-up: handlers load,
 * caches fill, the heap finds its size); of the rest, the median of the first third is compared with the median
 * of the last third, and a least-squares slope is given per hour. Medians, because a garbage collection swings a
 * single sample by tens of megabytes.
 */
import type { MemorySample } from './protocol';

/** Growth past this share of the early median is a leak, not noise. */
export const FLAT_GROWTH = 0.15;

export interface MemoryTrend {
  readonly metric: 'heapUsed' | 'rss' | 'javaRss';
  /** Median of the first third after warm-up, bytes. */
  readonly early: number;
  /** Median of the last third, bytes. */
  readonly late: number;
  /** (late - early) / early. */
  readonly growth: number;
  /** Least-squares slope over the samples after warm-up, bytes per hour. */
  readonly slopePerHour: number;
  readonly flat: boolean;
}

/** The trend of each metric over `samples`, leaving out the first `warmUpMs`. */
export function memoryTrends(samples: readonly MemorySample[], warmUpMs: number): MemoryTrend[] {
  const start = samples[0]?.at ?? 0;
  const kept = samples.filter((sample) => sample.at - start >= warmUpMs);
  const metrics = ['heapUsed', 'rss', 'javaRss'] as const;
  return metrics.flatMap((metric) => {
    const points = kept.flatMap((sample) => {
      const value = sample[metric];
      return value === undefined ? [] : [{ at: sample.at, value }];
    });
    if (points.length < 6) return [];
    const third = Math.floor(points.length / 3);
    const early = median(points.slice(0, third).map((point) => point.value));
    const late = median(points.slice(-third).map((point) => point.value));
    const growth = (late - early) / early;
    return [
      { metric, early, late, growth, slopePerHour: slope(points) * 3_600_000, flat: growth <= FLAT_GROWTH },
    ];
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Least-squares slope of value over time, per millisecond. */
function slope(points: readonly { at: number; value: number }[]): number {
  const n = points.length;
  const meanAt = points.reduce((sum, point) => sum + point.at, 0) / n;
  const meanValue = points.reduce((sum, point) => sum + point.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.at - meanAt) * (point.value - meanValue);
    variance += (point.at - meanAt) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}
