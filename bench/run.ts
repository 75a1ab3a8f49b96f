/**
 * `npm run bench`: runs the benchmark sections on this machine, one at a time, and writes what they measured to
 * bench/results/<date>.json and <date>.md, prints the Markdown, and shows a full run's summary in README.md.
 *
 * Each section runs in a process of its own (bench/section.ts): the local stack's functions keep their environment
 * and SDK clients for the life of a process, so each stack needs a fresh one. A section that fails is recorded as
 * failed, with its error (its own output says more), and the run goes on: one broken section should not cost the
 * figures of the others. The exit code is 1 when any failed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { fromRoot, repoRoot } from '../infra/paths';
import { type BenchRun, machine, renderReport, type SectionOutcome, updateReadme } from './report';
import { sections } from './sections';
import type { BenchMode, BenchSection, SectionResult } from './types';

interface Options {
  readonly quick?: boolean;
  readonly only?: readonly string[];
  readonly out: string;
}

const names = sections.map((section) => section.name);

const program = new Command('bench')
  .description(
    'Benchmarks of the platform on the local stack, each figure against a baseline of the same run',
  )
  .option('--quick', 'shorter and smaller runs, under 3 minutes; writes <date>-quick.* and leaves README.md')
  .option(
    '--only <names...>',
    `only these sections, of: ${names.join(', ')}`,
    (name, previous: string[] = []) => {
      if (!names.includes(name))
        throw new InvalidArgumentError(`unknown section; known: ${names.join(', ')}`);
      return [...previous, name];
    },
  )
  .option('--out <dir>', 'directory of the result files', 'bench/results')
  .action(main);

async function main(options: Options): Promise<void> {
  const mode: BenchMode = options.quick ? 'quick' : 'full';
  const chosen = sections.filter((section) => !options.only || options.only.includes(section.name));
  const startedAt = new Date().toISOString();
  const outcomes: SectionOutcome[] = [];
  for (const [index, section] of chosen.entries()) {
    progress(`▶ ${section.name} (${index + 1}/${chosen.length}, ${mode})`);
    outcomes.push(await runSection(section, mode));
  }
  const run: BenchRun = {
    mode,
    startedAt,
    endedAt: new Date().toISOString(),
    machine: machine(),
    sections: outcomes,
  };

  const complete = chosen.length === sections.length;
  const base = join(options.out, fileName(run, complete ? [] : chosen.map((section) => section.name)));
  await mkdir(options.out, { recursive: true });
  const markdown = renderReport(run);
  await writeFile(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  progress(`wrote ${base}.json and ${base}.md`);
  if (mode === 'full' && complete) {
    const readme = fromRoot('README.md');
    await writeFile(
      readme,
      updateReadme(await readFile(readme, 'utf8'), run, relative(repoRoot, `${base}.md`)),
    );
    progress('updated the Performance section of README.md');
  }
  await new Promise<void>((resolve) => process.stdout.write(markdown, () => resolve()));
  // a section may leave a timer or socket behind; the run is over either way
  process.exit(outcomes.some((outcome) => outcome.status === 'failed') ? 1 : 0);
}

/** Runs a section in a child process of its own (see bench/section.ts) and reads its result back. */
async function runSection(section: BenchSection, mode: BenchMode): Promise<SectionOutcome> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 1_000);
  const folder = await mkdtemp(join(tmpdir(), 'vp-bench-'));
  const resultFile = join(folder, 'result.json');
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fromRoot('bench/section.ts'), section.name, mode, resultFile],
      { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the section's process ended with code ${code}`);
    const result = JSON.parse(await readFile(resultFile, 'utf8')) as SectionResult;
    progress(`✓ ${section.name} in ${seconds()} s`);
    return { name: section.name, status: 'ok', seconds: seconds(), ...result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`✗ ${section.name} failed after ${seconds()} s: ${message}`);
    return { name: section.name, status: 'failed', seconds: seconds(), error: message };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** `2026-11-26`, `2026-11-26-quick`, `2026-11-26-ingest-cost` (some sections), by the UTC date of the start. */
function fileName(run: BenchRun, only: readonly string[]): string {
  return [run.startedAt.slice(0, 10), ...(run.mode === 'quick' ? ['quick'] : []), ...only].join('-');
}

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

await program.parseAsync();
