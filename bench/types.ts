/**
 * The shape every benchmark section shares, so that `npm run bench` (bench/run.ts) can run them in turn, write
 * one JSON result and one Markdown report, and hold each figure up against its target.
 *
 * Every figure is a count, or a ratio against a baseline measured in the same run on the same machine: absolute
 * times on a shared machine mean little, ratios and counts do.
 */

/** How long a run may take: `quick` (under 3 minutes in all) or `full` (under 15). */
export type BenchMode = 'quick' | 'full';

/** What a section gets from the runner. */
export interface BenchContext {
  readonly mode: BenchMode;
  /** Progress lines for the person watching (stderr); the report is written by the runner. */
  readonly log: (line: string) => void;
}

/** A target to beat, as the issue states it. */
export interface Target {
  /** e.g. `≥ 0.8 × raw PutItem` */
  readonly text: string;
  readonly met: boolean;
}

/** One figure of the report. */
export interface Figure {
  /** Stable key in the JSON result, e.g. `ingest.single.ratio`. */
  readonly key: string;
  /** What a reader sees, e.g. `single POST throughput / raw PutItem`. */
  readonly label: string;
  readonly value: number;
  /** e.g. `req/s`, `ms`, `×`, `$ per million events`, `bytes`. */
  readonly unit: string;
  /** The baseline or detail it is read against, e.g. `raw PutItem 2,310 req/s`. */
  readonly detail?: string;
  readonly target?: Target;
}

/** What a section returns. */
export interface SectionResult {
  readonly title: string;
  readonly figures: readonly Figure[];
  /** Sentences under the section's table: what bounds a missed target, how it was measured. */
  readonly notes?: readonly string[];
}

/** A benchmark section. */
export interface BenchSection {
  /** Key in the result file and `--only` value, e.g. `ingest`. */
  readonly name: string;
  run(context: BenchContext): Promise<SectionResult>;
}
