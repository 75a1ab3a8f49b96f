/**
 * What the kit checks before it runs a single test, so that a wrong URL or key is one clear line rather than a
 * hundred failed tests: the key has a state key's form, the URL answers `GET /v1/health` as the contract says,
 * and the API accepts the key on a state route.
 */
import { OpsError } from '../../infra/ops/context';
import { Problem } from '../../shared/contract/common';
import { parseKey } from '../../shared/domain/api-keys';
import { retryingThrottled } from './throttle-retry';

export async function checkApi(apiUrl: string, stateKey: string): Promise<void> {
  if (parseKey(stateKey)?.kind !== 'state') {
    throw new OpsError(
      'the key is not a state key (vp_s_<keyId>_<secret>): the contract tests create districts, which only a ' +
        'state key may (npm run ops -- state-key create)',
    );
  }
  const fetchApi = retryingThrottled(globalThis.fetch, apiUrl);
  let health: Response;
  try {
    health = await fetchApi(`${apiUrl}/v1/health`);
  } catch (error) {
    throw new OpsError(`cannot reach ${apiUrl} (${networkReason(error)}): check --url`, { cause: error });
  }
  const body: unknown = await health.json().catch(() => undefined);
  if (health.status !== 200 || (body as { status?: unknown } | undefined)?.status !== 'ok') {
    throw new OpsError(
      `${apiUrl}/v1/health answered ${health.status}, not 200 {"status":"ok"}: --url must be the API's base, ` +
        "where every route's /v1/… path starts (the state's custom domain, or the stage URL ending in /v1)",
    );
  }
  const districts = await fetchApi(`${apiUrl}/v1/districts?limit=1`, {
    headers: { authorization: `Bearer ${stateKey}` },
  });
  if (districts.status !== 200) {
    const problem = Problem.safeParse(await districts.json().catch(() => undefined));
    const said = problem.success ? `${problem.data.title}: ${problem.data.detail}` : districts.statusText;
    throw new OpsError(
      `${apiUrl} refused the state key (GET /v1/districts answered ${districts.status} ${said}): check --key`,
    );
  }
}

/** fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, a TLS error). */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
