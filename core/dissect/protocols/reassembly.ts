/**
 * IP fragment reassembly, after Wireshark's epan/reassemble.c (fragment_add_check): fragments
 * are kept sorted by offset; the datagram is complete once the last fragment (MF clear) is in
 * and the data from 0 to its end has no holes. Where fragments overlap, the bytes of the
 * fragment that sorts first win and differing bytes are flagged as a conflict.
 */
import type { FieldDef } from '../fields';
import type { PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { truncatedHex } from './common';

export interface Fragment {
  frame: number;
  offset: number;
  length: number;
  data: Uint8Array;
  overlap?: boolean;
  conflict?: boolean;
}

export interface Reassembled {
  /** Fragments in offset order (as Wireshark lists them). */
  fragments: Fragment[];
  data: Uint8Array;
  /** Frame where the datagram became complete. */
  frame: number;
}

interface Pending {
  fragments: Fragment[];
  /** Total length, known once the last fragment has arrived. */
  total: number | null;
}

export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  /** Completed datagrams by the frame that completed them (re-dissection returns the same result). */
  private readonly done = new Map<number, Reassembled>();

  completedIn(frame: number): Reassembled | undefined {
    return this.done.get(frame);
  }

  /**
   * Adds a fragment; returns the reassembled datagram when this fragment completes it.
   * A frame already added (re-dissection) is not added twice.
   */
  add(key: string, frame: number, offset: number, data: Uint8Array, more: boolean): Reassembled | null {
    const done = this.done.get(frame);
    if (done) return done;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { fragments: [], total: null };
      this.pending.set(key, entry);
    }
    if (entry.fragments.some((fr) => fr.frame === frame)) return null;
    const frag: Fragment = { frame, offset, length: data.length, data: data.slice() };
    // Insert after any fragment with the same or lower offset (stable, like a sorted list insert).
    let i = entry.fragments.length;
    while (i > 0 && entry.fragments[i - 1].offset > offset) i--;
    entry.fragments.splice(i, 0, frag);
    if (!more) entry.total = offset + data.length;
    if (entry.total === null) return null;
    // Contiguous from 0 to total?
    let pos = 0;
    for (const fr of entry.fragments) {
      if (fr.offset > pos) return null;
      pos = Math.max(pos, fr.offset + fr.length);
    }
    if (pos < entry.total) return null;
    const total = entry.total;
    const out = new Uint8Array(total);
    let filled = 0;
    for (const fr of entry.fragments) {
      fr.overlap = false;
      fr.conflict = false;
      const fEnd = Math.min(fr.offset + fr.length, total);
      if (fr.offset < filled) {
        fr.overlap = true;
        const cmpEnd = Math.min(fEnd, filled);
        for (let p = fr.offset; p < cmpEnd; p++) {
          if (out[p] !== fr.data[p - fr.offset]) {
            fr.conflict = true;
            break;
          }
        }
      }
      if (fEnd > filled) {
        out.set(fr.data.subarray(filled - fr.offset, fEnd - fr.offset), filled);
        filled = fEnd;
      }
    }
    this.pending.delete(key);
    const result: Reassembled = { fragments: entry.fragments, data: out, frame };
    this.done.set(frame, result);
    return result;
  }
}

/** The fields an IP version registers for its fragment list (ip.fragments…, ipv6.fragments…). */
export interface FragmentFields {
  fragments: FieldDef;
  fragment: FieldDef;
  fragmentError: FieldDef;
  fragmentOverlap: FieldDef;
  fragmentConflict: FieldDef;
  fragmentCount: FieldDef;
  reassembledLength: FieldDef;
  reassembledData: FieldDef;
}

/** Pushes the reassembled datagram as a data source (once per packet) and returns its index. */
export function reassembledSource(ctx: PacketContext, data: Uint8Array, family: 'IPv4' | 'IPv6'): number {
  const sources = ctx.packet.sources;
  const index = sources.findIndex((s) => s.data === data);
  if (index >= 0) return index;
  sources.push({ name: `Reassembled ${family} (${data.length} bytes)`, data });
  return sources.length - 1;
}

/**
 * The `[N IPv4 Fragments (…): #1(…), …]` subtree as Wireshark shows it, with overlap and
 * conflict items; `ctx.source` must already point at the reassembled data. Wireshark 4.0 adds
 * "Reassembled IPv4 data" for IPv4 only (`showData`).
 */
export function addFragmentTree(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  f: FragmentFields,
  done: Reassembled,
  family: 'IPv4' | 'IPv6',
  showData: boolean,
): void {
  if (!c) return;
  const data = done.data;
  const list = done.fragments.map((fr) => `#${fr.frame}(${fr.length})`).join(', ');
  const fn = ctx.add(
    c,
    f.fragments,
    0,
    data.length,
    data,
    `${done.fragments.length} ${family} Fragments (${data.length} bytes): ${list}`,
  );
  if (fn) fn.generated = true;
  const fc = ctx.children(fn);
  for (const fr of done.fragments) {
    const text = `Frame: ${fr.frame}, payload: ${fr.offset}-${fr.offset + fr.length - 1} (${fr.length} bytes)`;
    const item = ctx.add(fc, fr.overlap ? f.fragmentError : f.fragment, fr.offset, fr.length, fr.frame, text);
    if (item) item.generated = true;
    if (fr.overlap) {
      const oc = ctx.children(item);
      ctx.addGenerated(oc, f.fragmentOverlap, true, 'Fragment overlap: True');
      if (fr.conflict) ctx.addGenerated(oc, f.fragmentConflict, true, 'Conflicting data in fragment overlap: True');
    }
  }
  ctx.addGenerated(fc, f.fragmentCount, done.fragments.length);
  ctx.addGenerated(fc, f.reassembledLength, data.length);
  if (showData) {
    const rd = ctx.add(
      fc,
      f.reassembledData,
      0,
      data.length,
      data,
      `Reassembled ${family} data: ${truncatedHex(data)}`,
    );
    if (rd) rd.generated = true;
  }
}
