import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
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

const lambdaHandler = async (event: unknown): Promise<PlannedRun> => {
  const input = PlannerEvent.parse(event ?? {});
  const run = await planner.plan(new Date(input.at ?? input.scheduledTime ?? Date.now()));
  logger.info('digest jobs planned', { ...run });
  return run;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
