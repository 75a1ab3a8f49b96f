/** The ops CLI run in the test's process, its output captured. */
import { run } from '../../infra/ops/cli';
import type { AwsClients } from '../../infra/ops/context';

export interface OpsOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI on `argv` with an environment of its own (none of the test process's) and, when given, the AWS
 * clients it may ask for.
 */
export async function runOps(
  argv: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly aws?: AwsClients } = {},
): Promise<OpsOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    ...(options.aws ? { aws: options.aws } : {}),
  });
  return { code, stdout, stderr };
}
