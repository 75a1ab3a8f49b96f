/**
 * What one DynamoDB request costs in write and read units on an on-demand table, from the sizes of the items it
 * touches (item-size.ts) and the rules of each operation.
 *
 * A write is charged on the larger of the item before and after it, which the request alone does not tell: an
 * update names a few attributes, a put may replace a larger item. The meter reads the items it is about to write
 * just before the request (one strongly consistent BatchGetItem on an uncounted client) and, for updates, just
 * after it. That is exact for the request as DynamoDB sees it, except for a write by someone else to the same item
 * in between, which moves an item's size by a counter's digits, not across a KB. `ReturnValues` would tell the
 * same without the extra reads, but only by changing the request the code under measurement makes.
 *
 * - PutItem, UpdateItem, DeleteItem: units of the larger image (a failed condition: of the item as it is);
 * - BatchWriteItem: each item on its own, the unprocessed ones not at all;
 * - TransactWriteItems: each action doubled, ConditionCheck as a write of the item it checks; a cancelled
 *   transaction is charged on the items as they were (its prepare phase ran on every one of them);
 * - a write that puts, moves or removes an item's key in a global secondary index (projection ALL here) costs the
 *   index a write of the item too, not doubled in a transaction, and two when the key moved;
 * - GetItem, BatchGetItem: per item, rounded on its own; Query, Scan: the sizes summed before rounding. A
 *   projection or a filter does not lower the charge: such a read is repeated without them on the uncounted client
 *   to size what DynamoDB read; an index read is always eventually consistent.
 */
