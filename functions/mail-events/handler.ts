import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/runtime/logger';
import { publishMetrics } from '../../shared/runtime/metrics';
import { SubscriberStore } from '../../shared/store/subscribers';
import { mailEventsEnvironment } from './environment';
import { applyMailEvent } from './mail-event';

const store = new SubscriberStore(mailEventsEnvironment.TABLE_NAME);
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  await applyMailEvent(record.body, record.messageId, store);
};

const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context });

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(lambdaHandler);
