/**
 * The checkpoint of an import: a JSON file that says, per input file, how many rows from its start the API has
 * answered for (and what it answered), so that a rerun sends only the rest. It is replaced whole (written beside
 * itself, then renamed over) after each answered chunk: a kill at any moment leaves the previous checkpoint or
 * the next, never half of one. Rows sent but not yet in it are sent again on resume, which the API's idempotency
 * makes harmless: an identical submission is a 200 replay, counted once, and a milestone write the table already
 * has (same or newer updatedAt) is not applied again.
 *
 * The CheckpointKeeper keeps the checkpoint and the error report of a running import in step: each confirmed
 * chunk's rejected rows are appended to the report first, then the checkpoint is replaced with the report's new
 * length. A kill between the two leaves a checkpoint that knows nothing of the rows last reported, so the resume
 * cuts them off the report and reports them again, once.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { OpsError } from '../context';
import { replaceFile } from '../files';
import type { ErrorReport, Rejection } from './error-report';
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
async function writeCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await replaceFile(file, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/**
 * The checkpoint of a running import, saved as chunks are confirmed. Chunks are confirmed faster than files are
 * written, so saves are coalesced: while one is being written, later confirmations wait for the next, which takes
 * them all.
 */
export class CheckpointKeeper {
  readonly #checkpoint: Checkpoint;
  readonly #pending: Rejection[] = [];
  #saving: Promise<void> | undefined;
  /** Something was confirmed since the save in progress took its snapshot. */
  #again = false;
  #failure: unknown;

  constructor(
    readonly file: string,
    checkpoint: Checkpoint,
    private readonly report: ErrorReport,
  ) {
    this.#checkpoint = structuredClone(checkpoint);
  }

  /** The key an earlier run made and did not revoke, or this run's until it is revoked. */
  get mintedKeyId(): string | undefined {
    return this.#checkpoint.mintedKeyId;
  }

  /** Records a file's new confirmed state and the rows it rejected in getting there; saved soon. */
  confirm(kind: ImportKind, state: FileCheckpoint, rejections: readonly Rejection[]): void {
    this.#throwFailure();
    this.#checkpoint.files[kind] = { ...state };
    this.#pending.push(...rejections);
    this.#schedule();
  }

  /** Records the key the import made for itself (or its revocation), and saves at once. */
  async recordMintedKey(keyId: string | undefined): Promise<void> {
    if (keyId === undefined) delete this.#checkpoint.mintedKeyId;
    else this.#checkpoint.mintedKeyId = keyId;
    this.#schedule();
    await this.flush();
  }

  /** Resolves once everything confirmed is on disk; rejects with a failed save. */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
    this.#throwFailure();
  }

  #schedule(): void {
    this.#again = true;
    if (this.#saving === undefined) this.#saving = this.#save();
  }

  async #save(): Promise<void> {
    // yields first, so that #saving is set before the finally below can clear it
    await null;
    try {
      while (this.#again) {
        this.#again = false;
        // the rows to report and the checkpoint they belong to, taken together before anything is awaited
        const rejections = this.#pending.splice(0);
        const snapshot = structuredClone(this.#checkpoint);
        await this.report.append(rejections);
        snapshot.errorReport = { path: this.report.path, bytes: this.report.bytes };
        snapshot.updatedAt = new Date().toISOString();
        await writeCheckpoint(this.file, snapshot);
        this.#checkpoint.errorReport = snapshot.errorReport;
      }
    } catch (error) {
      this.#failure = error;
    } finally {
      // in the same step as the loop's last look at #again: a confirmation after this starts a new save
      this.#saving = undefined;
    }
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