import {
  BatchGetItemCommand,
  type DynamoDBClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { itemSize, readUnits, type WireItem, writeUnits } from './item-size';

/** The table's key and its indexes' keys, by attribute name. */
export interface KeySchema {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly { readonly partitionKey: string; readonly sortKey: string }[];
}

/** What one request cost. */
export interface Metered {
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly itemsWritten: number;
  readonly bytesWritten: number;
  readonly itemsRead: number;
  readonly bytesRead: number;
}

/** No units, items or bytes: what a request that metered nothing adds. */
export const NOTHING: Metered = {
  writeUnits: 0,
  readUnits: 0,
  itemsWritten: 0,
  bytesWritten: 0,
  itemsRead: 0,
  bytesRead: 0,
};

/** One item a write touches: its table and key, what it becomes (a put's item), how it is charged. */
interface WriteTarget {
  readonly table: string;
  readonly key: WireItem;
  readonly kind: 'put' | 'update' | 'delete' | 'check';
  readonly item?: WireItem;
  /** The write's condition, which tells for some that no item was there when they succeed. */
  readonly condition?: string;
}

/** Items read around a write, by table and key. */
type Images = Map<string, WireItem | undefined>;

const BATCH_GET_KEYS = 100;

export class DynamoDbMeter {
  constructor(
    /** Reads the items around writes; its own requests are not counted. */
    private readonly probe: DynamoDBClient,
    private readonly schema: KeySchema,
  ) {}

  /** Runs the request (`send`, which resolves to its answer in the wire format) and meters it. */
  async measure<T>(
    operation: string,
    input: Record<string, unknown>,
    send: () => Promise<{ readonly result: T; readonly wire: WireOutput }>,
  ): Promise<Measured<T>> {
    const targets = writeTargets(operation, input);
    if (targets) return this.measureWrite(operation, targets, send);
    try {
      const { result, wire } = await send();
      return { ok: true, result, metered: await this.meterRead(operation, input, wire) };
    } catch (error) {
      // a read that failed (throttled, invalid) consumed nothing
      return { ok: false, error, metered: NOTHING };
    }
  }

  private async measureWrite<T>(
    operation: string,
    targets: readonly WriteTarget[],
    send: () => Promise<{ readonly result: T; readonly wire: WireOutput }>,
  ): Promise<Measured<T>> {
    const before = await this.read(targets.filter((target) => !this.createsOnly(target)));
    let answer: { readonly result: T; readonly wire: WireOutput };
    try {
      answer = await send();
    } catch (error) {
      // a failed condition or a cancelled transaction still costs the units of the items as they are
      const found = await this.read(targets.filter((target) => this.createsOnly(target)));
      return {
        ok: false,
        error,
        metered: this.failedWrite(operation, targets, new Map([...before, ...found])),
      };
    }
    const unprocessed = this.unprocessedKeys(answer.wire.unprocessed);
    const done = targets.filter((target) => !unprocessed.has(this.imageKey(target.table, target.key)));
    const after = await this.read(done.filter((target) => target.kind === 'update'));
    const transactional = operation === 'TransactWriteItems';
    let metered = NOTHING;
    for (const target of done) {
      const old = before.get(this.imageKey(target.table, target.key));
      const now =
        target.kind === 'put'
          ? target.item
          : target.kind === 'update'
            ? after.get(this.imageKey(target.table, target.key))
            : target.kind === 'check'
              ? old
              : undefined;
      const bytes = Math.max(sizeOf(old), sizeOf(now));
      const indexUnits = target.kind === 'check' ? 0 : this.indexWriteUnits(old, now);
      metered = add(metered, {
        ...NOTHING,
        writeUnits: writeUnits(bytes, transactional) + indexUnits,
        itemsWritten: target.kind === 'check' ? 0 : 1,
        bytesWritten: target.kind === 'check' || target.kind === 'delete' ? 0 : sizeOf(now),
      });
    }
    return { ok: true, result: answer.result, metered };
  }

  /**
   * Whether a write succeeds only where no item is (`attribute_not_exists` of the partition key): its item before
   * is then known to be none without reading it, which keeps the meter off the path of most writes.
   */
  private createsOnly(target: WriteTarget): boolean {
    return target.kind === 'put' && target.condition === `attribute_not_exists(${this.schema.partitionKey})`;
  }

  private failedWrite(operation: string, targets: readonly WriteTarget[], before: Images): Metered {
    const transactional = operation === 'TransactWriteItems';
    const writeUnitsCharged = targets.reduce(
      (sum, target) =>
        sum + writeUnits(sizeOf(before.get(this.imageKey(target.table, target.key))), transactional),
      0,
    );
    return { ...NOTHING, writeUnits: writeUnitsCharged };
  }

  /** Index writes of one item write: a write where its key is (or was), two where it moved. */
  private indexWriteUnits(old: WireItem | undefined, now: WireItem | undefined): number {
    let units = 0;
    for (const index of this.schema.indexes) {
      const oldKey = old && indexKeyOf(old, index);
      const newKey = now && indexKeyOf(now, index);
      if (oldKey && newKey && oldKey === newKey) units += writeUnits(Math.max(sizeOf(old), sizeOf(now)));
      else {
        if (oldKey) units += writeUnits(sizeOf(old));
        if (newKey) units += writeUnits(sizeOf(now));
      }
    }
    return units;
  }

  private async meterRead(operation: string, input: Record<string, unknown>, output: WireOutput) {
    switch (operation) {
      case 'GetItem': {
        const consistent = input.ConsistentRead === true;
        const table = String(input.TableName);
        const key = input.Key as WireItem;
        const item = input.ProjectionExpression
          ? (await this.read([{ table, key, kind: 'check' }])).get(this.imageKey(table, key))
          : output.item;
        return readOf([sizeOf(item)], consistent, false);
      }
      case 'BatchGetItem':
        return this.meterBatchGet(input, output);
      case 'Query':
      case 'Scan':
        return this.meterQuery(operation, input, output);
      default:
        return NOTHING;
    }
  }

  private async meterBatchGet(input: Record<string, unknown>, output: WireOutput): Promise<Metered> {
    const requested = input.RequestItems as Record<
      string,
      { Keys: WireItem[]; ConsistentRead?: boolean; ProjectionExpression?: string }
    >;
    const unprocessed = this.unprocessedKeys(output.unprocessed);
    let metered = NOTHING;
    for (const [table, request] of Object.entries(requested)) {
      const keys = request.Keys.filter((key) => !unprocessed.has(this.imageKey(table, key)));
      const sizes = request.ProjectionExpression
        ? [...(await this.read(keys.map((key) => ({ table, key, kind: 'check' as const })))).values()].map(
            sizeOf,
          )
        : (output.responses?.[table] ?? []).map(itemSize);
      // keys of missing items cost a read each, as a present item of no size would
      const missing = keys.length - sizes.length;
      metered = add(
        metered,
        readOf(
          [...sizes, ...Array<number>(Math.max(0, missing)).fill(0)],
          request.ConsistentRead === true,
          false,
        ),
      );
    }
    return metered;
  }

  private async meterQuery(operation: string, input: Record<string, unknown>, output: WireOutput) {
    const narrowed = input.ProjectionExpression || input.FilterExpression || input.Select;
    const items = narrowed ? await this.readAsDynamoDbDid(operation, input) : (output.items ?? []);
    const consistent = input.ConsistentRead === true && input.IndexName === undefined;
    return readOf([items.reduce((sum, item) => sum + itemSize(item), 0)], consistent, true, items.length);
  }

  /** The items a narrowed Query or Scan read: the same page, without the projection and the filter. */
  private async readAsDynamoDbDid(operation: string, input: Record<string, unknown>): Promise<WireItem[]> {
    const page: Record<string, unknown> & { TableName: string } = {
      ...input,
      TableName: String(input.TableName),
    };
    for (const narrowing of ['ProjectionExpression', 'FilterExpression', 'Select']) delete page[narrowing];
    // a name or value only the dropped expressions used must go too, or DynamoDB refuses the request
    const kept = String(input.KeyConditionExpression ?? '');
    const used = (name: string) => kept.includes(name);
    page.ExpressionAttributeNames = pick({ ...(input.ExpressionAttributeNames as object) }, used);
    page.ExpressionAttributeValues = pick({ ...(input.ExpressionAttributeValues as object) }, used);
    const { Items = [] } =
      operation === 'Query'
        ? await this.probe.send(new QueryCommand(page))
        : await this.probe.send(new ScanCommand(page));
    return Items as WireItem[];
  }

  /** Reads the items of the targets as they are now, strongly consistent, keyed by table and key. */
  private async read(targets: readonly WriteTarget[]): Promise<Images> {
    const images: Images = new Map();
    const wanted = new Map<string, WriteTarget>();
    for (const target of targets) wanted.set(this.imageKey(target.table, target.key), target);
    const pending = [...wanted.values()];
    for (let start = 0; start < pending.length; start += BATCH_GET_KEYS) {
      let request: Record<string, { Keys: WireItem[]; ConsistentRead: true }> | undefined = {};
      for (const target of pending.slice(start, start + BATCH_GET_KEYS)) {
        const byTable = request[target.table] ?? { Keys: [], ConsistentRead: true };
        byTable.Keys.push(this.keyOf(target.key));
        request[target.table] = byTable;
      }
      while (request && Object.keys(request).length > 0) {
        const answer = await this.probe.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const [table, items] of Object.entries(answer.Responses ?? {})) {
          for (const item of items) images.set(this.imageKey(table, item), item);
        }
        request = answer.UnprocessedKeys as typeof request;
      }
    }
    return images;
  }

  /** The key attributes of an item (a put's item names its key by carrying it). */
  private keyOf(item: WireItem): WireItem {
    const { partitionKey, sortKey } = this.schema;
    return Object.fromEntries(
      [partitionKey, sortKey].flatMap((name) => (item[name] ? [[name, item[name]]] : [])),
    );
  }

  /** A stable name of an item (or of its key): its table and its key's values. */
  private imageKey(table: string, item: WireItem): string {
    const { partitionKey, sortKey } = this.schema;
    return JSON.stringify([table, item[partitionKey], item[sortKey]]);
  }

  /** Table and key of the unprocessed requests of a batch answer. */
  private unprocessedKeys(unprocessed: Record<string, unknown> | undefined): Set<string> {
    const keys = new Set<string>();
    for (const [table, entry] of Object.entries(unprocessed ?? {})) {
      const requests = Array.isArray(entry)
        ? (entry as { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }[]).map(
            (request) => request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {},
          )
        : ((entry as { Keys?: WireItem[] }).Keys ?? []);
      for (const key of requests) keys.add(this.imageKey(table, key));
    }
    return keys;
  }
}

