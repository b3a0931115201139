/**
 * TCP options (Wireshark's dissect_tcpopt_*): each option's items and what it adds to the Info
 * column (" MSS=65495 WS=256 SACK_PERM"; the timestamps go to the Info as values).
 */
import type { FieldDef } from '../../fields';
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { formatBytesHex } from '../../format';
import type { TcpInfo } from '../tcp-info';
import { tcpFields as f, tcpExpert as ei, OPTION_KINDS, MPTCP_SUBTYPES } from './fields';
import { TH, u32, GT_SEQ, LT_SEQ, type TcpFlow } from './analysis';

export function dissectOptions(
  ctx: PacketContext,
  buf: Uint8Array,
  offset: number,
  optlen: number,
  end: number,
  ot: ProtoNode[] | null,
  optionsNode: ProtoNode | null,
  info: TcpInfo,
  fwd: TcpFlow,
  rev: TcpFlow,
  flags: number,
  rawAck: number,
): void {
  const optEnd = offset + optlen;
  // The Options item's label lists the options: made only when it is read (not for a stand-in
  // of a pruned item, nor when labels are not read).
  const summarize = optionsNode !== null && ctx.labelled(f.options);
  let summary = summarize ? (optionsNode.text ?? '') : '';
  // NOPs in a row, counted as Wireshark's tcp_dissect_options does (tshark 4.0): within a 32-bit
  // word of the header (the options start at a word: `offset` is the header's start + 20); a NOP
  // that starts a word while counting stops the count, other options do not. Eleven NOPs after
  // a 2-byte option never reach four there, and tshark raises nothing (tcpdump-ssh.pcap frame 2).
  let nopCount = 0;
  let pos = offset;
  while (pos < optEnd) {
    ctx.need(buf, pos, 1, end);
    const kind = buf[pos];
    if (kind === 1) {
      if (ctx.buildTree && (nopCount === 0 || (pos - offset) % 4 !== 0)) {
        nopCount++;
        if (nopCount === 4) ctx.expert(ot, ei.fourNops);
      } else {
        nopCount = 0;
      }
      if (ot) {
        const n = ctx.add(ot, f.optNop, pos, 1, optionBytes(ctx, f.optNop, buf, pos, 1));
        ctx.add(ctx.children(n), f.optionKind, pos, 1, 1);
      }
      if (summarize) summary += ', No-Operation (NOP)';
      pos += 1;
      continue;
    }
    if (kind === 0) {
      if (ot) {
        const n = ctx.add(ot, f.optEol, pos, 1, optionBytes(ctx, f.optEol, buf, pos, 1));
        ctx.add(ctx.children(n), f.optionKind, pos, 1, 0);
      }
      if (summarize) summary += ', End of Option List (EOL)';
      // tshark 4.0 goes on: each padding byte after it shows as one more EOL.
      pos += 1;
      continue;
    }
    // Options with a length byte.
    if (pos + 1 >= optEnd) {
      if (ot) ctx.expert(ot, ei.optionPastEnd, OPTION_KINDS[kind] ?? 'Unknown', kind);
      break;
    }
    ctx.need(buf, pos, 2, end);
    const len = buf[pos + 1];
    const expected = fixedOptionLength(kind);
    if (len < 2 || pos + len > optEnd || (expected > 0 && len !== expected) || (kind === 5 && (len - 2) % 8 !== 0)) {
      if (ot) {
        ctx.expert(ot, ei.optionLenInvalid, OPTION_KINDS[kind] ?? 'Unknown', kind, len);
      }
      break;
    }
    ctx.need(buf, pos, len, end);
    const text = dissectOption(ctx, buf, pos, kind, len, ot, fwd, rev, flags, rawAck, info);
    if (text) info.addOption(text);
    if (summarize) summary += OPTION_SUMMARIES[kind] ?? ', Unknown';
    pos += len;
  }
  // Wireshark labels hold at most ITEM_LABEL_LENGTH - 1 (239) characters.
  if (summarize) optionsNode.text = summary.length > 239 ? summary.slice(0, 239) : summary;
}

/** What each option adds to the Options item's label ("Options: (12 bytes), No-Operation (NOP), …"). */
const OPTION_SUMMARIES: Readonly<Record<number, string>> = {
  2: ', Maximum segment size',
  3: ', Window scale',
  4: ', SACK permitted',
  5: ', SACK',
  8: ', Timestamps',
  30: ', MPTCP',
  34: ', TCP Fast Open',
  253: ', Experimental',
  254: ', Experimental',
};

