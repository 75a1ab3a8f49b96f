/**
 * Which API an import writes to, and with which district key. The writes of the contract need a district key:
 * a district integrator passes theirs (`--district-key` or VP_DISTRICT_KEY) and needs no state key at all; an
 * ops team lets the import make a key of its own with the state key, used for this import only and revoked at
 * its end, whether it succeeded or not.
 */
import { parseKey } from '../../../shared/domain/api-keys';
import { ApiProblemError } from '../api';
import { type AwsClients, OpsError } from '../context';
import { revokeDistrictKey } from '../keys';
import { readStackOutputs } from '../stack-outputs';
import { type ApiTarget, readLocalCredentials, type Target } from '../target';

/** The environment variable a district key may come from. */
export const DISTRICT_KEY_ENV = 'VP_DISTRICT_KEY';

/**
 * The district key given with `--district-key`, else VP_DISTRICT_KEY; `undefined` when neither is. The error
 * names where a malformed key came from, never the key.
 */
export function givenDistrictKey(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const key = flag ?? (env[DISTRICT_KEY_ENV] === '' ? undefined : env[DISTRICT_KEY_ENV]);
  if (key === undefined) return undefined;
  if (parseKey(key)?.kind !== 'district') {
    const source = flag === undefined ? DISTRICT_KEY_ENV : '--district-key';
    throw new OpsError(`the key from ${source} is not a district key (vp_d_<keyId>_<secret>)`);
  }
  return key;
}

/**
 * The API URL of a target, for an import with a district key: the local credentials file's, the URL given, or
 * a deployed stack's `ApiUrl` output; no state key is asked for.
 */
export async function apiUrlOf(target: Target, aws: AwsClients): Promise<string> {
  if (target.kind === 'local') return (await readLocalCredentials(target.credentialsFile)).apiUrl;
  if (target.kind === 'url') return target.apiUrl.replace(/\/+$/, '');
  const outputs = await readStackOutputs(aws.cloudFormation(target.region), target.stateCode, target.region, [
    'apiUrl',
  ]);
  return outputs.apiUrl.replace(/\/+$/, '');
}

/** Revokes a key this import made; one that is gone already (404) is as good as revoked. */
export async function revokeImportKey(target: ApiTarget, districtId: string, keyId: string): Promise<void> {
  try {
    await revokeDistrictKey(target, districtId, keyId);
  } catch (error) {
    if (error instanceof ApiProblemError && error.status === 404) return;
    throw error;
  }
}
