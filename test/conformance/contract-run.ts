/**
 * Runs the contract files with vitest, in this process (`startVitest` from vitest/node): vitest's usual output as
 * it goes, and a result per file for the kit's summary. The files read the API to test from the environment
 * (environment.ts), which vitest's workers inherit.
 *
 * The config is given inline, not read from a file: the contract files and nothing else (the project's
 * vitest.config.ts includes the whole test tree), with the settings `npm test` runs them with.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { repoRoot } from '../../infra/paths';
import { sharedTestOptions } from '../../vitest.config';
import { CONTRACT_FILES, type ContractFile, contractFilePath } from './contract-files';

/** One test that did not pass, and the first line of why. */
export interface Failure {
  readonly test: string;
  readonly message: string;
}

export interface FileResult {
  /** The file's path from the repository root. */
  readonly file: string;
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly failures: readonly Failure[];
}

export interface ContractRunResult {
  readonly files: readonly FileResult[];
  /** Errors outside any test (a worker that died, an unhandled rejection). */
  readonly unhandledErrors: readonly string[];
  readonly ok: boolean;
}

export interface ContractRunOptions {
  readonly files: readonly ContractFile[];
  /** Runs only the tests whose full name matches (vitest's `--testNamePattern`). */
  readonly grep: string | undefined;
  /** Contract files run at once. */
  readonly maxWorkers: number;
}

const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0] ?? '';

export async function runContractFiles(options: ContractRunOptions): Promise<ContractRunResult> {
  let result: ContractRunResult | undefined;
  const summary: Reporter = {
    onTestRunEnd(testModules, unhandledErrors) {
      const files = testModules.map(fileResult);
      const errors = unhandledErrors.map((error) => firstLine(error.message ?? String(error)));
      result = { files, unhandledErrors: errors, ok: errors.length === 0 && files.every((file) => file.ok) };
    },
  };
  // loaded when the tests are about to run: a refused key or a --help answers without it
  const { startVitest } = await import('vitest/node');
  await startVitest(options.files.map(contractFilePath), {
    config: false,
    root: repoRoot,
    ...sharedTestOptions,
    include: CONTRACT_FILES.map(contractFilePath),
    maxWorkers: options.maxWorkers,
    run: true,
    watch: false,
    reporters: ['default', summary],
    ...(options.grep === undefined ? {} : { testNamePattern: options.grep }),
  });
  return (
    result ?? {
      files: [],
      unhandledErrors: ['vitest did not run the contract files (see its output above)'],
      ok: false,
    }
  );
}

function fileResult(testModule: TestModule): FileResult {
  const failures: Failure[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const testCase of testModule.children.allTests()) {
    const outcome = testCase.result();
    if (outcome.state === 'passed') passed += 1;
    else if (outcome.state === 'failed') {
      failed += 1;
      failures.push({ test: testCase.fullName, message: firstLine(outcome.errors[0]?.message) });
    } else skipped += 1;
  }
  // a failed hook (a beforeAll that could not create its district) fails the file, not a test
  for (const error of testModule.errors()) {
    failures.push({ test: '(file)', message: firstLine(error.message) });
  }
  return {
    file: testModule.relativeModuleId,
    ok: testModule.ok(),
    passed,
    failed,
    skipped,
    durationMs: testModule.diagnostic().duration,
    failures,
  };
}
