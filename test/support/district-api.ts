/**
 * Districts and their subscribers made through the API for one test, with the checks every such call gets: a
 * district created with the state key (201) and a client on its own first key, a subscriber subscribed (201),
 * a subscriber list read to its last page. Clients are made per call, so that a contract file's wrapped fetch
 * (test/support/contract-target.ts) is the one they use.
 */
import { expect } from 'vitest';
import type { components } from '../../shared/contract/generated/api-types';
import { type ApiClient, apiClient } from './api-client';

type Schemas = components['schemas'];

/** A district a test created, with its first key and a client that uses that key. */
export interface TestDistrict {
  readonly districtId: string;
  readonly key: string;
  readonly keyId: string;
  readonly api: ApiClient;
}

/** Creates the district `body` describes with the state key; fails the test unless it is created. */
export async function createDistrict(
  apiUrl: string,
  stateKey: string,
  body: Schemas['CreateDistrict'],
): Promise<TestDistrict> {
  const { data, response } = await apiClient(apiUrl, stateKey).POST('/v1/districts', { body });
  expect(response.status).toBe(201);
  if (!data) throw new Error('no district');
  return {
    districtId: body.districtId,
    key: data.apiKey,
    keyId: data.keyId,
    api: apiClient(apiUrl, data.apiKey),
  };
}

/** Subscribes `body` to the district's digests with its own key; resolves the new subscriber's id. */
export async function subscribe(district: TestDistrict, body: Schemas['SubscriberBody']): Promise<string> {
  const { data, response } = await district.api.POST('/v1/districts/{districtId}/subscribers', {
    params: { path: { districtId: district.districtId } },
    body,
  });
  expect(response.status).toBe(201);
  if (!data) throw new Error('no subscriber');
  return data.subscriberId;
}

/** Every subscriber of the district, `limit` to a page; each page must hold no more. */
export async function listSubscribers(district: TestDistrict, limit = 100): Promise<Schemas['Subscriber'][]> {
  const items: Schemas['Subscriber'][] = [];
  let nextToken: string | undefined;
  do {
    const page = await district.api.GET('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId: district.districtId }, query: { limit, nextToken } },
    });
    expect(page.response.status).toBe(200);
    expect(page.data?.items.length).toBeLessThanOrEqual(limit);
    items.push(...(page.data?.items ?? []));
    nextToken = page.data?.nextToken;
  } while (nextToken);
  return items;
}
