import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { readEnvironment } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/logger';
import { DigestPlanner, type PlannedRun } from '../../shared/store/digest-planner';
import { DigestQueue } from '../../shared/store/digest-queue';
import { SubscriberStore } from '../../shared/store/subscribers';

const env = readEnvironment({
  TABLE_NAME: z.string().min(1),
  DIGEST_QUEUE_URL: z.url(),
  STATE_TIMEZONE: z.string().min(1),
});

const planner = new DigestPlanner(
  new SubscriberStore(env.TABLE_NAME),
  new DigestQueue(env.DIGEST_QUEUE_URL),
  env.STATE_TIMEZONE,
);

/** The schedule passes its scheduled time; a manual run may pass any `at`. */
const PlannerEvent = z.object({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

/**
 * A scheduled run is named by its invocation's request id: on every planner line (`correlation_id`) and in every
 * job it enqueues, so that the senders' lines (`runId`) lead back to it.
 */
const lambdaHandler = async (event: unknown, context: Context): Promise<PlannedRun> => {
  const runId = context.awsRequestId;
  logger.setCorrelationId(runId);
  const input = PlannerEvent.parse(event ?? {});
  const run = await planner.plan(new Date(input.at ?? input.scheduledTime ?? Date.now()), runId);
  logger.info('digest jobs planned', { ...run, runId });
  return run;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
