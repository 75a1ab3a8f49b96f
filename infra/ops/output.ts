/**
 * How results are printed: aligned columns for people, one JSON document for scripts (`--json`).
 */
import type { OpsIo } from './context';

/** Prints `value` as one JSON document on stdout. */
export function printJson(io: OpsIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows under a header, each column as wide as its widest cell. */
export function printTable(io: OpsIo, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  io.out(`${[header, ...rows].map(line).join('\n')}\n`);
}

/** Prints `name  value` pairs, the values aligned. */
export function printFields(io: OpsIo, fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([name]) => name.length));
  io.out(`${fields.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n')}\n`);
}

/** The warning that goes with every key the CLI prints: the platform keeps only its hash. */
export function warnShownOnce(io: OpsIo, holder: string): void {
  io.err(
    `Warning: this key is shown only now. Hand it to ${holder} through a secret store; the platform keeps only ` +
      'its hash and cannot show it again.\n',
  );
}
