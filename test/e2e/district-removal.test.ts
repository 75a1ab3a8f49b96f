/**
 * `npm run ops -- districts remove`: a district with data, metrics, a milestone, two keys, a subscriber and its
 * digest ledger is deleted from the local stack's table, and a count proves nothing of it is left, while another
 * district keeps every item it had. It asks for the id to be typed back first, and refuses without an answer.
 */
import { randomUUID } from 'node:crypto';
import { APIGatewayClient, DeleteApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClientFor } from '../../shared/runtime/clients';
import { DigestLedger } from '../../shared/store/digest-ledger';
import { DistrictRemoval } from '../../shared/store/district-removal';
import { apiClient } from '../support/api-client';
import { dynamoDbClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { recordingAws, runOps } from '../support/ops';

// a revoked key is refused at once, not after the authorizer's cached answer runs out
const local = testStack({ authorizerCacheTtlSeconds: 0 });
let removal: DistrictRemoval;

beforeAll(async () => {
  const info = await local.start();
  removal = new DistrictRemoval(info.table.tableName, documentClientFor(dynamoDbClientFor(info)), 200);
}, 120_000);
afterAll(() => local.stop());

const state = () => apiClient(local.info.apiUrl, local.info.credentials.stateKey);
const localTable = () => ['--dynamodb-endpoint', local.info.endpoints.dynamoDb];

/** A district with ratings, evidence, a milestone, a second key, a subscriber with a sent digest in its ledger. */
async function populatedDistrict() {
  const districtId = `rm-${randomUUID().slice(0, 8)}`;
  const { data } = await state().POST('/v1/districts', { body: { districtId, name: 'Removal District' } });
  if (!data) throw new Error('no district');
  const api = apiClient(local.info.apiUrl, data.apiKey);
  const params = { path: { districtId } };
  const submittedAt = new Date().toISOString();
  const items = Array.from({ length: 12 }, (_, i) =>
    i % 2 === 0
      ? {
          type: 'condition-rating' as const,
          submissionId: `s-${i}`,
          respondent: { id: `r-${i}`, role: 'teacher' },
          submittedAt,
          ratings: [{ conditionId: 'culture', level: 3 }],
        }
      : {
          type: 'competency-evidence' as const,
          submissionId: `e-${i}`,
          learner: { id: `l-${i}` },
          competencyId: 'critical-thinking',
          level: 3,
          assessedOn: submittedAt.slice(0, 10),
        },
  );
  expect(
    (await api.POST('/v1/districts/{districtId}/assessments/batch', { params, body: { items } })).response
      .status,
  ).toBe(200);
  await api.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
    params: { path: { districtId, milestoneId: 'board-adopts-pog' } },
    body: {
      title: 'Board adopts Portrait of a Graduate',
      conditionId: 'shared-vision',
      status: 'on_track',
      updatedAt: submittedAt,
    },
  });
  const second = await state().POST('/v1/districts/{districtId}/keys', { params });
  expect(second.response.status).toBe(201);
  const { data: subscriber } = await api.POST('/v1/districts/{districtId}/subscribers', {
    params,
    body: { email: `leader.${districtId}@district.example.org`, cadence: 'weekly' },
  });
  if (!subscriber) throw new Error('no subscriber');
  const ledger = new DigestLedger(
    local.info.table.tableName,
    documentClientFor(dynamoDbClientFor(local.info)),
  );
  const period = { subscriberId: subscriber.subscriberId, cadence: 'weekly', period: '2026-W48' } as const;
  await ledger.claim(period);
  await ledger.markSent(period, { messageId: 'm-1', figures: { shown: true } });
  // the metrics exist too: counters and unit states
  await eventually(async () => {
    const { data: progress } = await api.GET('/v1/districts/{districtId}/progress', { params });
    return progress?.eventsApplied === items.length + 1 ? progress : undefined;
  });
  return { districtId, apiKey: data.apiKey };
}

