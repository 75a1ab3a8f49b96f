/**
 * What the kit checks before it runs a single test, so that a wrong URL or key is one clear line rather than a
 * hundred failed tests: the URL answers `GET /v1/health` as the contract says, and the API accepts the key on a
 * state route. That the key has a state key's form is checked before, where the kit finds it
 * (resolveApiTarget, infra/ops/target.ts).
 */
import { networkReason } from '../../infra/ops/api';
import { OpsError } from '../../infra/ops/context';
import { Problem } from '../../shared/contract/common';
import { retryingThrottled } from './throttle-retry';

export async function checkApi(apiUrl: string, stateKey: string): Promise<void> {
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
