/**
 * `.local/credentials.json`: how a developer or a script reaches the local API, with a real state key (the format
 * of shared/domain/api-keys.ts) whose record is in the local table. The key is kept across restarts so that saved
 * scripts and shells keep working; it is replaced when the file is missing or damaged, or when the table no
 * longer knows it (a fresh table, a revoked key).
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { type KeyScope, type NewKey, newKey, parseKey, secretMatches } from '../../shared/domain/api-keys';
import type { KeyRecord } from '../../shared/store/keys';

export const LocalCredentials = z.object({
  apiUrl: z.url(),
  stateKey: z.string().refine((key) => parseKey(key)?.kind === 'state', 'is not a state key'),
});
export type LocalCredentials = z.infer<typeof LocalCredentials>;

/** The part of the KeyStore the credentials need (the stack passes one on its own DynamoDB client). */
export interface KeyRecords {
  get(keyId: string): Promise<KeyRecord | undefined>;
  create(key: NewKey, scope: KeyScope): Promise<KeyRecord>;
}

/**
 * Returns the credentials in `file` when its state key is one the table holds, unrevoked, with that secret; its
 * `apiUrl` is brought up to date when the port changed. Otherwise makes a new state key, stores its record and
 * writes the file.
 */
export async function ensureCredentials(
  file: string,
  apiUrl: string,
  keys: KeyRecords,
): Promise<LocalCredentials> {
  const stored = existsSync(file) ? LocalCredentials.safeParse(await readJson(file)) : undefined;
  if (stored?.success && (await isLive(stored.data.stateKey, keys))) {
    if (stored.data.apiUrl === apiUrl) return stored.data;
    const updated = { ...stored.data, apiUrl };
    await writeCredentials(file, updated);
    return updated;
  }
  return (await issueStateKey(file, apiUrl, keys)).credentials;
}

/** A state key just made: the credentials written with it, and its id. */
export interface IssuedStateKey {
  readonly credentials: LocalCredentials;
  readonly keyId: string;
}

/**
 * Makes a new state key, stores its record and writes it with `apiUrl` to `file`, whatever the file held. A key
 * the file held before stays valid: a shell or script that still uses it keeps working.
 */
export async function issueStateKey(file: string, apiUrl: string, keys: KeyRecords): Promise<IssuedStateKey> {
  const scope: KeyScope = { kind: 'state' };
  const key = newKey(scope);
  await keys.create(key, scope);
  const credentials = { apiUrl, stateKey: key.apiKey };
  await writeCredentials(file, credentials);
  return { credentials, keyId: key.keyId };
}

/** Whether the authorizer would let this state key in. */
async function isLive(stateKey: string, keys: KeyRecords): Promise<boolean> {
  const presented = parseKey(stateKey);
  if (!presented) return false;
  const record = await keys.get(presented.keyId);
  return (
    record !== undefined &&
    record.scope.kind === 'state' &&
    record.revokedAt === undefined &&
    secretMatches(presented.secret, record.secretHash)
  );
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // a damaged file is replaced, as if it were missing
    return undefined;
  }
}

async function writeCredentials(file: string, credentials: LocalCredentials): Promise<void> {
  // the key grants everything in the local state: readable by the owner only
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created: an existing, more open file is closed down too
  await chmod(file, 0o600);
}
