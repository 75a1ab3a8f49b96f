/**
 * Digest subscribers in the table (keys in shared/store/table.ts). Each active subscriber is also indexed under
 * its cadence (`gsi1`), so the planner finds the due ones with one paged Query per cadence, however many
 * districts the state has; a subscriber that is unsubscribed or suppressed loses those index attributes and so
 * drops out of the planner's Query without being deleted.
 *
 * An address is unique within its scope (a district, or the state-wide list): a second subscription of the same
 * address, whatever its cadence, is a conflict (409), so that nobody gets the same digest twice and a changed
 * cadence is never silently ignored. Uniqueness is kept by an e-mail item, written and deleted in one transaction
 * with its subscriber, whose key is the SHA-256 of the address.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Subscriber, SubscriberBody } from '../contract/subscribers';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Cadence } from '../domain/periods';
import {
  emailKey,
  newSubscriberId,
  type SubscriberScope,
  type SubscriberStatus,
} from '../domain/subscribers';
import { documentClient } from '../runtime/clients';
import {
  decodeToken,
  encodeToken,
  hasExactly,
  keys,
  type Page,
  SUBSCRIBER_PREFIX,
  subscriberPartition,
} from './table';

export interface DueSubscriber {
  readonly subscriberId: string;
  /** The district whose digest the subscriber gets; absent for a state-wide (roll-up) subscriber. */
  readonly districtId?: string;
}

export const subscriberIndexKey = (cadence: Cadence) => `SUBSCRIBERS#${cadence}#active`;

/** The index attributes of an active subscriber: grouped by partition, so a sender may batch by district. */
const indexAttributes = (scope: SubscriberScope, subscriberId: string, cadence: Cadence) => ({
  gsi1pk: subscriberIndexKey(cadence),
  gsi1sk: `${subscriberPartition(scope)}#${subscriberId}`,
});

/** Attempts of a subscriber transaction that DynamoDB cancelled for a concurrent one on the same items. */
const TRANSACTION_ATTEMPTS = 3;

