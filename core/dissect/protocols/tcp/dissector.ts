/**
 * TCP, as Wireshark 4.0 shows it (`tshark -V` is the spec): header, flags, options, stream
 * index, conversation completeness, relative sequence numbers, window scaling, SEQ/ACK
 * analysis, Info column, and desegmentation for the application protocol consumers
 * registered in `tcpPayloadConsumers` (see context.ts).
 */
import { defineFields, type FieldDef } from '../../fields';
import {
  dissectorTables,
  DESEGMENT_UNTIL_FIN,
  tcpPayloadConsumers,
  type PacketContext,
  type TcpPayloadConsumer,
  type TcpPayloadInfo,
  type DesegmentRequest,
} from '../../context';
import type { ProtoNode } from '../../tree';
import { decimal, formatBytesHex, hex } from '../../format';
import { CHECKSUM_STATUS } from '../common';
import { TcpInfo } from '../tcp-info';
import {
  TcpA,
  TH,
  TcpCompleteness,
  TcpConversationTable,
  analyzeSequenceNumber,
  completenessText,
  deltaNs,
  newSegmentAnalysis,
  resetSegmentAnalysis,
  u32,
  GT_SEQ,
  LT_SEQ,
  type TcpConversation,
  type TcpFlow,
  type TcpSegmentAnalysis,
} from './analysis';

const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  25: 'Unassigned',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  69: 'Encryption Negotiation',
  172: 'Accurate ECN Order 0 (AccECN0) Option',
  174: 'Accurate ECN Order 1 (AccECN1) Option',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const MPTCP_SUBTYPES: Record<number, string> = {
  0: 'Multipath Capable',
  1: 'Join Connection',
  2: 'Data Sequence Signal',
  3: 'Add Address',
  4: 'Remove Address',
  5: 'Change Subflow Priority',
  6: 'TCP Fallback',
  7: 'Fast Close',
  8: 'TCP Reset',
};

