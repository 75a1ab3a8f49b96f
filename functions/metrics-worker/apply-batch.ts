/**
 * One batch of relayed table changes applied to the progress aggregates, with SQS partial batch failure
 * semantics: the changes are grouped by district so that each district's share of the batch costs one read and
 * one transaction (a busy district's events merge into one write of each counter instead of one per event), and
 * a district whose share fails fails only its own messages, which SQS redelivers and in the end moves to the
 * dead-letter queue. Redelivering a message that was applied is harmless: applying is idempotent.
 *
 * Each district's log line names the correlation ids of the requests whose writes it applied (`correlation_ids`,
 * stored with each write, shared/store/table.ts): a request's id leads from its answer to the line that applied it.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { Observation } from '../../shared/domain/aggregates';
import { logger } from '../../shared/runtime/logger';
import { METRIC, record } from '../../shared/runtime/metrics';
import type { MetricsStore } from '../../shared/store/aggregates';
import { decodeChange, type TableChange } from '../../shared/store/changes';
import { observeItem } from '../../shared/store/observations';

/** What one change asks of a district's aggregates. */
type Work =
  | { readonly kind: 'observe'; readonly districtId: string; readonly observation: Observation }
  | { readonly kind: 'rebuild'; readonly districtId: string };

interface DistrictShare {
  readonly messageIds: string[];
  readonly observations: Observation[];
  /** The requests whose writes made the share's changes, each once. */
  readonly correlationIds: Set<string>;
  rebuild: boolean;
}

/** Applies the batch; returns the messages to retry. */
export async function applyBatch(
  records: readonly SQSRecord[],
  store: MetricsStore,
): Promise<SQSBatchResponse> {
  const failed: string[] = [];
  const shares = new Map<string, DistrictShare>();
  for (const record of records) {
    let work: Work | undefined;
    let change: TableChange;
    try {
      change = decodeChange(record.body);
      work = workOf(change);
    } catch (error) {
      // the error's name and message only: a stream image carries learner and respondent ids
      logger.error('unreadable change', { messageId: record.messageId, error: describe(error) });
      failed.push(record.messageId);
      continue;
    }
    if (!work) continue;
    const share = shares.get(work.districtId) ?? {
      messageIds: [],
      observations: [],
      correlationIds: new Set(),
      rebuild: false,
    };
    share.messageIds.push(record.messageId);
    if (change.correlationId !== undefined) share.correlationIds.add(change.correlationId);
    if (work.kind === 'observe') share.observations.push(work.observation);
    else share.rebuild = true;
    shares.set(work.districtId, share);
  }

  await Promise.all(
    [...shares].map(async ([districtId, share]) => {
      // named like Powertools' correlation_id, which the API's lines carry: one Logs Insights query finds both
      const named = { districtId, correlation_ids: [...share.correlationIds] };
      try {
        if (share.rebuild) {
          // a new framework may score every learner differently: recompute the district under it. The rebuild
          // reads every stored submission and milestone, this batch's changes included, so it applies them too
          logger.info('district rebuilt', { ...named, ...(await store.rebuild(districtId)) });
        } else {
          const applied = await store.apply(districtId, share.observations);
          logger.info('changes applied', { ...named, changes: share.observations.length, ...applied });
          record(METRIC.eventsApplied, applied.events);
          const oldest = oldestReceipt(share.observations);
          if (oldest !== undefined) record(METRIC.freshnessLag, Math.max(0, Date.now() - oldest));
        }
      } catch (error) {
        logger.error('changes not applied', { ...named, error: describe(error) });
        failed.push(...share.messageIds);
      }
    }),
  );
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * What a change asks for: an observation of the item it wrote, a rebuild when a framework was replaced by another,
 * nothing for a deletion (only the removal of a whole district deletes, and it deletes the aggregates with it).
 */
function workOf(change: TableChange): Work | undefined {
  if (change.kind === 'REMOVE' || !change.newItem) return undefined;
  if (change.itemType === 'framework') {
    // a new district's first framework has nothing to re-score, nor has a write of the same framework again
    const replaced =
      change.kind === 'MODIFY' && !isDeepStrictEqual(change.oldItem?.framework, change.newItem.framework);
    return replaced ? { kind: 'rebuild', districtId: String(change.newItem.districtId) } : undefined;
  }
  const observed = observeItem(change.newItem);
  return observed && { kind: 'observe', ...observed };
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/** When the oldest submission of a share was acknowledged (epoch ms); undefined for milestones only. */
function oldestReceipt(observations: readonly Observation[]): number | undefined {
  let oldest: number | undefined;
  for (const observation of observations) {
    if (observation.kind === 'milestone') continue;
    oldest = Math.min(oldest ?? observation.entry.a, observation.entry.a);
  }
  return oldest;
}
