/*
 * Lists of numbers that grow as needed: per-packet numbers of a million packets, one typed
 * array each. One class per element type, not one generic class: a push shared by several
 * typed-array types is a polymorphic access, on the load pass's path for every packet.
 *
 * reserve() sizes a list once for the packets a file is expected to hold (file-reader.ts
 * estimates them from its first part). Doubling from 1,024 copies each list ten times into
 * fresh memory, and fresh memory is dear: each 4 KB page costs a page fault on first touch
 * (10 µs on the 2-core VM of the benches). Reserved and never reached, a page is never touched.
 */

/** A list of 32-bit integers that grows as needed (per-packet numbers of a million packets). */
export class GrowableInt32 {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Makes room for `capacity` numbers without growing again. */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  get(i: number): number {
    return this.data[i];
  }
  indexOf(v: number): number {
    for (let i = 0; i < this.length; i++) if (this.data[i] === v) return i;
    return -1;
  }
  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.length));
  }
}

/** A list of doubles that grows as needed (per-packet times of a million packets). */
export class GrowableFloat64 {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Makes room for `capacity` numbers without growing again. */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** Sets number `i`, growing as needed (doubling); the numbers before it never set read 0. */
  setAt(i: number, v: number): void {
    if (i >= this.data.length) this.reserve(Math.max(i + 1, this.data.length * 2));
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }
  get(i: number): number {
    return this.data[i];
  }
}

/** A list of unsigned 32-bit integers that grows as needed (the record store's byte offsets). */
export class GrowableUint32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Makes room for `capacity` numbers without growing again. */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Uint32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** Sets number `i`, growing as needed (doubling); the numbers before it never set read 0. */
  setAt(i: number, v: number): void {
    if (i >= this.data.length) this.reserve(Math.max(i + 1, this.data.length * 2));
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }
}
