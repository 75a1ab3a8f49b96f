/**
 * Small-cell suppression (PRODUCT §5), which protects learners and respondents: a count below the state's
 * minimum n is published only as `{suppressed: true}` — no n, no mean, no rate.
 *
 * "Count" here is the size of a cell, i.e. how many people a figure is about (a role's respondents, a group's
 * learners, a condition's responses, a competency's learners assessed); the figures about those people (a
 * mean, a rate, how many of them are at mastery) are shown or hidden together with it.
 */

import { compareText } from './text';

/** What a hidden cell or entity shows instead of its figures. */
export interface Suppressed {
  readonly suppressed: true;
}

/** A cell of a breakdown: its own figures, or `{suppressed: true}`. */
export type BreakdownCell<T> = T | Suppressed;

const SUPPRESSED: Suppressed = Object.freeze({ suppressed: true });

/**
 * Whether a count is too small to publish.
 *
 * @throws RangeError when `minimumN` is not a positive integer: with 0 an empty cell would have no figures to
 *   show, so that configuration is a bug
 */
export function isBelowMinimum(n: number, minimumN: number): boolean {
  if (!Number.isInteger(minimumN) || minimumN < 1) {
    throw new RangeError(`minimum n must be a positive integer, got ${minimumN}`);
  }
  return n < minimumN;
}

/**
 * Suppresses the small cells of a breakdown (a condition's `byRole`, a competency's `byGroup`).
 *
 * Cells with `n` below `minimumN` are hidden. If that hides exactly one cell, the next smallest cell (ties by
 * key, in code-unit order) is hidden too, because the one hidden cell could otherwise be worked out from the
 * total and the cells shown. A breakdown with a single cell has no second cell to hide.
 *
 * @param cells the cells by key, each with its size `n` and its figures; key order is kept in the result
 * @param minimumN the state's minimum n
 * @returns the same keys, each with the cell's fields as given or `{suppressed: true}`
 */
export function suppressBreakdown<T extends { readonly n: number }>(
  cells: Readonly<Record<string, T>>,
  minimumN: number,
): Record<string, BreakdownCell<T>> {
  const entries = Object.entries(cells);
  const hidden = new Set(entries.filter(([, cell]) => isBelowMinimum(cell.n, minimumN)).map(([key]) => key));
  if (hidden.size === 1) {
    const [complement] = entries
      .filter(([key]) => !hidden.has(key))
      .sort(([keyA, a], [keyB, b]) => a.n - b.n || compareText(keyA, keyB));
    if (complement) hidden.add(complement[0]);
  }
  return Object.fromEntries(entries.map(([key, cell]) => [key, hidden.has(key) ? SUPPRESSED : cell]));
}

/**
 * The whole-entity rule: a condition (or competency) whose total count is below the minimum keeps only its
 * identifying fields (`head`: id, name and for a condition `priority`) plus `suppressed: true`, and shows no
 * breakdown; otherwise its head is followed by its figures.
 *
 * @param figures built only when the entity is shown, so hidden figures are never even computed
 */
export function suppressEntity<Head extends object, Figures extends object>(
  head: Head,
  count: number,
  minimumN: number,
  figures: () => Figures,
): (Head & Suppressed) | (Head & Figures) {
  return isBelowMinimum(count, minimumN) ? { ...head, suppressed: true } : { ...head, ...figures() };
}

/** Whether a cell or entity is hidden. */
export function isSuppressed(value: object): value is Suppressed {
  return 'suppressed' in value && value.suppressed === true;
}
