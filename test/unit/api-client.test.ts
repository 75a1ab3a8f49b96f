/**
 * The typed client of the tests: its types are the generator's output for the current contract, and it sends
 * what the API expects. Requests go to a stubbed fetch; test/integration/docs.test.ts calls a running API.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromRoot } from '../../infra/paths';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/generate-client';
import { apiClient } from '../support/api-client';

/** Replaces fetch with one that records each request and answers `{"status":"ok"}`. */
function recordRequests(): Request[] {
  const requests: Request[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    requests.push(request);
    return Response.json({ status: 'ok' });
  });
  return requests;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the generated API types', () => {
  it('are what the generator makes of the current contract (npm run generate:client rewrites them)', async () => {
    const committed = await readFile(fromRoot(API_TYPES_FILE), 'utf8');

    expect(committed).toBe(await renderApiTypes());
  });
});

describe('apiClient', () => {
  it('sends the key as a bearer token to a path under the base URL', async () => {
    const requests = recordRequests();
    const client = apiClient('http://api.test/base', 'vp_s_0123456789abcdef_secret');

    const { data } = await client.GET('/v1/districts/{districtId}/milestones', {
      params: { path: { districtId: 'lincoln-usd' }, query: { limit: 10 } },
    });

    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('http://api.test/base/v1/districts/lincoln-usd/milestones?limit=10');
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer vp_s_0123456789abcdef_secret');
    expect(data).toEqual({ status: 'ok' });
  });

  it('sends no authorization header without a key', async () => {
    const requests = recordRequests();

    await apiClient('http://api.test').GET('/v1/health');

    expect(requests[0]?.headers.has('authorization')).toBe(false);
  });

  it('lets one call replace the key, to try a wrong one', async () => {
    const requests = recordRequests();

    await apiClient('http://api.test', 'vp_s_right').GET('/v1/districts', {
      headers: { authorization: 'Bearer vp_s_wrong' },
    });

    expect(requests[0]?.headers.get('authorization')).toBe('Bearer vp_s_wrong');
  });

  it('accepts only what the contract declares (checked by tsc)', () => {
    const client = apiClient('http://api.test');
    const calls = [
      // @ts-expect-error: no such path in the contract
      () => client.GET('/v1/nowhere'),
      // @ts-expect-error: a milestone is PUT, not POST
      () => client.POST('/v1/districts/{districtId}/milestones/{milestoneId}'),
    ];

    expect(calls).toHaveLength(2);
  });
});
