/**
 * One benchmark section in a process of its own: `node --import tsx bench/section.ts <name> <mode> <result file>`.
 * bench/run.ts starts one per section, because the functions of a local stack read their environment and make
 * their SDK clients once per process: a second stack in the same process would find the first one's endpoints
 * and settings in them. Writes the section's result (JSON) to the result file; progress goes to stderr.
 */
import { writeFile } from 'node:fs/promises';
import { sections } from './sections';
import type { BenchMode } from './types';

const [name, mode, resultFile] = process.argv.slice(2);
const section = sections.find((candidate) => candidate.name === name);
if (!section || (mode !== 'quick' && mode !== 'full') || !resultFile) {
  process.stderr.write('usage: bench/section.ts <section> <quick|full> <result file>\n');
  process.exit(2);
}
const result = await section.run({
  mode: mode as BenchMode,
  log: (line) => process.stderr.write(`  ${section.name}: ${line}\n`),
});
await writeFile(resultFile, JSON.stringify(result));
// a section may leave a timer or socket behind; its result is written either way
process.exit(0);
