/**
 * Test harness for the TCP dissector: a small pcap/pcapng walker and just enough link/IP
 * decoding to hand TCP segments to `dissectTcp` the way the IP layers will, so TCP can be
 * checked against the tshark references independently of the other layers.
 */
import { readFileSync } from 'node:fs';
import {
  ColumnValues,
  PacketContext,
  SessionState,
  type DissectedPacket,
  type PacketInDissection,
} from '../../core/dissect/context';
import type { PacketRecord } from '../../core/pcap/types';
import type { ProtoNode } from '../../core/dissect/tree';
import { dissectTcp } from '../../core/dissect/protocols/tcp/dissector';
import { formatIpv4, formatIpv6 } from '../../core/dissect/format';

export const FIXTURES = new URL('../fixtures/captures/', import.meta.url).pathname;

/** Packet records of a pcap or pcapng file; stops quietly where the file is damaged. */
export function readRecords(bytes: Uint8Array): PacketRecord[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: PacketRecord[] = [];
  const magic = dv.getUint32(0, true);
  if (magic === 0x0a0d0d0a) return readPcapng(bytes, dv);
  let le = true;
  let nano = false;
  if (magic === 0xa1b2c3d4) nano = false;
  else if (magic === 0xa1b23c4d) nano = true;
  else if (magic === 0xd4c3b2a1) le = false;
  else if (magic === 0x4d3cb2a1) {
    le = false;
    nano = true;
  } else return out;
  const linkType = dv.getUint32(20, le) & 0xffff;
  let pos = 24;
  while (pos + 16 <= bytes.length) {
    const sec = dv.getUint32(pos, le);
    const frac = dv.getUint32(pos + 4, le);
    const incl = dv.getUint32(pos + 8, le);
    const orig = dv.getUint32(pos + 12, le);
    if (incl > 262144 || pos + 16 + incl > bytes.length) break;
    out.push({
      data: bytes.subarray(pos + 16, pos + 16 + incl),
      originalLength: orig,
      tsSec: sec,
      tsNsec: nano ? frac : frac * 1000,
      interfaceId: 0,
      linkType,
    });
    pos += 16 + incl;
  }
  return out;
}

