import { BatchEnvelope, SubmissionPath } from '../../../shared/contract/assessments';
import { DistrictPath } from '../../../shared/contract/districts';
import { ConflictError, InvalidInputError } from '../../../shared/domain/errors';
import { checkSubmission } from '../../../shared/domain/submission-check';
import { authorize } from '../../../shared/http/caller';
import { correlationIdOf } from '../../../shared/http/middleware';
import { describeInvalid, jsonBody, validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { METRIC, record } from '../../../shared/runtime/metrics';
import { districts, submissions } from '../stores';
import { type ApiRoute, noContent } from './types';

/** Batch items stored at once: enough to hide latency, few enough to stay far from a partition's write limit. */
const BATCH_CONCURRENCY = 10;
/**
 * Time a batch keeps to answer before the function's timeout: once less is left, the items not yet started are
 * answered 503 (send again) rather than the whole request timing out with most of its items stored and unsaid.
 */
const BATCH_ANSWER_MARGIN_MS = 2_000;

type BatchItemResult =
  | { index: number; status: 201 | 200; submissionId: string }
  | { index: number; status: 400; errors: { path: string; message: string }[] }
  | { index: number; status: 409 | 503; submissionId: string; errors: { path: string; message: string }[] };

export const assessmentRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/districts/{districtId}/assessments',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const body = jsonBody(event);
      const checked = checkSubmission(body, await districts.framework(districtId));
      if (!checked.ok) throw new InvalidInputError(describeInvalid(checked.errors.length), checked.errors);
      const result = await submissions.submit(
        districtId,
        checked.submission,
        new Date(),
        correlationIdOf(event),
      );
      logger.info('submission written', { districtId, status: result.status, type: checked.submission.type });
      if (result.status === 201) record(METRIC.eventsAccepted, 1);
      return json(result.status, { submissionId: result.submissionId, receivedAt: result.receivedAt });
    },
  },
  {
    method: 'POST',
    path: '/v1/districts/{districtId}/assessments/batch',
    handler: async (event, context) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const { items } = validate(BatchEnvelope, jsonBody(event));
      const correlationId = correlationIdOf(event);
      const framework = await districts.framework(districtId);
      const stopAt = context
        ? Date.now() + context.getRemainingTimeInMillis() - BATCH_ANSWER_MARGIN_MS
        : Number.POSITIVE_INFINITY;
      const results: BatchItemResult[] = new Array(items.length);
      const pending = items.map((item, index) => ({ index, checked: checkSubmission(item, framework) }));
      // a pool rather than waves: a slow write holds up one slot, not the nine items beside it
      let next = 0;
      const store = async () => {
        for (let item = pending[next++]; item; item = pending[next++]) {
          const { index, checked } = item;
          if (!checked.ok) results[index] = { index, status: 400, errors: checked.errors };
          else if (Date.now() >= stopAt) results[index] = notStored(index, checked.submission.submissionId);
          else results[index] = await storeItem(districtId, index, checked.submission, correlationId);
        }
      };
      await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, store));
      const late = results.filter((result) => result.status === 503).length;
      if (late > 0) logger.warn('batch items left for a retry', { districtId, items: items.length, late });
      const counts = { created: 0, replayed: 0, refused: 0 };
      for (const result of results) {
        if (result.status === 201) counts.created += 1;
        else if (result.status === 200) counts.replayed += 1;
        else counts.refused += 1;
      }
      logger.info('batch written', { districtId, items: items.length, ...counts });
      record(METRIC.eventsAccepted, counts.created);
      return json(200, { results });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/districts/{districtId}/assessments/{submissionId}',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId, submissionId } = validate(SubmissionPath, event.pathParameters, 'path');
      await submissions.void(districtId, submissionId, new Date(), correlationIdOf(event));
      logger.info('submission voided', { districtId });
      return noContent();
    },
  },
];

async function storeItem(
  districtId: string,
  index: number,
  submission: Parameters<typeof submissions.submit>[1],
  correlationId: string,
): Promise<BatchItemResult> {
  try {
    const result = await submissions.submit(districtId, submission, new Date(), correlationId);
    return { index, status: result.status, submissionId: result.submissionId };
  } catch (error) {
    if (error instanceof ConflictError) {
      return {
        index,
        status: 409,
        submissionId: submission.submissionId,
        errors: [{ path: 'submissionId', message: error.message }],
      };
    }
    // the items are independent: one that could not be stored now (throttling past the SDK's retries, say) is
    // answered on its own, and sending it again is safe
    logger.error('batch item not stored', { districtId, index, error });
    return notStored(index, submission.submissionId);
  }
}

/** An item answered 503: not stored this time, and safe to send again. */
function notStored(index: number, submissionId: string): BatchItemResult {
  return {
    index,
    status: 503,
    submissionId,
    errors: [{ path: '', message: 'not stored this time: send this item again' }],
  };
}
