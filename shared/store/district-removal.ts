/**
 * Removing a district and everything the table holds of it, on request (a district leaving the platform, or a
 * data-deletion request): what lives in its partition (the district, framework, milestones, submissions, metrics
 * counters and unit states, subscribers and their e-mail items), the ledger of each of its subscribers
 * (`DIGESTS#<subscriberId>`, with the figures each digest showed) and its API keys (`KEY#<keyId>`).
 *
 * Order matters: the keys are revoked first, so that no new write gets in while the rest is deleted; the ledger
 * partitions are found through the subscriber items, so they go before them; the district item goes last, so
 * that the API answers 404 for it only once nothing else is left. A metrics batch in flight when the deletion
 * starts may still write a counter or a unit state after its pass, so `remove` counts again after each pass and
 * deletes what it finds, until a count finds nothing.
 *
 * Keys are the one kind of item outside the district's partition that no Query finds by district: they are
 * found with a Scan of the key items, the only Scan in the project, run by an operator for a rare removal, never
 * by a function.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../runtime/clients';
import { ledgerPartition } from './digest-ledger';
import { KEY_PARTITION_PREFIX, KeyStore } from './keys';
import { districtPartition, queryAll, SUBSCRIBER_PREFIX } from './table';

/** What the table holds of a district, counted by kind. */
export interface DistrictHoldings {
  /** Items of the district's partition: the district, its data, metrics and subscribers. */
  readonly districtItems: number;
  /** Ledger items of its subscribers' digests. */
  readonly ledgerItems: number;
  /** Its API keys, revoked or not. */
  readonly keys: number;
}

/** What a removal found and deleted, and what a final count found left (all zero once it succeeded). */
export interface RemovalReport {
  readonly found: DistrictHoldings;
  readonly left: DistrictHoldings;
  /** The ids of the keys deleted: their usage keys are the API Gateway side's to delete (UsagePlanKeys). */
  readonly keyIds: readonly string[];
  /** Deletion passes made: more than one when writes in flight landed after the first. */
  readonly passes: number;
}

type Key = { readonly pk: string; readonly sk: string };

/** What one look at the table found of a district, with the keys of every item to delete. */
interface Inventory {
  readonly partition: Key[];
  readonly ledger: Key[];
  readonly keys: Key[];
  readonly keyIds: string[];
  readonly subscriberIds: string[];
}

/** BatchWriteItem's limit. */
const BATCH_WRITE_ITEMS = 25;
/** Deletion passes before a removal gives up on writes that keep arriving. */
const MAX_PASSES = 5;
/** Pause between passes, for writes in flight to land. */
const PASS_PAUSE_MS = 2_000;

export class DistrictRemoval {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
    private readonly pauseMs: number = PASS_PAUSE_MS,
  ) {}

  /** Counts what the table holds of a district, without changing anything. */
  async count(districtId: string): Promise<DistrictHoldings> {
    return holdings(await this.inventory(districtId, []));
  }

  /**
   * Revokes the district's keys, deletes every item it has, and counts again until nothing is left.
   * @param onPass told after each deletion pass what it deleted
   */
  async remove(districtId: string, onPass?: (deleted: DistrictHoldings) => void): Promise<RemovalReport> {
    const first = await this.inventory(districtId, []);
    const store = new KeyStore(this.tableName, this.client);
    for (const keyId of first.keyIds) await store.revoke(keyId, districtId);

    // subscribers deleted by an earlier pass are still known by id, for their ledgers
    const subscriberIds = new Set(first.subscriberIds);
    const keyIds = new Set(first.keyIds);
    let inventory = first;
    let passes = 0;
    while (passes < MAX_PASSES) {
      passes += 1;
      await this.deleteAll(inventory.ledger);
      const districtItem = inventory.partition.filter((key) => key.sk === 'DISTRICT');
      await this.deleteAll(inventory.partition.filter((key) => key.sk !== 'DISTRICT'));
      await this.deleteAll(districtItem);
      await this.deleteAll(inventory.keys);
      onPass?.(holdings(inventory));
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      inventory = await this.inventory(districtId, [...subscriberIds]);
      for (const id of inventory.subscriberIds) subscriberIds.add(id);
      for (const id of inventory.keyIds) keyIds.add(id);
      if (isEmpty(inventory)) break;
    }
    return { found: holdings(first), left: holdings(inventory), keyIds: [...keyIds], passes };
  }

  private async inventory(districtId: string, knownSubscriberIds: readonly string[]): Promise<Inventory> {
    const partition = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': districtPartition(districtId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    const subscriberIds = new Set(knownSubscriberIds);
    for (const { sk } of partition) {
      if (String(sk).startsWith(SUBSCRIBER_PREFIX))
        subscriberIds.add(String(sk).slice(SUBSCRIBER_PREFIX.length));
    }
    const ledger: Record<string, unknown>[] = [];
    for (const subscriberId of subscriberIds) {
      ledger.push(
        ...(await queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ledgerPartition(subscriberId) },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
        })),
      );
    }
    const keys = await this.keyItems(districtId);
    return {
      partition: partition.map(keyOf),
      ledger: ledger.map(keyOf),
      keys: keys.map(keyOf),
      keyIds: keys.map((item) => String(item.keyId)),
      subscriberIds: [...subscriberIds],
    };
  }

  /** The district's key items, by a Scan of the key partitions (see the module comment). */
  private async keyItems(districtId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :prefix) AND districtId = :districtId',
          ExpressionAttributeValues: { ':prefix': KEY_PARTITION_PREFIX, ':districtId': districtId },
          ProjectionExpression: 'pk, sk, keyId',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Deletes the items. */
  private deleteAll(keys: readonly Key[]): Promise<void> {
    return writeInBatches(
      this.client,
      this.tableName,
      keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
    );
  }
}

/** A put or a delete of one item, as BatchWriteItem takes it. */
export type WriteRequest =
  | { readonly DeleteRequest: { readonly Key: Key } }
  | { readonly PutRequest: { readonly Item: Record<string, unknown> } };

/**
 * Sends the requests to `tableName`, 25 to a BatchWriteItem, sending again what DynamoDB left unprocessed after a
 * growing pause. Also what a district restore (district-restore.ts) writes its district back with.
 */
export async function writeInBatches(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH_WRITE_ITEMS) {
    let pending = requests.slice(start, start + BATCH_WRITE_ITEMS);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
      const { UnprocessedItems: unprocessed } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (unprocessed?.[tableName] ?? []) as WriteRequest[];
    }
  }
}

const keyOf = (item: Record<string, unknown>): Key => ({ pk: String(item.pk), sk: String(item.sk) });

function holdings(inventory: Inventory): DistrictHoldings {
  return {
    districtItems: inventory.partition.length,
    ledgerItems: inventory.ledger.length,
    keys: inventory.keys.length,
  };
}

const isEmpty = (inventory: Inventory) =>
  inventory.partition.length === 0 && inventory.ledger.length === 0 && inventory.keys.length === 0;
