/**
 * How an import shows its progress on stderr, per file: a bar (cli-progress) on a terminal, else a plain line
 * every few seconds, which CI logs and tests can read. Either way stdout keeps only the summary.
 */
import cliProgress from 'cli-progress';
import type { OpsIo } from '../context';
import type { ImportKind } from './kinds';

/** Where a file stands: rows read so far, and what became of the rows answered. */
export interface FileTally {
  readonly kind: ImportKind;
  /** The file as given. */
  readonly file: string;
  /** Rows in the file. */
  readonly rows: number;
  /** Rows read so far, those an earlier run confirmed included. */
  readonly read: number;
  readonly written: number;
  readonly replayed: number;
  readonly rejected: number;
  /** Rows found valid by a dry run (which writes none). */
  readonly valid: number;
}

export interface ProgressView {
  fileStarted(tally: FileTally): void;
  fileUpdated(tally: FileTally): void;
  fileFinished(tally: FileTally): void;
  /** Leaves the terminal as it found it; call once at the end, also after a failure. */
  stop(): void;
}

export const PROGRESS_MODES = ['auto', 'bar', 'lines', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** `auto` (and `bar` where there is no terminal) draws a bar on a terminal and writes lines elsewhere. */
export function progressView(
  io: OpsIo,
  options: { readonly mode: ProgressMode; readonly intervalMs: number; readonly dryRun: boolean },
): ProgressView {
  if (options.mode === 'none') return { fileStarted() {}, fileUpdated() {}, fileFinished() {}, stop() {} };
  if (options.mode !== 'lines' && io.terminal) return new BarView(io.terminal, options.dryRun);
  return new LineView(io, options.intervalMs, options.dryRun);
}

/** Rows answered: the bar's value and the rate's numerator. */
const answered = (tally: FileTally) => tally.written + tally.replayed + tally.rejected + tally.valid;

const number = (value: number) => value.toLocaleString('en-US');

/** `written 12, replayed 0, rejected 3`, or `valid 12, rejected 3` for a dry run. */
function outcomes(tally: FileTally, dryRun: boolean): string {
  return dryRun
    ? `${number(tally.valid)} valid, ${number(tally.rejected)} rejected`
    : `${number(tally.written)} written, ${number(tally.replayed)} replayed, ${number(tally.rejected)} rejected`;
}

class LineView implements ProgressView {
  #lastLineAt = 0;
  /** When the file started and how many rows were answered then, for the rate. */
  #start = { at: 0, answered: 0 };

  constructor(
    private readonly io: OpsIo,
    private readonly intervalMs: number,
    private readonly dryRun: boolean,
  ) {}

  fileStarted(tally: FileTally): void {
    this.#start = { at: Date.now(), answered: answered(tally) };
    const resumed = tally.read > 0 ? `, resuming after row ${number(tally.read)}` : '';
    this.io.err(`import: ${tally.kind} ${tally.file}: ${number(tally.rows)} rows${resumed}\n`);
    this.#lastLineAt = Date.now();
  }

  fileUpdated(tally: FileTally): void {
    if (Date.now() - this.#lastLineAt < this.intervalMs) return;
    this.#line(tally, '');
  }

  fileFinished(tally: FileTally): void {
    this.#line(tally, ' done');
  }

  stop(): void {}

  #line(tally: FileTally, suffix: string): void {
    this.#lastLineAt = Date.now();
    const seconds = (Date.now() - this.#start.at) / 1_000;
    const rate = seconds > 0 ? Math.round((answered(tally) - this.#start.answered) / seconds) : 0;
    const percent = tally.rows === 0 ? 100 : (100 * answered(tally)) / tally.rows;
    this.io.err(
      `import: ${tally.kind} ${tally.file}:${suffix} ${number(answered(tally))} of ${number(tally.rows)} rows ` +
        `(${percent.toFixed(1)}%, ${number(tally.read)} read): ${outcomes(tally, this.dryRun)}; ` +
        `${number(rate)} rows/s\n`,
    );
  }
}

class BarView implements ProgressView {
  readonly #bars: cliProgress.MultiBar;
  readonly #byKind = new Map<ImportKind, cliProgress.SingleBar>();

  constructor(
    terminal: NodeJS.WriteStream,
    private readonly dryRun: boolean,
  ) {
    this.#bars = new cliProgress.MultiBar(
      {
        stream: terminal,
        // about 100 columns: a narrower terminal cuts the line's end rather than wrapping it
        format: '{kind} {bar} {percentage}% {value}/{total} | {outcomes} | {eta_formatted} left',
        barsize: 20,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  fileStarted(tally: FileTally): void {
    this.#byKind.set(tally.kind, this.#bars.create(tally.rows, answered(tally), this.#payload(tally)));
  }

  fileUpdated(tally: FileTally): void {
    this.#byKind.get(tally.kind)?.update(answered(tally), this.#payload(tally));
  }

  fileFinished(tally: FileTally): void {
    this.fileUpdated(tally);
  }

  stop(): void {
    this.#bars.stop();
  }

  #payload(tally: FileTally) {
    return { kind: tally.kind.padEnd(10), outcomes: outcomes(tally, this.dryRun) };
  }
}
