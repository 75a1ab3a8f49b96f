import { DigestRun, type DigestRunResult } from '../../../shared/contract/digest-run';
import { authorize } from '../../../shared/http/caller';
import { jsonBody, validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { digestPlanner } from '../stores';
import type { ApiRoute } from './types';

export const digestRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/digests/run',
    handler: async (event) => {
      authorize(event, { state: true });
      const { at } = validate(DigestRun, jsonBody(event));
      const run = await digestPlanner.plan(at === undefined ? new Date() : new Date(at));
      logger.info('digest run planned', { ...run });
      // 202: the jobs are queued; the digests are sent by the digest sender, once per subscriber and period
      return json(202, { period: run.periods, enqueued: run.enqueued } satisfies DigestRunResult);
    },
  },
];
