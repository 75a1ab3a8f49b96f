/**
 * The stream relay where EventBridge Pipes are not offered (GovCloud): a DynamoDB stream event source mapping
 * with the same filter, retries and failure destination as the Pipe, delivering the same messages.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { readEnvironment } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/logger';
import { relayRecords } from '../../shared/store/relay';

const env = readEnvironment({ METRICS_QUEUE_URL: z.url() });

const lambdaHandler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const refused = await relayRecords(event.Records, env.METRICS_QUEUE_URL);
  if (refused.length > 0) logger.warn('records refused by the metrics queue', { refused: refused.length });
  // a stream is ordered: report the first refused record, and the mapping retries from there
  return { batchItemFailures: refused.slice(0, 1).map((itemIdentifier) => ({ itemIdentifier })) };
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
