/**
 * Per-packet numbers the load pass notes for filters on TCP's and HTTP's state: `tcp.seq > 1000`,
 * `tcp.nxtseq > 1000`, `tcp.ack == 1`, `tcp.analysis.ack_rtt > 0.2` (the course's RTT question),
 * `tcp.analysis.initial_rtt` (the handshake's), `tcp.analysis.acks_frame == 4` (which ACK
 * acknowledges frame 4), `tcp.analysis.bytes_in_flight > 10000`, `tcp.analysis.push_bytes_sent`,
 * `tcp.window_size < 65536` (flow control), `tcp.time_delta > 0.2` (a stalled conversation),
 * `http.time > 0.5` (a slow response), `http.request_in == 4`, `http.request_number > 1` (a
 * persistent connection's later requests). Their values differ from packet to packet, so
 * value-sets.ts (a set shared by the packets with the same values) cannot hold them; here each
 * packet has its own, one number a field (32-bit unsigned, or a double for the times). A filter
 * that reads them (and what else the index noted) is then answered without dissecting the
 * capture again, where before it re-dissected every TCP stream from its start (3 s for a
 * million packets, against tshark's 8).
 *
 * The TCP and HTTP dissectors tell them (PacketNumbersListener) wherever a whole tree has their
 * items, so they are what a full dissection shows, without the nodes. A packet with two of a
 * field (TCP quoted inside an ICMP error, two HTTP responses in one segment) marks the field
 * `irregular`: filters on it then take the dissecting path, as before.
 */
import type { PacketNumbersListener } from '../../core/dissect/context';
import { fieldIdCount, lookupField, type FieldDef } from '../../core/dissect/fields';
import { PACKET_NUMBER_FIELDS, registerAllProtocols } from '../../core/dissect/protocols';
import { SEGMENT_NUMBER_FIELDS } from '../../core/dissect/protocols/tcp';
import { treeNode, type ProtoNode } from '../../core/dissect/tree';
import { GrowableFloat64, GrowableInt32, GrowableUint32 } from './growable';

/** A field whose values are doubles (seconds), not 32-bit unsigned numbers. */
function isDoubleField(def: FieldDef): boolean {
  return def.type === 'time_rel' || def.type === 'double';
}

/** The first of PACKET_NUMBER_FIELDS kept sparse (HTTP's, in the few packets that end a message). */
const FIRST_SPARSE = SEGMENT_NUMBER_FIELDS.length;

/** The place of `abbrev` among the fields noted, -1 if it is not one. */
export function numberSlotOf(abbrev: string): number {
  return PACKET_NUMBER_FIELDS.indexOf(abbrev);
}

/**
 * A field's values in the packets that have it, by packet index: the packets' indices and
 * values, in the order noted (increasing index). 12 bytes a packet that has it, where a list
 * for every packet costs 4–8 bytes for each (HTTP's items are in one packet of 7 in the bench
 * capture, one of 10 in the lab repeat).
 */
class SparseNumbers {
  private readonly indices = new GrowableInt32();
  private readonly values = new GrowableFloat64();

  setAt(index: number, value: number): void {
    this.indices.push(index);
    this.values.push(value);
  }

  /** The value of packet `index` (which has one). */
  at(index: number): number {
    const indices = this.indices.data;
    let low = 0;
    let high = this.indices.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (indices[middle] < index) low = middle + 1;
      else high = middle;
    }
    return this.values.data[low];
  }
}

/**
 * The numbers of PACKET_NUMBER_FIELDS (tcp.seq, tcp.ack, tcp.nxtseq — the lab report's "[Next
 * Sequence Number: 1 (relative sequence number)]" —, the SEQ/ACK analysis's frame acknowledged,
 * ACK RTT, handshake RTT, bytes in flight and bytes since the last PSH, the window scaled and
 * raw, [Timestamps]' tcp.time_relative and tcp.time_delta, and HTTP's), as the dissectors tell
 * them: a 32-bit unsigned number in every packet that has it, or a double for a time. Read from the
 * load pass's trees, as the first seven were, they cost it a node each in the TCP packets that
 * have them: about 4 % of its time for those seven (the 300,000-packet lab repeat, in one
 * process alternately, medians of eight: 2,299 ms with the nodes, 2,221 ms without), and 4–7 %
 * more for [Timestamps], a subtree of three (2,209 → 2,300 / 2,373 ms best of 15, the delta
 * alone / both). A filter on the window re-dissected every TCP packet below its payload:
 * 750–1,000 ms on those 300,000 packets, 72–77 ms from the noted values; one on tcp.time_delta
 * every TCP stream from its start.
 */
