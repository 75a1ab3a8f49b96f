import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { correlationIds, problemDetails } from '../../shared/http/middleware';
import { logger } from '../../shared/runtime/logger';
import { publishMetrics } from '../../shared/runtime/metrics';
import { routes } from './routes';

const router = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([...routes]);

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .use(httpHeaderNormalizer())
  .use(correlationIds())
  .use(problemDetails())
  // route on the resource API Gateway matched, not the raw path: behind a custom domain with a base path mapping
  // the path carries that base path; the path parameters API Gateway filled in are kept
  .handler((event, context) => router({ ...event, path: event.resource }, context));
