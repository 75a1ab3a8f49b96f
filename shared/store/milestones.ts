/**
 * Milestones, upserted in `updatedAt` order: a write older than the stored one, or the same write again, is not
 * applied; the same `updatedAt` with other content is a conflict. A removed milestone is kept (marked
 * `removedAt`) for audit; a later PUT of its id creates it anew.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Milestone, MilestoneBody } from '../contract/milestones';
import { contentHash } from '../domain/content-hash';
import { ConflictError, NotFoundError } from '../domain/errors';
import { documentClient } from '../runtime/clients';
import {
  decodeToken,
  districtPartition,
  encodeToken,
  hasExactly,
  keys,
  type Page,
  relayedUpdate,
  stampOnce,
} from './table';

export interface MilestoneWriteResult {
  /** 201 created (or created anew after removal), 200 otherwise. */
  readonly status: 201 | 200;
  readonly applied: boolean;
  readonly milestone: Milestone;
}

export class MilestoneStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /** @param correlationId the request's, stored with an applied write */
  async upsert(
    districtId: string,
    milestoneId: string,
    body: MilestoneBody,
    now = new Date(),
    correlationId?: string,
  ): Promise<MilestoneWriteResult> {
    const milestone = normalize(milestoneId, body);
    const updatedAtMs = Date.parse(body.updatedAt);
    // the same instant written as `Z` or `+00:00` is the same write
    const hash = contentHash({ ...milestone, updatedAt: new Date(updatedAtMs).toISOString() });
    const attributes: Record<string, unknown> = {
      type: 'milestone',
      districtId,
      ...milestone,
      updatedAtMs,
      contentHash: hash,
      writtenAt: now.toISOString(),
    };
    const names = Object.keys(attributes);
    try {
      // an update, not a put, so that `revision` counts the applied writes over the milestone's whole life: the
      // metrics count each of them once (PRODUCT §5, eventsApplied) from the item alone
      const { Attributes: old } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.milestone(districtId, milestoneId),
          ...relayedUpdate(
            {
              set: names.map((_, index) => `#a${index} = :a${index}`),
              add: ['revision :one'],
              remove: ['removedAt'],
              values: {
                ...Object.fromEntries(names.map((name, index) => [`:a${index}`, attributes[name]])),
                ':ms': updatedAtMs,
                ':one': 1,
              },
            },
            correlationId,
          ),
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(removedAt) OR updatedAtMs < :ms',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const created = !old || old.removedAt !== undefined;
      return { status: created ? 201 : 200, applied: true, milestone };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      // the document client does not unmarshall the item of a failed condition
      const stored = unmarshall(error.Item);
      if (stored.updatedAtMs === updatedAtMs && stored.contentHash !== hash) {
        throw new ConflictError(
          `Milestone ${milestoneId} was already written at ${body.updatedAt} with other content.`,
          { cause: error },
        );
      }
      return { status: 200, applied: false, milestone: toMilestone(stored) };
    }
  }

  /** Active milestones in id order, a page at a time. */
  async list(districtId: string, limit: number, nextToken?: string): Promise<Page<Milestone>> {
    const pk = districtPartition(districtId);
    const start = decodeToken(
      nextToken,
      (key) => hasExactly(key, ['pk', 'sk']) && key.pk === pk && key.sk?.startsWith('MILESTONE#') === true,
    );
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'attribute_not_exists(removedAt)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'MILESTONE#' },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (page.Items ?? []).map(toMilestone), nextToken: encodeToken(page.LastEvaluatedKey) };
  }

  /**
   * Marks a milestone removed (idempotent); NotFoundError if it never existed.
   *
   * @param correlationId the request's, stored with the removal
   */
  async remove(
    districtId: string,
    milestoneId: string,
    now = new Date(),
    correlationId?: string,
  ): Promise<void> {
    // done before: nothing changes, and the answer is the same
    if (
      (await stampOnce(
        this.client,
        this.tableName,
        keys.milestone(districtId, milestoneId),
        'removedAt',
        now,
        { tally: 'removals', correlationId },
      )) === 'not-found'
    ) {
      throw new NotFoundError(`Milestone ${milestoneId} does not exist.`);
    }
  }
}

function normalize(milestoneId: string, body: MilestoneBody): Milestone {
  return {
    milestoneId,
    title: body.title,
    conditionId: body.conditionId,
    status: body.status,
    dueDate: body.dueDate ?? null,
    achievedOn: body.achievedOn ?? null,
    owner: body.owner ?? null,
    updatedAt: body.updatedAt,
  };
}

/** A stored milestone item as the contract shows it. */
export function toMilestone(item: Record<string, unknown>): Milestone {
  return {
    milestoneId: String(item.milestoneId),
    title: String(item.title),
    conditionId: String(item.conditionId),
    status: item.status as Milestone['status'],
    dueDate: (item.dueDate as string | null) ?? null,
    achievedOn: (item.achievedOn as string | null) ?? null,
    owner: (item.owner as string | null) ?? null,
    updatedAt: String(item.updatedAt),
  };
}
