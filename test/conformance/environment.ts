/**
 * What the conformance kit (run.ts) hands the contract test files it runs, through their environment: the API to
 * test, the state key, the run's id and where to record what the run creates. Vitest's workers inherit the kit's
 * environment, so a variable set here reaches every contract file; with none set, the files start a local stack
 * of their own (test/support/contract-target.ts).
 */
import { randomBytes } from 'node:crypto';

/** The environment variables of a conformance run. */
const CONFORMANCE_ENV = {
  /** The API's base URL: the root of the state's custom domain, or the stage URL. */
  url: 'VP_CONFORMANCE_URL',
  /** A state key of that API. */
  key: 'VP_CONFORMANCE_KEY',
  /** The run's id: every district the run creates starts with `cf-<runId>-`. */
  runId: 'VP_CONFORMANCE_RUN_ID',
  /** The file the test workers append what they create to, one JSON document a line (ledger.ts). */
  ledger: 'VP_CONFORMANCE_LEDGER',
  /** The state's minimum n (PRODUCT §5), which the API does not publish. */
  minimumN: 'VP_CONFORMANCE_MINIMUM_N',
} as const;

/** The settings of a conformance run, as the contract files read them. */
export interface ConformanceSettings {
  readonly apiUrl: string;
  readonly stateKey: string;
  readonly runId: string;
  /** Absent when the files are run by hand with only the URL and key set: nothing is recorded then. */
  readonly ledgerFile: string | undefined;
  readonly minimumN: number;
}

/** The minimum n when the operator names none: the contract's default. */
export const CONTRACT_MINIMUM_N = 10;

/** The prefix of every district id a run creates. */
export const runPrefix = (runId: string) => `cf-${runId}-`;

/** A new run id: 8 hex digits, enough that parallel runs and leftovers of old ones never meet. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The conformance settings of `env`, or undefined when it names no API (the files then test a local stack).
 * A URL without a key is a mistake worth stopping on, not a reason to fall back to a local stack.
 */
export function readConformanceSettings(env: NodeJS.ProcessEnv): ConformanceSettings | undefined {
  const apiUrl = env[CONFORMANCE_ENV.url];
  if (!apiUrl) return undefined;
  const stateKey = env[CONFORMANCE_ENV.key];
  if (!stateKey) throw new Error(`${CONFORMANCE_ENV.url} is set without ${CONFORMANCE_ENV.key}: set both`);
  const minimumN = Number(env[CONFORMANCE_ENV.minimumN] || CONTRACT_MINIMUM_N);
  if (!Number.isInteger(minimumN) || minimumN < 1) {
    throw new Error(`${CONFORMANCE_ENV.minimumN} must be a whole number from 1`);
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    stateKey,
    // files run by hand share one id per process at least; the kit sets one for the whole run
    runId: env[CONFORMANCE_ENV.runId] || newRunId(),
    ledgerFile: env[CONFORMANCE_ENV.ledger] || undefined,
    minimumN,
  };
}

/** The environment that makes the contract files test `settings`' API. */
export function conformanceEnvironment(settings: ConformanceSettings): Record<string, string> {
  return {
    [CONFORMANCE_ENV.url]: settings.apiUrl,
    [CONFORMANCE_ENV.key]: settings.stateKey,
    [CONFORMANCE_ENV.runId]: settings.runId,
    [CONFORMANCE_ENV.minimumN]: String(settings.minimumN),
    ...(settings.ledgerFile ? { [CONFORMANCE_ENV.ledger]: settings.ledgerFile } : {}),
  };
}
