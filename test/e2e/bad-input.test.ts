/**
 * A generated corpus of bad requests (test/support/bad-request-corpus.ts) on every route that takes input: each
 * must be answered 4xx problem+json, never 5xx, and nothing the API shows may change. A contract file
 * (test/support/contract-target.ts); bad-input-internals.test.ts checks the table of a local stack item by item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CORPUS_SIZE,
  type CorpusSubjects,
  seedCorpusDistrict,
  sendCorpus,
} from '../support/bad-request-corpus';
import { contractTarget } from '../support/contract-target';
import { send } from '../support/http';

const target = contractTarget();
let subjects: CorpusSubjects;

/**
 * Everything the API shows of what the corpus could change: the corpus district's framework, milestones,
 * subscribers and progress, and whether the district a `POST /v1/districts` body names exists. Other districts
 * are left out: on a deployed state others may be at work.
 */
async function visibleState() {
  const read = async (path: string, key: string) => {
    const answer = await send(target.apiUrl, 'GET', path, { key });
    return { status: answer.status, body: answer.body };
  };
  const district = `/v1/districts/${subjects.districtId}`;
  return {
    framework: await read(`${district}/framework`, subjects.districtKey),
    milestones: await read(`${district}/milestones?limit=100`, subjects.districtKey),
    subscribers: await read(`${district}/subscribers?limit=100`, subjects.districtKey),
    progress: await read(`${district}/progress`, subjects.districtKey),
    newDistrict: (await read(`/v1/districts/${subjects.newDistrictId}/framework`, subjects.stateKey)).status,
  };
}

beforeAll(async () => {
  await target.start();
  const seeded = {
    apiUrl: target.apiUrl,
    stateKey: target.stateKey,
    districtId: target.districtId('corpus-district'),
    newDistrictId: target.districtId('corpus-new'),
    subscriberAddress: target.address('corpus.reader'),
  };
  subjects = { ...seeded, ...(await seedCorpusDistrict(seeded)) };
});
afterAll(() => target.stop());

describe('a generated corpus of bad requests', () => {
  it('gets only 4xx problem+json and changes nothing the API shows', { timeout: 240_000 }, async () => {
    const before = await visibleState();

    const { sent, statuses } = await sendCorpus(subjects);

    expect(sent).toBe(CORPUS_SIZE);
    expect(await visibleState()).toEqual(before);
    expect(before.newDistrict).toBe(404);
    expect([...statuses.keys()].every((status) => (status >= 400 && status < 500) || status === 200)).toBe(
      true,
    );
  });
});
