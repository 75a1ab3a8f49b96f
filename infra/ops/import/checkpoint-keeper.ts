/**
 * Keeps the checkpoint and the error report of a running import in step: each confirmed chunk's rejected rows
 * are appended to the report first, then the checkpoint is replaced with the report's new length. A kill between
 * the two leaves a checkpoint that knows nothing of the rows last reported, so the resume cuts them off the
 * report and reports them again, once.
 *
 * Chunks are confirmed faster than files are written, so saves are coalesced: while one is being written, later
 * confirmations wait for the next, which takes them all.
 */
import { type Checkpoint, type FileCheckpoint, writeCheckpoint } from './checkpoint';
import type { ErrorReport } from './error-report';
import type { ImportKind } from './kinds';
import type { Rejection } from './rejection';

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

  /** The checkpoint as confirmed so far (maybe not yet on disk). */
  get current(): Checkpoint {
    return structuredClone(this.#checkpoint);
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