function fixedOptionLength(kind: number): number {
  switch (kind) {
    case 2:
      return 4;
    case 3:
      return 3;
    case 4:
      return 2;
    case 8:
      return 10;
    default:
      return 0;
  }
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/**
 * An option item's bytes, as its value: made only for an item that is kept. The load pass's
 * pruned trees keep none, and a view for each option (two NOPs and the timestamps in most
 * segments) was 95 of the 1,770 MB its first 300,000 packets of the bench capture allocated
 * (a sampling heap profile); their load 2,245 → 2,186 ms (medians of five, Node).
 */
function optionBytes(
  ctx: PacketContext,
  field: FieldDef,
  buf: Uint8Array,
  pos: number,
  len: number,
): Uint8Array | undefined {
  return ctx.keeps(field) ? buf.subarray(pos, pos + len) : undefined;
}

function optionHeader(
  ctx: PacketContext,
  ot: ProtoNode[] | null,
  buf: Uint8Array,
  field: FieldDef,
  pos: number,
  len: number,
  kind: number,
  text?: string,
): ProtoNode[] | null {
  if (!ot) return null;
  const n = ctx.add(ot, field, pos, len, optionBytes(ctx, field, buf, pos, len), text);
  const c = ctx.children(n);
  ctx.add(c, f.optionKind, pos, 1, kind);
  ctx.add(c, f.optionLen, pos + 1, 1, len);
  return c;
}

/** Adds one option's items; returns what it adds to the Info column (" MSS=65495"; the timestamps go to `info` as values). */
/** A Fast Open cookie; in a SYN (no ACK) Wireshark notes "TCP SYN with TFO Cookie" under it. */
function tfoCookie(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  from: number,
  to: number,
  flags: number,
): void {
  const node = ctx.add(
    c,
    f.tfoCookie,
    from,
    to - from,
    buf.slice(from, to),
    `Fast Open Cookie: ${formatBytesHex(buf.subarray(from, to))}`,
  );
  if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
    ctx.expert(ctx.children(node), ei.tfoSyn);
  }
}

