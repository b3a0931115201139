/**
 * A column of texts that a million rows share a few of (addresses, protocol names, row
 * colours): each distinct value is kept once and each row holds its number. A JS array of a
 * million pointers grows by copying, costs a write barrier per row, and the garbage collector
 * marks every slot on each full collection; a typed array of numbers costs none of that.
 */
import { GrowableInt32 } from './growable';

export class InternedColumn<T> {
  private readonly values: T[] = [];
  private readonly ids = new Map<T, number>();
  private readonly idOf = new GrowableInt32();
  /** The last row's value number: most rows repeat the one before. */
  private last = -1;

  get length(): number {
    return this.idOf.length;
  }

  /** Makes room for `rows` rows in all (see growable.ts). */
  reserve(rows: number): void {
    this.idOf.reserve(rows);
  }

  push(value: T): void {
    const last = this.last;
    let id = last >= 0 && this.values[last] === value ? last : this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    this.last = id;
    this.idOf.push(id);
  }

  get(index: number): T {
    return this.values[this.idOf.data[index]];
  }
}