export class PacketNumbers implements PacketNumbersListener {
  private readonly defs: FieldDef[];
  /** Per field: its value in each packet (0 where the packet has none), or where it has one. */
  private readonly values: (GrowableUint32 | GrowableFloat64 | SparseNumbers)[];
  private readonly doubles: boolean[];
  /** Per packet: which fields it has, a bit each. */
  private readonly present = new GrowableInt32();
  /** Per field: some packet had it more than once, or not as a number its list holds. */
  private readonly irregular: boolean[];
  // The packet being noted: its values, and which fields it has had (a bit each).
  private readonly pending: number[];
  private told = 0;
  /** Per registered field id (FieldDef.id): its slot, -1 for a field not noted. */
  private readonly slotById: Int8Array;

  constructor() {
    registerAllProtocols();
    // A packet's fields are the bits of one Int32.
    if (PACKET_NUMBER_FIELDS.length > 31) throw new Error('packet numbers: more fields than bits');
    this.defs = PACKET_NUMBER_FIELDS.map((abbrev) => {
      const def = lookupField(abbrev);
      if (!def) throw new Error(`packet numbers: unknown field ${abbrev}`);
      return def;
    });
    this.doubles = this.defs.map(isDoubleField);
    this.values = this.doubles.map((double, slot) =>
      slot >= FIRST_SPARSE ? new SparseNumbers() : double ? new GrowableFloat64() : new GrowableUint32(),
    );
    this.irregular = PACKET_NUMBER_FIELDS.map(() => false);
    this.pending = PACKET_NUMBER_FIELDS.map(() => 0);
    this.slotById = new Int8Array(fieldIdCount()).fill(-1);
    this.defs.forEach((def, slot) => {
      if (def.id !== undefined && def.id < this.slotById.length) this.slotById[def.id] = slot;
    });
  }

  /** A dissector tells a number of the packet being noted (PacketNumbersListener). */
  packetNumber(field: FieldDef, value: number): void {
    const id = field.id;
    const slot = id !== undefined && id < this.slotById.length ? this.slotById[id] : numberSlotOf(field.abbrev);
    if (slot >= 0) this.add(slot, value);
  }

  /** Makes room for `packets` packets in all (see growable.ts). */
  reserve(packets: number): void {
    for (const values of this.values) if (!(values instanceof SparseNumbers)) values.reserve(packets);
    this.present.reserve(packets);
  }

  /** An occurrence of field `slot` in the packet being noted. */
  add(slot: number, value: unknown): void {
    const bit = 1 << slot;
    if (this.told & bit) this.irregular[slot] = true;
    this.told |= bit;
    // A double field takes any number (a Float64Array holds it exactly); the others a uint32.
    if (typeof value === 'number' && (this.doubles[slot] || value >>> 0 === value)) this.pending[slot] = value;
    else this.irregular[slot] = true;
  }

  /**
   * Ends the packet being noted. Only the fields it has are written (a field's list reads 0
   * where a packet has none, and `present` says which): most packets have a few of the fields.
   */
  endPacket(): void {
    const index = this.present.length;
    for (let left = this.told; left !== 0; left &= left - 1) {
      const slot = 31 - Math.clz32(left & -left);
      this.values[slot].setAt(index, this.pending[slot]);
    }
    this.present.push(this.told);
    this.told = 0;
  }

  /** Whether filters on `abbrev` can be answered from the numbers noted. */
  answers(abbrev: string): boolean {
    const slot = numberSlotOf(abbrev);
    return slot >= 0 && !this.irregular[slot];
  }

  /** Adds to `out` a node for each of `slots` that packet `index` has, with its value. */
  addNodes(index: number, slots: readonly number[], out: ProtoNode[]): void {
    const bits = this.present.data[index];
    for (const slot of slots) {
      if ((bits & (1 << slot)) === 0) continue;
      const values = this.values[slot];
      const value = values instanceof SparseNumbers ? values.at(index) : values.data[index];
      out.push(treeNode(this.defs[slot], value, 0, 0, 0));
    }
  }
}
