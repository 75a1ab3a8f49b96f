/**
 * Putting one district back as a restored copy of the table holds it. DynamoDB restores a point in time only into
 * a new table, so the district's partition is copied from that copy into the live table: the restored items that
 * are missing or different are written, the live items the copy lacks are deleted, the equal ones are left alone.
 *
 * What is copied, and what is not:
 * - the district's data (submissions, milestones), its district and framework items, and its metrics (counters
 *   and unit states). The metrics are copied too because they are a union of every fact ever folded in: a rebuild
 *   adds the facts of the stored items but never takes one away, so a void or a submission made after the restore
 *   point would stay counted if only the data went back. The copy's metrics match the copy's data (up to the
 *   pipeline's lag at that moment), and the caller's rebuild afterwards folds in whatever that lag left out;
 * - its subscribers and their e-mail items only when asked (`withSubscribers`). Otherwise the live ones stay as
 *   they are: they hold the subscribers' own choices and SES's verdicts since the restore point (unsubscribes,
 *   bounces, complaints), which a restore must not undo. When they are restored, the digest ledger entries of the
 *   restored subscribers that the live table lacks are added back, and no live entry is changed or deleted: each
 *   one records a digest that was sent, which no restore makes unsent;
 * - never its API keys (`KEY#…`, found by district only with a Scan): they are access, not data, and a restore
 *   must not bring back a key revoked since, nor delete one issued since.
 *
 * The writes go in an order that keeps the metrics worker, which sees them through the table's stream, harmless:
 * the data first, so that a framework change written next makes the worker rebuild from restored data; the
 * metrics last, replacing whatever the worker folded into the damaged ones meanwhile. A district that comes back
 * (removed since, no framework live) gets its district and framework first instead: its data's changes need the
 * framework to score learners, and a framework that did not exist starts no rebuild. Each restored submission or
 * milestone the worker then applies is a fact the restored metrics hold already. What this cannot undo is a
 * change of the damage still queued for the worker when the copy runs: it would be folded into the restored
 * metrics again. Running the restore again once the queue has drained puts them right.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../runtime/clients';
import { ledgerPartition } from './digest-ledger';
import { writeInBatches } from './district-removal';
import { counterSortKey, districtPartition, keys, queryAll, SUBSCRIBER_PREFIX, stateSortKey } from './table';

/** An item as the document client reads it. */
export type StoredItem = Record<string, unknown>;

export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** The parts of a district's partition. */
export type RestorePart = 'data' | 'district' | 'subscribers' | 'metrics';

/** The orders a restore writes the parts in (module comment): the data first, unless the district comes back. */
const WRITE_ORDER: readonly RestorePart[] = ['data', 'district', 'subscribers', 'metrics'];
const WRITE_ORDER_COMING_BACK: readonly RestorePart[] = ['district', 'data', 'subscribers', 'metrics'];

/** What one step of a restore writes: the restored items to put, the live items to delete. */
export interface RestoreStep {
  /** A part of the partition, or `ledger`: the digest ledger entries added back for restored subscribers. */
  readonly part: RestorePart | 'ledger';
  readonly puts: readonly StoredItem[];
  readonly deletes: readonly TableKey[];
}

/** What a restore of a district would do, counted, before it does anything. */
export interface RestoreCounts {
  /** Whether the restored copy holds the district item: without it, the copy predates the district. */
  readonly restoredDistrict: boolean;
  /** Whether the live table holds it now: without it, the district was removed, its keys with it. */
  readonly liveDistrict: boolean;
  /** Items of the district's partition in the restored copy that the restore puts back. */
  readonly restoredItems: number;
  /** Items of the partition in the live table now that the restore replaces. */
  readonly liveItems: number;
  /** Restored items missing from the live table or different there: written. */
  readonly writes: number;
  /** Live items that the restored copy lacks: deleted. */
  readonly deletes: number;
  /** Items equal in both: left alone. */
  readonly unchanged: number;
  /** Live subscriber and subscriber e-mail items left as they are (0 when subscribers are restored). */
  readonly subscribersKept: number;
  /** Digest ledger entries of restored subscribers that the live table lacks: added. */
  readonly ledgerEntries: number;
}

export interface DistrictRestorePlan {
  readonly districtId: string;
  readonly counts: RestoreCounts;
  /** In the order they must be applied. */
  readonly steps: readonly RestoreStep[];
}

export interface RestorePlanOptions {
  /** Restore the subscribers (and add back their missing ledger entries) instead of keeping the live ones. */
  readonly withSubscribers?: boolean;
}

/**
 * The sort-key prefixes of each kind of item, taken from the key builders of table.ts so that they cannot drift
 * from the key design.
 */
const PREFIXES = {
  data: [keys.submission('', '').sk, keys.milestone('', '').sk],
  metrics: [counterSortKey(''), stateSortKey('')],
  subscribers: [SUBSCRIBER_PREFIX, keys.subscriberEmail({ kind: 'state' }, '').sk],
} as const;