function readPcapng(bytes: Uint8Array, dv: DataView): PacketRecord[] {
  const out: PacketRecord[] = [];
  let pos = 0;
  let le = true;
  let ifaces: { linkType: number; units: number }[] = [];
  const all: { linkType: number; units: number }[] = [];
  while (pos + 12 <= bytes.length) {
    let type = dv.getUint32(pos, le);
    if (type === 0x0a0d0d0a) {
      le = dv.getUint32(pos + 8, true) === 0x1a2b3c4d;
      type = 0x0a0d0d0a;
      ifaces = [];
    }
    const len = dv.getUint32(pos + 4, le);
    if (len < 12 || pos + len > bytes.length) break;
    if (type === 1) {
      const linkType = dv.getUint16(pos + 8, le);
      let units = 1e6;
      let o = pos + 16;
      while (o + 4 <= pos + len - 4) {
        const code = dv.getUint16(o, le);
        const olen = dv.getUint16(o + 2, le);
        if (code === 0) break;
        if (code === 9) {
          const v = bytes[o + 4];
          units = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + ((olen + 3) & ~3);
      }
      const iface = { linkType, units };
      ifaces.push(iface);
      all.push(iface);
    } else if (type === 6) {
      const id = dv.getUint32(pos + 8, le);
      const hi = dv.getUint32(pos + 12, le);
      const lo = dv.getUint32(pos + 16, le);
      const cap = dv.getUint32(pos + 20, le);
      const orig = dv.getUint32(pos + 24, le);
      const iface = ifaces[id] ?? { linkType: 1, units: 1e6 };
      const ts = BigInt(hi) * 2n ** 32n + BigInt(lo);
      const units = BigInt(Math.round(iface.units));
      const sec = Number(ts / units);
      const rem = Number(ts % units);
      out.push({
        data: bytes.subarray(pos + 28, pos + 28 + cap),
        originalLength: orig,
        tsSec: sec,
        tsNsec: Math.round((rem * 1e9) / iface.units),
        interfaceId: all.indexOf(iface),
        linkType: iface.linkType,
      });
    } else if (type === 3) {
      const orig = dv.getUint32(pos + 8, le);
      out.push({
        data: bytes.subarray(pos + 12, pos + 12 + Math.min(orig, len - 16)),
        originalLength: orig,
        tsSec: 0,
        tsNsec: 0,
        interfaceId: 0,
        linkType: ifaces[0]?.linkType ?? 1,
      });
    }
    pos += len;
  }
  return out;
}

/** Where the IP payload is: [offset, end), with the addresses. null when not TCP (or a fragment). */
export interface TcpLocation {
  offset: number;
  end: number;
  family: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  /** IPv4 fragment: key, byte offset of this fragment's data, more-fragments flag. */
  fragment?: { key: string; at: number; more: boolean };
}

export function locateTcp(rec: PacketRecord): TcpLocation | null {
  const b = rec.data;
  let off: number;
  let etherType: number;
  switch (rec.linkType) {
    case 0: {
      if (b.length < 4) return null;
      const af = b[0] | b[1] | b[2] | b[3];
      etherType = af === 2 ? 0x0800 : af === 24 || af === 28 || af === 30 ? 0x86dd : -1;
      off = 4;
      break;
    }
    case 1:
      off = 14;
      etherType = (b[12] << 8) | b[13];
      while (etherType === 0x8100 && off + 4 <= b.length) {
        etherType = (b[off + 2] << 8) | b[off + 3];
        off += 4;
      }
      break;
    case 101:
      off = 0;
      etherType = b[0] >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    case 113:
      off = 16;
      etherType = (b[14] << 8) | b[15];
      break;
    case 276:
      off = 20;
      etherType = (b[0] << 8) | b[1];
      break;
    default:
      return null;
  }
  if (etherType === 0x0800) {
    if (off + 20 > b.length) return null;
    const ihl = (b[off] & 15) * 4;
    const total = (b[off + 2] << 8) | b[off + 3];
    const fragField = (b[off + 6] << 8) | b[off + 7];
    if (b[off + 9] !== 6) return null;
    const loc: TcpLocation = {
      offset: off + ihl,
      end: off + total,
      family: 4,
      src: b.subarray(off + 12, off + 16),
      dst: b.subarray(off + 16, off + 20),
    };
    if (fragField & 0x3fff) {
      const key = `${formatIpv4(loc.src)}|${formatIpv4(loc.dst)}|${(b[off + 4] << 8) | b[off + 5]}`;
      loc.fragment = { key, at: (fragField & 0x1fff) * 8, more: (fragField & 0x2000) !== 0 };
    }
    return loc;
  }
  if (etherType === 0x86dd) {
    if (off + 40 > b.length) return null;
    const plen = (b[off + 4] << 8) | b[off + 5];
    let next = b[off + 6];
    const src = b.subarray(off + 8, off + 24);
    const dst = b.subarray(off + 24, off + 40);
    const end = off + 40 + plen;
    let p = off + 40;
    while (next === 0 || next === 43 || next === 60 || next === 44) {
      if (p + 8 > b.length) return null;
      if (next === 44) {
        const fo = (b[p + 2] << 8) | b[p + 3];
        if (fo & 0xfff9) return null;
        next = b[p];
        p += 8;
      } else {
        const hl = (b[p + 1] + 1) * 8;
        next = b[p];
        p += hl;
      }
    }
    if (next !== 6) return null;
    return { offset: p, end, family: 6, src, dst };
  }
  return null;
}

export interface HarnessPacket {
  packet: DissectedPacket;
  /** The TCP layer's nodes (the top-level nodes TCP and what it called added). */
  tree: ProtoNode[];
  isTcp: boolean;
}

/** Dissects every record of a capture through the TCP dissector only. */
export function dissectCapture(records: PacketRecord[], buildTree = true): HarnessPacket[] {
  const state = new SessionState();
  const out: HarnessPacket[] = [];
  const fragments = new Map<string, { parts: { at: number; data: Uint8Array }[]; total: number }>();
  let n = 0;
  for (const record of records) {
    n++;
    const tree: ProtoNode[] = [];
    const packet: PacketInDissection = {
      number: n,
      record,
      timeRelative: 0,
      timeDelta: 0,
      columns: new ColumnValues(),
      protocols: [],
      tree: buildTree ? tree : null,
      sources: [{ name: `Frame (${record.data.length} bytes)`, data: record.data }],
      expert: [],
      malformed: false,
      cutShortAfterLayers: -1,
    };
    let loc = locateTcp(record);
    let buf = record.data;
    if (loc?.fragment) {
      // Minimal IPv4 reassembly (the IPv4 layer's job in the engine).
      const fr = loc.fragment;
      const entry = fragments.get(fr.key) ?? { parts: [], total: -1 };
      fragments.set(fr.key, entry);
      entry.parts.push({ at: fr.at, data: record.data.subarray(loc.offset, Math.min(loc.end, record.data.length)) });
      if (!fr.more) entry.total = fr.at + (loc.end - loc.offset);
      const have = entry.parts.reduce((sum, p) => sum + p.data.length, 0);
      if (entry.total >= 0 && have >= entry.total) {
        const data = new Uint8Array(entry.total);
        for (const p of entry.parts) data.set(p.data.subarray(0, Math.max(0, entry.total - p.at)), p.at);
        fragments.delete(fr.key);
        packet.sources.push({ name: `Reassembled IPv4 (${data.length} bytes)`, data });
        buf = data;
        loc = { ...loc, offset: 0, end: data.length };
      } else {
        loc = null;
      }
    }
    if (loc) {
      const ctx = new PacketContext(packet, state, buildTree);
      ctx.net = {
        family: loc.family,
        src: loc.src,
        dst: loc.dst,
        srcText: loc.family === 4 ? formatIpv4(loc.src) : formatIpv6(loc.src),
        dstText: loc.family === 4 ? formatIpv4(loc.dst) : formatIpv6(loc.dst),
      };
      if (buf !== record.data) ctx.source = packet.sources.length - 1;
      ctx.call(dissectTcp, buf, loc.offset, loc.end, buildTree ? tree : null, 'TCP');
    }
    out.push({ packet, tree, isTcp: loc !== null });
  }
  return out;
}

export function loadCapture(rel: string): PacketRecord[] {
  return readRecords(new Uint8Array(readFileSync(FIXTURES + rel)));
}

/** Rows of F.tshark.tsv as objects keyed by the header names. */
export function loadReference(rel: string): Record<string, string>[] {
  const text = readFileSync(FIXTURES + rel + '.tshark.tsv', 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    return row;
  });
}
