/**
 * `.local/credentials.json`: how a developer or a script reaches the local API. Written on first start; the
 * state key is kept across restarts so that saved scripts and shells keep working.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';

export const LocalCredentials = z.object({
  apiUrl: z.url(),
  stateKey: z.string().regex(/^vp_state_[A-Za-z0-9_-]{43}$/),
});
export type LocalCredentials = z.infer<typeof LocalCredentials>;

/** A new state key: `vp_state_` and 32 random bytes, base64url. */
export function newStateKey(): string {
  return `vp_state_${randomBytes(32).toString('base64url')}`;
}

/**
 * Returns the credentials in `file`, creating the file with a new state key when it is missing or unreadable.
 * The key of an existing file is kept; its `apiUrl` is brought up to date when the port changed.
 */
export async function ensureCredentials(file: string, apiUrl: string): Promise<LocalCredentials> {
  if (existsSync(file)) {
    const parsed = LocalCredentials.safeParse(await readJson(file));
    if (parsed.success) {
      if (parsed.data.apiUrl === apiUrl) return parsed.data;
      const updated = { ...parsed.data, apiUrl };
      await writeCredentials(file, updated);
      return updated;
    }
  }
  const created = { apiUrl, stateKey: newStateKey() };
  await writeCredentials(file, created);
  return created;
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
}
