/**
 * The benchmark run as data and as text: the JSON result (bench/results/<date>.json), the Markdown report beside
 * it, and the summary that README.md's Performance section shows. Pure but for reading the machine's facts, so
 * that bench/run.ts only runs sections and writes files.
 */
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import stringWidth from 'string-width';
import type { BenchMode, Figure, SectionResult } from './types';

/** The machine a run measured, since every figure is read against a baseline on the same one. */
export interface Machine {
  readonly os: string;
  readonly kernel: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
}

/** What became of one section. */
export type SectionOutcome =
  | ({ readonly name: string; readonly status: 'ok'; readonly seconds: number } & SectionResult)
  | { readonly name: string; readonly status: 'failed'; readonly seconds: number; readonly error: string };

/** The JSON result of a run. */
export interface BenchRun {
  readonly mode: BenchMode;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly machine: Machine;
  readonly sections: readonly SectionOutcome[];
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

export function machine(): Machine {
  const processors = cpus();
  return {
    os: osName(),
    kernel: `${type()} ${release()}`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** The distribution's name where /etc/os-release says it, else the kernel's. */
function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty?.[1]) return pretty[1];
  } catch {
    // not Linux, or a minimal image: the kernel's name says enough
  }
  return type();
}

export function machineLine(m: Machine): string {
  return `${m.os} (${m.kernel}), ${m.cpuModel} × ${m.cpuCount}, ${m.memoryGiB} GiB, Node ${m.node}`;
}

/** The whole report: one table per section, then its notes; a failed section with its error. */
export function renderReport(run: BenchRun): string {
  const lines = [
    `# Benchmark report, ${run.startedAt.slice(0, 10)}${run.mode === 'quick' ? ' (quick)' : ''}`,
    '',
    `${run.startedAt} to ${run.endedAt} (${minutes(run)} min) on ${machineLine(run.machine)}.`,
    '',
    'Each figure is a count, or a ratio against a baseline measured in the same run on the same machine.',
  ];
  for (const section of run.sections) lines.push('', ...renderSection(section));
  return `${lines.join('\n')}\n`;
}

function renderSection(section: SectionOutcome): string[] {
  if (section.status === 'failed') {
    return [`## ${section.name}: failed after ${section.seconds} s`, '', '```text', section.error, '```'];
  }
  const rows = section.figures.map((figure) => [
    figure.label,
    formatValue(figure.value),
    figure.unit,
    figure.detail ?? '',
    formatTarget(figure),
  ]);
  return [
    `## ${section.title}`,
    '',
    ...table(['figure', 'value', 'unit', 'detail', 'target'], rows),
    ...(section.notes ?? []).flatMap((note) => ['', note]),
    '',
    `\`${section.name}\`, ${section.seconds} s.`,
  ];
}

/**
 * The summary: every figure with a target, the figures of sections that have none (so that each section shows),
 * and each failed section.
 */
export function renderSummary(run: BenchRun): string[] {
  const rows = run.sections.flatMap((section): string[][] => {
    if (section.status === 'failed') {
      return [[section.name, `failed: ${section.error.split('\n')[0] ?? ''}`, '', '', '']];
    }
    const targeted = section.figures.filter((figure) => figure.target);
    const shown = targeted.length > 0 ? targeted : section.figures;
    return shown.map((figure) => [
      section.name,
      figure.label,
      formatValue(figure.value),
      figure.unit,
      formatTarget(figure),
    ]);
  });
  return table(['section', 'figure', 'value', 'unit', 'target'], rows);
}

/**
 * README.md with its Performance section showing this run: the text between the markers is replaced; without
 * the markers, the section is added after the Demo section with its introduction.
 */
export function updateReadme(readme: string, run: BenchRun, reportPath: string): string {
  const block = [
    README_START,
    `Latest run: ${run.startedAt.slice(0, 10)}, ${minutes(run)} min on ${machineLine(run.machine)}. ` +
      `Full report: [${reportPath}](${reportPath}).`,
    '',
    ...renderSummary(run),
    README_END,
  ].join('\n');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start >= 0 && end > start)
    return readme.slice(0, start) + block + readme.slice(end + README_END.length);
  return insertAfterDemo(readme, [...PERFORMANCE_INTRO, '', block, ''].join('\n'));
}

const PERFORMANCE_INTRO = [
  '## Performance',
  '',
  '```sh',
  'npm run bench               # every section, under 15 minutes: writes bench/results/<date>.json and .md',
  'npm run bench -- --quick    # shorter and smaller, under 3 minutes: <date>-quick.*, README untouched',
  'npm run bench -- --only ingest cost   # some sections',
  '```',
  '',
  'The benchmarks run on the local stack (bench/sections/); they are not tests, and `npm test` asserts no timing.',
  'Absolute times on a shared machine mean little, so every figure is a count or a ratio against a baseline',
  'measured in the same run on the same machine: raw DynamoDB Local calls for ingest, the SES emulator’s raw send',
  'rate for digests, a hello-world handler for cold imports; costs are dollars from a dated us-east-1 price table',
  'applied to the AWS requests counted during the run. A full run of every section rewrites the table below.',
];

function insertAfterDemo(readme: string, section: string): string {
  const demo = readme.indexOf('\n## Demo');
  const next = demo < 0 ? -1 : readme.indexOf('\n## ', demo + 1);
  if (next < 0) return `${readme.trimEnd()}\n\n${section}`;
  return `${readme.slice(0, next + 1)}${section}\n${readme.slice(next + 1)}`;
}

function formatTarget(figure: Figure): string {
  if (!figure.target) return '';
  return `${figure.target.met ? '✅' : '❌'} ${figure.target.text}`;
}

function formatValue(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) < 1 ? 4 : 2 });
}

function minutes(run: BenchRun): string {
  return ((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 60_000).toFixed(1);
}

/**
 * A Markdown table with its columns padded, readable as plain text too: widths as a terminal shows them (✅ and
 * ❌ take two columns), as the formatter lays tables out.
 */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, column) =>
    Math.max(3, ...cells.map((row) => stringWidth(row[column] ?? ''))),
  );
  const pad = (cell: string, width: number) => cell + ' '.repeat(width - stringWidth(cell));
  const line = (row: readonly string[]) =>
    `| ${widths.map((width, column) => pad(row[column] ?? '', width)).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head ?? []), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...body.map(line)];
}
