import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { correlationIds, problemDetails } from '../../shared/http/middleware';
import { logger } from '../../shared/runtime/logger';
import { routes } from './routes';

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpHeaderNormalizer())
  .use(correlationIds())
  .use(problemDetails())
  .handler(httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([...routes]));
