/**
 * TCP conversations and SEQ/ACK analysis, after Wireshark 4.0's packet-tcp.c
 * (`tcp_analyze_sequence_number`, conversation completeness, window scaling, iRTT).
 *
 * Pure state machine: the TCP dissector feeds it one segment at a time, in capture order,
 * and reads back the per-segment result (`TcpSegmentAnalysis`). The lab guide reuses the
 * conversation table (streams, completeness, who closed first).
 */

/** Analysis flags (Wireshark's TCP_A_*). */
export const TcpA = {
  RETRANSMISSION: 0x0001,
  LOST_PACKET: 0x0002,
  ACK_LOST_PACKET: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
} as const;

/** TCP header flag bits. */
export const TH = { FIN: 0x01, SYN: 0x02, RST: 0x04, PUSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

/** Conversation completeness bits (TCP_COMPLETENESS_*). */
export const TcpCompleteness = { SYNSENT: 1, SYNACK: 2, ACK: 4, DATA: 8, FIN: 16, RST: 32 } as const;

const MAX_UNACKED_SEGMENTS = 10000;

interface UnackedSegment {
  frame: number;
  seq: number;
  nextseq: number;
  tsSec: number;
  tsNsec: number;
  /** The next newer unacked segment. */
  newer: UnackedSegment | null;
}

/** One direction of a conversation (Wireshark's tcp_flow_t + tcp_analyze_seq_flow_info_t). */
export class TcpFlow {
  // Sequence numbers are u32 but stored as int32 (read back with >>> 0): a u32 above 2^31 is
  // not a small integer, and one such value makes V8 box the field in a heap number in every
  // flow — four more objects a flow for each young GC to copy, as flows live for the capture.
  private baseSeqBits = 0;
  private nextseqBits = 0;
  private maxSeqToBeAckedBits = 0;
  private lastackBits = 0;

  get baseSeq(): number {
    return this.baseSeqBits >>> 0;
  }
  set baseSeq(seq: number) {
    this.baseSeqBits = seq | 0;
  }
  get nextseq(): number {
    return this.nextseqBits >>> 0;
  }
  set nextseq(seq: number) {
    this.nextseqBits = seq | 0;
  }
  get maxSeqToBeAcked(): number {
    return this.maxSeqToBeAckedBits >>> 0;
  }
  set maxSeqToBeAcked(seq: number) {
    this.maxSeqToBeAckedBits = seq | 0;
  }
  get lastack(): number {
    return this.lastackBits >>> 0;
  }
  set lastack(seq: number) {
    this.lastackBits = seq | 0;
  }

  baseSeqSet = false;
  sawSyn = false;
  sawSynAck = false;
  /** -1 unknown, -2 no scaling used, else the shift count. */
  winScale = -1;
  /**
   * The last window seen, -1 before any (Wireshark's 0xFFFFFFFF, the same modulo 2^32 where it
   * is added to a sequence number; a Smi keeps the field from being boxed in every flow).
   */
  window = -1;
  isFirstAck = false;
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  closingInitiator = false;
  // seq analysis (and nextseq, maxSeqToBeAcked, lastack above)
  nextseqFrame = 0;
  nextseqSec = 0;
  nextseqNsec = 0;
  lastackSec = 0;
  lastackNsec = 0;
  lastSegmentFlags = 0;
  dupAckNum = 0;
  lastNonDupAck = 0;
  /**
   * Unacked segments, a list from the oldest. A list, not an array: every flow keeps one for
   * the whole capture, and an array's first push reserves 17 slots.
   */
  oldestSegment: UnackedSegment | null = null;
  newestSegment: UnackedSegment | null = null;
  segmentCount = 0;
  /** SACK blocks seen in the last segment of this direction (absolute); made at the first SACK. */
  sackLeft: number[] | null = null;
  sackRight: number[] | null = null;
  numSackRanges = 0;
  /** Payload / desegmentation state owned by the TCP dissector. */
  payload: unknown = undefined;
}

export class TcpConversation {
  /** flows[0]: the endpoint that sent the conversation's first packet. */
  readonly flows: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  completeness = 0;
  firstSec = 0;
  firstNsec = 0;
  prevSec = 0;
  prevNsec = 0;
  /** Time of the most recent SYN (no ACK), and the iRTT once the handshake's ACK is seen (ns; -1 = none). */
  mruSynSec = -1;
  mruSynNsec = 0;
  firstRttNs = 0;
  /** Server port, learnt from SYN / SYN+ACK (0 = unknown). */
  serverPort = 0;
  /** Index of the client flow (SYN sender, else first sender). */
  clientFlow = 0;
  /** Chosen payload consumer (owned by the dissector). */
  consumer: unknown = undefined;
  lastFrame = 0;

  constructor(
    readonly stream: number,
    readonly addrA: string,
    readonly portA: number,
    readonly addrB: string,
    readonly portB: number,
    readonly firstFrame: number,
  ) {}

  /** True when the packet's 4-tuple is this conversation's, in either direction. */
  matches(srcAddr: string, srcPort: number, dstAddr: string, dstPort: number): boolean {
    return (
      (srcPort === this.portA && dstPort === this.portB && srcAddr === this.addrA && dstAddr === this.addrB) ||
      (srcPort === this.portB && dstPort === this.portA && srcAddr === this.addrB && dstAddr === this.addrA)
    );
  }

  /** 0 when the packet goes from endpoint A (the first sender), 1 otherwise. */
  direction(srcAddr: string, srcPort: number): 0 | 1 {
    return srcPort === this.portA && srcAddr === this.addrA ? 0 : 1;
  }
}

/** Per-segment analysis (Wireshark's tcp_acked "ta", plus per-packet timing). */
export interface TcpSegmentAnalysis {
  /** True when Wireshark would have a "ta" for the frame (the [SEQ/ACK analysis] subtree is shown). */
  present: boolean;
  flags: number;
  frameAcked: number;
  /** RTT to ACK, ns. */
  ackRttNs: number;
  bytesInFlight: number;
  pushBytesSent: number;
  dupAckNum: number;
  dupAckFrame: number;
  rtoNs: number;
  rtoFrame: number;
}

export function newSegmentAnalysis(): TcpSegmentAnalysis {
  return {
    present: false,
    flags: 0,
    frameAcked: 0,
    ackRttNs: 0,
    bytesInFlight: 0,
    pushBytesSent: 0,
    dupAckNum: 0,
    dupAckFrame: 0,
    rtoNs: 0,
    rtoFrame: 0,
  };
}

export function resetSegmentAnalysis(ta: TcpSegmentAnalysis): void {
  ta.present = false;
  ta.flags = 0;
  ta.frameAcked = 0;
  ta.ackRttNs = 0;
  ta.bytesInFlight = 0;
  ta.pushBytesSent = 0;
  ta.dupAckNum = 0;
  ta.dupAckFrame = 0;
  ta.rtoNs = 0;
  ta.rtoFrame = 0;
}

// 32-bit sequence arithmetic.
const diff = (a: number, b: number): number => (a - b) | 0;
export const GT_SEQ = (a: number, b: number): boolean => diff(a, b) > 0;
export const LT_SEQ = (a: number, b: number): boolean => diff(a, b) < 0;
export const LE_SEQ = (a: number, b: number): boolean => diff(a, b) <= 0;
export const u32 = (n: number): number => n >>> 0;

/** ns between two (sec, nsec) instants. */
export function deltaNs(sec: number, nsec: number, sec0: number, nsec0: number): number {
  return (sec - sec0) * 1e9 + (nsec - nsec0);
}

/**
 * The conversation table of one capture: Wireshark numbers streams in order of first appearance.
 * A conversation stays findable until a new SYN reuses its 4-tuple; then only the new one is.
 */
export class TcpConversationTable {
  // Buckets by an order-independent numeric hash of the 4-tuple: no key string per packet.
  private readonly byHash = new Map<number, TcpConversation | TcpConversation[]>();
  /** Conversations created so far (the next stream index). */
  count = 0;

  /** Hash of a 4-tuple, the same both ways; addresses as their bytes (any length). */
  static hash(src: Uint8Array | null, srcPort: number, dst: Uint8Array | null, dstPort: number): number {
    return (endpointHash(src, srcPort) + endpointHash(dst, dstPort)) | 0;
  }

  find(hash: number, srcAddr: string, srcPort: number, dstAddr: string, dstPort: number): TcpConversation | undefined {
    const entry = this.byHash.get(hash);
    if (entry === undefined) return undefined;
    if (!Array.isArray(entry)) return entry.matches(srcAddr, srcPort, dstAddr, dstPort) ? entry : undefined;
    for (const conv of entry) if (conv.matches(srcAddr, srcPort, dstAddr, dstPort)) return conv;
    return undefined;
  }

  /** A new conversation; it replaces any earlier one of the same 4-tuple. */
  create(
    hash: number,
    frame: number,
    srcAddr: string,
    srcPort: number,
    dstAddr: string,
    dstPort: number,
  ): TcpConversation {
    const conv = new TcpConversation(this.count++, srcAddr, srcPort, dstAddr, dstPort, frame);
    const entry = this.byHash.get(hash);
    if (entry === undefined) {
      this.byHash.set(hash, conv);
    } else if (!Array.isArray(entry)) {
      this.byHash.set(hash, entry.matches(srcAddr, srcPort, dstAddr, dstPort) ? conv : [entry, conv]);
    } else {
      const i = entry.findIndex((c) => c.matches(srcAddr, srcPort, dstAddr, dstPort));
      if (i >= 0) entry[i] = conv;
      else entry.push(conv);
    }
    return conv;
  }
}

function endpointHash(addr: Uint8Array | null, port: number): number {
  let h = Math.imul(port + 0x9e3779b9, 0x85ebca6b);
  if (addr !== null) {
    for (let i = 0; i < addr.length; i++) h = Math.imul(h ^ addr[i], 0x01000193);
  }
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae35);
}

