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
  options: {
    readonly env?: NodeJS.ProcessEnv;
    readonly aws?: AwsClients;
    /** Answers the CLI's questions, as an operator at a terminal would; without it the CLI can ask nobody. */
    readonly ask?: (question: string) => Promise<string>;
  } = {},
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
    ...(options.ask ? { ask: options.ask } : {}),
  });
  return { code, stdout, stderr };
}

type ClientOf<K extends keyof AwsClients> = ReturnType<AwsClients[K]>;

/**
 * AWS clients for the CLI that record which it asked for (`service region`, in order, in `asked`): the given
 * ones (stubs, or clients on the local emulators), made when asked for; a service not given fails the command.
 */
export function recordingAws(clients: { readonly [K in keyof AwsClients]?: () => ClientOf<K> }) {
  const asked: string[] = [];
  const client =
    <K extends keyof AwsClients>(service: K) =>
    (region: string): ClientOf<K> => {
      const make = clients[service] as (() => ClientOf<K>) | undefined;
      if (!make) throw new Error(`this command uses no ${service}`);
      asked.push(`${service.toLowerCase()} ${region}`);
      return make();
    };
  const aws: AwsClients = {
    cloudFormation: client('cloudFormation'),
    apiGateway: client('apiGateway'),
    dynamoDb: client('dynamoDb'),
    sqs: client('sqs'),
    secretsManager: client('secretsManager'),
    sesV2: client('sesV2'),
    kms: client('kms'),
  };
  return { aws, asked };
}
