/**
 * What a conformance run leaves behind, removed: through the API, everything the API can remove (each district's
 * milestones and subscribers; its keys revoked); with an ops target, the whole districts through the ops CLI's
 * `districts remove` and the state-wide subscribers through the table. Then what is left is counted: nothing, with
 * an ops target; without one, the run's districts (emptied, their keys revoked) and state-wide subscribers.
 *
 * A run's districts are found by the run's prefix in the API's list and in the run's ledger (ledger.ts), which
 * also holds the key ids no route lists.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../shared/contract/generated/api-types';
import { ledgerPartition } from '../../shared/store/digest-ledger';
import { writeInBatches } from '../../shared/store/district-removal';
import { SubscriberStore } from '../../shared/store/subscribers';
import { queryAll } from '../../shared/store/table';
import { runOps } from '../support/ops';
import type { Ledger } from './ledger';
import { type OpsTarget, opsTargetOptions, withTargetTable } from './ops-target';
import { retryingThrottled } from './throttle-retry';

export interface CleanupOptions {
  readonly apiUrl: string;
  readonly stateKey: string;
  /** Every district id of the run starts with it. */
  readonly prefix: string;
  readonly ledger: Ledger;
  /** Where the districts and state-wide subscribers can be removed; without it they stay. */
  readonly opsTarget: OpsTarget | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** Told of each step, for the operator to follow. */
  readonly progress: (line: string) => void;
}

export interface CleanupReport {
  /** The run's districts found. */
  readonly districts: readonly string[];
  readonly milestonesRemoved: number;
  readonly subscribersRemoved: number;
  readonly keysRevoked: number;
  /** Districts deleted whole by `districts remove`. */
  readonly districtsRemoved: number;
  readonly stateSubscribersRemoved: number;
  /** What the final count found. */
  readonly left: {
    readonly districts: readonly string[];
    readonly stateSubscribers: readonly string[];
  };
  /** What went wrong on the way, one line each; empty when every step did what it should. */
  readonly problems: readonly string[];
}

type Api = Client<paths>;

/** The API's largest page. */
const PAGE = 100;
/** District removals run at once. */
const REMOVALS_AT_ONCE = 4;

export async function cleanUp(options: CleanupOptions): Promise<CleanupReport> {
  const api = createClient<paths>({
    baseUrl: options.apiUrl,
    headers: { authorization: `Bearer ${options.stateKey}` },
    fetch: retryingThrottled(globalThis.fetch, options.apiUrl),
  });
  const problems: string[] = [];
  const listed = await runDistricts(api, options.prefix);
  const districts = [...new Set([...listed, ...options.ledger.districtIds])].sort();
  let milestonesRemoved = 0;
  let subscribersRemoved = 0;
  let keysRevoked = 0;
  for (const districtId of districts) {
    const emptied = await emptyDistrict(api, districtId, options.ledger.keys.get(districtId) ?? new Set());
    milestonesRemoved += emptied.milestones;
    subscribersRemoved += emptied.subscribers;
    keysRevoked += emptied.keys;
    problems.push(...emptied.problems);
  }
  options.progress(
    `emptied ${districts.length} districts through the API: ${milestonesRemoved} milestones and ` +
      `${subscribersRemoved} subscribers removed, ${keysRevoked} keys revoked`,
  );

  let districtsRemoved = 0;
  let stateSubscribersRemoved = 0;
  const stateSubscribers = [...options.ledger.stateSubscriberIds];
  if (options.opsTarget) {
    // districts the API no longer lists have nothing left to remove; a removal pauses between its passes (for
    // writes in flight), so a few run at once
    const pending = await runDistricts(api, options.prefix);
    const opsTarget = options.opsTarget;
    const removeNext = async () => {
      for (let districtId = pending.shift(); districtId; districtId = pending.shift()) {
        const outcome = await removeDistrict(districtId, opsTarget, options.env);
        if (outcome === 'removed') districtsRemoved += 1;
        else problems.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: REMOVALS_AT_ONCE }, removeNext));
    options.progress(`removed ${districtsRemoved} districts whole (npm run ops -- districts remove)`);
    const removed = await removeStateSubscribers(stateSubscribers, options.opsTarget, options.env);
    stateSubscribersRemoved = removed.removed;
    problems.push(...removed.problems);
  }

  const leftDistricts = await runDistricts(api, options.prefix);
  const leftStateSubscribers = options.opsTarget
    ? await presentStateSubscribers(stateSubscribers, options.opsTarget, options.env)
    : stateSubscribers;
  if (options.opsTarget && (leftDistricts.length > 0 || leftStateSubscribers.length > 0)) {
    problems.push('the final count found what the ops target should have removed');
  }
  return {
    districts,
    milestonesRemoved,
    subscribersRemoved,
    keysRevoked,
    districtsRemoved,
    stateSubscribersRemoved,
    left: { districts: leftDistricts, stateSubscribers: leftStateSubscribers },
    problems,
  };
}

/** The districts the API lists whose id starts with `prefix`, following every page. */
async function runDistricts(api: Api, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.GET('/v1/districts', { params: { query: { limit: PAGE, nextToken } } });
    if (!page.data) throw new Error(`listing the districts failed: ${page.response.status}`);
    found.push(...page.data.items.map((d) => d.districtId).filter((id) => id.startsWith(prefix)));
    nextToken = page.data.nextToken;
  } while (nextToken);
  return found;
}

