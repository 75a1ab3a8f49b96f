/**
 * The single table's key design, in one place. District data lives in the district's partition, so that one
 * Query reads a district and nothing on the write path scans.
 *
 * | item        | pk            | sk                        | gsi1pk                       | gsi1sk       |
 * |-------------|---------------|---------------------------|------------------------------|--------------|
 * | district    | DISTRICT#<id> | DISTRICT                  | DISTRICTS                    | <districtId> |
 * | framework   | DISTRICT#<id> | FRAMEWORK                 |                              |              |
 * | milestone   | DISTRICT#<id> | MILESTONE#<milestoneId>   |                              |              |
 * | submission  | DISTRICT#<id> | SUBMISSION#<submissionId> |                              |              |
 * | counters    | DISTRICT#<id> | AGG#<counter>             |                              |              |
 * | unit state  | DISTRICT#<id> | STATE#<unit>              |                              |              |
 * | api key     | KEY#<keyId>   | KEY                       |                              |              |
 * | subscriber  | DISTRICT#<id> | SUBSCRIBER#<subscriberId> | SUBSCRIBERS#<cadence>#active | <pk>#<subId> |
 * | sub. e-mail | DISTRICT#<id> | SUBSCRIBER-EMAIL#<sha256> |                              |              |
 *
 * A subscriber and its e-mail item live in their district's partition, or in `STATE` when the subscriber is
 * state-wide (it gets the roll-up). A subscriber carries `gsi1pk`/`gsi1sk` only while it is active, so that the
 * planner's one Query per cadence finds exactly the subscribers due a digest; unsubscribing or suppressing one
 * removes the two attributes. The e-mail item makes an address unique within its scope without a scan: it is
 * written and deleted in the same transaction as its subscriber, and its key holds the SHA-256 of the address,
 * never the address (see shared/domain/subscribers.ts).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../domain/errors';
import type { SubscriberScope } from '../domain/subscribers';

export const districtPartition = (districtId: string) => `DISTRICT#${districtId}`;

/** The partition of state-wide items: the state's digest subscribers. */
const STATE_PARTITION = 'STATE';

/** Where a subscriber lives: its district's partition, or the state's. */
export const subscriberPartition = (scope: SubscriberScope) =>
  scope.kind === 'district' ? districtPartition(scope.districtId) : STATE_PARTITION;

/** Sort-key prefix of subscriber items; the e-mail items' prefix does not begin with it. */
export const SUBSCRIBER_PREFIX = 'SUBSCRIBER#';

export const keys = {
  district: (districtId: string) => ({ pk: districtPartition(districtId), sk: 'DISTRICT' }),
  framework: (districtId: string) => ({ pk: districtPartition(districtId), sk: 'FRAMEWORK' }),
  milestone: (districtId: string, milestoneId: string) => ({
    pk: districtPartition(districtId),
    sk: `MILESTONE#${milestoneId}`,
  }),
  submission: (districtId: string, submissionId: string) => ({
    pk: districtPartition(districtId),
    sk: `SUBMISSION#${submissionId}`,
  }),
  subscriber: (scope: SubscriberScope, subscriberId: string) => ({
    pk: subscriberPartition(scope),
    sk: `${SUBSCRIBER_PREFIX}${subscriberId}`,
  }),
  /** @param emailKey the SHA-256 of the address (`emailKey` in shared/domain/subscribers.ts) */
  subscriberEmail: (scope: SubscriberScope, emailKey: string) => ({
    pk: subscriberPartition(scope),
    sk: `SUBSCRIBER-EMAIL#${emailKey}`,
  }),
};

/**
 * The sort keys one Query reads to answer `GET /progress`: the counters (`AGG#…`), the district, its framework
 * and its milestones, in that order, and nothing else. The much larger per-unit state (`STATE#…`) and the
 * submissions sort after this range.
 */
export const PROGRESS_RANGE = { from: 'AGG#', to: 'MILESTONE#\uffff' } as const;

export const counterSortKey = (key: string) => `AGG#${key}`;
export const stateSortKey = (key: string) => `STATE#${key}`;

