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