/** Removes a district's milestones and subscribers and revokes its keys, through the API. */
async function emptyDistrict(api: Api, districtId: string, keyIds: ReadonlySet<string>) {
  const problems: string[] = [];
  const path = { districtId };
  const expect204 = (what: string, response: Response) => {
    if (response.status === 204) return 1;
    problems.push(`${what} of district ${districtId}: answered ${response.status}`);
    return 0;
  };

  let milestones = 0;
  for (const milestoneId of await listIds(api, districtId, 'milestones')) {
    const { response } = await api.DELETE('/v1/districts/{districtId}/milestones/{milestoneId}', {
      params: { path: { ...path, milestoneId } },
    });
    milestones += expect204(`removing milestone ${milestoneId}`, response);
  }
  let subscribers = 0;
  for (const subscriberId of await listIds(api, districtId, 'subscribers')) {
    const { response } = await api.DELETE('/v1/districts/{districtId}/subscribers/{subscriberId}', {
      params: { path: { ...path, subscriberId } },
    });
    subscribers += expect204(`removing subscriber ${subscriberId}`, response);
  }
  let keys = 0;
  for (const keyId of keyIds) {
    const { response } = await api.DELETE('/v1/districts/{districtId}/keys/{keyId}', {
      params: { path: { ...path, keyId } },
    });
    // a district removed by a test itself has no key left to revoke
    if (response.status !== 404) keys += expect204(`revoking key ${keyId}`, response);
  }
  return { milestones, subscribers, keys, problems };
}

/** The ids of a district's milestones or subscribers, every page; none when the district is gone. */
async function listIds(api: Api, districtId: string, list: 'milestones' | 'subscribers'): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const params = { params: { path: { districtId }, query: { limit: PAGE, nextToken } } };
    if (list === 'milestones') {
      const page = await api.GET('/v1/districts/{districtId}/milestones', params);
      if (!page.data) return ids;
      ids.push(...page.data.items.map((item) => item.milestoneId));
      nextToken = page.data.nextToken;
    } else {
      const page = await api.GET('/v1/districts/{districtId}/subscribers', params);
      if (!page.data) return ids;
      ids.push(...page.data.items.map((item) => item.subscriberId));
      nextToken = page.data.nextToken;
    }
  } while (nextToken);
  return ids;
}

/**
 * `npm run ops -- districts remove <districtId> --yes --json` on the target, in this process: 'removed' when it
 * counted nothing left, else the reason in a line.
 */
async function removeDistrict(districtId: string, target: OpsTarget, env: NodeJS.ProcessEnv) {
  const { global, command } = opsTargetOptions(target);
  const { code, stdout, stderr } = await runOps(
    [...global, 'districts', 'remove', districtId, '--yes', '--json', ...command],
    { env },
  );
  if (code !== 0) {
    const reason = stderr.split('\n').find((line) => line.startsWith('error:')) ?? stderr.trim();
    return `removing district ${districtId}: ${reason}`;
  }
  const { left } = JSON.parse(stdout) as { left: Record<string, number> };
  const count = Object.values(left).reduce((sum, n) => sum + n, 0);
  return count === 0 ? 'removed' : `removing district ${districtId}: ${count} items are left`;
}

/** Removes state-wide subscribers and the ledgers of digests they were sent, on the target's table. */
async function removeStateSubscribers(ids: readonly string[], target: OpsTarget, env: NodeJS.ProcessEnv) {
  if (ids.length === 0) return { removed: 0, problems: [] };
  return withTargetTable(target, env, async (tableName, client) => {
    const store = new SubscriberStore(tableName, client);
    const problems: string[] = [];
    let removed = 0;
    for (const subscriberId of ids) {
      // a digest the state's schedule sent it while the run went on left a ledger item
      await deleteLedger(client, tableName, subscriberId);
      if (!(await store.get({ kind: 'state' }, subscriberId))) continue;
      try {
        await store.remove({ kind: 'state' }, subscriberId);
        removed += 1;
      } catch (error) {
        problems.push(`removing state-wide subscriber ${subscriberId}: ${String(error)}`);
      }
    }
    return { removed, problems };
  });
}

async function deleteLedger(client: DynamoDBDocumentClient, tableName: string, subscriberId: string) {
  const items = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': ledgerPartition(subscriberId) },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  });
  await writeInBatches(
    client,
    tableName,
    items.map((item) => ({ DeleteRequest: { Key: { pk: String(item.pk), sk: String(item.sk) } } })),
  );
}

/** The state-wide subscribers among `ids` that the target's table still holds. */
async function presentStateSubscribers(ids: readonly string[], target: OpsTarget, env: NodeJS.ProcessEnv) {
  if (ids.length === 0) return [];
  return withTargetTable(target, env, async (tableName, client) => {
    const store = new SubscriberStore(tableName, client);
    const present: string[] = [];
    for (const subscriberId of ids) {
      if (await store.get({ kind: 'state' }, subscriberId)) present.push(subscriberId);
    }
    return present;
  });
}
