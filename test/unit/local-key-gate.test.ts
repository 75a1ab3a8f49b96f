/**
 * The local stand-ins for API Gateway's key handling, on a fake clock: the TOKEN authorizer's validation, cache
 * and policy check, and the usage plan's token buckets.
 */
import { describe, expect, it } from 'vitest';
import { LocalAuthorizer, localMethodArn, policyAllows } from '../../infra/local/authorizer';
import { TokenBuckets } from '../../infra/local/rate-limit';
import { topology } from '../../infra/topology';
import { newKey } from '../../shared/domain/api-keys';

const arn = (method: string, path: string) => localMethodArn('us-east-1', 'local', method, path);
const header = `Bearer ${newKey({ kind: 'state' }).apiKey}`;
const allowAll = {
  principalId: 'k-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:000000000000:local/local/*',
      },
    ],
  },
  context: { keyId: 'k-1', scope: 'state', districtId: '', weight: 3 },
  usageIdentifierKey: 'vpu-1',
};

function authorizerWith(answer: () => unknown, cacheTtlSeconds = 60) {
  const clock = { now: 1_000_000 };
  const invoked: unknown[] = [];
  const authorizer = new LocalAuthorizer({
    spec: topology.authorizer,
    cacheTtlSeconds,
    now: () => clock.now,
    invoke: async (_name, event) => {
      invoked.push(event);
      return answer();
    },
  });
  return { authorizer, invoked, clock };
}

describe('LocalAuthorizer', () => {
  it('refuses a missing header or one that does not match the identity expression without invoking', async () => {
    const { authorizer, invoked } = authorizerWith(() => allowAll);

    expect(await authorizer.authorize(undefined, arn('GET', '/v1/districts'))).toEqual({
      kind: 'unauthorized',
    });
    expect(await authorizer.authorize('Bearer nonsense', arn('GET', '/v1/districts'))).toEqual({
      kind: 'unauthorized',
    });
    expect(invoked).toHaveLength(0);
  });

  it('passes the context as strings with the principalId, and the usage key', async () => {
    const { authorizer, invoked } = authorizerWith(() => allowAll);

    const verdict = await authorizer.authorize(header, arn('POST', '/v1/districts'));

    expect(verdict).toEqual({
      kind: 'allow',
      context: { keyId: 'k-1', scope: 'state', districtId: '', weight: '3', principalId: 'k-1' },
      usageIdentifierKey: 'vpu-1',
    });
    expect(invoked).toEqual([
      { type: 'TOKEN', authorizationToken: header, methodArn: arn('POST', '/v1/districts') },
    ]);
  });

  it('maps a thrown Unauthorized to 401, any other failure or a malformed answer to a failure', async () => {
    const unauthorized = authorizerWith(() => {
      throw new Error('Unauthorized');
    });
    const broken = authorizerWith(() => {
      throw new Error('table unreachable');
    });
    const malformed = authorizerWith(() => ({ principalId: 'k-1' }));

    expect(await unauthorized.authorizer.authorize(header, arn('GET', '/x'))).toEqual({
      kind: 'unauthorized',
    });
    expect(await broken.authorizer.authorize(header, arn('GET', '/x'))).toMatchObject({ kind: 'failed' });
    expect(await malformed.authorizer.authorize(header, arn('GET', '/x'))).toMatchObject({ kind: 'failed' });
  });

  it('denies a method the policy does not allow, and one it explicitly denies', async () => {
    const narrow = authorizerWith(() => ({
      ...allowAll,
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:*', Resource: [arn('GET', '/v1/districts/*')] },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: arn('GET', '/v1/districts/d-2/*') },
        ],
      },
    }));

    expect(
      await narrow.authorizer.authorize(header, arn('GET', '/v1/districts/d-1/framework')),
    ).toMatchObject({
      kind: 'allow',
    });
    expect(await narrow.authorizer.authorize(header, arn('PUT', '/v1/districts/d-1/framework'))).toEqual({
      kind: 'denied',
    });
    expect(await narrow.authorizer.authorize(header, arn('GET', '/v1/districts/d-2/framework'))).toEqual({
      kind: 'denied',
    });
  });

  it('keeps an answer per token for the TTL, checks each method against it, and asks again after', async () => {
    const { authorizer, invoked, clock } = authorizerWith(() => allowAll, 60);

    await authorizer.authorize(header, arn('GET', '/v1/districts'));
    clock.now += 59_999;
    await authorizer.authorize(header, arn('POST', '/v1/districts'));
    expect(invoked).toHaveLength(1);

    clock.now += 1;
    await authorizer.authorize(header, arn('GET', '/v1/districts'));
    expect(invoked).toHaveLength(2);
  });

  it('keeps nothing with a TTL of 0, and never keeps a refusal', async () => {
    const uncached = authorizerWith(() => allowAll, 0);
    await uncached.authorizer.authorize(header, arn('GET', '/x'));
    await uncached.authorizer.authorize(header, arn('GET', '/x'));
    expect(uncached.invoked).toHaveLength(2);

    const refusing = authorizerWith(() => {
      throw new Error('Unauthorized');
    });
    await refusing.authorizer.authorize(header, arn('GET', '/x'));
    await refusing.authorizer.authorize(header, arn('GET', '/x'));
    expect(refusing.invoked).toHaveLength(2);
  });
});

describe('policyAllows', () => {
  it('matches IAM wildcards in resources and actions, ignoring the case of actions', () => {
    const allow = (Resource: string, Action = 'execute-api:Invoke') => [
      { Effect: 'Allow' as const, Action, Resource },
    ];

    expect(policyAllows(allow('arn:aws:execute-api:*:*:local/local/*'), arn('GET', '/v1/x'))).toBe(true);
    expect(policyAllows(allow('arn:aws:execute-api:*:*:local/local/GET/v1/?'), arn('GET', '/v1/x'))).toBe(
      true,
    );
    expect(policyAllows(allow('arn:aws:execute-api:*:*:local/local/GET/v1'), arn('GET', '/v1/x'))).toBe(
      false,
    );
    expect(policyAllows(allow('*', 'EXECUTE-API:invoke'), arn('GET', '/v1/x'))).toBe(true);
    expect(policyAllows(allow('*', 's3:GetObject'), arn('GET', '/v1/x'))).toBe(false);
  });
});

describe('TokenBuckets', () => {
  it('lets a burst through, then refuses with the whole seconds until a token is back', () => {
    const clock = { now: 0 };
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 2 }, () => clock.now);

    expect(buckets.take('a')).toEqual({ allowed: true });
    expect(buckets.take('a')).toEqual({ allowed: true });
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('b')).toEqual({ allowed: true });

    clock.now += 1_000;
    expect(buckets.take('a')).toEqual({ allowed: true });
    expect(buckets.take('a')).toMatchObject({ allowed: false });
  });

  it('rounds a slow refill up, and refills no further than the burst', () => {
    const clock = { now: 0 };
    const buckets = new TokenBuckets({ ratePerSecond: 0.25, burst: 1 }, () => clock.now);

    buckets.take('a');
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    clock.now += 3_500;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });

    clock.now += 3_600_000;
    expect(buckets.take('a')).toEqual({ allowed: true });
    expect(buckets.take('a')).toMatchObject({ allowed: false });
  });

  it('refuses a limit that would let nothing through', () => {
    expect(() => new TokenBuckets({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