/** A metered request: its answer or its error, and what it cost either way. */
export type Measured<T> =
  | { readonly ok: true; readonly result: T; readonly metered: Metered }
  | { readonly ok: false; readonly error: unknown; readonly metered: Metered };

/** The parts of an answer the meter reads, in the wire format. */
export interface WireOutput {
  readonly item?: WireItem;
  readonly items?: WireItem[];
  readonly responses?: Record<string, WireItem[]>;
  /** BatchWriteItem's UnprocessedItems or BatchGetItem's UnprocessedKeys. */
  readonly unprocessed?: Record<string, unknown>;
}

/** The items a write request touches; undefined for a request that writes nothing. */
function writeTargets(operation: string, input: Record<string, unknown>): WriteTarget[] | undefined {
  const table = String(input.TableName);
  switch (operation) {
    case 'PutItem':
      return [putTarget(table, input as { Item: WireItem; ConditionExpression?: string })];
    case 'UpdateItem':
      return [{ table, key: input.Key as WireItem, kind: 'update' }];
    case 'DeleteItem':
      return [{ table, key: input.Key as WireItem, kind: 'delete' }];
    case 'BatchWriteItem':
      return Object.entries(
        input.RequestItems as Record<
          string,
          { PutRequest?: { Item: WireItem }; DeleteRequest?: { Key: WireItem } }[]
        >,
      ).flatMap(([name, requests]) =>
        requests.map(
          (request): WriteTarget =>
            request.PutRequest
              ? putTarget(name, request.PutRequest)
              : { table: name, key: request.DeleteRequest?.Key ?? {}, kind: 'delete' },
        ),
      );
    case 'TransactWriteItems':
      return (input.TransactItems as TransactItem[]).map(transactTarget);
    default:
      return undefined;
  }
}

