/**
 * Which platform a command acts on, shared by every command: the local stack (the default, through
 * `.local/credentials.json`), a deployed state stack (`--state OH`, found through its CloudFormation outputs), or
 * an API URL given as it is (`--api-url`, e.g. a state's custom domain).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { parseKey } from '../../shared/domain/api-keys';
import { loadStateConfig } from '../config/index';
import { LocalCredentials } from '../local/credentials';
import { dataLayout, defaultDataDir } from '../local/data-dir';
import { stackName } from '../stack-contract';
import { type AwsClients, OpsError } from './context';
import { readStackOutputs } from './stack-outputs';

/** The target options every command takes (commander's names for them). */
export interface TargetOptions {
  readonly local?: boolean;
  readonly credentials?: string;
  readonly state?: string;
  readonly region?: string;
  readonly key?: string;
  readonly apiUrl?: string;
}

/** Where a command goes, before anything is read or asked for. */
export type Target =
  | { readonly kind: 'local'; readonly credentialsFile: string }
  | { readonly kind: 'deployed'; readonly stateCode: string; readonly region: string }
  | { readonly kind: 'url'; readonly apiUrl: string };

/** The API a command calls and the state key it calls it with. */
export interface ApiTarget {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** What to suggest when the API cannot be reached. */
  readonly unreachableHint: string;
}

/** commander's parser of `--state`: a state this repository has a config for, as its upper-case code. */
export function parseStateCode(value: string): string {
  try {
    return loadStateConfig(value).stateCode;
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** The target the options name; the local stack when they name none. */
export function selectTarget(options: TargetOptions, env: NodeJS.ProcessEnv): Target {
  if (options.state !== undefined) {
    return {
      kind: 'deployed',
      stateCode: options.state,
      region: regionOf(options.state, options.region),
    };
  }
  if (options.apiUrl !== undefined) return { kind: 'url', apiUrl: options.apiUrl };
  return {
    kind: 'local',
    credentialsFile: options.credentials ?? dataLayout(defaultDataDir(env)).credentials,
  };
}

/**
 * The region of a deployed stack: `--region`, else the region of the state's config (where `npm run cdk --
 * deploy` puts it). An ambient AWS_REGION left over from other work must not send a state key to the wrong
 * stack, so it is not consulted.
 */
function regionOf(stateCode: string, flag: string | undefined): string {
  return flag ?? loadStateConfig(stateCode).aws.region;
}

/**
 * The API URL and state key of a target. Locally both come from the credentials file (`--key` overrides the
 * key); elsewhere the key comes from `--key` or VP_STATE_KEY and is checked before any AWS call, and a deployed
 * stack's URL from its `ApiUrl` output.
 */
export async function resolveApiTarget(
  target: Target,
  options: TargetOptions,
  env: NodeJS.ProcessEnv,
  aws: AwsClients,
): Promise<ApiTarget> {
  if (target.kind === 'local') {
    const credentials = await readLocalCredentials(target.credentialsFile);
    return {
      apiUrl: credentials.apiUrl,
      stateKey: checkedStateKey(
        options.key ?? credentials.stateKey,
        options.key ? '--key' : target.credentialsFile,
      ),
      unreachableHint: 'is the local stack running? Start it with `npm start`.',
    };
  }
  const where = target.kind === 'deployed' ? stackName(target.stateCode) : target.apiUrl;
  const presented = options.key ?? env.VP_STATE_KEY;
  if (presented === undefined || presented === '') {
    throw new OpsError(`no state key for ${where}: pass --key <stateKey> or set VP_STATE_KEY`);
  }
  const stateKey = checkedStateKey(presented, options.key ? '--key' : 'VP_STATE_KEY');
  if (target.kind === 'url') {
    return { apiUrl: withoutTrailingSlash(target.apiUrl), stateKey, unreachableHint: 'check --api-url.' };
  }
  const outputs = await readStackOutputs(aws.cloudFormation(target.region), target.stateCode, target.region);
  return {
    apiUrl: withoutTrailingSlash(outputs.apiUrl),
    stateKey,
    unreachableHint: `check the network path to ${where} in ${target.region}.`,
  };
}

/**
 * The local stack's credentials file, validated. A missing file means the stack never started with this data
 * dir, which is worth saying in so many words.
 */
export async function readLocalCredentials(file: string): Promise<LocalCredentials> {
  if (!existsSync(file)) {
    throw new OpsError(
      `no local credentials at ${file}: the local stack has never started here. Start it with \`npm start\`, ` +
        'or pass --credentials <file> or --state <code>.',
    );
  }
  let content: unknown;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new OpsError(`${file} is not JSON: \`npm start\` writes it anew`, { cause: error });
  }
  const parsed = LocalCredentials.safeParse(content);
  if (!parsed.success) {
    throw new OpsError(`${file} holds no valid apiUrl and stateKey: \`npm start\` writes it anew`, {
      details: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
  }
  return parsed.data;
}

/** The key if it has the form of a state key; the error names where it came from, never the key. */
function checkedStateKey(key: string, source: string): string {
  if (parseKey(key)?.kind !== 'state') {
    throw new OpsError(`the key from ${source} is not a state key (vp_s_<keyId>_<secret>)`);
  }
  return key;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');
