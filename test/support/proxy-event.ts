import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyEventOptions {
  readonly method?: string;
  /** The path as requested, stage included (`/v1/docs` behind the `v1` stage); default the resource. */
  readonly requestPath?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly stage?: string;
}

/** A REST API (v1) proxy event for a route's resource, as API Gateway hands it to a function. */
export function proxyEvent(resource: string, options: ProxyEventOptions = {}): APIGatewayProxyEvent {
  return {
    httpMethod: options.method ?? 'GET',
    resource,
    path: resource,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      path: options.requestPath ?? resource,
      ...(options.stage ? { stage: options.stage } : {}),
    } as APIGatewayProxyEvent['requestContext'],
  };
}