/** Which part of the partition an item belongs to, by its sort key. */
export function restorePartOf(sk: string): RestorePart {
  for (const part of ['data', 'metrics', 'subscribers'] as const) {
    if (PREFIXES[part].some((prefix) => sk.startsWith(prefix))) return part;
  }
  return 'district';
}

export class DistrictRestore {
  /**
   * @param liveTable the table the platform runs on, which the restore writes
   * @param restoredTable the restored copy, which is only read
   */
  constructor(
    private readonly liveTable: string,
    private readonly restoredTable: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /** Reads the district in both tables and works out what a restore would write and delete; changes nothing. */
  async plan(districtId: string, options: RestorePlanOptions = {}): Promise<DistrictRestorePlan> {
    const withSubscribers = options.withSubscribers ?? false;
    const covered = (item: StoredItem) => withSubscribers || restorePartOf(String(item.sk)) !== 'subscribers';
    const restored = await this.partition(this.restoredTable, districtId);
    const liveAll = await this.partition(this.liveTable, districtId);
    const live = new Map(liveAll.filter(covered).map((item) => [String(item.sk), item]));
    const restoredCovered = restored.filter(covered);
    const restoredKeys = new Set(restoredCovered.map((item) => String(item.sk)));
    const isDistrictItem = (item: StoredItem) => item.sk === keys.district(districtId).sk;

    const steps: RestoreStep[] = [];
    let unchanged = 0;
    const framework = keys.framework(districtId).sk;
    const comingBack = !liveAll.some((item) => item.sk === framework);
    for (const part of comingBack ? WRITE_ORDER_COMING_BACK : WRITE_ORDER) {
      const inPart = (item: StoredItem) => restorePartOf(String(item.sk)) === part;
      const puts = restoredCovered.filter(inPart).filter((item) => {
        const same = isDeepStrictEqual(item, live.get(String(item.sk)));
        if (same) unchanged += 1;
        return !same;
      });
      const deletes = [...live.values()]
        .filter(inPart)
        .filter((item) => !restoredKeys.has(String(item.sk)))
        .map(keyOf);
      if (puts.length > 0 || deletes.length > 0) steps.push({ part, puts, deletes });
    }

    const ledger = withSubscribers ? await this.missingLedgerEntries(restoredCovered) : [];
    if (ledger.length > 0) steps.push({ part: 'ledger', puts: ledger, deletes: [] });

    return {
      districtId,
      counts: {
        restoredDistrict: restored.some(isDistrictItem),
        liveDistrict: liveAll.some(isDistrictItem),
        restoredItems: restoredCovered.length,
        liveItems: live.size,
        writes: steps
          .filter((step) => step.part !== 'ledger')
          .reduce((sum, step) => sum + step.puts.length, 0),
        deletes: steps.reduce((sum, step) => sum + step.deletes.length, 0),
        unchanged,
        subscribersKept: liveAll.length - live.size,
        ledgerEntries: ledger.length,
      },
      steps,
    };
  }

  /**
   * Applies a plan's steps in their order, each one's deletions before its writes.
   * @param onStep told after each step what it wrote and deleted
   */
  async apply(plan: DistrictRestorePlan, onStep?: (step: RestoreStep) => void): Promise<void> {
    for (const step of plan.steps) {
      await writeInBatches(
        this.client,
        this.liveTable,
        step.deletes.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
      );
      await writeInBatches(
        this.client,
        this.liveTable,
        step.puts.map((item) => ({ PutRequest: { Item: item } })),
      );
      onStep?.(step);
    }
  }

  /** Every item of the district's partition in `tableName`, read consistently. */
  private partition(tableName: string, districtId: string): Promise<StoredItem[]> {
    return queryAll(this.client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': districtPartition(districtId) },
      ConsistentRead: true,
    });
  }

  /** The ledger entries of the restored subscribers that the live table lacks. */
  private async missingLedgerEntries(restored: readonly StoredItem[]): Promise<StoredItem[]> {
    const subscriberIds = restored
      .map((item) => String(item.sk))
      .filter((sk) => sk.startsWith(SUBSCRIBER_PREFIX))
      .map((sk) => sk.slice(SUBSCRIBER_PREFIX.length));
    const missing: StoredItem[] = [];
    for (const subscriberId of subscriberIds) {
      const query = (tableName: string) =>
        queryAll(this.client, {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ledgerPartition(subscriberId) },
          ConsistentRead: true,
        });
      const live = new Set((await query(this.liveTable)).map((item) => String(item.sk)));
      missing.push(...(await query(this.restoredTable)).filter((item) => !live.has(String(item.sk))));
    }
    return missing;
  }
}

const keyOf = (item: StoredItem): TableKey => ({ pk: String(item.pk), sk: String(item.sk) });
