/**
 * Digest subscribers over HTTP: subscribing, listing page by page, removing; one address per scope; the
 * state-wide list; every bad field of a bad body; 404s and 403s; and the refusals of `POST /v1/digests/run`. A
 * contract file (test/support/contract-target.ts): no test here runs the digests, which on a deployed state would
 * send every subscriber of the state its digest. The runs, whose jobs a local stack's recording consumer checks,
 * and the stored state-wide subscriber are in subscribers-internals.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { contractTarget } from '../support/contract-target';
import { createDistrict, listSubscribers, subscribe } from '../support/district-api';
import { type RawRequest, send } from '../support/http';

const target = contractTarget();
let stateKey: string;
const call = (method: string, path: string, request: RawRequest = {}) =>
  send(target.apiUrl, method, path, request);
const state = () => apiClient(target.apiUrl, stateKey);

/** A new district for one test, with a client that uses its key. */
function newDistrict() {
  const districtId = target.districtId(`d-${randomUUID().slice(0, 8)}`);
  return createDistrict(target.apiUrl, stateKey, { districtId, name: districtId });
}

/** An address no other test uses. */
const newAddress = (label = 'parent') => target.address(label);

/** The address with its domain in mixed case, as a district system may send it. */
const mixedCaseDomain = (address: string) => {
  const [localPart, domain = ''] = address.split('@');
  const mixed = [...domain].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
  return `${localPart}@${mixed}`;
};

beforeAll(async () => {
  await target.start();
  stateKey = target.stateKey;
});
afterAll(() => target.stop());

