/**
 * The kit's summary, printed after vitest's own output: each contract file's result, the failures in a line each,
 * what cleanup removed and what is left, and one verdict line.
 */
import type { OpsIo } from '../../infra/ops/context';
import { printTable } from '../../infra/ops/output';
import type { CleanupReport } from './cleanup';
import type { ContractRunResult } from './contract-run';

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function printResults(io: OpsIo, run: ContractRunResult): void {
  io.out('\nContract files\n');
  if (run.files.length === 0) io.out('  none ran\n');
  else {
    printTable(
      io,
      ['  FILE', 'RESULT', 'PASSED', 'FAILED', 'SKIPPED', 'TIME'],
      run.files.map((file) => [
        `  ${file.file}`,
        file.ok ? 'ok' : 'FAILED',
        String(file.passed),
        String(file.failed),
        String(file.skipped),
        seconds(file.durationMs),
      ]),
    );
  }
  const failures = run.files.flatMap((file) =>
    file.failures.map((failure) => `  ${file.file} › ${failure.test}: ${failure.message}`),
  );
  const lines = [...failures, ...run.unhandledErrors.map((error) => `  outside any test: ${error}`)];
  if (lines.length > 0) io.out(`\nFailures\n${lines.join('\n')}\n`);
}

/**
 * What cleanup did and what is left. `removeHint` names the ops options that would remove what the API cannot
 * (`--state OH`), shown when the run had none.
 */
export function printCleanup(
  io: OpsIo,
  report: CleanupReport,
  options: { readonly withOpsTarget: boolean; readonly removeHint: string },
): void {
  io.out('\nCleanup\n');
  io.out(
    `  ${plural(report.districts.length, 'district')} of this run: ${plural(report.milestonesRemoved, 'milestone')} ` +
      `and ${plural(report.subscribersRemoved, 'subscriber')} removed, ${plural(report.keysRevoked, 'key')} ` +
      'revoked through the API\n',
  );
  if (options.withOpsTarget) {
    io.out(
      `  ${plural(report.districtsRemoved, 'district')} and ` +
        `${plural(report.stateSubscribersRemoved, 'state-wide subscriber')} removed from the table\n`,
    );
  }
  for (const problem of report.problems) io.out(`  problem: ${problem}\n`);
  const { districts, stateSubscribers } = report.left;
  if (districts.length === 0 && stateSubscribers.length === 0) {
    io.out('Left: nothing.\n');
    return;
  }
  io.out(
    `Left: ${plural(districts.length, 'district')}, ${plural(stateSubscribers.length, 'state-wide subscriber')}.\n`,
  );
  if (districts.length > 0) {
    io.out(
      `  districts (their milestones and subscribers removed, the keys the run recorded revoked; the API has no ` +
        `DELETE of a district): ${districts.join(', ')}\n` +
        `  remove each with: npm run ops -- districts remove <districtId> --yes ${options.removeHint}\n`,
    );
  }
  if (stateSubscribers.length > 0) {
    io.out(
      `  state-wide subscribers (mailbox simulator addresses; no route removes one): ${stateSubscribers.join(', ')}\n` +
        `  run the kit again with ${options.removeHint} to remove them from the table\n`,
    );
  }
}

export function printVerdict(io: OpsIo, run: ContractRunResult, cleanupOk: boolean, elapsedMs: number) {
  const tests = run.files.reduce((sum, file) => sum + file.passed + file.failed, 0);
  const failedFiles = run.files.filter((file) => !file.ok).length;
  const verdict = run.ok
    ? `passed: ${plural(run.files.length, 'file')}, ${plural(tests, 'test')}`
    : `FAILED: ${failedFiles} of ${plural(run.files.length, 'file')} failed`;
  const cleanup = cleanupOk ? '' : '; cleanup did not finish (see above)';
  io.out(`\nConformance ${verdict}${cleanup}, in ${seconds(elapsedMs)}\n`);
}