const f = defineFields({
  tcp: { abbrev: 'tcp', name: 'Transmission Control Protocol', type: 'protocol', subtreeHolds: ['mptcp'] },
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint16' },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint16' },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint16' },
  stream: { abbrev: 'tcp.stream', name: 'Stream index', type: 'uint32' },
  completeness: {
    abbrev: 'tcp.completeness',
    name: 'Conversation completeness',
    type: 'uint8',
    label: (v) => `Conversation completeness: ${completenessText(v as number)}`,
  },
  len: { abbrev: 'tcp.len', name: 'TCP Segment Len', type: 'uint32' },
  seq: {
    abbrev: 'tcp.seq',
    name: 'Sequence Number',
    type: 'uint32',
    label: (v) => `Sequence Number: ${v}    (relative sequence number)`,
  },
  seqRaw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint32' },
  nxtseq: {
    abbrev: 'tcp.nxtseq',
    name: 'Next Sequence Number',
    type: 'uint32',
    label: (v) => `Next Sequence Number: ${v}    (relative sequence number)`,
  },
  ack: { abbrev: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint32' },
  ackRaw: { abbrev: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint32' },
  hdrLen: {
    abbrev: 'tcp.hdr_len',
    name: 'Header Length',
    type: 'uint8',
    // The data offset's 4 bits, as Wireshark's hf_tcp_hdr_len (the value stays in bytes; the label is its own).
    bitmask: 0xf0,
    label: (v) => {
      const hlen = v as number;
      return `${bits4(hlen >> 2)} .... = Header Length: ${hlen} bytes (${hlen >> 2})`;
    },
  },
  flags: {
    abbrev: 'tcp.flags',
    name: 'Flags',
    type: 'uint16',
    base: 'hex',
    bitmask: 0xfff,
    label: (v) => `Flags: ${hex(v as number, 3)} (${tcpFlagsText(v as number)})`,
    subtreeHolds: ['tcp.connection'], // SYN/FIN/RST expert items under their flag
  },
  flagsRes: { abbrev: 'tcp.flags.res', name: 'Reserved', type: 'bool', bitmask: 0xe00, bitWidth: 12 },
  flagsAe: { abbrev: 'tcp.flags.ae', name: 'Accurate ECN', type: 'bool', bitmask: 0x100, bitWidth: 12 },
  flagsCwr: { abbrev: 'tcp.flags.cwr', name: 'Congestion Window Reduced', type: 'bool', bitmask: 0x80, bitWidth: 12 },
  flagsEce: { abbrev: 'tcp.flags.ece', name: 'ECN-Echo', type: 'bool', bitmask: 0x40, bitWidth: 12 },
  flagsUrg: { abbrev: 'tcp.flags.urg', name: 'Urgent', type: 'bool', bitmask: 0x20, bitWidth: 12 },
  flagsAck: { abbrev: 'tcp.flags.ack', name: 'Acknowledgment', type: 'bool', bitmask: 0x10, bitWidth: 12 },
  flagsPush: { abbrev: 'tcp.flags.push', name: 'Push', type: 'bool', bitmask: 0x8, bitWidth: 12 },
  flagsReset: { abbrev: 'tcp.flags.reset', name: 'Reset', type: 'bool', bitmask: 0x4, bitWidth: 12 },
  flagsSyn: { abbrev: 'tcp.flags.syn', name: 'Syn', type: 'bool', bitmask: 0x2, bitWidth: 12 },
  flagsFin: { abbrev: 'tcp.flags.fin', name: 'Fin', type: 'bool', bitmask: 0x1, bitWidth: 12 },
  flagsStr: { abbrev: 'tcp.flags.str', name: 'TCP Flags', type: 'string', label: (v) => `TCP Flags: ${v}` },
  windowValue: { abbrev: 'tcp.window_size_value', name: 'Window', type: 'uint16' },
  windowSize: { abbrev: 'tcp.window_size', name: 'Calculated window size', type: 'uint32' },
  windowScale: {
    abbrev: 'tcp.window_size_scalefactor',
    name: 'Window size scaling factor',
    type: 'int32',
    label: (v) =>
      v === -1
        ? 'Window size scaling factor: -1 (unknown)'
        : v === -2
          ? 'Window size scaling factor: -2 (no window scaling used)'
          : `Window size scaling factor: ${v}`,
  },
  checksum: {
    abbrev: 'tcp.checksum',
    name: 'Checksum',
    type: 'uint16',
    base: 'hex',
    label: (v) => `Checksum: ${hex(v as number, 4)} [unverified]`,
  },
  checksumStatus: {
    abbrev: 'tcp.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  urgentPointer: { abbrev: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint16' },
  options: {
    abbrev: 'tcp.options',
    name: 'TCP Options',
    type: 'bytes',
    subtreeHolds: ['tcp.option_kind', 'tcp.option_len', 'tcp.nop', 'tcp.analysis.tfo_syn', 'mptcp'],
  },
  optionKind: { abbrev: 'tcp.option_kind', name: 'Kind', type: 'uint8', valueStrings: OPTION_KINDS },
  optionLen: { abbrev: 'tcp.option_len', name: 'Length', type: 'uint8' },
  optNop: { abbrev: 'tcp.options.nop', name: 'TCP Option - No-Operation (NOP)', type: 'protocol' },
  optEol: { abbrev: 'tcp.options.eol', name: 'TCP Option - End of Option List (EOL)', type: 'protocol' },
  optMss: { abbrev: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', type: 'protocol' },
  optWscale: { abbrev: 'tcp.options.wscale', name: 'TCP Option - Window scale', type: 'protocol' },
  optSackPerm: { abbrev: 'tcp.options.sack_perm', name: 'TCP Option - SACK permitted', type: 'protocol' },
  optSack: { abbrev: 'tcp.options.sack', name: 'TCP Option - SACK', type: 'protocol' },
  optTimestamp: { abbrev: 'tcp.options.timestamp', name: 'TCP Option - Timestamps', type: 'protocol' },
  optTfo: { abbrev: 'tcp.options.tfo', name: 'TCP Option - TCP Fast Open', type: 'protocol' },
  optExperimental: { abbrev: 'tcp.options.experimental', name: 'TCP Option - Experimental', type: 'protocol' },
  optUnknown: { abbrev: 'tcp.options.unknown', name: 'TCP Option - Unknown', type: 'protocol' },
  mptcp: {
    abbrev: 'mptcp',
    name: 'Multipath Transmission Control Protocol',
    type: 'protocol',
    subtreeHolds: ['tcp'], // the option's kind and length
  },
  mptcpSubtype: {
    abbrev: 'tcp.options.mptcp.subtype',
    name: 'Multipath TCP subtype',
    type: 'uint8',
    bitmask: 0xf0,
    valueStrings: MPTCP_SUBTYPES,
  },
  mssVal: { abbrev: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint16' },
  wscaleShift: { abbrev: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint8' },
  wscaleMultiplier: { abbrev: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: 'uint16' },
  sackLe: { abbrev: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint32' },
  sackRe: { abbrev: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint32' },
  sackCount: { abbrev: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint8' },
  dsackLe: { abbrev: 'tcp.options.sack.dsack_le', name: 'TCP D-SACK Left Edge', type: 'uint32' },
  dsackRe: { abbrev: 'tcp.options.sack.dsack_re', name: 'TCP D-SACK Right Edge', type: 'uint32' },
  dsack: { abbrev: 'tcp.options.sack.dsack', name: 'D-SACK Sequence', type: 'none' },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint32' },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint32' },
  expExid: { abbrev: 'tcp.options.experimental.exid', name: 'Experiment Identifier', type: 'uint16' },
  expData: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
  tfoRequest: { abbrev: 'tcp.options.tfo.request', name: 'Fast Open Cookie Request', type: 'none' },
  tfoCookie: { abbrev: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: 'bytes' },
  unknownPayload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  timestamps: {
    abbrev: 'tcp.timestamps',
    name: 'Timestamps',
    type: 'none',
    subtreeHolds: ['tcp.time_relative', 'tcp.time_delta'],
  },
  // A unit, not an explicit label: the tree formats these only when someone reads them.
  timeRelative: {
    abbrev: 'tcp.time_relative',
    name: 'Time since first frame in this TCP stream',
    type: 'time_rel',
    unit: ' seconds',
  },
  timeDelta: {
    abbrev: 'tcp.time_delta',
    name: 'Time since previous frame in this TCP stream',
    type: 'time_rel',
    unit: ' seconds',
  },
  analysis: { abbrev: 'tcp.analysis', name: 'SEQ/ACK analysis', type: 'none', subtreeHolds: [] },
  analysisFlags: { abbrev: 'tcp.analysis.flags', name: 'TCP Analysis Flags', type: 'none' },
  acksFrame: { abbrev: 'tcp.analysis.acks_frame', name: 'This is an ACK to the segment in frame', type: 'framenum' },
  ackRtt: {
    abbrev: 'tcp.analysis.ack_rtt',
    name: 'The RTT to ACK the segment was',
    type: 'time_rel',
    unit: ' seconds',
  },
  initialRtt: { abbrev: 'tcp.analysis.initial_rtt', name: 'iRTT', type: 'time_rel', unit: ' seconds' },
  bytesInFlight: { abbrev: 'tcp.analysis.bytes_in_flight', name: 'Bytes in flight', type: 'uint32' },
  pushBytesSent: { abbrev: 'tcp.analysis.push_bytes_sent', name: 'Bytes sent since last PSH flag', type: 'uint32' },
  rto: { abbrev: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: 'time_rel', unit: ' seconds' },
  rtoFrame: { abbrev: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: 'framenum' },
  duplicateAck: { abbrev: 'tcp.analysis.duplicate_ack', name: 'Duplicate ACK', type: 'none' },
  duplicateAckNum: { abbrev: 'tcp.analysis.duplicate_ack_num', name: 'Duplicate ACK #', type: 'uint32' },
  duplicateAckFrame: {
    abbrev: 'tcp.analysis.duplicate_ack_frame',
    name: 'Duplicate to the ACK in frame',
    type: 'framenum',
  },
  aRetransmission: {
    abbrev: 'tcp.analysis.retransmission',
    name: 'This frame is a (suspected) retransmission',
    type: 'none',
  },
  aFastRetransmission: {
    abbrev: 'tcp.analysis.fast_retransmission',
    name: 'This frame is a (suspected) fast retransmission',
    type: 'none',
  },
  aSpurious: {
    abbrev: 'tcp.analysis.spurious_retransmission',
    name: 'This frame is a (suspected) spurious retransmission',
    type: 'none',
  },
  aOutOfOrder: {
    abbrev: 'tcp.analysis.out_of_order',
    name: 'This frame is a (suspected) out-of-order segment',
    type: 'none',
  },
  aReusedPorts: {
    abbrev: 'tcp.analysis.reused_ports',
    name: 'A new tcp session is started with the same ports as an earlier session in this trace',
    type: 'none',
  },
  aLostSegment: {
    abbrev: 'tcp.analysis.lost_segment',
    name: 'Previous segment(s) not captured (common at capture start)',
    type: 'none',
  },
  aAckLostSegment: {
    abbrev: 'tcp.analysis.ack_lost_segment',
    name: "ACKed segment that wasn't captured (common at capture start)",
    type: 'none',
  },
  aWindowUpdate: { abbrev: 'tcp.analysis.window_update', name: 'TCP window update', type: 'none' },
  aWindowFull: {
    abbrev: 'tcp.analysis.window_full',
    name: 'TCP window specified by the receiver is now completely full',
    type: 'none',
  },
  aKeepAlive: { abbrev: 'tcp.analysis.keep_alive', name: 'TCP keep-alive segment', type: 'none' },
  aKeepAliveAck: { abbrev: 'tcp.analysis.keep_alive_ack', name: 'ACK to a TCP keep-alive segment', type: 'none' },
  aZeroWindowProbe: { abbrev: 'tcp.analysis.zero_window_probe', name: 'TCP Zero Window Probe', type: 'none' },
  aZeroWindow: { abbrev: 'tcp.analysis.zero_window', name: 'TCP Zero Window segment', type: 'none' },
  aZeroWindowProbeAck: {
    abbrev: 'tcp.analysis.zero_window_probe_ack',
    name: 'ACK to a TCP Zero Window Probe',
    type: 'none',
  },
  connSyn: { abbrev: 'tcp.connection.syn', name: 'Connection establish request (SYN)', type: 'none' },
  connSynAck: { abbrev: 'tcp.connection.synack', name: 'Connection establish acknowledge (SYN+ACK)', type: 'none' },
  connFin: { abbrev: 'tcp.connection.fin', name: 'Connection finish (FIN)', type: 'none' },
  connRst: { abbrev: 'tcp.connection.rst', name: 'Connection reset (RST)', type: 'none' },
  finActive: { abbrev: 'tcp.connection.fin_active', name: 'This frame initiates the connection closing', type: 'none' },
  finPassive: {
    abbrev: 'tcp.connection.fin_passive',
    name: 'This frame undergoes the connection closing',
    type: 'none',
  },
  nop: { abbrev: 'tcp.nop', name: '4 NOP in a row - a router may have removed some options', type: 'none' },
  tfoSyn: { abbrev: 'tcp.analysis.tfo_syn', name: 'TCP SYN with TFO Cookie', type: 'none' },
  tfoAck: { abbrev: 'tcp.analysis.tfo_ack', name: 'TCP SYN-ACK accepting TFO data', type: 'none' },
  ackNonzero: {
    abbrev: 'tcp.ack.nonzero',
    name: 'The acknowledgment number field is nonzero while the ACK flag is not set',
    type: 'none',
  },
  urgNonzero: {
    abbrev: 'tcp.urgent_pointer.non_zero',
    name: 'The urgent pointer field is nonzero while the URG flag is not set',
    type: 'none',
  },
  optLenInvalid: { abbrev: 'tcp.option.len.invalid', name: 'Invalid length for option', type: 'none' },
  bogusHeaderLength: { abbrev: 'tcp.bogus_header_length', name: 'Bogus TCP Header length', type: 'none' },
  shortSegment: { abbrev: 'tcp.short_segment', name: 'Short segment', type: 'none' },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: 'bytes' },
  segmentData: { abbrev: 'tcp.segment_data', name: 'TCP segment data', type: 'bytes' },
  resetCause: { abbrev: 'tcp.reset_cause', name: 'Reset cause', type: 'string' },
  segments: { abbrev: 'tcp.segments', name: 'Reassembled TCP Segments', type: 'none' },
  segment: { abbrev: 'tcp.segment', name: 'TCP Segment', type: 'framenum' },
  segmentCount: { abbrev: 'tcp.segment.count', name: 'Segment count', type: 'uint32' },
  reassembledLength: { abbrev: 'tcp.reassembled.length', name: 'Reassembled TCP length', type: 'uint32' },
  reassembledData: { abbrev: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: 'bytes' },
});
export const tcpFields = f;

const d = defineFields({
  data: { abbrev: 'data', name: 'Data', type: 'protocol' },
  dataData: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  dataLen: { abbrev: 'data.len', name: 'Length', type: 'int32' },
});

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const FLAG_LETTERS = ['F', 'S', 'R', 'P', 'A', 'U', 'E', 'C', 'A', 'R', 'R', 'R'];
// By the 12 flag bits: every packet's Info shows its flags.
const flagsTextCache = new Array<string | undefined>(0x1000);
const flagsLettersCache = new Array<string | undefined>(0x1000);

/** "SYN, ACK" as Wireshark's tcp_flags_to_str(); "<None>" when no flag is set. */
export function tcpFlagsText(flags: number): string {
  flags &= 0xfff;
  let s = flagsTextCache[flags];
  if (s !== undefined) return s;
  const parts: string[] = [];
  for (let i = 0; i < 9; i++) if (flags & (1 << i)) parts.push(FLAG_NAMES[i]);
  if (flags & 0xe00) parts.push('Reserved');
  s = parts.length ? parts.join(', ') : '<None>';
  flagsTextCache[flags] = s;
  return s;
}

/** "··········S·" as Wireshark's tcp_flags_to_str_first_letter(). */
export function tcpFlagsLetters(flags: number): string {
  flags &= 0xfff;
  let s = flagsLettersCache[flags];
  if (s !== undefined) return s;
  s = '';
  for (let i = 11; i >= 0; i--) s += flags & (1 << i) ? FLAG_LETTERS[i] : '\u00b7';
  flagsLettersCache[flags] = s;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Per-capture state

interface SegmentPart {
  frame: number;
  data: Uint8Array;
}

/** A PDU being reassembled in one direction (Wireshark's tcp_multisegment_pdu). */
interface Msp {
  /** Absolute sequence number of the PDU's first byte. */
  seq: number;
  /** Absolute sequence number just past the PDU (when known). */
  nxtpdu: number;
  /** The consumer asked for "one more segment" (length unknown). */
  oneMore: boolean;
  /** The consumer asked for everything up to the sender's FIN (DESEGMENT_UNTIL_FIN: a body without length). */
  untilFin?: boolean;
  parts: SegmentPart[];
  length: number;
}

interface FlowPayloadState {
  msp: Msp | null;
}

interface TcpState {
  table: TcpConversationTable;
  ta: TcpSegmentAnalysis;
}

function tcpState(ctx: PacketContext): TcpState {
  return ctx.state.state<TcpState>('tcp', () => ({ table: new TcpConversationTable(), ta: newSegmentAnalysis() }));
}

/** The conversation table of the capture (for the lab guide and statistics). */
export function tcpConversations(ctx: PacketContext): TcpConversationTable {
  return tcpState(ctx).table;
}

function flowPayload(flow: TcpFlow): FlowPayloadState {
  let st = flow.payload as FlowPayloadState | undefined;
  if (!st) {
    st = { msp: null };
    flow.payload = st;
  }
  return st;
}

/** "src → dst": how the Info of a segment starts. */
export function portsText(srcPort: number, dstPort: number): string {
  return decimal(srcPort) + ' \u2192 ' + decimal(dstPort);
}

const SEGMENT_OF_PDU = ' [TCP segment of a reassembled PDU]';

// ---------------------------------------------------------------------------------------------
// The dissector

interface Header {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  relSeq: number;
  relAck: number;
  flags: number;
  hlen: number;
  rawWindow: number;
  window: number;
  seglen: number;
  haveSeglen: boolean;
}

function dissectTcp(ctx: PacketContext, buf: Uint8Array, offset: number, end: number, tree: ProtoNode[] | null): void {
  const start = offset;
  const st = tcpState(ctx);
  const packet = ctx.packet;
  const record = packet.record;
  const frame = packet.number;

  ctx.enterProtocol('tcp', 'TCP');
  ctx.need(buf, start, 4, end);
  const srcPort = (buf[start] << 8) | buf[start + 1];
  const dstPort = (buf[start + 2] << 8) | buf[start + 3];
  if (start + 20 > end || start + 20 > buf.length) {
    // Cut short: the Info column shows just the ports (ctx.need below ends the layer).
    ctx.setInfo(portsText(srcPort, dstPort));
  }

  const tcpNode = tree ? ctx.add(tree, f.tcp, start, Math.max(0, end - start)) : null;
  const t = ctx.children(tcpNode);
  if (t) {
    ctx.add(t, f.srcport, start, 2, srcPort);
    ctx.add(t, f.dstport, start + 2, 2, dstPort);
    ctx.addHidden(t, f.port, start, 2, srcPort);
    ctx.addHidden(t, f.port, start + 2, 2, dstPort);
  }
  // The top line is only built with a tree (summary lines never show it).
  let topText = tcpNode ? `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}` : '';
  if (tcpNode) tcpNode.text = topText;

  ctx.need(buf, start, 20, end);
  const rawSeq = ((buf[start + 4] << 24) | (buf[start + 5] << 16) | (buf[start + 6] << 8) | buf[start + 7]) >>> 0;
  const rawAck = ((buf[start + 8] << 24) | (buf[start + 9] << 16) | (buf[start + 10] << 8) | buf[start + 11]) >>> 0;
  const flags = ((buf[start + 12] << 8) | buf[start + 13]) & 0x0fff;
  const rawWindow = (buf[start + 14] << 8) | buf[start + 15];
  const checksum = (buf[start + 16] << 8) | buf[start + 17];
  const urgent = (buf[start + 18] << 8) | buf[start + 19];
  const hlen = (buf[start + 12] >> 4) * 4;

  // Conversation lookup / creation.
  const net = ctx.net;
  const srcAddr = net ? net.srcText : '';
  const dstAddr = net ? net.dstText : '';
  const hash = TcpConversationTable.hash(net ? net.src : null, srcPort, net ? net.dst : null, dstPort);
  const table = st.table;
  const ta = st.ta;
  resetSegmentAnalysis(ta);
  let conv = table.find(hash, srcAddr, srcPort, dstAddr, dstPort);
  let isNew = false;
  if (!conv) {
    conv = table.create(hash, frame, srcAddr, srcPort, dstAddr, dstPort);
    conv.firstSec = conv.prevSec = record.tsSec;
    conv.firstNsec = conv.prevNsec = record.tsNsec;
    isNew = true;
  }
  let dir = conv.direction(srcAddr, srcPort);
  let fwd = conv.flows[dir];
  if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && fwd.baseSeqSet && rawSeq !== fwd.baseSeq) {
    // A new SYN on a used 4-tuple: a new stream (Wireshark: "TCP Port numbers reused").
    // No later packet can reach the old one: its payload consumer may forget it.
    (conv.consumer as TcpPayloadConsumer | undefined)?.release?.(ctx, conv.stream);
    conv = table.create(hash, frame, srcAddr, srcPort, dstAddr, dstPort);
    conv.firstSec = conv.prevSec = record.tsSec;
    conv.firstNsec = conv.prevNsec = record.tsNsec;
    conv.completeness = TcpCompleteness.SYNSENT;
    dir = 0;
    fwd = conv.flows[0];
    ta.present = true;
    ta.flags |= TcpA.REUSED_PORTS;
  } else if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && fwd.baseSeqSet && rawSeq !== fwd.baseSeq) {
    fwd.baseSeq = rawSeq;
    ta.present = true;
    ta.flags |= TcpA.REUSED_PORTS;
  }
  const rev = conv.flows[dir === 0 ? 1 : 0];
  conv.lastFrame = frame;
  const fwdPayload = flowPayload(fwd);

  const completenessShown = conv.completeness;
  if (t) {
    ctx.addGenerated(t, f.stream, conv.stream);
    ctx.addGenerated(t, f.completeness, completenessShown);
  }
  fwd.numSackRanges = 0;

  // Timestamps relative to the conversation.
  const tsRelNs = deltaNs(record.tsSec, record.tsNsec, conv.firstSec, conv.firstNsec);
  const tsDeltaNs = deltaNs(record.tsSec, record.tsNsec, conv.prevSec, conv.prevNsec);
  conv.prevSec = record.tsSec;
  conv.prevNsec = record.tsNsec;

  const reportedLen = end - start;
  let seglen = 0;
  let haveSeglen = false;
  let relSeq = rawSeq;
  let relAck = rawAck;
  let window = rawWindow;
  let nxtseq = 0;
  if (reportedLen < hlen) {
    if (t) {
      ctx.expert(
        t,
        'tcp',
        'error',
        'malformed',
        'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
        f.shortSegment,
      );
    }
  } else {
    seglen = reportedLen - hlen;
    haveSeglen = true;
    if (t) ctx.addGenerated(t, f.len, seglen);
    analyzeSequenceNumber(
      conv,
      fwd,
      rev,
      ta,
      frame,
      record.tsSec,
      record.tsNsec,
      rawSeq,
      rawAck,
      seglen,
      flags,
      rawWindow,
    );
    relSeq = u32(rawSeq - fwd.baseSeq);
    if (flags & TH.ACK) relAck = u32(rawAck - rev.baseSeq);
    if (!(flags & TH.SYN)) {
      if (fwd.winScale >= 0) window = rawWindow * (1 << fwd.winScale); // shift ≤ 14
    }
    nxtseq = u32(relSeq + seglen);
  }

  const flagsText = tcpFlagsText(flags);
  const info = new TcpInfo(srcPort, dstPort, flags, flagsText, relSeq, flags & TH.ACK ? relAck : -1, window);
  if (tcpNode) topText += `, Seq: ${relSeq}`;

  if (t) {
    ctx.add(t, f.seq, start + 4, 4, relSeq);
    ctx.add(t, f.seqRaw, start + 4, 4, rawSeq);
  }

  if (hlen < 20) {
    info.append(`, bogus TCP header length (${hlen}, must be at least 20)`);
    ctx.deferInfo(info);
    if (tcpNode) tcpNode.text = topText;
    if (t) {
      const n = ctx.add(t, f.hdrLen, start + 12, 1, hlen);
      ctx.expert(
        ctx.children(n),
        'tcp',
        'error',
        'malformed',
        `Bogus TCP header length (${hlen}, must be at least 20)`,
        f.bogusHeaderLength,
      );
    }
    return;
  }

  // Conversation completeness moves forward.
  let completeness = conv.completeness;
  if (isNew) {
    completeness = 0;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
      completeness |= TcpCompleteness.SYNSENT;
      if (seglen > 0) completeness |= TcpCompleteness.DATA;
    }
  } else {
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK)) completeness |= TcpCompleteness.SYNACK;
    if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) completeness |= seglen > 0 ? TcpCompleteness.DATA : TcpCompleteness.ACK;
    if ((flags & (TH.FIN | TH.ACK)) === (TH.FIN | TH.ACK)) completeness |= TcpCompleteness.FIN;
    if (flags & TH.RST) completeness |= TcpCompleteness.RST;
  }
  conv.completeness = completeness;

  if (tcpNode) {
    if (flags & TH.ACK) topText += `, Ack: ${relAck}`;
    if (haveSeglen) topText += `, Len: ${seglen}`;
    tcpNode.text = topText;
    tcpNode.length = hlen;
  }

  let synNode: ProtoNode | null = null;
  let finNode: ProtoNode | null = null;
  let rstNode: ProtoNode | null = null;
  let flagsStrNode: ProtoNode | null = null;
  if (t) {
    if (haveSeglen) {
      const nx = flags & (TH.SYN | TH.FIN) ? u32(nxtseq + 1) : nxtseq;
      ctx.addGenerated(t, f.nxtseq, nx);
    }
    const ackNode = ctx.add(
      t,
      f.ack,
      start + 8,
      4,
      relAck,
      flags & TH.ACK ? `Acknowledgment Number: ${relAck}    (relative ack number)` : `Acknowledgment Number: ${relAck}`,
    );
    ctx.add(t, f.ackRaw, start + 8, 4, rawAck);
    if (!(flags & TH.ACK) && rawAck !== 0) {
      ctx.expert(ctx.children(ackNode), 'tcp', 'note', 'protocol', f.ackNonzero.name, f.ackNonzero);
    }
    // A SYN-ACK acknowledging more than the SYN acknowledges data the SYN carried (TCP Fast Open).
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && relAck > 1) {
      ctx.expert(ctx.children(ackNode), 'tcp', 'note', 'sequence', f.tfoAck.name, f.tfoAck);
    }
    ctx.add(t, f.hdrLen, start + 12, 1, hlen);
    const flagsNode = ctx.add(t, f.flags, start + 12, 2, flags);
    const ft = ctx.children(flagsNode);
    ctx.add(ft, f.flagsRes, start + 12, 1, (flags & 0xe00) !== 0);
    ctx.add(ft, f.flagsAe, start + 12, 1, (flags & 0x100) !== 0);
    ctx.add(ft, f.flagsCwr, start + 13, 1, (flags & 0x80) !== 0);
    ctx.add(ft, f.flagsEce, start + 13, 1, (flags & 0x40) !== 0);
    ctx.add(ft, f.flagsUrg, start + 13, 1, (flags & 0x20) !== 0);
    ctx.add(ft, f.flagsAck, start + 13, 1, (flags & 0x10) !== 0);
    ctx.add(ft, f.flagsPush, start + 13, 1, (flags & 0x08) !== 0);
    rstNode = ctx.add(ft, f.flagsReset, start + 13, 1, (flags & 0x04) !== 0);
    synNode = ctx.add(ft, f.flagsSyn, start + 13, 1, (flags & 0x02) !== 0);
    finNode = ctx.add(ft, f.flagsFin, start + 13, 1, (flags & 0x01) !== 0);
    flagsStrNode = ctx.add(ft, f.flagsStr, start + 12, 2, tcpFlagsLetters(flags));
    if (flagsStrNode) flagsStrNode.generated = true;

    ctx.add(t, f.windowValue, start + 14, 2, rawWindow);
    ctx.addGenerated(t, f.windowSize, window);
    if (!(flags & TH.SYN)) {
      const ws = fwd.winScale;
      ctx.addGenerated(t, f.windowScale, ws >= 0 ? 2 ** ws : ws);
    }
  }

  // Expert info on SYN / FIN / RST (with the tree only) and what SYNs teach the conversation.
  if (flags & TH.SYN) {
    const synAck = (flags & TH.ACK) !== 0;
    if (t) {
      const message = synAck
        ? `Connection establish acknowledge (SYN+ACK): server port ${srcPort}`
        : `Connection establish request (SYN): server port ${dstPort}`;
      ctx.expert(ctx.children(synNode), 'tcp', 'chat', 'sequence', message, synAck ? f.connSynAck : f.connSyn);
    }
    if (synAck) {
      conv.serverPort = srcPort;
      conv.clientFlow = dir === 0 ? 1 : 0;
    } else {
      conv.serverPort = dstPort;
      conv.clientFlow = dir;
      conv.mruSynSec = record.tsSec;
      conv.mruSynNsec = record.tsNsec;
    }
    fwd.isFirstAck = true;
  }
  if (flags & TH.FIN) {
    ctx.expert(ctx.children(finNode), 'tcp', 'chat', 'sequence', 'Connection finish (FIN)', f.connFin);
    if (!rev.closingInitiator) {
      fwd.closingInitiator = true;
      ctx.expert(ctx.children(flagsStrNode), 'tcp', 'note', 'sequence', f.finActive.name, f.finActive);
    } else {
      ctx.expert(ctx.children(flagsStrNode), 'tcp', 'note', 'sequence', f.finPassive.name, f.finPassive);
    }
  }
  if (flags & TH.RST)
    ctx.expert(ctx.children(rstNode), 'tcp', 'warning', 'sequence', 'Connection reset (RST)', f.connRst);

  if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) {
    if (conv.mruSynSec >= 0 && conv.firstRttNs === 0) {
      conv.firstRttNs = deltaNs(record.tsSec, record.tsNsec, conv.mruSynSec, conv.mruSynNsec);
    }
    if (fwd.isFirstAck) fwd.isFirstAck = false;
  }

  // Checksum (not verified, as tshark by default) and urgent pointer.
  const capturedAll = buf.length >= end;
  if (t) {
    ctx.add(t, f.checksum, start + 16, 2, checksum);
    ctx.addGenerated(t, f.checksumStatus, 2, 'Checksum Status: Unverified');
    const urgNode = ctx.add(t, f.urgentPointer, start + 18, 2, urgent);
    if (!(flags & TH.URG) && urgent)
      ctx.expert(ctx.children(urgNode), 'tcp', 'note', 'protocol', f.urgNonzero.name, f.urgNonzero);
  }
  if (flags & TH.URG) info.urgent = urgent;
  if (haveSeglen) info.length = seglen;

  // Options.
  const optlen = hlen - 20;
  let optionsTree: ProtoNode[] | null = null;
  let optionsNode: ProtoNode | null = null;
  if (optlen > 0 && t) {
    const captured = Math.max(0, Math.min(optlen, buf.length - (start + 20)));
    optionsNode = ctx.add(
      t,
      f.options,
      start + 20,
      captured,
      buf.subarray(start + 20, start + 20 + captured),
      `Options: (${optlen} bytes)`,
    );
    optionsTree = ctx.children(optionsNode);
  }

  // [Timestamps]
  if (t) {
    const tsNode = ctx.addGenerated(t, f.timestamps, undefined, 'Timestamps');
    const tt = ctx.children(tsNode);
    ctx.addGenerated(tt, f.timeRelative, tsRelNs / 1e9);
    ctx.addGenerated(tt, f.timeDelta, tsDeltaNs / 1e9);
  }

  ctx.deferInfo(info);
  // Each option adds its text as it is read, as Wireshark's do: a cut-short option keeps those before it.
  if (optlen > 0)
    dissectOptions(ctx, buf, start + 20, optlen, end, optionsTree, optionsNode, info, fwd, rev, flags, rawAck);

  // SEQ/ACK analysis (tree) and the Info prefixes.
  const prefix = analysisPrefix(ta);
  if (t && ta.present) printAnalysis(ctx, t, ta, conv);
  if (prefix) ctx.prependInfo(prefix);

  // Window scaling is settled once both SYNs are seen.
  if (flags & TH.SYN) verifyWindowScaling((flags & TH.ACK) !== 0, fwd, rev);

  // Payload.
  if (!haveSeglen || seglen === 0) {
    // A FIN ends a PDU collected "until FIN" (an HTTP body without length): dissect it now.
    const pending = fwdPayload.msp;
    if (flags & TH.FIN && pending?.untilFin && conv.consumer) {
      const finInfo: TcpPayloadInfo = {
        stream: conv.stream,
        fromClient: dir === conv.clientFlow,
        srcPort,
        dstPort,
        relSeq,
        outOfOrder: false,
        fin: true,
      };
      const at = start + hlen;
      completeReassembly(
        ctx,
        tree,
        conv,
        fwd,
        conv.consumer as TcpPayloadConsumer,
        pending,
        buf,
        at,
        at,
        rawSeq,
        finInfo,
        prefix,
      );
    }
    return;
  }
  const pOff = start + hlen;
  const pEnd = end;
  const capEnd = Math.min(pEnd, buf.length);
  if (flags & TH.RST) {
    // Wireshark shows an RST's payload as the reset cause (a text, up to the first NUL).
    if (pOff < capEnd) addResetCause(ctx, t, buf, pOff, capEnd);
    return;
  }
  if (t) {
    const n = ctx.add(
      t,
      f.payload,
      pOff,
      Math.max(0, capEnd - pOff),
      buf.subarray(pOff, capEnd),
      `TCP payload (${seglen} byte${seglen === 1 ? '' : 's'})`,
    );
    void n;
  }
  const hdr: Header = {
    srcPort,
    dstPort,
    seq: rawSeq,
    ack: rawAck,
    relSeq,
    relAck,
    flags,
    hlen,
    rawWindow,
    window,
    seglen,
    haveSeglen,
  };
  const payloadInfo: TcpPayloadInfo = {
    stream: conv.stream,
    fromClient: dir === conv.clientFlow,
    srcPort,
    dstPort,
    relSeq,
    outOfOrder: (ta.flags & (TcpA.RETRANSMISSION | TcpA.OUT_OF_ORDER | TcpA.SPURIOUS_RETRANSMISSION)) !== 0,
  };
  if (!capturedAll) {
    // Snapped: the consumer dissects the captured bytes, knowing more were on the wire.
    payloadInfo.canDesegment = false;
    payloadInfo.reportedEnd = pEnd;
  }
  if (pOff >= capEnd) return;

  if (ta.flags & TcpA.KEEP_ALIVE) {
    addData(ctx, tree, buf, pOff, capEnd);
    return;
  }
  if (ta.flags & (TcpA.RETRANSMISSION | TcpA.OUT_OF_ORDER | TcpA.SPURIOUS_RETRANSMISSION)) {
    if (t)
      ctx.add(
        t,
        f.segmentData,
        pOff,
        capEnd - pOff,
        buf.subarray(pOff, capEnd),
        `Retransmitted TCP segment data (${capEnd - pOff} bytes)`,
      );
    return;
  }

  const canDesegment = capturedAll;
  handlePayload(ctx, tree, t, conv, fwd, hdr, buf, pOff, capEnd, payloadInfo, canDesegment, prefix);
}

