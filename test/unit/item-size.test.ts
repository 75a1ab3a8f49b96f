/**
 * DynamoDB's item-size rules as the benchmarks' cost model applies them (bench/cost/item-size.ts), against the
 * developer guide's rules: names and values, numbers by significant digits, list and map overheads, and the
 * rounding of write (1 KB) and read (4 KB) units.
 */
import { describe, expect, it } from 'vitest';
import { itemSize, numberSize, readUnits, writeUnits } from '../../bench/cost/item-size';

describe('item size', () => {
  it('adds names and values: UTF-8 strings, raw binaries, 1 byte for null and boolean', () => {
    expect(itemSize({ pk: { S: 'DISTRICT#a' } })).toBe(2 + 10);
    expect(itemSize({ é: { S: 'ü' } })).toBe(2 + 2);
    expect(itemSize({ b: { B: new Uint8Array(5) }, t: { BOOL: true }, n: { NULL: true } })).toBe(6 + 2 + 2);
  });

  it('sizes a number by its significant digits, zeros trimmed', () => {
    expect(numberSize('1')).toBe(2);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('-0.00120')).toBe(2);
    expect(numberSize('1000000')).toBe(2);
  });

  it('gives lists and maps 3 bytes and each element 1 more', () => {
    expect(itemSize({ l: { L: [] } })).toBe(1 + 3);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '7' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
  });
});

describe('units', () => {
  it('charges a write per started KB, at least one, twice in a transaction', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(1025, true)).toBe(4);
  });

  it('charges a read per started 4 KB, half when eventually consistent', () => {
    expect(readUnits(3_500, true)).toBe(1);
    expect(readUnits(4_097, true)).toBe(2);
    expect(readUnits(4_097, false)).toBe(1);
    expect(readUnits(0, false)).toBe(0.5);
  });
});
