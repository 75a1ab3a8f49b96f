import { DigestPreviewQuery, DigestRun, type DigestRunResult } from '../../../shared/contract/digest-run';
import { DistrictPath } from '../../../shared/contract/districts';
import { unsubscribeLink } from '../../../shared/domain/unsubscribe-token';
import { authorize } from '../../../shared/http/caller';
import { correlationIdOf } from '../../../shared/http/middleware';
import { jsonBody, queryOf, validate } from '../../../shared/http/request';
import { html, json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { apiEnvironment } from '../environment';
import { digestContent, digestPlanner } from '../stores';
import type { ApiRoute } from './types';

/**
 * What a digest preview may do in a browser: show its inline styles and nothing else. Every client string in it
 * is escaped already; this keeps anything that slipped through from running.
 */
const PREVIEW_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const digestRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/digests/run',
    handler: async (event) => {
      authorize(event, { state: true });
      const { at } = validate(DigestRun, jsonBody(event));
      // the run is named by the request's correlation id, which the answer's header shows the caller
      const runId = correlationIdOf(event);
      const run = await digestPlanner.plan(at === undefined ? new Date() : new Date(at), runId);
      logger.info('digest run planned', { ...run, runId });
      // 202: the jobs are queued; the digests are sent by the digest sender, once per subscriber and period
      return json(202, { period: run.periods, enqueued: run.enqueued } satisfies DigestRunResult);
    },
  },
  {
    method: 'GET',
    path: '/v1/districts/{districtId}/digest/preview',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const { cadence } = validate(DigestPreviewQuery, queryOf(event), 'query');
      const now = new Date();
      // the digest a new subscriber of this cadence would get now: a first digest, with the figures of now
      const { email } = await digestContent.district(districtId, {
        period: digestContent.currentPeriod(cadence, now),
        now,
        unsubscribeUrl: unsubscribeLink(apiEnvironment.PUBLIC_BASE_URL),
      });
      return html(200, email.html, {
        'content-security-policy': PREVIEW_CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
      });
    },
  },
];