describe('district subscribers', () => {
  it('subscribes addresses, normalized, and lists them page by page with their status', async () => {
    const district = await newDistrict();
    const ada = newAddress('Ada');
    const ids = [
      await subscribe(district, { email: `  ${mixedCaseDomain(ada)} `, cadence: 'weekly' }),
      await subscribe(district, { email: newAddress(), name: '  Board Chair ', cadence: 'monthly' }),
      await subscribe(district, { email: newAddress(), cadence: 'weekly' }),
      await subscribe(district, { email: newAddress(), cadence: 'monthly' }),
      await subscribe(district, { email: newAddress(), cadence: 'weekly' }),
    ];

    const items = await listSubscribers(district, 2);

    expect(ids.every((id) => /^sub-[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(items.map((item) => item.subscriberId).sort()).toEqual([...ids].sort());
    expect(items.find((item) => item.subscriberId === ids[0])).toEqual({
      subscriberId: ids[0],
      email: ada,
      name: null,
      cadence: 'weekly',
      status: 'active',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(items.find((item) => item.subscriberId === ids[1])).toMatchObject({
      name: 'Board Chair',
      cadence: 'monthly',
    });
  });

  it("refuses a page token that is not one of this list's", async () => {
    const district = await newDistrict();
    const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    for (const token of [
      'forged',
      forged({ pk: 'DISTRICT#other', sk: 'SUBSCRIBER#sub-0123456789abcdef' }),
      forged({ pk: `DISTRICT#${district.districtId}`, sk: 'MILESTONE#m-1' }),
      forged({ pk: `DISTRICT#${district.districtId}`, sk: 'SUBSCRIBER-EMAIL#00' }),
    ]) {
      const answer = await call(
        'GET',
        `/v1/districts/${district.districtId}/subscribers?nextToken=${token}`,
        {
          key: district.key,
        },
      );
      expect([answer.status, answer.body.errors]).toEqual([
        400,
        [{ path: 'query.nextToken', message: expect.any(String) }],
      ]);
    }
    const limit = await call('GET', `/v1/districts/${district.districtId}/subscribers?limit=101`, {
      key: district.key,
    });
    expect(limit.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
  });

  it('subscribes an address once per district, whatever the cadence or case; other districts are apart', async () => {
    const district = await newDistrict();
    const other = await newDistrict();
    const address = newAddress('Parent');
    const first = await subscribe(district, { email: address, cadence: 'weekly' });

    for (const email of [address, ` ${address.toUpperCase()} `, address.toLowerCase()]) {
      const again = await call('POST', `/v1/districts/${district.districtId}/subscribers`, {
        key: district.key,
        body: { email, cadence: 'monthly' },
      });
      expect(again.status).toBe(409);
      expect(again.contentType).toBe('application/problem+json');
      // the holder is named so that the caller can remove it; the address is not repeated
      expect(again.body.detail).toContain(first);
      expect(again.text.toLowerCase()).not.toContain(address.toLowerCase());
    }
    await subscribe(other, { email: address, cadence: 'weekly' });

    expect((await listSubscribers(district)).map((item) => item.subscriberId)).toEqual([first]);
  });

  it('lets exactly one of concurrent subscriptions of an address through', async () => {
    const district = await newDistrict();
    const address = newAddress();

    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        call('POST', `/v1/districts/${district.districtId}/subscribers`, {
          key: district.key,
          body: { email: address, cadence: index % 2 === 0 ? 'weekly' : 'monthly' },
        }),
      ),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await listSubscribers(district)).toHaveLength(1);
  });

  it('removes a subscriber and frees its address; an unknown one is 404', async () => {
    const district = await newDistrict();
    const address = newAddress();
    const kept = await subscribe(district, { email: newAddress(), cadence: 'weekly' });
    const removed = await subscribe(district, { email: address, cadence: 'weekly' });
    const remove = (subscriberId: string) =>
      district.api.DELETE('/v1/districts/{districtId}/subscribers/{subscriberId}', {
        params: { path: { districtId: district.districtId, subscriberId } },
      });

    expect((await remove(removed)).response.status).toBe(204);
    expect((await listSubscribers(district)).map((item) => item.subscriberId)).toEqual([kept]);
    expect((await remove(removed)).response.status).toBe(404);
    expect((await remove('sub-0123456789abcdef')).response.status).toBe(404);
    const again = await subscribe(district, { email: address, cadence: 'monthly' });
    expect(again).not.toBe(removed);
    const malformed = await call('DELETE', `/v1/districts/${district.districtId}/subscribers/nope`, {
      key: district.key,
    });
    expect([malformed.status, malformed.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['path.subscriberId'],
    ]);
  });

  it('answers 404 for a district that does not exist', async () => {
    const path = `/v1/districts/${target.districtId('no-such-district')}/subscribers`;
    const answers = [
      await call('POST', path, { key: stateKey, body: { email: newAddress(), cadence: 'weekly' } }),
      await call('GET', path, { key: stateKey }),
      await call('DELETE', `${path}/sub-0123456789abcdef`, { key: stateKey }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(answers.every((answer) => answer.contentType === 'application/problem+json')).toBe(true);
  });

  it("refuses another district's key and a district key on the state routes with 403", async () => {
    const mine = await newDistrict();
    const theirs = await newDistrict();
    const theirSubscriber = await subscribe(theirs, { email: newAddress(), cadence: 'weekly' });
    const base = `/v1/districts/${theirs.districtId}/subscribers`;

    const answers = [
      await call('POST', base, { key: mine.key, body: { email: newAddress(), cadence: 'weekly' } }),
      await call('GET', base, { key: mine.key }),
      await call('DELETE', `${base}/${theirSubscriber}`, { key: mine.key }),
      await call('POST', '/v1/subscribers', {
        key: mine.key,
        body: { email: newAddress(), cadence: 'weekly' },
      }),
      await call('POST', '/v1/digests/run', { key: mine.key, body: {} }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 403, 403, 403]);
    expect((await listSubscribers(theirs)).map((item) => item.subscriberId)).toEqual([theirSubscriber]);
  });

  it('lists every bad field of a bad body, and stores nothing', async () => {
    const district = await newDistrict();
    const path = `/v1/districts/${district.districtId}/subscribers`;
    const paths = (answer: { body: { errors: { path: string }[] } }) =>
      answer.body.errors.map((e) => e.path).sort();

    const everything = await call('POST', path, {
      key: district.key,
      body: { email: 'not-an-address', name: '', cadence: 'daily', phone: '555-0100' },
    });
    const empty = await call('POST', path, { key: district.key, body: {} });
    const wrongTypes = await call('POST', path, {
      key: district.key,
      body: { email: 42, name: ['a'], cadence: null },
    });
    const tooLong = await call('POST', path, {
      key: district.key,
      body: { email: `${'a'.repeat(250)}@x.org`, name: 'n'.repeat(201), cadence: 'weekly' },
    });
    const stateWide = await call('POST', '/v1/subscribers', {
      key: stateKey,
      body: { email: 'a@b', cadence: 'yearly', districtId: district.districtId },
    });
    const notJson = await call('POST', path, { key: district.key, body: '{"email": "a@b.org",' });
    const notJsonType = await call('POST', path, {
      key: district.key,
      body: JSON.stringify({ email: newAddress(), cadence: 'weekly' }),
      headers: { 'content-type': 'text/plain' },
    });

    expect(everything.status).toBe(400);
    expect(everything.body.detail).toBe('The request has 4 invalid fields.');
    expect(paths(everything)).toEqual(['cadence', 'email', 'name', 'phone']);
    expect(empty.body.errors).toContainEqual({ path: 'email', message: 'is required' });
    expect(paths(empty)).toEqual(['cadence', 'email']);
    expect(paths(wrongTypes)).toEqual(['cadence', 'email', 'name']);
    expect(paths(tooLong)).toEqual(expect.arrayContaining(['email', 'name']));
    expect(paths(stateWide)).toEqual(['cadence', 'districtId', 'email']);
    expect([notJson.status, notJsonType.status]).toEqual([400, 415]);
    expect(await listSubscribers(district)).toEqual([]);
  });
});

describe('state-wide subscribers', () => {
  it('subscribes an address once state-wide, apart from the district lists', async () => {
    const district = await newDistrict();
    const address = newAddress('commissioner');
    const created = await state().POST('/v1/subscribers', { body: { email: address, cadence: 'monthly' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.subscriberId).toMatch(/^sub-[0-9a-f]{16}$/);

    const again = await state().POST('/v1/subscribers', { body: { email: address, cadence: 'weekly' } });
    expect(again.response.status).toBe(409);
    await subscribe(district, { email: address, cadence: 'weekly' });
    expect((await listSubscribers(district)).map((item) => item.email)).toEqual([address]);
  });
});

describe('POST /v1/digests/run', () => {
  it('refuses an `at` without an offset, an unknown field and a missing body with 400', async () => {
    const answers = [
      await call('POST', '/v1/digests/run', { key: stateKey, body: { at: '2026-11-30T07:00:00' } }),
      await call('POST', '/v1/digests/run', { key: stateKey, body: { at: 'monday', when: 'now' } }),
      await call('POST', '/v1/digests/run', { key: stateKey }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(answers.map((answer) => answer.body.errors.map((e: { path: string }) => e.path).sort())).toEqual([
      ['at'],
      ['at', 'when'],
      [''],
    ]);
  });
});
