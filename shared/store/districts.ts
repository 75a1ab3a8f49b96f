/**
 * Districts and their frameworks. A district is created together with its framework and its first key in one
 * transaction: either all three exist or none does.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { District } from '../contract/districts';
import type { Framework } from '../contract/framework';
import type { NewKey } from '../domain/api-keys';
import { ConflictError, NotFoundError } from '../domain/errors';
import { documentClient } from '../runtime/clients';
import { KeyStore } from './keys';
import {
  DISTRICTS_INDEX_KEY,
  decodeToken,
  districtPartition,
  encodeToken,
  hasExactly,
  keys,
  type Page,
  relayedUpdate,
} from './table';

export class DistrictStore {
  private readonly keyStore: KeyStore;

  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {
    this.keyStore = new KeyStore(tableName, client);
  }

  /** Creates the district, its framework and its first key; ConflictError if the district exists. */
  async create(district: Omit<District, 'createdAt'>, framework: Framework, key: NewKey, now = new Date()) {
    const createdAt = now.toISOString();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.district(district.districtId),
                  type: 'district',
                  ...district,
                  createdAt,
                  gsi1pk: DISTRICTS_INDEX_KEY,
                  gsi1sk: district.districtId,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: this.frameworkPut(district.districtId, framework, createdAt) },
            {
              Put: this.keyStore.putRequest(key, { kind: 'district', districtId: district.districtId }, now),
            },
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        throw new ConflictError(`District ${district.districtId} exists already.`, { cause: error });
      }
      throw error;
    }
    return { ...district, createdAt };
  }

  async get(districtId: string): Promise<District | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.district(districtId), ConsistentRead: true }),
    );
    return item ? toDistrict(item) : undefined;
  }

  /** Districts in id order, a page at a time. */
  async list(limit: number, nextToken?: string): Promise<Page<District>> {
    const start = decodeToken(
      nextToken,
      (key) =>
        hasExactly(key, ['gsi1pk', 'gsi1sk', 'pk', 'sk']) &&
        key.gsi1pk === DISTRICTS_INDEX_KEY &&
        key.sk === 'DISTRICT' &&
        key.pk === districtPartition(key.gsi1sk ?? ''),
    );
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': DISTRICTS_INDEX_KEY },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: (page.Items ?? []).map(toDistrict), nextToken: encodeToken(page.LastEvaluatedKey) };
  }

  /** The district's framework; NotFoundError when the district does not exist. */
  async framework(districtId: string): Promise<Framework> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.framework(districtId), ConsistentRead: true }),
    );
    if (!item) throw new NotFoundError(`District ${districtId} does not exist.`);
    return item.framework as Framework;
  }

  /**
   * Replaces the district's framework; NotFoundError when the district does not exist.
   *
   * @param correlationId the request's, stored with the framework: the metrics worker's rebuild names it
   */
  async replaceFramework(
    districtId: string,
    framework: Framework,
    now = new Date(),
    correlationId?: string,
  ): Promise<void> {
    try {
      // `revision` tells the metrics worker which framework it scored with: a change since it read the framework
      // cancels its write (see shared/store/aggregates.ts)
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.framework(districtId),
          ...relayedUpdate(
            {
              set: ['framework = :framework', 'updatedAt = :now'],
              add: ['revision :one'],
              values: { ':framework': framework, ':now': now.toISOString(), ':one': 1 },
            },
            correlationId,
          ),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new NotFoundError(`District ${districtId} does not exist.`, { cause: error });
      }
      throw error;
    }
  }

  private frameworkPut(districtId: string, framework: Framework, updatedAt: string) {
    return {
      TableName: this.tableName,
      Item: {
        ...keys.framework(districtId),
        type: 'framework',
        districtId,
        framework,
        updatedAt,
        revision: 1,
      },
    };
  }
}

function toDistrict(item: Record<string, unknown>): District {
  return {
    districtId: String(item.districtId),
    name: String(item.name),
    timezone: String(item.timezone),
    createdAt: String(item.createdAt),
  };
}
