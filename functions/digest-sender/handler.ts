import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DigestJob } from '../../shared/contract/digest-job';
import { logger } from '../../shared/runtime/logger';
import { deliverDigest } from './deliverers';

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  const job = DigestJob.parse(JSON.parse(record.body));
  await deliverDigest(job);
  logger.info('digest delivered', { period: job.period, cadence: job.cadence });
};

const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context });

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
