import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import type { DigestJob } from '../../shared/contract/digest-job';
import { type Cadence, digestPeriods } from '../../shared/domain/periods';
import { readEnvironment } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/logger';
import { DigestQueue } from '../../shared/store/digest-queue';
import { SubscriberStore } from '../../shared/store/subscribers';

const env = readEnvironment({
  TABLE_NAME: z.string().min(1),
  DIGEST_QUEUE_URL: z.url(),
  STATE_TIMEZONE: z.string().min(1),
});

const subscribers = new SubscriberStore(env.TABLE_NAME);
const queue = new DigestQueue(env.DIGEST_QUEUE_URL);

/** The schedule passes its scheduled time; a manual run may pass any `at`. */
const PlannerEvent = z.object({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

export interface PlannerResult {
  readonly periods: Record<Cadence, string>;
  readonly enqueued: number;
}

const lambdaHandler = async (event: unknown): Promise<PlannerResult> => {
  const input = PlannerEvent.parse(event ?? {});
  const at = new Date(input.at ?? input.scheduledTime ?? Date.now());
  const periods = digestPeriods(at, env.STATE_TIMEZONE);
  const jobs: DigestJob[] = [];
  for (const cadence of ['weekly', 'monthly'] as const) {
    for await (const subscriber of subscribers.active(cadence)) {
      jobs.push({ ...subscriber, cadence, period: periods[cadence], plannedAt: at.toISOString() });
    }
  }
  const enqueued = await queue.enqueue(jobs);
  logger.info('digest jobs planned', { periods, enqueued });
  return { periods, enqueued };
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
