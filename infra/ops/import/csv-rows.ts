/**
 * Reading an import file: csv-parse over a file stream, one row at a time, so that a file of any size takes the
 * memory of a few rows. The first record is the header; every later one is a row, numbered from 0 in file order
 * (the checkpoint counts them), with the line of the file it starts on (the header is line 1; a quoted cell may
 * span lines). Empty lines are skipped; a UTF-8 byte order mark (as spreadsheets write) is ignored; cells are
 * trimmed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, type Readable, Transform } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import { OpsError } from '../context';
import { headerProblems, type ImportKind } from './kinds';

/** A row's cells by column name, trimmed; a column the row has no field for is absent. */
export type Cells = Readonly<Record<string, string>>;

export interface CsvRow {
  /** 0 for the first row after the header. */
  readonly index: number;
  /** The line of the file the row starts on; the header is line 1. */
  readonly line: number;
  readonly cells: Cells;
  /** Set when the row has more or fewer fields than the header: its cells cannot be trusted to be in place. */
  readonly shape?: string;
}

/** What identifies a file's content, and how many rows it has. */
export interface CsvFileFacts {
  readonly size: number;
  readonly sha256: string;
  readonly rows: number;
  readonly header: readonly string[];
}

const PARSE_OPTIONS: Options = {
  bom: true,
  raw: true,
  relax_column_count: true,
  skip_empty_lines: true,
  trim: true,
};

interface ParsedRecord {
  readonly record: string[];
  readonly raw: string;
}

/**
 * Reads the whole file once: its size and SHA-256 (a checkpoint is only resumed on the same content), its row
 * count (the progress bar's total) and its header, which must suit `kind`.
 */
export async function inspectCsvFile(path: string, kind: ImportKind): Promise<CsvFileFacts> {
  const size = (await statOf(path)).size;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  let header: readonly string[] | undefined;
  let rows = 0;
  for await (const parsed of records(path, createReadStream(path), hashing)) {
    if (header === undefined) header = checkedHeader(path, kind, parsed.record);
    else rows += 1;
  }
  if (header === undefined) throw new OpsError(`${path} is empty: a ${kind} file starts with a header row`);
  return { size, sha256: hash.digest('hex'), rows, header };
}

/** The rows of the file in order, after its header (checked for `kind`). */
export async function* readCsvRows(path: string, kind: ImportKind): AsyncGenerator<CsvRow> {
  let header: readonly string[] | undefined;
  let index = 0;
  // line breaks before the record at hand: csv-parse's own line count takes a CRLF inside a quoted cell for two
  let breaksBefore = 0;
  for await (const parsed of records(path, createReadStream(path))) {
    const line = 1 + breaksBefore + lineBreaks(/^[\r\n]*/.exec(parsed.raw)?.[0] ?? '');
    breaksBefore += lineBreaks(parsed.raw);
    if (header === undefined) {
      header = checkedHeader(path, kind, parsed.record);
      continue;
    }
    const cells: Record<string, string> = {};
    header.forEach((column, at) => {
      const value = parsed.record[at];
      if (value !== undefined) cells[column] = value;
    });
    const fields = parsed.record.length;
    yield {
      index,
      line,
      cells,
      ...(fields === header.length
        ? {}
        : { shape: `has ${fields} fields where the header has ${header.length}` }),
    };
    index += 1;
  }
}

/**
 * The parsed records of a file read through `stages`; a file that is not CSV fails with the file and the line in
 * the message. pipeline() hands a read error on to the parser, where the loop sees it.
 */
async function* records(path: string, ...stages: [Readable, ...Transform[]]): AsyncGenerator<ParsedRecord> {
  const parser = parse(PARSE_OPTIONS);
  pipeline([...stages, parser], () => {});
  try {
    for await (const parsed of parser) yield parsed as ParsedRecord;
  } catch (error) {
    if (error instanceof CsvError) {
      throw new OpsError(`${path} is not a CSV file this import can read: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Line breaks in a record's raw text (CRLF, LF or CR each count once). The raw text of a record holds the empty
 * lines skipped before it, so the leading ones tell where the record itself starts.
 */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function checkedHeader(path: string, kind: ImportKind, header: readonly string[]): readonly string[] {
  const problems = headerProblems(kind, header);
  if (problems.length > 0) {
    throw new OpsError(`${path}: the header row does not fit a ${kind} file (docs/import.md)`, {
      details: problems,
    });
  }
  return header;
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw new OpsError(`cannot read ${path}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
}
