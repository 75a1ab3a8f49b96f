import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedFramework } from '../../infra/config/default-framework';
import { topology } from '../../infra/topology';
import { proxyEvent } from '../support/proxy-event';

process.env.STATE_CODE = 'XX';
process.env.TABLE_NAME = 'vision-progress-unit';
process.env.DIGEST_QUEUE_URL = 'http://127.0.0.1:1/digest';
process.env.PUBLIC_BASE_URL = 'https://vision-progress.localhost';
process.env.STATE_TIMEZONE = 'America/New_York';
process.env.DEFAULT_FRAMEWORK = JSON.stringify(seedFramework);
process.env.MINIMUM_N = '10';
process.env.STATE_NAME = 'Local State';
process.env.UNSUBSCRIBE_SECRET_FILE = '/nonexistent/unsubscribe-secret';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;
let routes: { method: string; path: string }[];

beforeAll(async () => {
  // the environment is read when the handler module loads, as in Lambda
  ({ handler } = (await import('../../functions/api/handler')) as unknown as { handler: Handler });
  ({ routes } = await import('../../functions/api/routes'));
});

const context = {
  functionName: 'api',
  awsRequestId: 'unit-request',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

const get = (path: string, headers: Record<string, string> = {}) => proxyEvent(path, { headers });

describe('api function', () => {
  it('answers exactly the routes the topology gives it', () => {
    const declared = topology.routes.filter((r) => r.function === 'api').map((r) => `${r.method} ${r.path}`);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(declared.sort());
  });

  it('reports health', async () => {
    const response = await handler(get('/v1/health'), context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
    expect(response.headers?.['content-type']).toBe('application/json');
  });

  it('serves an OpenAPI 3.1 document generated from the contract schemas', async () => {
    const response = await handler(get('/openapi.json'), context);
    const document = JSON.parse(response.body);
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/v1/health'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Health',
    });
    expect(document.components.schemas.Health).toMatchObject({ properties: { status: { enum: ['ok'] } } });
    expect(document.servers).toEqual([{ url: 'https://vision-progress.localhost' }]);
  });

  it('answers an unknown route with problem+json carrying the correlation id the caller sent', async () => {
    const response = await handler(get('/v1/nowhere', { 'X-Correlation-Id': 'client-abc-123' }), context);
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'https://vision-progress.dev/problems/404',
      title: 'Not Found',
      status: 404,
      correlationId: 'client-abc-123',
    });
  });

  it('uses the request id as correlation id when the caller sends none or a malformed one', async () => {
    const event = get('/v1/health', { 'x-correlation-id': 'bad id with spaces' });
    const response = await handler(event, context);
    expect(response.headers?.['x-correlation-id']).toBe(event.requestContext.requestId);
  });
});
