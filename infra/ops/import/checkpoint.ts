/**
 * The checkpoint of an import: a JSON file that says, per input file, how many rows from its start the API has
 * answered for (and what it answered), so that a rerun sends only the rest. It is replaced whole (written beside
 * itself, then renamed over) after each answered chunk: a kill at any moment leaves the previous checkpoint or
 * the next, never half of one. Rows sent but not yet in it are sent again on resume, which the API's idempotency
 * makes harmless: an identical submission is a 200 replay, counted once, and a milestone write the table already
 * has (same or newer updatedAt) is not applied again.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { OpsError } from '../context';
import type { ImportKind } from './kinds';

const Count = z.number().int().min(0);

/** How far one input file got, and the file it was. */
export const FileCheckpoint = z.object({
  /** The path the file was given as (informative: the content is what must match). */
  path: z.string(),
  size: Count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: Count,
  /** Rows from the file's start that the API answered for, or that were rejected before sending. */
  confirmed: Count,
  written: Count,
  replayed: Count,
  rejected: Count,
});
export type FileCheckpoint = z.infer<typeof FileCheckpoint>;

export const Checkpoint = z.object({
  version: z.literal(1),
  apiUrl: z.string(),
  districtId: z.string(),
  /** The error report and its length when the checkpoint was written: a resume cuts off what came later. */
  errorReport: z.object({ path: z.string(), bytes: Count }),
  /** A key this import made for itself and has not revoked yet (a run that was killed): revoked on resume. */
  mintedKeyId: z.string().optional(),
  files: z.object({
    milestones: FileCheckpoint.optional(),
    ratings: FileCheckpoint.optional(),
    evidence: FileCheckpoint.optional(),
  } satisfies Record<ImportKind, unknown>),
  updatedAt: z.string(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/** The checkpoint in `file`; `undefined` when there is none. A file that is not one is refused. */
export async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpsError(`cannot read the checkpoint ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: ReturnType<typeof Checkpoint.safeParse>;
  try {
    parsed = Checkpoint.safeParse(JSON.parse(text));
  } catch (error) {
    throw new OpsError(`${file} is not a checkpoint (not JSON): pass --restart to start over`, {
      cause: error,
    });
  }
  if (!parsed.success) {
    throw new OpsError(`${file} is not a checkpoint of this import: pass --restart to start over`, {
      details: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
  }
  return parsed.data;
}

/** Replaces the checkpoint in `file` at once: written to a file beside it, then renamed over it. */
export async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
  await rename(temporary, file);
}
