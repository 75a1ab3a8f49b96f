/**
 * The requests of a file in flight: how many at once, in which order per key, and which of them the checkpoint may
 * count as done.
 */

/**
 * A few requests in flight at once, no more: the reader waits for a free slot before it reads on, so a file of
 * any size holds only the rows of the requests in flight. The first task that fails stops the pool: the reader is
 * told at its next run(), and the tasks already in flight are let finish, so their answers reach the checkpoint.
 */
export class RequestPool {
  readonly #running = new Set<Promise<void>>();
  #failure: { readonly error: unknown } | undefined;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a pool needs 1 slot or more, got ${limit}`);
  }

  /** Starts `task` once a slot is free; throws the failure of an earlier task instead, if one failed. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.#running.size >= this.limit) await Promise.race(this.#running);
    this.#throwFailure();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Waits for every task started; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.#throwFailure();
  }

  /** Waits for every task started, whatever became of them. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }
}

/**
 * Runs the tasks of one key one after the other, in the order they were given, while tasks of other keys run
 * beside them: the writes of one milestone reach the API in file order, so which of them is applied does not
 * depend on which request came back first.
 */
export class KeyedSequence {
  readonly #last = new Map<string, Promise<unknown>>();

  /** `task` once the earlier tasks of `key` have settled. */
  after<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#last.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.#last.set(key, settled);
    void settled.then(() => {
      if (this.#last.get(key) === settled) this.#last.delete(key);
    });
    return current;
  }
}

/**
 * Which units of a file are confirmed: requests are answered out of order (several are in flight), but a
 * checkpoint can only say "every row up to here", so a unit counts as confirmed once it and every unit before it
 * have been answered. Units are numbered 0, 1, 2… in file order.
 */
export class ConfirmationLedger<Outcome> {
  #next = 0;
  readonly #answered = new Map<number, Outcome>();

  /** The number of the first unit not yet confirmed. */
  get confirmedUnits(): number {
    return this.#next;
  }

  /** Answered units waiting for an earlier one. */
  get waiting(): number {
    return this.#answered.size;
  }

  /**
   * Records the outcome of unit `sequence` and returns the outcomes this confirms, in unit order: none while an
   * earlier unit is unanswered, else the run of answered units from the first unconfirmed one.
   */
  answer(sequence: number, outcome: Outcome): Outcome[] {
    if (sequence < this.#next || this.#answered.has(sequence)) {
      throw new RangeError(`unit ${sequence} was answered before`);
    }
    this.#answered.set(sequence, outcome);
    const confirmed: Outcome[] = [];
    for (
      let next = this.#answered.get(this.#next);
      next !== undefined;
      next = this.#answered.get(this.#next)
    ) {
      confirmed.push(next);
      this.#answered.delete(this.#next);
      this.#next += 1;
    }
    return confirmed;
  }
}