function bits4(v: number): string {
  return (v & 15).toString(2).padStart(4, '0');
}

function verifyWindowScaling(isSynAck: boolean, fwd: TcpFlow, rev: TcpFlow): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (isSynAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

function analysisPrefix(ta: TcpSegmentAnalysis): string {
  const fl = ta.flags;
  if (!fl) return '';
  // Wireshark prepends each marker in this order, so the last one ends up first.
  let p = '';
  const pre = (s: string) => {
    p = s + p;
  };
  if (fl & TcpA.REUSED_PORTS) pre('[TCP Port numbers reused] ');
  if (fl & TcpA.RETRANSMISSION) pre('[TCP Retransmission] ');
  if (fl & TcpA.FAST_RETRANSMISSION) pre('[TCP Fast Retransmission] ');
  if (fl & TcpA.SPURIOUS_RETRANSMISSION) pre('[TCP Spurious Retransmission] ');
  if (fl & TcpA.OUT_OF_ORDER) pre('[TCP Out-Of-Order] ');
  if (fl & TcpA.LOST_PACKET) pre('[TCP Previous segment not captured] ');
  if (fl & TcpA.ACK_LOST_PACKET) pre('[TCP ACKed unseen segment] ');
  if (fl & TcpA.WINDOW_UPDATE) pre('[TCP Window Update] ');
  if (fl & TcpA.WINDOW_FULL) pre('[TCP Window Full] ');
  if (fl & TcpA.KEEP_ALIVE) pre('[TCP Keep-Alive] ');
  if (fl & TcpA.KEEP_ALIVE_ACK) pre('[TCP Keep-Alive ACK] ');
  if (ta.dupAckNum && fl & TcpA.DUPLICATE_ACK) pre(`[TCP Dup ACK ${ta.dupAckFrame}#${ta.dupAckNum}] `);
  if (fl & TcpA.ZERO_WINDOW_PROBE) pre('[TCP ZeroWindowProbe] ');
  if (fl & TcpA.ZERO_WINDOW) pre('[TCP ZeroWindow] ');
  if (fl & TcpA.ZERO_WINDOW_PROBE_ACK) pre('[TCP ZeroWindowProbeAck] ');
  return p;
}

function printAnalysis(ctx: PacketContext, t: ProtoNode[], ta: TcpSegmentAnalysis, conv: TcpConversation): void {
  const node = ctx.addGenerated(t, f.analysis, undefined, 'SEQ/ACK analysis');
  const a = ctx.children(node);
  if (ta.frameAcked) {
    ctx.addGenerated(a, f.acksFrame, ta.frameAcked);
    if (ta.ackRttNs) ctx.addGenerated(a, f.ackRtt, ta.ackRttNs / 1e9);
  }
  if (conv.firstRttNs !== 0) ctx.addGenerated(a, f.initialRtt, conv.firstRttNs / 1e9);
  if (ta.bytesInFlight) {
    ctx.addGenerated(a, f.bytesInFlight, ta.bytesInFlight);
    ctx.addGenerated(a, f.pushBytesSent, ta.pushBytesSent);
  }
  const fl = ta.flags;
  if (!fl) return;
  const flagsNode = ctx.addGenerated(a, f.analysisFlags, undefined, 'TCP Analysis Flags');
  const ft = ctx.children(flagsNode);
  const ex = (severity: 'chat' | 'note' | 'warning', field: FieldDef) =>
    ctx.expert(ft, 'tcp', severity, 'sequence', field.name, field);
  if (fl & TcpA.REUSED_PORTS) ex('note', f.aReusedPorts);
  if (fl & TcpA.RETRANSMISSION) {
    ex('note', f.aRetransmission);
    if (ta.rtoNs) {
      ctx.addGenerated(ft, f.rto, ta.rtoNs / 1e9);
      ctx.addGenerated(ft, f.rtoFrame, ta.rtoFrame);
    }
  }
  if (fl & TcpA.FAST_RETRANSMISSION) {
    ex('note', f.aFastRetransmission);
    ex('note', f.aRetransmission);
  }
  if (fl & TcpA.SPURIOUS_RETRANSMISSION) {
    ex('note', f.aSpurious);
    ex('note', f.aRetransmission);
  }
  if (fl & TcpA.OUT_OF_ORDER) ex('warning', f.aOutOfOrder);
  if (fl & TcpA.LOST_PACKET) ex('warning', f.aLostSegment);
  if (fl & TcpA.ACK_LOST_PACKET) ex('warning', f.aAckLostSegment);
  if (fl & TcpA.WINDOW_UPDATE) ex('chat', f.aWindowUpdate); // ei_tcp_analysis_window_update is PI_CHAT
  if (fl & TcpA.WINDOW_FULL) ex('warning', f.aWindowFull);
  if (fl & TcpA.KEEP_ALIVE) ex('note', f.aKeepAlive);
  if (fl & TcpA.KEEP_ALIVE_ACK) ex('note', f.aKeepAliveAck);
  if (ta.dupAckNum) {
    if (fl & TcpA.DUPLICATE_ACK) ctx.addGenerated(ft, f.duplicateAck, undefined, 'This is a TCP duplicate ack');
    ctx.addGenerated(a, f.duplicateAckNum, ta.dupAckNum);
    const df = ctx.addGenerated(a, f.duplicateAckFrame, ta.dupAckFrame);
    ctx.expert(ctx.children(df), 'tcp', 'note', 'sequence', `Duplicate ACK (#${ta.dupAckNum})`, f.duplicateAck);
  }
  if (fl & TcpA.ZERO_WINDOW_PROBE) ex('note', f.aZeroWindowProbe);
  if (fl & TcpA.ZERO_WINDOW) ex('warning', f.aZeroWindow);
  if (fl & TcpA.ZERO_WINDOW_PROBE_ACK) ex('note', f.aZeroWindowProbeAck);
}

// ---------------------------------------------------------------------------------------------
// Options

function dissectOptions(
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
  let summary = optionsNode ? (optionsNode.text ?? '') : '';
  let nopRun = 0;
  let nopWarned = false;
  let pos = offset;
  while (pos < optEnd) {
    ctx.need(buf, pos, 1, end);
    const kind = buf[pos];
    if (kind === 1) {
      nopRun++;
      if (nopRun === 4 && !nopWarned) {
        nopWarned = true;
        ctx.expert(ot, 'tcp', 'warning', 'protocol', f.nop.name, f.nop);
      }
      if (ot) {
        const n = ctx.add(ot, f.optNop, pos, 1);
        ctx.add(ctx.children(n), f.optionKind, pos, 1, 1);
      }
      if (optionsNode) summary += ', No-Operation (NOP)';
      pos += 1;
      continue;
    }
    nopRun = 0;
    if (kind === 0) {
      if (ot) {
        const n = ctx.add(ot, f.optEol, pos, 1);
        ctx.add(ctx.children(n), f.optionKind, pos, 1, 0);
      }
      if (optionsNode) summary += ', End of Option List (EOL)';
      break;
    }
    // Options with a length byte.
    if (pos + 1 >= optEnd) {
      if (ot)
        ctx.expert(
          ot,
          'tcp',
          'error',
          'protocol',
          `${OPTION_KINDS[kind] ?? 'Unknown'} (${kind}) option goes past end of options`,
          f.optLenInvalid,
        );
      break;
    }
    ctx.need(buf, pos, 2, end);
    const len = buf[pos + 1];
    const expected = fixedOptionLength(kind);
    if (len < 2 || pos + len > optEnd || (expected > 0 && len !== expected) || (kind === 5 && (len - 2) % 8 !== 0)) {
      if (ot) {
        ctx.expert(
          ot,
          'tcp',
          'error',
          'protocol',
          `${OPTION_KINDS[kind] ?? 'Unknown'} (${kind}): option length ${len} is invalid`,
          f.optLenInvalid,
        );
      }
      break;
    }
    ctx.need(buf, pos, len, end);
    const text = dissectOption(ctx, buf, pos, kind, len, ot, fwd, rev, flags, rawAck, info);
    if (text) info.addOption(text);
    if (optionsNode) summary += OPTION_SUMMARIES[kind] ?? ', Unknown';
    pos += len;
  }
  // Wireshark labels hold at most ITEM_LABEL_LENGTH - 1 (239) characters.
  if (optionsNode) optionsNode.text = summary.length > 239 ? summary.slice(0, 239) : summary;
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

function optionHeader(
  ctx: PacketContext,
  ot: ProtoNode[] | null,
  field: FieldDef,
  pos: number,
  len: number,
  kind: number,
  text?: string,
): ProtoNode[] | null {
  if (!ot) return null;
  const n = ctx.add(ot, field, pos, len, undefined, text);
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
    ctx.expert(ctx.children(node), 'tcp', 'note', 'sequence', f.tfoSyn.name, f.tfoSyn);
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
        f.optMss,
        pos,
        len,
        kind,
        ot ? `TCP Option - Maximum segment size: ${mss} bytes` : undefined,
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
        f.optWscale,
        pos,
        len,
        kind,
        ot ? `TCP Option - Window scale: ${shown} (multiply by ${mult})` : undefined,
      );
      ctx.add(c, f.wscaleShift, pos + 2, 1, shown);
      ctx.addGenerated(c, f.wscaleMultiplier, mult);
      return ` WS=${mult}`;
    }
    case 4:
      optionHeader(ctx, ot, f.optSackPerm, pos, len, kind, ot ? 'TCP Option - SACK permitted' : undefined);
      return ' SACK_PERM';
    case 8: {
      const tsval = u32be(buf, pos + 2);
      const tsecr = u32be(buf, pos + 6);
      const c = optionHeader(
        ctx,
        ot,
        f.optTimestamp,
        pos,
        len,
        kind,
        ot ? `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}` : undefined,
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
        n = ctx.add(ot, f.optSack, pos, len, undefined, 'TCP Option - SACK');
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
            ctx.expert(ctx.children(ds), 'tcp', 'warning', 'sequence', 'D-SACK Sequence', f.dsack);
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
        f.optTfo,
        pos,
        len,
        kind,
        ot ? `TCP Option - TCP Fast Open: ${request ? 'Fast Open Cookie Request' : 'Fast Open Cookie'}` : undefined,
      );
      if (request) ctx.add(c, f.tfoRequest, pos, 2);
      else tfoCookie(ctx, c, buf, pos + 2, pos + len, flags);
      return request ? ' TFO=R' : ' TFO=C';
    }
    case 253:
    case 254: {
      const exid = len >= 4 ? u16(buf, pos + 2) : -1;
      if (exid === 0xf989) {
        const request = len === 4;
        const c = optionHeader(
          ctx,
          ot,
          f.optExperimental,
          pos,
          len,
          kind,
          ot ? 'TCP Option - Experimental: Fast Open' : undefined,
        );
        ctx.add(c, f.expExid, pos + 2, 2, exid, 'Experiment Identifier: Fast Open (0xf989)');
        if (request) ctx.add(c, f.tfoRequest, pos + 2, 2);
        else tfoCookie(ctx, c, buf, pos + 4, pos + len, flags);
        return request ? ' TFO=R' : ' TFO=C';
      }
      const c = optionHeader(ctx, ot, f.optExperimental, pos, len, kind, ot ? 'TCP Option - Experimental' : undefined);
      if (len > 2) ctx.add(c, f.expData, pos + 2, len - 2, buf.slice(pos + 2, pos + len));
      return '';
    }
    case 30: {
      const subtype = len > 2 ? buf[pos + 2] >> 4 : 0;
      const name = MPTCP_SUBTYPES[subtype] ?? 'Unknown';
      const c = optionHeader(
        ctx,
        ot,
        f.mptcp,
        pos,
        len,
        kind,
        ot ? `Multipath Transmission Control Protocol: ${name}` : undefined,
      );
      if (len > 2) {
        ctx.add(c, f.mptcpSubtype, pos + 2, 1, subtype);
        if (len > 3) ctx.add(c, f.unknownPayload, pos + 3, len - 3, buf.slice(pos + 3, pos + len));
      }
      return '';
    }
    default: {
      const c = optionHeader(ctx, ot, f.optUnknown, pos, len, kind, ot ? 'TCP Option - Unknown' : undefined);
      if (len > 2) ctx.add(c, f.unknownPayload, pos + 2, len - 2, buf.slice(pos + 2, pos + len));
      return '';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Payload

function addResetCause(ctx: PacketContext, t: ProtoNode[] | null, buf: Uint8Array, pOff: number, capEnd: number): void {
  if (!t) return;
  let text = '';
  let i = pOff;
  for (; i < capEnd && buf[i] !== 0; i++) text += buf[i] < 0x80 ? String.fromCharCode(buf[i]) : '\ufffd';
  const n = ctx.add(t, f.resetCause, pOff, capEnd - pOff, text, `Reset cause: ${text}`);
  if (i < capEnd - 1) ctx.expert(ctx.children(n), 'tcp', 'warning', 'undecoded', 'Trailing stray characters');
}

/** Unclaimed payload, as Wireshark's "data" dissector shows it. */
function addData(ctx: PacketContext, tree: ProtoNode[] | null, buf: Uint8Array, pOff: number, pEnd: number): void {
  ctx.enterProtocol('data');
  if (!tree) return;
  const n = pEnd - pOff;
  const node = ctx.add(tree, d.data, pOff, n, undefined, `Data (${n} byte${n === 1 ? '' : 's'})`);
  const c = ctx.children(node);
  const bytes = buf.subarray(pOff, pEnd);
  ctx.add(
    c,
    d.dataData,
    pOff,
    n,
    bytes,
    `Data: ${formatBytesHex(bytes.subarray(0, Math.min(bytes.length, 36)))}${bytes.length > 36 ? '\u2026' : ''}`,
  );
  ctx.addGenerated(c, d.dataLen, n, `Length: ${n}`);
}

function chooseConsumer(
  conv: TcpConversation,
  buf: Uint8Array,
  pOff: number,
  pEnd: number,
  info: TcpPayloadInfo,
): TcpPayloadConsumer | null {
  if (conv.consumer) return conv.consumer as TcpPayloadConsumer;
  if (tcpPayloadConsumers.length === 0) return null;
  const low = Math.min(info.srcPort, info.dstPort);
  const high = Math.max(info.srcPort, info.dstPort);
  for (const port of [low, high]) {
    for (const c of tcpPayloadConsumers) {
      if (c.ports.includes(port)) {
        conv.consumer = c;
        return c;
      }
    }
  }
  for (const c of tcpPayloadConsumers) {
    let ok: boolean;
    try {
      ok = c.heuristic(buf, pOff, pEnd, info);
    } catch {
      ok = false;
    }
    if (ok) {
      conv.consumer = c;
      return c;
    }
  }
  return null;
}

interface CallResult {
  request: DesegmentRequest | null;
  /** The consumer consumed nothing and asked for more: its output was rolled back. */
  rolledBack: boolean;
}

/**
 * Calls the consumer on buf[off, end). If it consumed nothing and asked for more, everything
 * it added (protocols, nodes, sources, expert info) is rolled back, as Wireshark shows such a
 * segment as plain TCP.
 */
function callConsumer(
  ctx: PacketContext,
  consumer: TcpPayloadConsumer,
  buf: Uint8Array,
  off: number,
  end: number,
  tree: ProtoNode[] | null,
  info: TcpPayloadInfo,
  prefix: string,
): CallResult {
  const packet = ctx.packet;
  const protoLen = packet.protocols.length;
  const treeLen = tree ? tree.length : 0;
  const srcLen = packet.sources.length;
  const expertLen = packet.expert.length;
  const malformed = packet.malformed;
  let request: DesegmentRequest | null;
  try {
    request = consumer.dissect(ctx, buf, off, end, tree, info) ?? null;
  } catch (error) {
    ctx.markMalformed(tree, consumer.name.toUpperCase(), error);
    request = null;
  }
  if (request && request.offset <= off) {
    packet.protocols.length = protoLen;
    if (tree) tree.length = treeLen;
    packet.sources.length = srcLen;
    packet.expert.length = expertLen;
    packet.malformed = malformed;
    packet.columns.protocol = 'TCP';
    applyPrefix(ctx, prefix);
    return { request: { offset: off, needMore: request.needMore }, rolledBack: true };
  }
  applyPrefix(ctx, prefix);
  return { request, rolledBack: false };
}

/** Keeps the TCP analysis markers in front of whatever the consumer wrote (Wireshark's column fence). */
function applyPrefix(ctx: PacketContext, prefix: string): void {
  if (prefix && !ctx.columns.info.startsWith(prefix)) ctx.setInfo(prefix + ctx.columns.info);
}

function handlePayload(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  t: ProtoNode[] | null,
  conv: TcpConversation,
  fwd: TcpFlow,
  hdr: Header,
  buf: Uint8Array,
  pOff: number,
  pEnd: number,
  info: TcpPayloadInfo,
  canDesegment: boolean,
  prefix: string,
): void {
  const ps = flowPayload(fwd);
  const seq = hdr.seq;
  const nxtseq = u32(seq + (pEnd - pOff));
  const msp = ps.msp;
  const consumer = msp ? (conv.consumer as TcpPayloadConsumer) : chooseConsumer(conv, buf, pOff, pEnd, info);
  if (!consumer) {
    addData(ctx, tree, buf, pOff, pEnd);
    return;
  }

  if (msp && canDesegment && !LT_SEQ(seq, msp.seq) && LT_SEQ(seq, u32(msp.seq + msp.length + 1))) {
    // Part of a PDU being reassembled.
    const have = u32(msp.seq + msp.length);
    const skip = GT_SEQ(have, seq) ? u32(have - seq) : 0;
    const segLen = pEnd - pOff;
    if (skip >= segLen) {
      if (t)
        ctx.add(
          t,
          f.segmentData,
          pOff,
          segLen,
          buf.subarray(pOff, pEnd),
          `Retransmitted TCP segment data (${segLen} bytes)`,
        );
      return;
    }
    const atFin = (hdr.flags & TH.FIN) !== 0;
    const complete = msp.untilFin ? atFin : msp.oneMore || !LT_SEQ(nxtseq, msp.nxtpdu);
    const useLen = msp.oneMore ? segLen - skip : Math.min(segLen - skip, u32(msp.nxtpdu - have));
    msp.parts.push({ frame: ctx.packet.number, data: buf.subarray(pOff + skip, pOff + skip + useLen) });
    msp.length += useLen;
    if (t)
      ctx.add(
        t,
        f.segmentData,
        pOff + skip,
        useLen,
        buf.subarray(pOff + skip, pOff + skip + useLen),
        `TCP segment data (${useLen} bytes)`,
      );
    if (!complete) {
      ctx.appendInfo(SEGMENT_OF_PDU);
      return;
    }
    const finInfo = msp.untilFin ? { ...info, fin: true } : info;
    completeReassembly(ctx, tree, conv, fwd, consumer, msp, buf, pOff + skip + useLen, pEnd, nxtseq, finInfo, prefix);
    return;
  }

  // Not in a PDU being reassembled: hand the segment over as it is.
  ps.msp = null;
  const r = callConsumer(ctx, consumer, buf, pOff, pEnd, tree, info, prefix);
  if (!r.request || !canDesegment) return;
  startMsp(ctx, t, ps, buf, r.request, pOff, pEnd, seq, nxtseq, r.rolledBack);
}

function startMsp(
  ctx: PacketContext,
  t: ProtoNode[] | null,
  ps: FlowPayloadState,
  buf: Uint8Array,
  request: DesegmentRequest,
  pOff: number,
  pEnd: number,
  seq: number,
  nxtseq: number,
  rolledBack: boolean,
): void {
  const dOff = Math.max(pOff, Math.min(request.offset, pEnd));
  const oneMore = request.needMore < 0;
  ps.msp = {
    seq: u32(seq + (dOff - pOff)),
    nxtpdu: oneMore ? u32(nxtseq + 1) : u32(nxtseq + request.needMore),
    oneMore,
    untilFin: request.needMore === DESEGMENT_UNTIL_FIN,
    parts: [{ frame: ctx.packet.number, data: buf.subarray(dOff, pEnd) }],
    length: pEnd - dOff,
  };
  if (t)
    ctx.add(t, f.segmentData, dOff, pEnd - dOff, buf.subarray(dOff, pEnd), `TCP segment data (${pEnd - dOff} bytes)`);
  if (rolledBack) ctx.appendInfo(SEGMENT_OF_PDU);
}

function completeReassembly(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  conv: TcpConversation,
  fwd: TcpFlow,
  consumer: TcpPayloadConsumer,
  msp: Msp,
  buf: Uint8Array,
  restOff: number,
  pEnd: number,
  nxtseq: number,
  info: TcpPayloadInfo,
  prefix: string,
): void {
  const ps = flowPayload(fwd);
  const total = msp.length;
  const data = new Uint8Array(total);
  let o = 0;
  for (const part of msp.parts) {
    data.set(part.data, o);
    o += part.data.length;
  }
  const packet = ctx.packet;
  const sourceIndex = packet.sources.length;
  packet.sources.push({ name: `Reassembled TCP (${total} bytes)`, data });
  const savedSource = ctx.source;
  ctx.source = sourceIndex;
  const treeLen = tree ? tree.length : 0;
  const reInfo: TcpPayloadInfo = { ...info, relSeq: u32(msp.seq - fwd.baseSeq) };
  const r = callConsumer(ctx, consumer, data, 0, total, tree, reInfo, prefix);
  ctx.source = savedSource;
  if (r.request && r.rolledBack) {
    // Still incomplete: keep collecting (the consumer saw the whole buffer).
    msp.oneMore = r.request.needMore < 0;
    msp.untilFin = r.request.needMore === DESEGMENT_UNTIL_FIN;
    msp.nxtpdu = msp.oneMore ? u32(nxtseq + 1) : u32(msp.seq + total + r.request.needMore);
    ctx.appendInfo(SEGMENT_OF_PDU);
    return;
  }
  // The reassembled PDU was dissected: show where it came from.
  if (tree) {
    const parts = msp.parts;
    let list = '';
    for (let i = 0; i < parts.length; i++) list += `${i ? ', ' : ''}#${parts[i].frame}(${parts[i].data.length})`;
    const saved = ctx.source;
    ctx.source = sourceIndex;
    const holder: ProtoNode[] = [];
    const segNode = ctx.add(
      holder,
      f.segments,
      0,
      total,
      undefined,
      `[${parts.length} Reassembled TCP Segments (${total} bytes): ${list}]`,
    );
    const c = ctx.children(segNode);
    let pos = 0;
    for (const part of parts) {
      const len = part.data.length;
      ctx.add(
        c,
        f.segment,
        pos,
        len,
        part.frame,
        `[Frame: ${part.frame}, payload: ${pos}-${pos + len - 1} (${len} bytes)]`,
      );
      pos += len;
    }
    ctx.addGenerated(c, f.segmentCount, parts.length, `[Segment count: ${parts.length}]`);
    ctx.addGenerated(c, f.reassembledLength, total, `[Reassembled TCP length: ${total}]`);
    const shown = data.subarray(0, Math.min(36, total));
    ctx.addGenerated(
      c,
      f.reassembledData,
      data,
      `[Reassembled TCP Data: ${formatBytesHex(shown)}${total > 36 ? '\u2026' : ''}]`,
    );
    ctx.source = saved;
    tree.splice(treeLen, 0, ...holder);
  }
  ps.msp = null;
  if (r.request) {
    // The consumer finished some PDUs and needs more for the next one.
    const from = Math.max(0, Math.min(r.request.offset, total));
    const oneMore = r.request.needMore < 0;
    const leftover = data.subarray(from);
    ps.msp = {
      seq: u32(msp.seq + from),
      nxtpdu: oneMore ? u32(nxtseq + 1) : u32(msp.seq + total + r.request.needMore),
      oneMore,
      untilFin: r.request.needMore === DESEGMENT_UNTIL_FIN,
      parts: leftover.length ? [{ frame: ctx.packet.number, data: leftover }] : [],
      length: leftover.length,
    };
  }
  // Bytes of this segment past the PDU start the next one.
  if (restOff < pEnd) {
    if (ps.msp) {
      ps.msp.parts.push({ frame: ctx.packet.number, data: buf.subarray(restOff, pEnd) });
      ps.msp.length += pEnd - restOff;
      return;
    }
    const restSeq = u32(nxtseq - (pEnd - restOff));
    const r2 = callConsumer(
      ctx,
      consumer,
      buf,
      restOff,
      pEnd,
      tree,
      { ...info, relSeq: u32(restSeq - fwd.baseSeq) },
      prefix,
    );
    if (r2.request) startMsp(ctx, null, ps, buf, r2.request, restOff, pEnd, restSeq, nxtseq, false);
  }
}

dissectorTables.ipProto.set(6, { fn: dissectTcp, name: 'TCP' });

export { dissectTcp };
