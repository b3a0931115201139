/** The list's Source, Destination, Protocol and colour columns (interned-column.ts) give back each row's value. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InternedColumn } from './interned-column';

describe('InternedColumn', () => {
  it('gives back every row its own value, repeated or not, undefined included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('127.0.0.1', '::1', 'TCP'), fc.string(), fc.constant(undefined))),
        (rows) => {
          const column = new InternedColumn<string | undefined>();
          for (const row of rows) column.push(row);
          expect(column.length).toBe(rows.length);
          expect(rows.map((_, i) => column.get(i))).toEqual(rows);
        },
      ),
    );
  });

  it('keeps the very object pushed (a row colour is compared by identity)', () => {
    const red = { name: 'Bad TCP' };
    const copy = { name: 'Bad TCP' };
    const column = new InternedColumn<object>();
    for (const color of [red, copy, red]) column.push(color);
    expect([column.get(0) === red, column.get(1) === copy, column.get(2) === red]).toEqual([true, true, true]);
  });
});
