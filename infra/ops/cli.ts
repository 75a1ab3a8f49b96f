/**
 * The ops CLI of a state agency: districts, their keys, state keys, the dead-letter queues, metrics rebuilds,
 * point-in-time restores, history imports, the SES set-up, the unsubscribe secret and sample mail events, on the
 * local stack or a deployed state. docs/runbook.md says which to run when.
 *
 *   npm run ops -- districts create lincoln-usd --name 'Lincoln Unified School District'
 *   npm run ops -- districts list --state OH --json
 *   npm run ops -- dlq show metrics --state OH
 *   npm run ops -- metrics rebuild lincoln-usd
 *   npm run ops -- digests run --at 2026-11-23T12:00:00Z
 *   npm run ops -- mail-events inject-bounce sub-0123456789abcdef --district lincoln-usd
 *   npm run ops -- import lincoln-usd --milestones m.csv --ratings r.csv --evidence e.csv --dry-run
 *   npm run ops -- restore district lincoln-usd --from <copy> --state OH
 *   npm run ops -- ses status --state OH
 *   npm run ops -- unsubscribe-secret rotate --state OH
 *   npm run ops -- --help
 *
 * Exit codes: 0 done, 1 refused or failed (the API's problem, a missing stack, unreachable services), 2 usage.
 * `run()` is the whole CLI without a process, for tests.
 */
import { Command, CommanderError, Option } from 'commander';
import { CommandContext } from './command-context';
import { DefaultAwsClients, OpsError, type OpsIo, processIo } from './context';
import { registerDigests } from './digests';
import { registerDistricts } from './districts';
import { registerDlq } from './dlq';
import { registerImport } from './import/command';
import { registerKeys } from './keys';
import { registerMailEvents } from './mail-events';
import { registerMetrics } from './metrics';
import { registerRestore } from './restore';
import { registerSes } from './ses';
import { registerStateKey } from './state-key';
import { parseStateCode } from './target';
import { registerUnsubscribeSecret } from './unsubscribe-secret';

/** The exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The program, its output and failures sent to `io`; commander throws instead of exiting (exitOverride). */
export function buildProgram(context: CommandContext): Command {
  const program = new Command('ops')
    .description(
      'Operations of a Vision Progress state: districts, district keys, state keys, dead-letter queues, metrics, ' +
        'restores, history imports, SES set-up, the unsubscribe secret, mail events (runbook: docs/runbook.md)',
    )
    .configureOutput({ writeOut: context.io.out, writeErr: context.io.err })
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nTarget: the local stack unless --state or --api-url is given. API calls carry the state key of ' +
        '.local/credentials.json locally, else --key or VP_STATE_KEY.',
    )
    .addOption(
      new Option('--local', 'the local stack (npm start): the default').conflicts(['state', 'apiUrl']),
    )
    .addOption(
      new Option(
        '--credentials <file>',
        "local: the local stack's credentials file (default .local/credentials.json)",
      ).conflicts(['state', 'apiUrl']),
    )
    .addOption(
      new Option(
        '--state <code>',
        'the deployed stack VisionProgress-<code>, found with your AWS credentials',
      )
        .argParser(parseStateCode)
        .conflicts('apiUrl'),
    )
    .option('--region <region>', "with --state: its region (default: the state's config)")
    .option('--key <stateKey>', "the state key for API calls (default: VP_STATE_KEY; locally the file's)")
    .option('--api-url <url>', "an API base URL to call instead, e.g. the state's custom domain")
    .option('--json', 'print results as JSON, for scripts');
  registerDistricts(program, context);
  registerKeys(program, context);
  registerStateKey(program, context);
  registerDlq(program, context);
  registerMetrics(program, context);
  registerRestore(program, context);
  registerDigests(program, context);
  registerMailEvents(program, context);
  registerImport(program, context);
  registerSes(program, context);
  registerUnsubscribeSecret(program, context);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves its exit code; never exits the
 * process. Failures are printed to `io.err`: usage errors by commander, everything else here.
 */
export async function run(argv: readonly string[], io: OpsIo = processIo()): Promise<number> {
  // makes no client until one is asked for, so creating it when io brings its own costs nothing
  const owned = new DefaultAwsClients();
  const aws = io.aws ?? owned;
  try {
    await buildProgram(new CommandContext(io, aws)).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(error, io);
  } finally {
    owned.close();
  }
}

function report(error: unknown, io: OpsIo): number {
  // commander has printed its message (or the help) already
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof OpsError) {
    io.err(`error: ${error.message}\n${error.details.map((detail) => `  ${detail}\n`).join('')}`);
    return EXIT.failed;
  }
  // an SDK or system error nobody anticipated: its name often says most (CredentialsProviderError, AccessDenied)
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.err(`error: ${described}\n`);
  return EXIT.failed;
}

if (import.meta.main) {
  process.exitCode = await run(process.argv.slice(2));
}
