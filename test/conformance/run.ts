/**
 * `npm run conformance`: the conformance kit. Runs the end-to-end contract files (contract-files.ts), unchanged,
 * against a deployed state or any running stack, so that an ops team can prove a fresh deployment and a district
 * integrator can test against a staging stack; then removes what the run created.
 *
 *   npm run conformance -- --url https://vision-progress.education.ohio.example --key vp_s_… --state OH
 *   npm run conformance -- --state OH                      # the stack's ApiUrl output, VP_STATE_KEY
 *   npm run conformance -- --local                         # the stack of `npm start`
 *   npm run conformance -- --url … --key … --only ingest auth-matrix --grep 'revoked'
 *   npm run conformance -- --state OH --clean-up 1a2b3c4d  # what an interrupted run left
 *
 * Every district the run creates is named `cf-<runId>-…`. Before any test it checks that the URL answers
 * `GET /v1/health` and accepts the key; at the end, even when tests failed, it removes through the API what the
 * API can remove and, with an ops target (`--state`, `--local`), the districts whole, then counts what is left.
 *
 * Exit codes: 0 every test passed and cleanup finished; 1 a test failed, the API or the key was refused, or
 * cleanup did not finish; 2 usage. `run()` is the whole kit without exiting the process; it sets the conformance
 * variables in `process.env`, which vitest's workers inherit.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadStateConfig } from '../../infra/config/index';
import { EXIT } from '../../infra/ops/cli';
import { DefaultAwsClients, OpsError, type OpsIo, processIo } from '../../infra/ops/context';
import { wholeNumber } from '../../infra/ops/districts';
import { parseStateCode, resolveApiTarget, selectTarget, type TargetOptions } from '../../infra/ops/target';
import { cleanUp } from './cleanup';
import { CONTRACT_FILES, type ContractFile } from './contract-files';
import { runContractFiles } from './contract-run';
import {
  CONTRACT_MINIMUM_N,
  type ConformanceSettings,
  conformanceEnvironment,
  newRunId,
  runPrefix,
} from './environment';
import { type Ledger, ledgerPath, readLedger } from './ledger';
import { describeOpsTarget, type OpsTarget, stateCodeOf } from './ops-target';
import { checkApi } from './preflight';
import { printCleanup, printResults, printVerdict } from './summary';

interface KitOptions {
  readonly url?: string;
  readonly key?: string;
  readonly local?: boolean;
  readonly credentials?: string;
  readonly dynamodbEndpoint?: string;
  readonly localState: string;
  readonly state?: string;
  readonly region?: string;
  readonly only?: ContractFile[];
  readonly grep?: string;
  readonly keep?: boolean;
  readonly minimumN?: number;
  readonly maxWorkers: number;
  readonly cleanUp?: string;
}

function buildProgram(io: OpsIo): Command {
  return new Command('conformance')
    .description(
      'Run the end-to-end contract tests against a Vision Progress API (a deployed state, a staging stack, the ' +
        'local stack), with unique district ids, then remove what the run created',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .option('--url <apiUrl>', "the API's base: the state's custom domain, or the stage URL ending in /v1")
    .option(
      '--key <stateKey>',
      'a state key of that API (default: VP_STATE_KEY; with --local, the local one)',
    )
    .addOption(
      new Option(
        '--state <code>',
        'ops target: the deployed stack VisionProgress-<code>, on your AWS credentials; its districts are ' +
          'removed whole at the end, and its ApiUrl output is the URL when --url is not given',
      )
        .argParser(parseStateCode)
        .conflicts('local'),
    )
    .option('--region <region>', "with --state: its region (default: the state's config)")
    .option(
      '--local',
      'ops target: the local stack (npm start); its districts are removed whole at the end, and ' +
        '.local/credentials.json gives the URL and key when --url is not given',
    )
    .option('--credentials <file>', "with --local: the local stack's credentials file")
    .option('--dynamodb-endpoint <url>', 'with --local: DynamoDB Local of the running local stack')
    .option('--local-state <code>', 'with --local: the state the local stack runs', parseStateCode, 'XX')
    .addOption(new Option('--only <files...>', 'run only these contract files').choices([...CONTRACT_FILES]))
    .option('--grep <pattern>', 'run only the tests whose full name matches this regular expression')
    .option('--keep', 'leave everything the run created, for debugging: no cleanup')
    .option(
      '--max-workers <n>',
      'contract files run at once (each sends up to 8 requests at a time on its keys)',
      wholeNumber(CONTRACT_FILES.length),
      2,
    )
    .option(
      '--clean-up <runId>',
      'run no test: remove what an earlier run left (interrupted, or run with --keep), found by its prefix',
      parseRunId,
    )
    .option(
      '--minimum-n <n>',
      `the state's minimum n (default: the --state or --local-state config's, else ${CONTRACT_MINIMUM_N})`,
      wholeNumber(),
    )
    .addHelpText(
      'after',
      `\nContract files: ${CONTRACT_FILES.join(', ')} (test/e2e/<name>.test.ts).\n` +
        'Every district the run creates is named cf-<runId>-…; subscribers get SES mailbox simulator addresses.\n' +
        'Without --state or --local the API cannot remove the districts themselves (the contract has no DELETE ' +
        'of a district):\nthey are emptied and their keys revoked, and the summary lists them. An interrupted ' +
        'run leaves what it made: --clean-up <runId> removes it.\n' +
        'Exit codes: 0 passed and cleaned up, 1 a test failed or the API, the key or cleanup failed, 2 usage.\n',
    );
}

/** Runs the kit on `argv` (the arguments after the program name) and resolves its exit code. */
export async function run(argv: readonly string[], io: OpsIo = processIo()): Promise<number> {
  let options: KitOptions;
  try {
    options = buildProgram(io)
      .parse([...argv], { from: 'user' })
      .opts<KitOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  try {
    return await conform(options, io);
  } catch (error) {
    if (!(error instanceof OpsError)) throw error;
    io.err(`error: ${error.message}\n${error.details.map((detail) => `  ${detail}\n`).join('')}`);
    return EXIT.failed;
  }
}

async function conform(options: KitOptions, io: OpsIo): Promise<number> {
  const opsTarget = opsTargetOf(options);
  const { apiUrl, stateKey } = await apiOf(options, io.env);
  const minimumN =
    options.minimumN ?? (opsTarget ? loadStateConfig(stateCodeOf(opsTarget)).minimumN : CONTRACT_MINIMUM_N);
  const runId = options.cleanUp ?? newRunId();
  const prefix = runPrefix(runId);
  io.out(
    `Conformance of ${apiUrl}: run ${runId}, districts of this run start with ${prefix} ` +
      `(minimum n ${minimumN})\n`,
  );
  await checkApi(apiUrl, stateKey);
  io.out(`${apiUrl}/v1/health answers ok and the state key is accepted.\n\n`);
  const cleanup = { apiUrl, stateKey, prefix, opsTarget };
  const started = Date.now();

  const ledgerFile = ledgerPath(runId);
  if (options.cleanUp) {
    if (!existsSync(ledgerFile)) {
      io.out(
        `The ledger of run ${runId} is not on this machine: the keys and state-wide subscribers it created are not ` +
          'known. An ops target (--state, --local) removes its districts with their keys.\n',
      );
    }
    const cleanedUp = await cleanUpAndReport(io, cleanup, await readLedger(ledgerFile));
    if (cleanedUp) await rm(ledgerFile, { force: true });
    io.out(`\nCleanup of run ${runId} ${cleanedUp ? 'finished' : 'did not finish'}.\n`);
    return cleanedUp ? EXIT.ok : EXIT.failed;
  }

  const settings: ConformanceSettings = { apiUrl, stateKey, runId, ledgerFile, minimumN };
  Object.assign(process.env, conformanceEnvironment(settings));
  const results = await runContractFiles({
    files: options.only ?? [...CONTRACT_FILES],
    grep: options.grep,
    maxWorkers: options.maxWorkers,
  });
  printResults(io, results);

  let cleanedUp = true;
  if (options.keep) io.out('\nCleanup: none (--keep).\n');
  else cleanedUp = await cleanUpAndReport(io, cleanup, await readLedger(ledgerFile));
  if (cleanedUp && !options.keep) await rm(ledgerFile, { force: true });
  else {
    io.out(
      `Every district this run created starts with ${prefix}, and ${ledgerFile} lists the keys and state-wide ` +
        `subscribers it created: --clean-up ${runId} removes what is left.\n`,
    );
  }
  printVerdict(io, results, cleanedUp, Date.now() - started);
  return results.ok && cleanedUp ? EXIT.ok : EXIT.failed;
}

/** Cleans up after a run and prints what it did and what is left; resolves whether it finished. */
async function cleanUpAndReport(
  io: OpsIo,
  run: { apiUrl: string; stateKey: string; prefix: string; opsTarget: OpsTarget | undefined },
  ledger: Ledger,
): Promise<boolean> {
  try {
    const report = await cleanUp({
      ...run,
      ledger,
      env: io.env,
      progress: (line) => io.err(`cleanup: ${line}\n`),
    });
    printCleanup(io, report, {
      withOpsTarget: run.opsTarget !== undefined,
      removeHint: run.opsTarget ? describeOpsTarget(run.opsTarget) : '--state <code> (or --local)',
    });
    return report.problems.length === 0;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.out(`\nCleanup failed: ${reason}\n`);
    return false;
  }
}

/** commander's parser of `--clean-up`: a run id as the kit prints it. */
function parseRunId(value: string): string {
  if (!/^[0-9a-f]{8}$/.test(value)) {
    throw new InvalidArgumentError('must be a run id as the kit printed it: 8 hex digits');
  }
  return value;
}

/** The ops target the options name, if any. */
function opsTargetOf(options: KitOptions): OpsTarget | undefined {
  if (options.state) return { kind: 'deployed', stateCode: options.state, region: options.region };
  if (options.local) {
    return { kind: 'local', dynamodbEndpoint: options.dynamodbEndpoint, localState: options.localState };
  }
  return undefined;
}

/**
 * The API to test and its state key, found as the ops CLI finds them (infra/ops/target.ts): `--url` as given;
 * else the ops target's (the local credentials file, or the deployed stack's `ApiUrl` output).
 */
async function apiOf(options: KitOptions, env: NodeJS.ProcessEnv) {
  if (!options.url && !options.state && !options.local) {
    throw new OpsError('no API to test: pass --url <apiUrl> --key <stateKey>, --state <code> or --local');
  }
  // with --url, --state names only the ops target: the URL wins, where the ops CLI would prefer the stack
  const targetOptions: TargetOptions = options.url
    ? { apiUrl: options.url, key: options.key }
    : { state: options.state, region: options.region, credentials: options.credentials, key: options.key };
  const aws = new DefaultAwsClients();
  try {
    return await resolveApiTarget(selectTarget(targetOptions, env), targetOptions, env, aws);
  } finally {
    aws.close();
  }
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}
