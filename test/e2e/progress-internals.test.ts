/**
 * The progress aggregates of a local stack against their raw items: a random district (test/support/
 * random-district.ts) is posted the way progress.test.ts posts them, and once its progress equals the reference,
 * a full rebuild of its aggregates from the stored submissions and milestones must find nothing to correct and
 * leave the body as the stream left it. progress.test.ts proves the same districts over HTTP alone.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClientFor } from '../../shared/runtime/clients';
import { MetricsStore } from '../../shared/store/aggregates';
import { dynamoDbClientFor } from '../support/clients';
import { testStack } from '../support/local-stack';
import { Draw, PROGRESS_SEED, RandomDistricts } from '../support/random-district';

/** One district: progress.test.ts covers every mastery method over HTTP; this is about the rebuild. */
const RUNS = 1;

const local = testStack({
  // a few hundred requests per district in a few seconds: far above the default 50/s per key
  rateLimit: { ratePerSecond: 100_000, burst: 100_000 },
});
let dynamoDbClient: DynamoDBClient;
let districts: RandomDistricts;
const rebuilds: { districtId: string; countersCorrected: number; events: number }[] = [];

beforeAll(async () => {
  const info = await local.start();
  dynamoDbClient = dynamoDbClientFor(info);
  const metrics = new MetricsStore(info.table.tableName, documentClientFor(dynamoDbClient));
  districts = new RandomDistricts({
    apiUrl: info.apiUrl,
    stateKey: info.credentials.stateKey,
    minimumN: info.state.minimumN,
    districtId: (label) => label,
    clockToleranceMs: 0,
    // a full rebuild from the raw items finds the aggregates exactly as the stream left them
    afterSettled: async (district, body) => {
      const report = await metrics.rebuild(district.districtId);
      rebuilds.push({ districtId: district.districtId, ...report });
      expect(report).toMatchObject({ countersCorrected: 0, events: 0 });
      expect(await districts.readProgress(district)).toEqual(body);
    },
  });
});
afterAll(async () => {
  dynamoDbClient?.destroy();
  await local.stop();
});

describe('progress aggregates', () => {
  it('are found exactly right by a full rebuild once a random district has settled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.noBias(fc.integer()), async (districtSeed) => {
        await districts.check(new Draw(districtSeed), rebuilds.length + 1);
      }),
      { seed: PROGRESS_SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(rebuilds).toHaveLength(RUNS);
  }, 240_000);
});
