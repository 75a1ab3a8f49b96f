import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../../shared/runtime/logger';
import { publishMetrics } from '../../shared/runtime/metrics';
import { MetricsStore } from '../../shared/store/aggregates';
import { applyBatch } from './apply-batch';
import { workerEnvironment } from './environment';

const store = new MetricsStore(workerEnvironment.TABLE_NAME);

const lambdaHandler = (event: SQSEvent): Promise<SQSBatchResponse> => applyBatch(event.Records, store);

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(lambdaHandler);