describe('districts remove', () => {
  it('asks first, and changes nothing unless the id is typed back', async () => {
    const district = await populatedDistrict();
    const before = await removal.count(district.districtId);

    const unattended = await runOps(['districts', 'remove', district.districtId, ...localTable()]);
    expect(unattended.code).toBe(1);
    expect(unattended.stderr).toContain('--yes');

    const questions: string[] = [];
    const mistyped = await runOps(['districts', 'remove', district.districtId, ...localTable()], {
      ask: async (question) => {
        questions.push(question);
        return 'another-district';
      },
    });
    expect(mistyped.code).toBe(1);
    expect(mistyped.stderr).toContain('not confirmed');
    expect(questions[0]).toContain(`${before.districtItems} district items, 1 ledger items and 2 keys`);
    expect(await removal.count(district.districtId)).toEqual(before);
  });

  it('deletes every item of the district, its ledgers and keys, and counts nothing left; others keep theirs', async () => {
    const district = await populatedDistrict();
    const other = await populatedDistrict();
    const otherBefore = await removal.count(other.districtId);
    const found = await removal.count(district.districtId);
    // district, framework, milestone, 12 submissions, counters and states, subscriber and its e-mail item
    expect(found.districtItems).toBeGreaterThan(20);
    expect(found).toMatchObject({ ledgerItems: 1, keys: 2 });

    const outcome = await runOps(['districts', 'remove', district.districtId, '--json', ...localTable()], {
      ask: async () => district.districtId,
    });

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toMatchObject({
      districtId: district.districtId,
      found,
      left: { districtItems: 0, ledgerItems: 0, keys: 0 },
    });
    expect(await removal.count(district.districtId)).toEqual({ districtItems: 0, ledgerItems: 0, keys: 0 });
    // its key no longer opens anything; the state sees no such district
    const progress = { params: { path: { districtId: district.districtId } } };
    const withOwnKey = await apiClient(local.info.apiUrl, district.apiKey).GET(
      '/v1/districts/{districtId}/progress',
      progress,
    );
    expect(withOwnKey.response.status).toBe(401);
    expect((await state().GET('/v1/districts/{districtId}/progress', progress)).response.status).toBe(404);
    // the other district is as it was
    expect(await removal.count(other.districtId)).toEqual(otherBefore);

    const again = await runOps(['districts', 'remove', district.districtId, '--yes', ...localTable()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`the table holds nothing of district ${district.districtId}`);
  });

  it("on a deployed state, also takes each key's usage key off the usage plan", async () => {
    // CloudFormation and API Gateway have no emulator: stubs, and the local table stands for the stack's
    const cloudFormationClient = new CloudFormationClient({ region: 'us-east-2' });
    const cloudFormation = mockClient(cloudFormationClient);
    const apiGateway = new APIGatewayClient({ region: 'us-east-2' });
    const gateway = mockClient(apiGateway);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'VisionProgress-OH',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            { OutputKey: 'ApiUrl', OutputValue: local.info.apiUrl },
            { OutputKey: 'TableName', OutputValue: local.info.table.tableName },
            { OutputKey: 'UsagePlanId', OutputValue: 'plan-oh' },
          ],
        },
      ],
    });
    gateway.on(GetApiKeysCommand).callsFake(({ nameQuery }: { nameQuery: string }) => ({
      items: [{ id: `gw-${nameQuery}`, name: nameQuery }],
    }));
    gateway.on(DeleteApiKeyCommand).resolves({});
    const { aws } = recordingAws({
      cloudFormation: () => cloudFormationClient,
      apiGateway: () => apiGateway,
      dynamoDb: () => dynamoDbClientFor(local.info),
    });
    const district = await populatedDistrict();

    const outcome = await runOps(
      [
        'districts',
        'remove',
        district.districtId,
        '--state',
        'OH',
        '--region',
        'us-east-2',
        '--yes',
        '--json',
      ],
      { aws },
    );

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout).left).toEqual({ districtItems: 0, ledgerItems: 0, keys: 0 });
    const deleted = gateway.commandCalls(DeleteApiKeyCommand).map((call) => call.args[0].input.apiKey);
    expect(deleted).toHaveLength(2);
    for (const id of deleted) expect(id).toMatch(/^gw-vp-[0-9a-f]{16}$/);
  });
});
