/**
 * For every keyed route of the topology: no key 401, a malformed key 401, an unknown key 401, a revoked key 401,
 * another district's key 403 (district routes), a district key on a state route 403 — and none of them reaches
 * or changes anything. A contract file (test/support/contract-target.ts): the revoked key is revoked before it is
 * ever used, so no authorizer cache can let it in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology';
import { newKey } from '../../shared/domain/api-keys';
import { contractTarget } from '../support/contract-target';
import { createDistrict } from '../support/district-api';
import { send } from '../support/http';

const target = contractTarget();
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
  await target.start();
  const { apiUrl, stateKey } = target;
  const create = (label: string) => {
    const districtId = target.districtId(label);
    return createDistrict(apiUrl, stateKey, { districtId, name: districtId });
  };
  own = await create('matrix-own');
  other = await create('matrix-other');
  const made = await send(apiUrl, 'POST', `/v1/districts/${own.districtId}/keys`, { key: stateKey });
  const revoked = await send(apiUrl, 'DELETE', `/v1/districts/${own.districtId}/keys/${made.body.keyId}`, {
    key: stateKey,
  });
  expect([made.status, revoked.status]).toEqual([201, 204]);
  revokedKey = made.body.apiKey;
});
afterAll(() => target.stop());

describe.each(keyed.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_, route) => {
  const call = (key: string | undefined, headers: Record<string, string> = {}) =>
    send(target.apiUrl, route.method, pathOf(route.path, own.districtId), {
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
