/**
 * Raw items (as stored, or as a stream image of them) read as observations for the progress aggregates: the one
 * place that knows which stored attributes the metrics depend on.
 */
import { Submission } from '../contract/assessments';
import type { Observation } from '../domain/aggregates';

/** A raw item that feeds the metrics, with its district. */
export interface ObservedItem {
  readonly districtId: string;
  readonly observation: Observation;
}

/**
 * Thrown for a stored item the metrics cannot read: kept for ops in the dead-letter queue, never guessed at. The
 * message names the attribute, not the item: its key holds client-chosen ids, and this message goes to the logs.
 */
export class UnreadableItemError extends Error {
  override readonly name = 'UnreadableItemError';
}

/**
 * What a stored submission or milestone says about the metrics; `undefined` for items of other types.
 *
 * @throws UnreadableItemError when the item is of a metrics type but lacks what the metrics need
 */
export function observeItem(item: Record<string, unknown>): ObservedItem | undefined {
  switch (item.type) {
    case 'submission':
      return observeSubmission(item);
    case 'milestone':
      return observeMilestone(item);
    default:
      return undefined;
  }
}

function observeSubmission(item: Record<string, unknown>): ObservedItem {
  const districtId = text(item, 'districtId');
  const parsed = Submission.safeParse(item.submission);
  if (!parsed.success) throw new UnreadableItemError('a submission item has no valid submission');
  const submission = parsed.data;
  const a = time(item, 'receivedAt');
  const v = optionalTime(item, 'voidedAt');
  const voided = v === undefined ? {} : { v };
  if (submission.type === 'condition-rating') {
    return {
      districtId,
      observation: {
        kind: 'rating',
        unit: { kind: 'respondent', respondentId: submission.respondent.id },
        submissionId: submission.submissionId,
        entry: {
          t: Date.parse(submission.submittedAt),
          ...subMillisecond(submission.submittedAt),
          role: submission.respondent.role,
          r: Object.fromEntries(submission.ratings.map((rating) => [rating.conditionId, rating.level])),
          a,
          ...voided,
        },
      },
    };
  }
  return {
    districtId,
    observation: {
      kind: 'evidence',
      unit: { kind: 'learner', competencyId: submission.competencyId, learnerId: submission.learner.id },
      submissionId: submission.submissionId,
      entry: {
        d: submission.assessedOn,
        l: submission.level,
        g: submission.learner.groups ?? [],
        a,
        ...voided,
      },
    },
  };
}

function observeMilestone(item: Record<string, unknown>): ObservedItem {
  const districtId = text(item, 'districtId');
  const removedAt = optionalTime(item, 'removedAt');
  // items written before milestones counted their writes stand for at least the write that made them (and the
  // removal they show); their last write time is the best known
  const revision = item.revision ?? 1;
  const removals = item.removals ?? (removedAt === undefined ? 0 : 1);
  if (typeof revision !== 'number' || typeof removals !== 'number') {
    throw new UnreadableItemError('a milestone item has an invalid revision');
  }
  const writtenAt = item.writtenAt === undefined ? time(item, 'updatedAt') : time(item, 'writtenAt');
  return {
    districtId,
    observation: {
      kind: 'milestone',
      unit: { kind: 'milestone', milestoneId: text(item, 'milestoneId') },
      revision,
      removals,
      at: Math.max(writtenAt, removedAt ?? 0),
    },
  };
}

/**
 * The digits of a timestamp below the millisecond, which `Date.parse` drops: two ratings 0.1 ms apart are still
 * ordered by time, not by id.
 */
function subMillisecond(timestamp: string): { tf?: number } {
  const digits = /\.\d{3}(\d+)/.exec(timestamp)?.[1];
  const millionths = digits === undefined ? 0 : Number(digits.slice(0, 6).padEnd(6, '0'));
  return millionths === 0 ? {} : { tf: millionths };
}

function text(item: Record<string, unknown>, name: string): string {
  const value = item[name];
  if (typeof value !== 'string' || value === '') {
    throw new UnreadableItemError(`a ${String(item.type)} item has no ${name}`);
  }
  return value;
}

function time(item: Record<string, unknown>, name: string): number {
  const ms = Date.parse(text(item, name));
  if (Number.isNaN(ms)) throw new UnreadableItemError(`a ${String(item.type)} item has an invalid ${name}`);
  return ms;
}

function optionalTime(item: Record<string, unknown>, name: string): number | undefined {
  return item[name] === undefined ? undefined : time(item, name);
}
