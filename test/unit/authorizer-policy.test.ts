/**
 * The authorizer's policy resource: API Gateway caches one answer per key for every route, so the Allow must cover
 * the whole stage the call came in on, not just the method that happened to ask first.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

let wholeApi: (methodArn: string) => string;

beforeAll(async () => {
  // the handler file reads its environment at import, as it does at a Lambda's init
  vi.stubEnv('TABLE_NAME', 'vision-progress-test');
  ({ wholeApi } = await import('../../functions/authorizer/handler'));
  vi.unstubAllEnvs();
});

describe('wholeApi', () => {
  it.each([
    [
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/GET/v1/districts',
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/*',
    ],
    [
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/DELETE/v1/districts/d-1/keys/0123456789abcdef',
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/*',
    ],
    [
      'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3d4e5/v1/PUT/v1/districts/d-1/framework',
      'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3d4e5/v1/*',
    ],
    [
      'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/v1/districts',
      'arn:aws:execute-api:us-east-1:000000000000:local/local/*',
    ],
    // a colon in the path (an id like urn:uuid:…) must not move the split: the key would be locked out
    [
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/PUT/v1/districts/d-1/milestones/urn:uuid:1234',
      'arn:aws:execute-api:us-east-2:123456789012:a1b2c3d4e5/v1/*',
    ],
  ])('turns %s into %s', (methodArn, expected) => {
    expect(wholeApi(methodArn)).toBe(expected);
  });
});
