/**
 * API key records: one item per key under `KEY#<keyId>`, holding the hash of its secret, its scope, the usage
 * key that API Gateway rate-limits it by, and when it was revoked.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyScope, NewKey } from '../domain/api-keys';
import { documentClient } from '../runtime/clients';

export interface KeyRecord {
  readonly keyId: string;
  readonly scope: KeyScope;
  readonly secretHash: string;
  readonly usageKey: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** The partition prefix of every key record: the authorizer's IAM policy may read only these. */
export const KEY_PARTITION_PREFIX = 'KEY#';

const keyOf = (keyId: string) => ({ pk: `${KEY_PARTITION_PREFIX}${keyId}`, sk: 'KEY' });

export class KeyStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /** Stores a new key's record (never its secret). */
  async create(key: NewKey, scope: KeyScope, now: Date = new Date()): Promise<KeyRecord> {
    const record: KeyRecord = {
      keyId: key.keyId,
      scope,
      secretHash: key.secretHash,
      usageKey: key.usageKey,
      createdAt: now.toISOString(),
    };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keyOf(key.keyId), type: 'api-key', ...toItem(record) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  }

  /** The put request of a new key, for a transaction that creates it with other items. */
  putRequest(key: NewKey, scope: KeyScope, now: Date = new Date()) {
    return {
      TableName: this.tableName,
      Item: {
        ...keyOf(key.keyId),
        type: 'api-key',
        ...toItem({
          keyId: key.keyId,
          scope,
          secretHash: key.secretHash,
          usageKey: key.usageKey,
          createdAt: now.toISOString(),
        }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  async get(keyId: string): Promise<KeyRecord | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(keyId), ConsistentRead: true }),
    );
    return item ? fromItem(item) : undefined;
  }

  /**
   * Revokes a district's key. Resolves `revoked` (also when it already was: revoking is idempotent) or
   * `not-found` when no key of that district has this id.
   */
  revoke(keyId: string, districtId: string, now: Date = new Date()): Promise<'revoked' | 'not-found'> {
    return this.revokeWhere(keyId, 'districtId = :districtId', { ':districtId': districtId }, now);
  }

  /** Revokes a state key, the same way; `not-found` when no state key has this id. */
  revokeState(keyId: string, now: Date = new Date()): Promise<'revoked' | 'not-found'> {
    return this.revokeWhere(keyId, '#scope = :state', { ':state': 'state' }, now, { '#scope': 'scope' });
  }

  private async revokeWhere(
    keyId: string,
    condition: string,
    values: Record<string, string>,
    now: Date,
    names?: Record<string, string>,
  ): Promise<'revoked' | 'not-found'> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(keyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeValues: { ':now': now.toISOString(), ...values },
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return 'revoked';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not-found';
      throw error;
    }
  }
}

function toItem(record: KeyRecord): Record<string, unknown> {
  const { scope, ...rest } = record;
  return { ...rest, scope: scope.kind, districtId: scope.kind === 'district' ? scope.districtId : undefined };
}

function fromItem(item: Record<string, unknown>): KeyRecord {
  const scope: KeyScope =
    item.scope === 'state' ? { kind: 'state' } : { kind: 'district', districtId: String(item.districtId) };
  return {
    keyId: String(item.keyId),
    scope,
    secretHash: String(item.secretHash),
    usageKey: String(item.usageKey),
    createdAt: String(item.createdAt),
    ...(typeof item.revokedAt === 'string' ? { revokedAt: item.revokedAt } : {}),
  };
}
