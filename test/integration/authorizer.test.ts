/**
 * The local front door's key gate against DynamoDB Local: the real authorizer handler decides on each keyed
 * request as API Gateway would invoke it, its answer is cached per key, and each key is throttled like the usage
 * plan. The api function is a stub that records what reaches it.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyScope, newKey, parseKey } from '../../shared/domain/api-keys';
import { documentClientFor } from '../../shared/runtime/clients';
import { KeyStore } from '../../shared/store/keys';
import { dynamoDbClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { send } from '../support/http';
import { testStack } from '../support/local-stack';

const CACHE_TTL_SECONDS = 1;

/** Every event the api function received. */
const reachedApi: APIGatewayProxyEvent[] = [];
/** Every event the authorizer was invoked with. */
const authorizerEvents: APIGatewayTokenAuthorizerEvent[] = [];

async function api(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  reachedApi.push(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
}

/** Headers the authorizer answers with an explicit Deny of the method, or by failing, instead of deciding. */
const denyFor = new Set<string>();
const failFor = new Set<string>();

/** The real authorizer, counted; imported on first use, once the stack has set the functions' environment. */
async function authorizer(event: APIGatewayTokenAuthorizerEvent, context: Context): Promise<unknown> {
  authorizerEvents.push(event);
  if (failFor.has(event.authorizationToken)) throw new Error('the key table is unreachable');
  if (denyFor.has(event.authorizationToken)) {
    return {
      principalId: 'denied',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: event.methodArn }],
      },
    };
  }
  const { handler } = await import('../../functions/authorizer/handler');
  return handler(event, context);
}

const local = testStack({
  handlers: { api, authorizer },
  authorizerCacheTtlSeconds: CACHE_TTL_SECONDS,
  rateLimit: { ratePerSecond: 1, burst: 2 },
});
let dynamoDb: DynamoDBClient;
let keys: KeyStore;

beforeAll(async () => {
  const info = await local.start();
  dynamoDb = dynamoDbClientFor(info);
  keys = new KeyStore(info.table.tableName, documentClientFor(dynamoDb));
});
afterAll(async () => {
  dynamoDb?.destroy();
  await local.stop();
});

/** A stored key of a district of its own. */
async function districtKey(): Promise<{ apiKey: string; keyId: string; districtId: string }> {
  const districtId = `d-${randomUUID()}`;
  const scope: KeyScope = { kind: 'district', districtId };
  const key = newKey(scope);
  await keys.create(key, scope);
  return { apiKey: key.apiKey, keyId: key.keyId, districtId };
}

const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
  send(local.info.apiUrl, 'GET', path, { ...(key === undefined ? {} : { key }), headers });
const reachedWith = (keyId: string) =>
  reachedApi.filter((event) => event.requestContext.authorizer?.keyId === keyId);
const invocationsFor = (apiKey: string) =>
  authorizerEvents.filter((event) => event.authorizationToken === `Bearer ${apiKey}`);

