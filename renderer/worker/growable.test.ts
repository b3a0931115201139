import { describe, expect, it } from 'vitest';
import { GrowableFloat64, GrowableInt32, GrowableUint32 } from './growable';

describe('lists that grow, with room made ahead', () => {
  for (const List of [GrowableInt32, GrowableUint32, GrowableFloat64]) {
    it(`${List.name}: reserve keeps what is held, then pushes go on past the room made`, () => {
      const list = new List();
      for (let i = 0; i < 1500; i++) list.push(i);
      list.reserve(5000);
      expect(list.data.length).toBe(5000);
      list.reserve(10); // less than held: nothing changes
      expect(list.data.length).toBe(5000);
      for (let i = 1500; i < 12_000; i++) list.push(i);
      expect(list.length).toBe(12_000);
      expect(Array.from(list.data.subarray(0, list.length))).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
    });
  }
});
