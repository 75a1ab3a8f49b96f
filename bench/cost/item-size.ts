/**
 * DynamoDB's item size and the capacity units it costs, by the rules of the developer guide ("DynamoDB item sizes
 * and formats", "DynamoDB read and write operations"), so that the cost model counts units from the items
 * themselves rather than from DynamoDB Local's ConsumedCapacity, which does not double transactions.
 *
 * - an attribute is its name's UTF-8 bytes plus its value: a string's UTF-8 bytes; a binary's raw bytes; a number
 *   1 byte plus 1 per two significant digits (leading and trailing zeros trimmed); null and boolean 1 byte; a
 *   list or map 3 bytes plus 1 byte per element plus its elements; a set the sum of its elements;
 * - a write costs 1 unit per started KB of the item (the larger of before and after), 2 in a transaction;
 * - a read costs 1 unit per started 4 KB when strongly consistent, half when eventually consistent.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item as DynamoDB's wire format has it. */
export type WireItem = Record<string, AttributeValue>;

const encoder = new TextEncoder();
const utf8Bytes = (text: string) => encoder.encode(text).length;

/** The size of an item in bytes. */
export function itemSize(item: WireItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8Bytes(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return binarySize(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, item) => sum + utf8Bytes(item), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, item) => sum + numberSize(item), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, item) => sum + binarySize(item), 0);
  if (value.L !== undefined) return value.L.reduce((sum, item) => sum + 1 + valueSize(item), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, item]) => sum + 1 + utf8Bytes(name) + valueSize(item),
      3,
    );
  }
  return 0;
}

/** 1 byte plus 1 per two significant digits; `-0.00120e3` has the two significant digits `12`. */
export function numberSize(number: string): number {
  const mantissa = number.replace(/^[+-]/, '').split(/e/i)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return 1 + Math.ceil(digits.length / 2);
}

function binarySize(value: Uint8Array | string): number {
  // the wire carries binaries base64-encoded, the SDK hands them over as bytes
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : value.length;
}

const KB = 1024;

/** Write units of one item write: per started KB, at least 1; doubled in a transaction. */
export function writeUnits(bytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(bytes / KB)) * (transactional ? 2 : 1);
}

/** Read units of reading `bytes` at once: per started 4 KB, at least one; half for an eventually consistent read. */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);
}