describe('keyed routes on the local stack', () => {
  it('let a valid state key through, with the caller in the authorizer context', async () => {
    const stateKey = local.info.credentials.stateKey;
    const keyId = parseKey(stateKey)!.keyId;

    const answer = await get('/v1/districts', stateKey);

    expect(answer.status).toBe(200);
    expect(reachedWith(keyId)).toHaveLength(1);
    expect(reachedWith(keyId)[0]!.requestContext.authorizer).toEqual({
      keyId,
      scope: 'state',
      districtId: '',
      principalId: keyId,
    });
    expect(invocationsFor(stateKey)[0]).toEqual({
      type: 'TOKEN',
      authorizationToken: `Bearer ${stateKey}`,
      methodArn: `arn:aws:execute-api:${local.info.state.aws.region}:000000000000:local/local/GET/v1/districts`,
    });
  });

  it("let a district key through with its district, whichever district the path names (the api's check)", async () => {
    const key = await districtKey();

    const answer = await get(`/v1/districts/${key.districtId}-other/framework`, key.apiKey);

    expect(answer.status).toBe(200);
    expect(reachedWith(key.keyId)[0]!.requestContext.authorizer).toEqual({
      keyId: key.keyId,
      scope: 'district',
      districtId: key.districtId,
      principalId: key.keyId,
    });
  });

  it('refuse a missing, malformed, unknown, wrong-secret or revoked key with 401, before the api', async () => {
    const known = await districtKey();
    const revoked = await districtKey();
    await keys.revoke(revoked.keyId, revoked.districtId);
    const unknown = newKey({ kind: 'state' }).apiKey;
    const wrongSecret = `${known.apiKey.slice(0, -43)}${'A'.repeat(43)}`;
    const reachedBefore = reachedApi.length;

    const answers = [
      await get('/v1/districts'),
      await get('/v1/districts', undefined, { authorization: 'Basic dXNlcjpwYXNz' }),
      await get('/v1/districts', 'vp_s_not-a-key'),
      await get('/v1/districts', unknown),
      await get('/v1/districts', wrongSecret),
      await get('/v1/districts', revoked.apiKey),
    ];

    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body).toEqual({
        type: 'https://vision-progress.dev/problems/401',
        title: 'Unauthorized',
        status: 401,
        detail: expect.any(String),
        correlationId: expect.any(String),
      });
    }
    expect(reachedApi.length).toBe(reachedBefore);
    // a header that does not look like a key never reaches the authorizer
    expect(authorizerEvents.some((event) => event.authorizationToken.includes('not-a-key'))).toBe(false);
    expect(invocationsFor(unknown)).toHaveLength(1);
  });

  it('answer a Deny with 403 and a failing authorizer with 500, both problem+json, before the api', async () => {
    const deniedKey = newKey({ kind: 'state' }).apiKey;
    const failingKey = newKey({ kind: 'state' }).apiKey;
    denyFor.add(`Bearer ${deniedKey}`);
    failFor.add(`Bearer ${failingKey}`);
    const reachedBefore = reachedApi.length;

    const denied = await get('/v1/districts', deniedKey);
    const failed = await get('/v1/districts', failingKey);

    expect(denied.status).toBe(403);
    expect(denied.contentType).toBe('application/problem+json');
    expect(denied.body).toMatchObject({ type: 'https://vision-progress.dev/problems/403', status: 403 });
    expect(failed.status).toBe(500);
    expect(failed.contentType).toBe('application/problem+json');
    expect(failed.body).toMatchObject({ status: 500, correlationId: expect.any(String) });
    expect(reachedApi.length).toBe(reachedBefore);
  });

  it('answer a burst above the per-key limit with 429 and Retry-After, and keep other keys unaffected', async () => {
    const key = await districtKey();
    const other = await districtKey();
    const path = `/v1/districts/${key.districtId}/milestones`;

    const answers = await Promise.all(Array.from({ length: 5 }, () => get(path, key.apiKey)));
    const otherAnswer = await get(`/v1/districts/${other.districtId}/milestones`, other.apiKey);

    const passed = answers.filter((answer) => answer.status === 200);
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(passed.length + throttled.length).toBe(5);
    expect(passed.length).toBeGreaterThanOrEqual(2);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const answer of throttled) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(Number(answer.headers.get('retry-after')))).toBe(true);
      expect(answer.contentType).toBe('application/problem+json');
      expect(answer.body).toMatchObject({ type: 'https://vision-progress.dev/problems/429', status: 429 });
    }
    expect(reachedWith(key.keyId)).toHaveLength(passed.length);
    expect(otherAnswer.status).toBe(200);
  });

  it('reuse a key’s answer within the cache TTL and ask again after it (a revoked key then gets 401)', async () => {
    const key = await districtKey();
    const path = `/v1/districts/${key.districtId}/framework`;

    const first = await get(path, key.apiKey);
    const second = await get(path, key.apiKey);
    await keys.revoke(key.keyId, key.districtId);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(invocationsFor(key.apiKey)).toHaveLength(1);
    const refused = await eventually(async () => {
      const answer = await get(path, key.apiKey);
      return answer.status === 401 ? answer : undefined;
    }, 10_000);
    expect(refused.body).toMatchObject({ status: 401 });
    expect(invocationsFor(key.apiKey)).toHaveLength(2);
  });
});
