/**
 * The corpus of bad requests (test/support/bad-request-corpus.ts) against a local stack, whose table must be
 * exactly as it was afterwards, item by item: what bad-input.test.ts can only check through the API.
 */
import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CORPUS_SIZE,
  type CorpusSubjects,
  seedCorpusDistrict,
  sendCorpus,
} from '../support/bad-request-corpus';
import { dynamoDbClientFor } from '../support/clients';
import { testStack } from '../support/local-stack';

const local = testStack({
  authorizerCacheTtlSeconds: 60,
  rateLimit: { ratePerSecond: 10_000, burst: 10_000 },
});
let subjects: CorpusSubjects;

async function tableDigest(): Promise<{ count: number; digest: string }> {
  // the document client's destroy() leaves the client under it open: that one is destroyed
  const dynamoDb = dynamoDbClientFor(local.info);
  const client = DynamoDBDocumentClient.from(dynamoDb);
  const items: string[] = [];
  try {
    for await (const page of paginateScan(
      { client },
      { TableName: local.info.table.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
    }
  } finally {
    dynamoDb.destroy();
  }
  items.sort();
  return { count: items.length, digest: createHash('sha256').update(items.join('\n')).digest('hex') };
}

beforeAll(async () => {
  const info = await local.start();
  const seeded = {
    apiUrl: info.apiUrl,
    stateKey: info.credentials.stateKey,
    districtId: 'corpus-district',
    newDistrictId: 'corpus-new',
    subscriberAddress: 'corpus.reader@lincoln.example.org',
  };
  subjects = { ...seeded, ...(await seedCorpusDistrict(seeded)) };
});
afterAll(() => local.stop());

describe('a generated corpus of bad requests', () => {
  it('leaves the table exactly as it was', { timeout: 240_000 }, async () => {
    const before = await tableDigest();

    const { sent } = await sendCorpus(subjects);

    expect(sent).toBe(CORPUS_SIZE);
    expect(await tableDigest()).toEqual(before);
  });
});
