/**
 * Where the local stack keeps its state between runs: one folder (`.local/` by default), laid out here and
 * nowhere else.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { repoRoot } from '../paths';

/** `.local/` at the repository root, unless VP_LOCAL_DIR names another folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VP_LOCAL_DIR ?? join(repoRoot, '.local'));
}

/** A file that marks a folder as local stack data, so that `--fresh` never wipes a folder it did not make. */
const MARKER = '.vision-progress-local';

/** The paths inside a data dir. */
export interface DataLayout {
  readonly root: string;
  /** DynamoDB Local's `-dbPath` (it keeps `shared-local-instance.db` there). */
  readonly dynamoDb: string;
  /** fauxqs' SQLite persistence. */
  readonly sqs: string;
  /** The stream relay's checkpoint per shard. */
  readonly relayCheckpoints: string;
  /** Records the relay gave up on (one JSON object per line), like the Pipe's dead-letter target. */
  readonly relayFailures: string;
  /** The pid of the DynamoDB Local java process, to reap it if a previous run died without stopping it. */
  readonly dynamoDbPid: string;
  readonly credentials: string;
  /**
   * The secrets of the unsubscribe tokens, one per line: the first signs, every line verifies
   * (infra/local/unsubscribe-secret.ts).
   */
  readonly unsubscribeSecret: string;
  /**
   * Exists while the stack runs: found at a start, it says the last run did not stop cleanly (killed, or the
   * machine went down), so the stack reconciles the progress aggregates with the stored data.
   */
  readonly runMarker: string;
}

export function dataLayout(root: string): DataLayout {
  const absolute = resolve(root);
  return {
    root: absolute,
    dynamoDb: join(absolute, 'dynamodb'),
    sqs: join(absolute, 'sqs'),
    relayCheckpoints: join(absolute, 'relay', 'checkpoints.json'),
    relayFailures: join(absolute, 'relay', 'failures.jsonl'),
    dynamoDbPid: join(absolute, 'dynamodb.pid'),
    credentials: join(absolute, 'credentials.json'),
    unsubscribeSecret: join(absolute, 'unsubscribe-secret'),
    runMarker: join(absolute, 'running'),
  };
}

/** Thrown by `--fresh` on a non-empty folder that holds no local stack data. */
export class ForeignDataDirError extends Error {
  override readonly name = 'ForeignDataDirError';
}

/** Creates the folders of the layout (and the marker) when missing. */
export async function prepareDataDir(layout: DataLayout): Promise<void> {
  await mkdir(layout.dynamoDb, { recursive: true });
  await mkdir(layout.sqs, { recursive: true });
  await mkdir(join(layout.root, 'relay'), { recursive: true });
  const marker = join(layout.root, MARKER);
  if (!existsSync(marker)) await writeFile(marker, 'local data of the Vision Progress stack (npm start)\n');
}

/**
 * Removes all local data. Refuses a non-empty folder other than the repository's `.local/` that lacks the marker:
 * VP_LOCAL_DIR may point anywhere.
 */
export async function wipeDataDir(layout: DataLayout): Promise<void> {
  if (!existsSync(layout.root)) return;
  const entries = await readdir(layout.root);
  const ours = entries.includes(MARKER) || layout.root === resolve(repoRoot, '.local');
  if (entries.length > 0 && !ours) {
    throw new ForeignDataDirError(`refusing to wipe ${layout.root}: it does not hold local stack data`);
  }
  await rm(layout.root, { recursive: true, force: true });
}
