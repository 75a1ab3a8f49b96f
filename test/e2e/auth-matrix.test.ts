/**
 * For every keyed route of the topology: no key 401, a malformed key 401, an unknown key 401, a revoked key 401,
 * another district's key 403 (district routes), a district key on a state route 403 — and none of them reaches
 * or changes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology';
import { newKey } from '../../shared/domain/api-keys';
import { send } from '../support/http';
import { testStack } from '../support/local-stack';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
const keyed = topology.routes.filter((route) => route.auth !== 'none');

let own: { districtId: string; key: string };
let other: { districtId: string; key: string };
let revokedKey: string;

const pathOf = (template: string, districtId: string) =>
  template
    .replace('{districtId}', districtId)
    .replace('{keyId}', '0123456789abcdef')
    .replace('{milestoneId}', 'm-1')
    .replace('{submissionId}', 's-1')
    .replace('{subscriberId}', 'sub-0123456789abcdef');

beforeAll(async () => {
  const info = await local.start();
  const stateKey = info.credentials.stateKey;
  const create = async (districtId: string) => {
    const created = await send(info.apiUrl, 'POST', '/v1/districts', {
      key: stateKey,
      body: { districtId, name: districtId },
    });
    return { districtId, key: created.body.apiKey as string };
  };
  own = await create('matrix-own');
  other = await create('matrix-other');
  const made = await send(info.apiUrl, 'POST', `/v1/districts/${own.districtId}/keys`, { key: stateKey });
  await send(info.apiUrl, 'DELETE', `/v1/districts/${own.districtId}/keys/${made.body.keyId}`, {
    key: stateKey,
  });
  revokedKey = made.body.apiKey;
});
afterAll(() => local.stop());

describe.each(keyed.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_, route) => {
  const call = (key: string | undefined, headers: Record<string, string> = {}) =>
    send(local.info.apiUrl, route.method, pathOf(route.path, own.districtId), {
      ...(key === undefined ? {} : { key }),
      headers,
      ...(route.method === 'POST' || route.method === 'PUT' ? { body: {} } : {}),
    });

  it('refuses a missing, malformed, unknown or revoked key with 401', async () => {
    for (const answer of [
      await call(undefined),
      await call(undefined, { authorization: 'Basic dXNlcjpwYXNz' }),
      await call('vp_d_not-a-key'),
      await call(newKey({ kind: 'district', districtId: own.districtId }).apiKey),
      await call(revokedKey),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ status: 401, correlationId: expect.any(String) });
    }
  });

  it(
    route.auth === 'state' ? 'refuses a district key with 403' : "refuses another district's key with 403",
    async () => {
      const answer = await call(route.auth === 'state' ? own.key : other.key);
      expect(answer.status).toBe(403);
      expect(answer.contentType).toBe('application/problem+json');
    },
  );
});