export class SubscriberStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /**
   * Subscribes an address (already normalized by the contract) in a scope. NotFoundError when the district does
   * not exist; ConflictError when the address is subscribed in that scope already, with any cadence.
   */
  async create(scope: SubscriberScope, body: SubscriberBody, now = new Date()): Promise<Subscriber> {
    const subscriberId = newSubscriberId();
    const hash = emailKey(body.email);
    const subscriber: Subscriber = {
      subscriberId,
      email: body.email,
      name: body.name ?? null,
      cadence: body.cadence,
      status: 'active',
      createdAt: now.toISOString(),
    };
    // the district's existence is a condition of the same transaction: no subscriber is written for a missing one
    const districtCheck =
      scope.kind === 'district'
        ? [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.district(scope.districtId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ]
        : [];
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      ...districtCheck,
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.subscriber(scope, subscriberId),
            type: 'subscriber',
            ...(scope.kind === 'district' ? { districtId: scope.districtId } : {}),
            ...subscriber,
            emailKey: hash,
            ...indexAttributes(scope, subscriberId, body.cadence),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.subscriberEmail(scope, hash), type: 'subscriber-email', subscriberId },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ];
    const reasons = await this.transact(items);
    if (reasons) {
      if (scope.kind === 'district' && reasons[0]?.Code === 'ConditionalCheckFailed') {
        throw new NotFoundError(`District ${scope.districtId} does not exist.`);
      }
      const taken = reasons[items.length - 1];
      if (taken?.Code === 'ConditionalCheckFailed') {
        // the document client does not unmarshall the item of a failed condition
        const holder = taken.Item ? unmarshall(taken.Item).subscriberId : undefined;
        throw new ConflictError(
          `This address is subscribed ${scopeWords(scope)} already` +
            `${typeof holder === 'string' ? ` (subscriber ${holder})` : ''}; remove it to subscribe it anew.`,
        );
      }
      throw new SubscriberWriteError('the subscriber could not be written', reasons);
    }
    return subscriber;
  }

  /** The scope's subscribers, every status, in id order, a page at a time. */
  async list(scope: SubscriberScope, limit: number, nextToken?: string): Promise<Page<Subscriber>> {
    const pk = subscriberPartition(scope);
    const start = decodeToken(
      nextToken,
      (key) =>
        hasExactly(key, ['pk', 'sk']) && key.pk === pk && key.sk?.startsWith(SUBSCRIBER_PREFIX) === true,
    );
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': SUBSCRIBER_PREFIX },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (page.Items ?? []).map(toSubscriber), nextToken: encodeToken(page.LastEvaluatedKey) };
  }

  /** One subscriber; undefined when there is none with this id in the scope. */
  async get(scope: SubscriberScope, subscriberId: string): Promise<Subscriber | undefined> {
    const item = await this.item(scope, subscriberId);
    return item ? toSubscriber(item) : undefined;
  }

  /**
   * Sets a subscriber's status: `active` puts it back under its cadence in the planner's index, `unsubscribed`
   * and `suppressed` take it out, so it gets nothing further. Which change is allowed (whether a suppressed
   * address may be re-activated) is the caller's rule. NotFoundError when there is no such subscriber.
   */
  async setStatus(
    scope: SubscriberScope,
    subscriberId: string,
    status: SubscriberStatus,
    options: {
      readonly now?: Date;
      /**
       * Changes the status only from this one: otherwise resolves the subscriber as it is, unchanged (an
       * unsubscribe must not turn a bounce's `suppressed` into `unsubscribed`).
       */
      readonly onlyFrom?: SubscriberStatus;
    } = {},
  ): Promise<Subscriber> {
    const now = options.now ?? new Date();
    // the cadence never changes once subscribed, so reading it before the update cannot race with a change
    const item = await this.item(scope, subscriberId);
    if (!item) throw new NotFoundError(`Subscriber ${subscriberId} does not exist.`);
    const cadence = toSubscriber(item).cadence;
    const index = indexAttributes(scope, subscriberId, cadence);
    try {
      const { Attributes: updated } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.subscriber(scope, subscriberId),
          UpdateExpression:
            status === 'active'
              ? 'SET #status = :status, statusChangedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk'
              : 'SET #status = :status, statusChangedAt = :now REMOVE gsi1pk, gsi1sk',
          ConditionExpression:
            options.onlyFrom === undefined
              ? 'attribute_exists(pk)'
              : 'attribute_exists(pk) AND #status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':now': now.toISOString(),
            ...(status === 'active' ? { ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk } : {}),
            ...(options.onlyFrom === undefined ? {} : { ':from': options.onlyFrom }),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toSubscriber(updated ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item && options.onlyFrom !== undefined) {
        // there, but no longer in the status this change was meant for
        return toSubscriber(unmarshall(error.Item));
      }
      if (error instanceof ConditionalCheckFailedException) {
        throw new NotFoundError(`Subscriber ${subscriberId} does not exist.`, { cause: error });
      }
      throw error;
    }
  }

  /** Removes a subscriber and frees its address in the scope; NotFoundError when there is no such subscriber. */
  async remove(scope: SubscriberScope, subscriberId: string): Promise<void> {
    const item = await this.item(scope, subscriberId);
    if (!item) throw new NotFoundError(`Subscriber ${subscriberId} does not exist.`);
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Delete: {
          TableName: this.tableName,
          Key: keys.subscriber(scope, subscriberId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ];
    if (typeof item.emailKey === 'string') {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: keys.subscriberEmail(scope, item.emailKey),
          // only this subscriber's hold on the address
          ConditionExpression: 'attribute_not_exists(pk) OR subscriberId = :id',
          ExpressionAttributeValues: { ':id': subscriberId },
        },
      });
    }
    const reasons = await this.transact(items);
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
      // removed by a concurrent call between the read and the write
      throw new NotFoundError(`Subscriber ${subscriberId} does not exist.`);
    }
    if (reasons) throw new SubscriberWriteError('the subscriber could not be removed', reasons);
  }

  /** Active subscribers of a cadence, page by page. */
  async *active(cadence: Cadence): AsyncGenerator<DueSubscriber> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': subscriberIndexKey(cadence) },
        ProjectionExpression: 'subscriberId, districtId',
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        yield { subscriberId: String(item.subscriberId), districtId: item.districtId as string | undefined };
      }
    }
  }

  private async item(scope: SubscriberScope, subscriberId: string) {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.subscriber(scope, subscriberId),
        ConsistentRead: true,
      }),
    );
    return item;
  }

  /**
   * Runs a transaction; resolves the cancellation reasons when a condition failed, undefined when it was written.
   * A transaction cancelled only because a concurrent one held the same items is tried again: the retry then
   * sees that one's outcome (an address taken by a concurrent subscription is a conflict, not an error).
   */
  private async transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const contended = reasons.some((reason) => reason.Code === 'TransactionConflict');
        const failed = reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
        if (failed) return reasons;
        if (!contended || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
    }
  }
}

/** A subscriber transaction was cancelled for a reason this store has no answer for; the API answers 500. */
export class SubscriberWriteError extends Error {
  override readonly name = 'SubscriberWriteError';
  constructor(
    message: string,
    readonly reasons: readonly { Code?: string }[],
  ) {
    super(`${message}: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`);
  }
}

const scopeWords = (scope: SubscriberScope) =>
  scope.kind === 'district' ? `in district ${scope.districtId}` : 'state-wide';

function toSubscriber(item: Record<string, unknown>): Subscriber {
  return {
    subscriberId: String(item.subscriberId),
    email: String(item.email),
    name: typeof item.name === 'string' ? item.name : null,
    cadence: item.cadence as Subscriber['cadence'],
    status: item.status as Subscriber['status'],
    createdAt: String(item.createdAt),
  };
}