/**
 * Port of tcp_analyze_sequence_number(): updates the flows and fills `ta`. Raw (absolute)
 * sequence numbers; `window` is the unscaled header value.
 */
export function analyzeSequenceNumber(
  conv: TcpConversation,
  fwd: TcpFlow,
  rev: TcpFlow,
  ta: TcpSegmentAnalysis,
  frame: number,
  tsSec: number,
  tsNsec: number,
  seq: number,
  ack: number,
  seglen: number,
  flags: number,
  window: number,
): void {
  if (!fwd.baseSeqSet) {
    if (flags & TH.SYN) {
      fwd.baseSeq = seq;
      if (flags & TH.ACK) fwd.sawSynAck = true;
      else fwd.sawSyn = true;
    } else {
      fwd.baseSeq = u32(seq - 1);
    }
    fwd.baseSeqSet = true;
  }
  if (!rev.baseSeqSet && flags & TH.ACK) {
    rev.baseSeq = u32(ack - 1);
    rev.baseSeqSet = true;
  }
  if (flags & TH.ACK) rev.validBif = true;

  const noSynFinRst = (flags & (TH.SYN | TH.FIN | TH.RST)) === 0;
  let skipToFinishedFwd = false;

  // ZERO WINDOW PROBE
  if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
    ta.present = true;
    ta.flags |= TcpA.ZERO_WINDOW_PROBE;
    skipToFinishedFwd = true;
  }
  if (!skipToFinishedFwd) {
    // ZERO WINDOW
    if (window === 0 && noSynFinRst) {
      ta.present = true;
      ta.flags |= TcpA.ZERO_WINDOW;
    }
    // LOST PACKET
    if (fwd.nextseq && GT_SEQ(seq, fwd.nextseq) && (flags & TH.RST) === 0) {
      ta.present = true;
      ta.flags |= TcpA.LOST_PACKET;
      fwd.validBif = false;
    }
    // KEEP ALIVE
    if ((seglen === 0 || seglen === 1) && seq === u32(fwd.nextseq - 1) && noSynFinRst) {
      ta.present = true;
      ta.flags |= TcpA.KEEP_ALIVE;
    }
    // WINDOW UPDATE
    if (seglen === 0 && window && window !== fwd.window && seq === fwd.nextseq && ack === fwd.lastack && noSynFinRst) {
      ta.present = true;
      ta.flags |= TcpA.WINDOW_UPDATE;
    }
    // WINDOW FULL
    if (seglen > 0 && rev.winScale !== -1 && noSynFinRst) {
      const shift = rev.isFirstAck ? 0 : rev.winScale === -2 ? 0 : rev.winScale;
      if (u32(seq + seglen) === u32(rev.lastack + rev.window * (1 << shift))) {
        ta.present = true;
        ta.flags |= TcpA.WINDOW_FULL;
      }
    }
    const sameAsBefore = seglen === 0 && seq === fwd.nextseq && ack === fwd.lastack && noSynFinRst;
    // KEEP ALIVE ACK
    if (sameAsBefore && window && window === fwd.window && rev.lastSegmentFlags & TcpA.KEEP_ALIVE) {
      ta.present = true;
      ta.flags |= TcpA.KEEP_ALIVE_ACK;
    } else if (sameAsBefore && window === 0 && window === fwd.window && rev.lastSegmentFlags & TcpA.ZERO_WINDOW_PROBE) {
      // ZERO WINDOW PROBE ACK
      ta.present = true;
      ta.flags |= TcpA.ZERO_WINDOW_PROBE_ACK;
    } else if (sameAsBefore && window && window === fwd.window) {
      // DUPLICATE ACK
      fwd.dupAckNum = fwd.dupAckNum === -1 ? 1 : fwd.dupAckNum + 1;
      ta.present = true;
      ta.flags |= TcpA.DUPLICATE_ACK;
      ta.dupAckNum = fwd.dupAckNum;
      ta.dupAckFrame = fwd.lastNonDupAck;
    }
  }

  // finished_fwd:
  if (ack !== fwd.lastack) {
    fwd.lastNonDupAck = frame;
    fwd.dupAckNum = 0;
  }

  // ACKED LOST PACKET. Flagged once per lost stretch: 'max seq to be acked' jumps to the
  // reverse flow's nextseq, or, when it cannot move, the reverse flow's dupack counter is
  // parked at -1 until that side sends a new ACK (this matches tshark 4.0 on the fixtures).
  if (rev.maxSeqToBeAcked && GT_SEQ(ack, rev.maxSeqToBeAcked) && flags & TH.ACK) {
    ta.present = true;
    if (LT_SEQ(rev.maxSeqToBeAcked, rev.nextseq)) {
      rev.maxSeqToBeAcked = rev.nextseq;
      ta.flags |= TcpA.ACK_LOST_PACKET;
    } else {
      if (rev.dupAckNum === 0) ta.flags |= TcpA.ACK_LOST_PACKET;
      rev.dupAckNum = -1;
    }
  }

  // RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER
  checkRetransmission: if (seglen > 0 || flags & (TH.SYN | TH.FIN)) {
    let seqNotAdvanced = fwd.nextseq !== 0 && LT_SEQ(seq, fwd.nextseq);
    if (ta.flags & TcpA.KEEP_ALIVE) break checkRetransmission;
    if (seglen > 1 && u32(fwd.nextseq - 1) === seq) seqNotAdvanced = false;

    if (seglen > 0 && rev.lastack && LE_SEQ(u32(seq + seglen), rev.lastack)) {
      ta.present = true;
      ta.flags |= TcpA.SPURIOUS_RETRANSMISSION;
      break checkRetransmission;
    }
    // fast retransmission
    const tAck = deltaNs(tsSec, tsNsec, rev.lastackSec, rev.lastackNsec);
    if (seqNotAdvanced && rev.dupAckNum >= 2 && rev.lastack === seq && tAck >= 0 && tAck < 20000000) {
      ta.present = true;
      ta.flags |= TcpA.FAST_RETRANSMISSION;
      break checkRetransmission;
    }
    // out of order
    const tSeq = deltaNs(tsSec, tsNsec, fwd.nextseqSec, fwd.nextseqNsec);
    const oooThres = conv.firstRttNs === 0 ? 3000000 : conv.firstRttNs;
    if (
      seqNotAdvanced &&
      tSeq >= 0 &&
      tSeq < oooThres &&
      fwd.nextseq !== u32(seq + seglen + (flags & (TH.SYN | TH.FIN) ? 1 : 0))
    ) {
      ta.present = true;
      ta.flags |= TcpA.OUT_OF_ORDER;
      break checkRetransmission;
    }
    if (seqNotAdvanced) {
      ta.present = true;
      ta.flags |= TcpA.RETRANSMISSION;
      ta.rtoNs = deltaNs(tsSec, tsNsec, fwd.nextseqSec, fwd.nextseqNsec);
      ta.rtoFrame = fwd.nextseqFrame;
      // The eldest unacked segment (the list tail in Wireshark) is the best reference.
      const eldest = fwd.oldestSegment;
      if (eldest !== null) {
        ta.rtoNs = deltaNs(tsSec, tsNsec, eldest.tsSec, eldest.tsNsec);
        ta.rtoFrame = eldest.frame;
      }
    }
  }

  // finished_checking_retransmission_type:
  let nextseq = u32(seq + seglen);
  if ((seglen || flags & (TH.SYN | TH.FIN)) && fwd.segmentCount < MAX_UNACKED_SEGMENTS) {
    if (flags & (TH.SYN | TH.FIN)) nextseq = u32(nextseq + 1);
    const segment: UnackedSegment = { frame, seq, nextseq, tsSec, tsNsec, newer: null };
    if (fwd.newestSegment === null) fwd.oldestSegment = segment;
    else fwd.newestSegment.newer = segment;
    fwd.newestSegment = segment;
    fwd.segmentCount++;
  }
  if (GT_SEQ(nextseq, fwd.nextseq) || !fwd.nextseq) {
    if (!(ta.flags & TcpA.ZERO_WINDOW_PROBE)) {
      fwd.nextseq = nextseq;
      fwd.nextseqFrame = frame;
      fwd.nextseqSec = tsSec;
      fwd.nextseqNsec = tsNsec;
    }
  }
  if (seq === fwd.maxSeqToBeAcked || !fwd.maxSeqToBeAcked) {
    if (!(ta.flags & TcpA.ZERO_WINDOW_PROBE)) fwd.maxSeqToBeAcked = fwd.nextseq;
  }

  fwd.window = window;
  fwd.lastack = ack;
  fwd.lastackSec = tsSec;
  fwd.lastackNsec = tsNsec;
  fwd.lastSegmentFlags = ta.present ? ta.flags : 0;

  // Remove the segments this ACKs (oldest first). Wireshark walks newest first and the last
  // segment it deletes as acked names the frame: the oldest one.
  let acked = false;
  let kept: UnackedSegment | null = null;
  for (let ual = rev.oldestSegment; ual !== null; ual = ual.newer) {
    if (ack === ual.nextseq) {
      if (!acked) {
        acked = true;
        ta.present = true;
        ta.frameAcked = ual.frame;
        ta.ackRttNs = deltaNs(tsSec, tsNsec, ual.tsSec, ual.tsNsec);
      }
      rev.segmentCount--;
      continue; // delete
    }
    if (GT_SEQ(ack, ual.seq) && LE_SEQ(ack, ual.nextseq)) ual.seq = ack;
    else if (!GT_SEQ(ual.nextseq, ack)) {
      rev.segmentCount--;
      continue; // old: delete
    }
    if (kept === null) rev.oldestSegment = ual;
    else kept.newer = ual;
    kept = ual;
  }
  if (kept === null) rev.oldestSegment = null;
  else kept.newer = null;
  rev.newestSegment = kept;

  // Bytes in flight (payload-based method, Wireshark's default).
  const newest = fwd.newestSegment;
  if (seglen !== 0 && newest !== null && fwd.validBif) {
    const base = fwd.baseSeq;
    let firstSeq = u32(newest.seq - base);
    let lastSeq = u32(newest.nextseq - base);
    for (let s = fwd.oldestSegment; s !== null; s = s.newer) {
      const ns = u32(s.nextseq - base);
      const ss = u32(s.seq - base);
      if (ns > lastSeq) lastSeq = ns;
      if (ss < firstSeq) firstSeq = ss;
    }
    let inFlight = u32(lastSeq - firstSeq);
    if (rev.numSackRanges > 0) {
      let delivered = 0;
      const left = rev.sackLeft as number[];
      const right = rev.sackRight as number[];
      for (let i = 0; i < rev.numSackRanges; i++) delivered += u32(right[i] - left[i]);
      inFlight = u32(inFlight - delivered);
    }
    if (inFlight > 0 && inFlight < 2000000000) {
      ta.present = true;
      ta.bytesInFlight = inFlight;
      if (flags & (TH.SYN | TH.FIN)) ta.bytesInFlight -= 1;
    }
    if (flags & TH.PUSH && !fwd.pushSetLast) {
      fwd.pushBytesSent += seglen;
      fwd.pushSetLast = true;
    } else if (flags & TH.PUSH && fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = true;
    } else if (fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = false;
    } else {
      fwd.pushBytesSent += seglen;
    }
    ta.present = true;
    ta.pushBytesSent = fwd.pushBytesSent;
  }
}

/** "Complete, WITH_DATA (31)" etc., as Wireshark's conversation_completeness_fill(). */
export function completenessText(value: number): string {
  switch (value) {
    case 1:
      return `Incomplete, SYN_SENT (${value})`;
    case 3:
      return `Incomplete, CLIENT_ESTABLISHED (${value})`;
    case 7:
      return `Incomplete, ESTABLISHED (${value})`;
    case 15:
      return `Incomplete, DATA (${value})`;
    case 31:
    case 47:
    case 63:
      return `Complete, WITH_DATA (${value})`;
    case 23:
    case 39:
    case 55:
      return `Complete, NO_DATA (${value})`;
    default:
      return `Incomplete (${value})`;
  }
}