/** The GSI partition that lists every district of the state. */
export const DISTRICTS_INDEX_KEY = 'DISTRICTS';

type Key = Record<string, string>;

/** One page of a list route. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** An opaque page token: the last evaluated key, base64url JSON. */
export function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Whether a key has exactly these attribute names: DynamoDB refuses a start key with any other shape. */
export const hasExactly = (key: Record<string, string>, names: readonly string[]) =>
  Object.keys(key).length === names.length && names.every((name) => typeof key[name] === 'string');

/**
 * The start key of a page token, refused (400) unless it is a key of the listing it is used for: a token must
 * not open another district's partition, and a forged one must not reach DynamoDB as an invalid start key.
 */
export function decodeToken(token: string | undefined, fits: (key: Key) => boolean): Key | undefined {
  if (token === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.values(key).every((value) => typeof value === 'string') &&
    fits(key as Key);
  if (!valid) {
    throw new InvalidInputError('The nextToken is not one this list gave out.', [
      { path: 'query.nextToken', message: 'is not a token of this list' },
    ]);
  }
  return key as Key;
}

/**
 * The attribute that names the request that last wrote a submission, milestone or framework item: the API's
 * correlation id (shared/http/middleware.ts). It travels with the write down the table's stream, so that the
 * metrics worker's log line for a change names the request that made it. A write without one removes it, so the
 * attribute never names an older write. A UUID costs an item about 50 bytes.
 */
export const CORRELATION_ATTRIBUTE = 'correlationId';

/** Parts of an UpdateExpression, with the values they refer to. */
export interface UpdateClauses {
  readonly set?: readonly string[];
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * The UpdateExpression and values of a write of a relayed item (a submission, milestone or framework): the given
 * clauses, with CORRELATION_ATTRIBUTE set to the request's correlation id, or removed when the write has none.
 */
export function relayedUpdate(
  clauses: UpdateClauses,
  correlationId: string | undefined,
): { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> } {
  const set = [...(clauses.set ?? [])];
  const remove = [...(clauses.remove ?? [])];
  const values: Record<string, unknown> = { ...clauses.values };
  if (correlationId === undefined) remove.push(CORRELATION_ATTRIBUTE);
  else {
    set.push(`${CORRELATION_ATTRIBUTE} = :correlationId`);
    values[':correlationId'] = correlationId;
  }
  const actions = [
    ['SET', set],
    ['ADD', clauses.add ?? []],
    ['REMOVE', remove],
  ] as const;
  return {
    UpdateExpression: actions
      .filter(([, list]) => list.length > 0)
      .map(([keyword, list]) => `${keyword} ${list.join(', ')}`)
      .join(' '),
    ExpressionAttributeValues: values,
  };
}

export interface StampOptions {
  /** An attribute to add one to with the stamp: how often the item was stamped over its life. */
  readonly tally?: string;
  /** The correlation id of the request that stamps (CORRELATION_ATTRIBUTE). */
  readonly correlationId?: string;
}

/**
 * Stamps an existing item with `attribute` = now, once: a second call changes nothing (the item keeps its first
 * stamp and no stream record is made). Resolves `not-found` when the item does not exist.
 */
export async function stampOnce(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  attribute: string,
  now: Date,
  options: StampOptions = {},
): Promise<'stamped' | 'already' | 'not-found'> {
  const { tally, correlationId } = options;
  const counted = tally === undefined ? undefined : { name: { '#tally': tally }, value: { ':one': 1 } };
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        ...relayedUpdate(
          {
            set: ['#stamp = :now'],
            add: counted ? ['#tally :one'] : [],
            values: { ':now': now.toISOString(), ...counted?.value },
          },
          correlationId,
        ),
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#stamp)',
        ExpressionAttributeNames: { '#stamp': attribute, ...counted?.name },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'stamped';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return error.Item ? 'already' : 'not-found';
  }
}

/** Every item a query matches, all pages: for reads whose result is bounded by design (one district's range). */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