function putTarget(table: string, put: { Item: WireItem; ConditionExpression?: string }): WriteTarget {
  return { table, key: put.Item, kind: 'put', item: put.Item, condition: put.ConditionExpression };
}

interface TransactItem {
  readonly Put?: { TableName: string; Item: WireItem; ConditionExpression?: string };
  readonly Update?: { TableName: string; Key: WireItem };
  readonly Delete?: { TableName: string; Key: WireItem };
  readonly ConditionCheck?: { TableName: string; Key: WireItem };
}

function transactTarget(action: TransactItem): WriteTarget {
  if (action.Put) return putTarget(action.Put.TableName, action.Put);
  if (action.Update) return { table: action.Update.TableName, key: action.Update.Key, kind: 'update' };
  if (action.Delete) return { table: action.Delete.TableName, key: action.Delete.Key, kind: 'delete' };
  const check = action.ConditionCheck as NonNullable<TransactItem['ConditionCheck']>;
  return { table: check.TableName, key: check.Key, kind: 'check' };
}

function indexKeyOf(item: WireItem, index: KeySchema['indexes'][number]): string | undefined {
  const partition = item[index.partitionKey];
  const sort = item[index.sortKey];
  return partition && sort ? JSON.stringify([partition, sort]) : undefined;
}

const sizeOf = (item: WireItem | undefined) => (item ? itemSize(item) : 0);

/** Reads of items of these sizes: each rounded on its own, or (`summed`) all together. */
function readOf(
  sizes: readonly number[],
  consistent: boolean,
  summed: boolean,
  items = sizes.length,
): Metered {
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  const units = summed
    ? readUnits(bytes, consistent)
    : sizes.reduce((sum, size) => sum + readUnits(size, consistent), 0);
  return { ...NOTHING, readUnits: units, itemsRead: items, bytesRead: bytes };
}

function add(a: Metered, b: Metered): Metered {
  return {
    writeUnits: a.writeUnits + b.writeUnits,
    readUnits: a.readUnits + b.readUnits,
    itemsWritten: a.itemsWritten + b.itemsWritten,
    bytesWritten: a.bytesWritten + b.bytesWritten,
    itemsRead: a.itemsRead + b.itemsRead,
    bytesRead: a.bytesRead + b.bytesRead,
  };
}

function pick<T>(record: Record<string, T>, keep: (name: string) => boolean): Record<string, T> | undefined {
  const kept = Object.entries(record).filter(([name]) => keep(name));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