function dissectOption(
  ctx: PacketContext,
  buf: Uint8Array,
  pos: number,
  kind: number,
  len: number,
  ot: ProtoNode[] | null,
  fwd: TcpFlow,
  rev: TcpFlow,
  flags: number,
  rawAck: number,
  info: TcpInfo,
): string {
  switch (kind) {
    case 2: {
      const mss = u16(buf, pos + 2);
      const c = optionHeader(
        ctx,
        ot,
        buf,
        f.optMss,
        pos,
        len,
        kind,
        ctx.labelled(f.optMss) ? `TCP Option - Maximum segment size: ${mss} bytes` : undefined,
      );
      ctx.add(c, f.mssVal, pos + 2, 2, mss);
      return ` MSS=${mss}`;
    }
    case 3: {
      let shift = buf[pos + 2];
      const shown = shift;
      if (shift > 14) shift = 14;
      const mult = 1 << shift; // shift ≤ 14
      if (flags & TH.SYN) fwd.winScale = shift;
      const c = optionHeader(
        ctx,
        ot,
        buf,
        f.optWscale,
        pos,
        len,
        kind,
        ctx.labelled(f.optWscale) ? `TCP Option - Window scale: ${shown} (multiply by ${mult})` : undefined,
      );
      ctx.add(c, f.wscaleShift, pos + 2, 1, shown);
      ctx.addGenerated(c, f.wscaleMultiplier, mult);
      return ` WS=${mult}`;
    }
    case 4:
      optionHeader(ctx, ot, buf, f.optSackPerm, pos, len, kind);
      return ' SACK_PERM';
    case 8: {
      const tsval = u32be(buf, pos + 2);
      const tsecr = u32be(buf, pos + 6);
      const c = optionHeader(
        ctx,
        ot,
        buf,
        f.optTimestamp,
        pos,
        len,
        kind,
        ctx.labelled(f.optTimestamp) ? `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}` : undefined,
      );
      ctx.add(c, f.tsval, pos + 2, 4, tsval);
      ctx.add(c, f.tsecr, pos + 6, 4, tsecr);
      info.addTimestamps(tsval, tsecr);
      return '';
    }
    case 5: {
      // SACK edges are sequence numbers of the other direction: relative to its base.
      const base = rev.baseSeq;
      let n: ProtoNode | null = null;
      let c: ProtoNode[] | null = null;
      if (ot) {
        // Explicit: the SACK ranges are appended to it below.
        n = ctx.add(ot, f.optSack, pos, len, optionBytes(ctx, f.optSack, buf, pos, len), 'TCP Option - SACK');
        c = ctx.children(n);
        ctx.add(c, f.optionKind, pos, 1, kind);
        ctx.add(c, f.optionLen, pos + 1, 1, len);
      }
      let info = '';
      let count = 0;
      for (let o = pos + 2; o + 8 <= pos + len; o += 8) {
        const le = u32be(buf, o);
        const re = u32be(buf, o + 4);
        const rle = u32(le - base);
        const rre = u32(re - base);
        if (fwd.numSackRanges < 4) {
          (fwd.sackLeft ??= [])[fwd.numSackRanges] = le;
          (fwd.sackRight ??= [])[fwd.numSackRanges] = re;
          fwd.numSackRanges++;
        }
        if (n) {
          n.text += ` ${rle}-${rre}`;
          ctx.add(c, f.sackLe, o, 4, rle, `left edge = ${rle} (relative)`);
          ctx.add(c, f.sackRe, o + 4, 4, rre, `right edge = ${rre} (relative)`);
        }
        info += ` SLE=${rle} SRE=${rre}`;
        count++;
      }
      if (c) {
        ctx.addGenerated(c, f.sackCount, count);
        // D-SACK (RFC 2883): the first block lies below the cumulative ACK.
        if (count > 0 && flags & TH.ACK) {
          const le = u32be(buf, pos + 2);
          const re = u32be(buf, pos + 6);
          if (LT_SEQ(le, rawAck)) {
            ctx.addGenerated(c, f.dsackLe, u32(le - base), `D-SACK Left Edge = ${u32(le - base)} (relative)`);
            ctx.addGenerated(c, f.dsackRe, u32(re - base), `D-SACK Right Edge = ${u32(re - base)} (relative)`);
            const ds = ctx.add(c, f.dsack, pos + 2, 8, undefined, 'D-SACK Sequence');
            ctx.expert(ctx.children(ds), ei.dsack);
          }
        }
      }
      void GT_SEQ;
      return info;
    }
    case 34: {
      const request = len === 2;
      const c = optionHeader(
        ctx,
        ot,
        buf,
        f.optTfo,
        pos,
        len,
        kind,
        ctx.labelled(f.optTfo)
          ? `TCP Option - TCP Fast Open: ${request ? 'Fast Open Cookie Request' : 'Fast Open Cookie'}`
          : undefined,
      );
      if (request) ctx.add(c, f.tfoRequest, pos, 2);
      else tfoCookie(ctx, c, buf, pos + 2, pos + len, flags);
      return request ? ' TFO=R' : ' TFO=C';
    }
    case 253:
    case 254: {
      const exid = len >= 4 ? u16(buf, pos + 2) : -1;
      const fastOpen = exid === 0xf989;
      // Its name is the label (optionField), but for Fast Open's.
      const label = fastOpen ? 'TCP Option - Experimental: Fast Open' : undefined;
      const c = optionHeader(ctx, ot, buf, f.optExperimental, pos, len, kind, label);
      if (fastOpen) {
        const request = len === 4;
        ctx.add(c, f.expExid, pos + 2, 2, exid, 'Experiment Identifier: Fast Open (0xf989)');
        if (request) ctx.add(c, f.tfoRequest, pos + 2, 2);
        else tfoCookie(ctx, c, buf, pos + 4, pos + len, flags);
        return request ? ' TFO=R' : ' TFO=C';
      }
      if (len > 2) ctx.add(c, f.expData, pos + 2, len - 2, buf.slice(pos + 2, pos + len));
      return '';
    }
    case 30: {
      const subtype = len > 2 ? buf[pos + 2] >> 4 : 0;
      const name = MPTCP_SUBTYPES[subtype] ?? 'Unknown';
      const c = optionHeader(
        ctx,
        ot,
        buf,
        f.mptcp,
        pos,
        len,
        kind,
        ctx.labelled(f.mptcp) ? `Multipath Transmission Control Protocol: ${name}` : undefined,
      );
      if (len > 2) {
        ctx.add(c, f.mptcpSubtype, pos + 2, 1, subtype);
        if (len > 3) ctx.add(c, f.unknownPayload, pos + 3, len - 3, buf.slice(pos + 3, pos + len));
      }
      return '';
    }
    default: {
      const c = optionHeader(ctx, ot, buf, f.optUnknown, pos, len, kind);
      if (len > 2) ctx.add(c, f.unknownPayload, pos + 2, len - 2, buf.slice(pos + 2, pos + len));
      return '';
    }
  }
}
