import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { Id } from '../../shared/contract/common';
import { correlationIds, problemDetails } from '../../shared/http/middleware';
import { dynamoDb } from '../../shared/runtime/clients';
import { logger } from '../../shared/runtime/logger';
import { publishMetrics } from '../../shared/runtime/metrics';
import { sqs } from '../../shared/runtime/sqs';
import { type Annotations, traceInvocation, tracer } from '../../shared/runtime/tracer';
import { apiGateway } from '../../shared/store/usage-plan';
import { routes } from './routes';

// every AWS call of a request is a subsegment of its trace; the clients are shared with untraced functions and
// the ops CLI, so they are captured here (shared/runtime/tracer.ts says why)
for (const client of [dynamoDb, sqs, apiGateway]) tracer.captureAWSv3Client(client);

const router = httpRouterHandler<APIGatewayProxyEvent, APIGatewayProxyResult>([...routes]);

/** The route API Gateway matched and, when the path names one, the district: no other request data. */
const requestAnnotations = (event: APIGatewayProxyEvent): Annotations => {
  const districtId = event.pathParameters?.districtId;
  return { route: event.resource, districtId: Id.safeParse(districtId).success ? districtId : undefined };
};

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(traceInvocation('api', requestAnnotations))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .use(httpHeaderNormalizer())
  .use(correlationIds())
  .use(problemDetails())
  // route on the resource API Gateway matched, not the raw path: behind a custom domain with a base path mapping
  // the path carries that base path; the path parameters API Gateway filled in are kept
  .handler((event, context) => router({ ...event, path: event.resource }, context));
