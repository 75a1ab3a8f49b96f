/**
 * The ledger of a conformance run: what its test workers created that cleanup could not find again through the
 * API. No route lists a district's keys, and no route lists or removes a state-wide subscriber, so their ids are
 * kept as the API handed them out; districts are kept too, so that cleanup finds one even if a listing misses
 * it. The workers append to one file, a JSON document a line (appends of a short line do not interleave).
 *
 * Entries are taken from the API's own answers, by a fetch wrapper around the test files' requests: a test file
 * records nothing itself, and a key made by any test, through any client, is on the ledger.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

const LedgerEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('district'), districtId: z.string(), keyId: z.string() }),
  z.object({ kind: z.literal('key'), districtId: z.string(), keyId: z.string() }),
  z.object({ kind: z.literal('state-subscriber'), subscriberId: z.string() }),
]);
type LedgerEntry = z.infer<typeof LedgerEntry>;

/** What a run created, by kind. */
export interface Ledger {
  readonly districtIds: ReadonlySet<string>;
  /** Key ids per district id, the district's first key included. */
  readonly keys: ReadonlyMap<string, ReadonlySet<string>>;
  readonly stateSubscriberIds: ReadonlySet<string>;
}

/**
 * Where a run's ledger is kept: named by the run id, so that `--clean-up <runId>` on the same machine finds the
 * ledger of a run that was interrupted or kept.
 */
export const ledgerPath = (runId: string) => join(tmpdir(), `vp-conformance-${runId}.jsonl`);

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a created thing's 201 answer holds, per route (the path after the API's base URL). */
const CREATING_ROUTES: readonly {
  readonly path: RegExp;
  readonly entry: (match: RegExpExecArray, body: Record<string, unknown>) => LedgerEntry;
}[] = [
  {
    path: /^\/v1\/districts$/,
    entry: (_, body) => ({
      kind: 'district',
      districtId: String(body.districtId),
      keyId: String(body.keyId),
    }),
  },
  {
    path: /^\/v1\/districts\/([^/]+)\/keys$/,
    entry: (match, body) => ({
      kind: 'key',
      districtId: decodeURIComponent(match[1] ?? ''),
      keyId: String(body.keyId),
    }),
  },
  {
    path: /^\/v1\/subscribers$/,
    entry: (_, body) => ({ kind: 'state-subscriber', subscriberId: String(body.subscriberId) }),
  },
];

/** `inner`, with every 201 of a creating route of the API at `baseUrl` appended to the ledger `file`. */
export function recordingCreations(inner: Fetch, baseUrl: string, file: string): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = input instanceof Request ? input.url : String(input);
    if (method !== 'POST' || response.status !== 201 || !url.startsWith(baseUrl)) return response;
    const path = new URL(url).pathname.slice(new URL(baseUrl).pathname.replace(/\/$/, '').length);
    for (const route of CREATING_ROUTES) {
      const match = route.path.exec(path);
      if (!match) continue;
      const body = (await response.clone().json()) as Record<string, unknown>;
      appendFileSync(file, `${JSON.stringify(route.entry(match, body))}\n`);
    }
    return response;
  };
}

/** The ledger in `file`; empty when nothing was recorded. */
export async function readLedger(file: string): Promise<Ledger> {
  const districtIds = new Set<string>();
  const keys = new Map<string, Set<string>>();
  const stateSubscriberIds = new Set<string>();
  const lines = existsSync(file) ? (await readFile(file, 'utf8')).split('\n') : [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const entry = LedgerEntry.parse(JSON.parse(line));
    if (entry.kind === 'state-subscriber') {
      stateSubscriberIds.add(entry.subscriberId);
      continue;
    }
    if (entry.kind === 'district') districtIds.add(entry.districtId);
    keys.set(entry.districtId, (keys.get(entry.districtId) ?? new Set()).add(entry.keyId));
  }
  return { districtIds, keys, stateSubscriberIds };
}
