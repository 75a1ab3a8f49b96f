/**
 * The batch route near the function's timeout: items it has no time left to store are answered 503 (send again)
 * rather than the whole request timing out with most of its items stored and unsaid. The api handler is called
 * in process, with a Lambda context whose remaining time the test chooses, against the local stack's table.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../shared/contract/client';
import { conditionRatingExample } from '../../shared/contract/examples';
import { testStack } from '../support/local-stack';
import { proxyEvent } from '../support/proxy-event';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const local = testStack();
let handler: Handler;
let districtId: string;

beforeAll(async () => {
  const info = await local.start();
  districtId = `bd-${randomUUID().slice(0, 8)}`;
  const { response } = await apiClient(info.apiUrl, info.credentials.stateKey).POST('/v1/districts', {
    body: { districtId, name: 'Deadline District' },
  });
  expect(response.status).toBe(201);
  // imported once the stack has set the functions' environment, as Lambda's init would find it
  ({ handler } = (await import('../../functions/api/handler')) as unknown as { handler: Handler });
}, 120_000);
afterAll(() => local.stop());

/** The batch POST with the district key's authorizer context, and a context with `remainingMs` left. */
function postBatch(items: unknown[], remainingMs: number) {
  const resource = '/v1/districts/{districtId}/assessments/batch';
  const event: APIGatewayProxyEvent = {
    ...proxyEvent(resource, { method: 'POST', headers: { 'content-type': 'application/json' } }),
    path: `/v1/districts/${districtId}/assessments/batch`,
    pathParameters: { districtId },
    body: JSON.stringify({ items }),
  };
  event.requestContext.authorizer = { keyId: 'k-deadline', scope: 'district', districtId };
  const deadline = Date.now() + remainingMs;
  const context = {
    functionName: 'api',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as Context;
  return handler(event, context);
}

const rating = (submissionId: string) => ({
  ...conditionRatingExample,
  submissionId,
  respondent: { ...conditionRatingExample.respondent, id: `r-${submissionId}` },
});

const statuses = (response: APIGatewayProxyResult) =>
  (JSON.parse(response.body).results as { status: number }[]).map((result) => result.status);

describe('batch route near the timeout', () => {
  it('answers 503 for the items it had no time to start, stores none of them, and still judges the bad ones', async () => {
    const ids = ['late-1', 'late-2', 'late-3'];
    // one second left: within the two the route keeps to answer, so no item may start
    const response = await postBatch([...ids.map(rating), { type: 'condition-rating' }], 1_000);
    expect(response.statusCode).toBe(200);
    expect(statuses(response)).toEqual([503, 503, 503, 400]);

    // sent again with time to spare, as a client does with 503 items: created now, so none was stored before
    const retried = await postBatch(ids.map(rating), 30_000);
    expect(statuses(retried)).toEqual([201, 201, 201]);
    // and stored once: a third send replays
    expect(statuses(await postBatch(ids.map(rating), 30_000))).toEqual([200, 200, 200]);
  });
});
