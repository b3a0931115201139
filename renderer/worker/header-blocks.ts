/**
 * Where each HTTP message's header lines are, noted by the load pass as it dissects
 * (DissectionEngine.listenToHeaderBlocks). A filter that reads only header items
 * (`http.user_agent contains "Mozilla"`, `http.host == "x"`, `http.cookie_pair`) is then
 * answered by reading those lines again, as the dissector read them (headerBlockItems), with no
 * TCP dissection: over a million packets that is the HTTP messages' header lines alone, where
 * re-dissecting would go through every packet of every HTTP stream.
 *
 * A block in the frame's own bytes is kept as offsets into the record (16 bytes a message);
 * one read from reassembled data (TCP segments, IP fragments) is copied, as the reassembly is
 * not kept.
 */
import type { HeaderBlock, TreePruning } from '../../core/dissect/context';
import { HEADER_ITEM_FIELDS, HeaderScratch, headerBlockItems } from '../../core/dissect/protocols/http';
import type { ProtoNode } from '../../core/dissect/tree';
import { GrowableInt32 } from './growable';

const REQUEST = 1;
const DESEGMENT = 2;
const TRUNCATED = 4;
/** The block was copied into `copies` (start and end are offsets there). */
const COPIED = 8;

/** Whether a filter reading `fields` reads only items header lines make (and can use HeaderBlocks). */
export function readsOnlyHeaderItems(fields: readonly string[]): boolean {
  return fields.length > 0 && fields.every((field) => HEADER_ITEM_FIELDS.has(field));
}

export class HeaderBlocks {
  private readonly packets = new GrowableInt32();
  private readonly starts = new GrowableInt32();
  private readonly ends = new GrowableInt32();
  private readonly flags = new GrowableInt32();
  private copies = new Uint8Array(0);
  private copied = 0;
  private readonly scratch = new HeaderScratch();

  /** The number of blocks noted. */
  get length(): number {
    return this.packets.length;
  }

  /** The packet (index) block `block` is in. Blocks are noted in packet order. */
  packetOf(block: number): number {
    return this.packets.data[block];
  }

  /** Notes a block of packet `index` (what the listener was told: in the record's bytes, or copied). */
  note(index: number, block: HeaderBlock, inFrame: boolean): void {
    let { start, end } = block;
    let flags = (block.request ? REQUEST : 0) | (block.desegment ? DESEGMENT : 0) | (block.truncated ? TRUNCATED : 0);
    if (!inFrame) {
      flags |= COPIED;
      const at = this.copy(block.buf.subarray(start, end));
      end = at + (end - start);
      start = at;
    }
    this.packets.push(index);
    this.starts.push(start);
    this.ends.push(end);
    this.flags.push(flags);
  }

  private copy(bytes: Uint8Array): number {
    if (this.copied + bytes.length > this.copies.length) {
      const next = new Uint8Array(Math.max(64 * 1024, (this.copied + bytes.length) * 2));
      next.set(this.copies.subarray(0, this.copied));
      this.copies = next;
    }
    const at = this.copied;
    this.copies.set(bytes, at);
    this.copied += bytes.length;
    return at;
  }

  /**
   * Adds to `items` the header items, pruned to `pruning`, of block `block`, whose packet's
   * record bytes are `frame`.
   */
  addItems(block: number, frame: Uint8Array, pruning: TreePruning, items: ProtoNode[]): void {
    const flags = this.flags.data[block];
    const buf = flags & COPIED ? this.copies : frame;
    const found = headerBlockItems(pruning, this.scratch, {
      buf,
      start: this.starts.data[block],
      end: this.ends.data[block],
      request: (flags & REQUEST) !== 0,
      desegment: (flags & DESEGMENT) !== 0,
      truncated: (flags & TRUNCATED) !== 0,
    });
    for (const item of found) items.push(item);
  }
}
