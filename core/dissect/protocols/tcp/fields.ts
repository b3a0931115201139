/**
 * TCP's fields (Wireshark's hf_register_info of packet-tcp.c: header, flags, options, SEQ/ACK
 * analysis, reassembly) and the flag texts every Info column uses.
 */
import { defineFields, type FieldDef } from '../../fields';
import { defineExpertInfos } from '../../expert';
import { hex } from '../../format';
import { CHECKSUM_STATUS } from '../common';
import { completenessText } from './analysis';

export const OPTION_KINDS: Record<number, string> = {
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

export const MPTCP_SUBTYPES: Record<number, string> = {
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

/**
 * A TCP option's item: its bytes, labelled by its name unless the dissector writes more (the
 * values); what goes under it is TCP's (kind, length, the option's own fields).
 */
function optionField(abbrev: string, name: string): FieldDef {
  return { abbrev, name, type: 'bytes', label: () => name, subtreeHolds: ['tcp', 'mptcp'] };
}

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
  // Each option is its bytes (packet-tcp.c registers them with proto_register_protocol_in_name_only
  // as FT_BYTES): `-T fields` prints them in hex, `tcp.options.mss == 02:04:ff:d7` matches.
  optNop: optionField('tcp.options.nop', 'TCP Option - No-Operation (NOP)'),
  optEol: optionField('tcp.options.eol', 'TCP Option - End of Option List (EOL)'),
  optMss: optionField('tcp.options.mss', 'TCP Option - Maximum segment size'),
  optWscale: optionField('tcp.options.wscale', 'TCP Option - Window scale'),
  optSackPerm: optionField('tcp.options.sack_perm', 'TCP Option - SACK permitted'),
  optSack: optionField('tcp.options.sack', 'TCP Option - SACK'),
  optTimestamp: optionField('tcp.options.timestamp', 'TCP Option - Timestamps'),
  optTfo: optionField('tcp.options.tfo', 'TCP Option - TCP Fast Open'),
  optExperimental: optionField('tcp.options.experimental', 'TCP Option - Experimental'),
  optUnknown: optionField('tcp.options.unknown', 'TCP Option - Unknown'),
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
  dsack: { abbrev: 'tcp.options.sack.dsack', name: 'D-SACK Sequence', type: 'none', textOnly: true },
  tsval: { abbrev: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint32' },
  tsecr: { abbrev: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint32' },
  expExid: { abbrev: 'tcp.options.experimental.exid', name: 'Experiment Identifier', type: 'uint16', base: 'hex' },
  expData: { abbrev: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
  tfoRequest: { abbrev: 'tcp.options.tfo.request', name: 'Fast Open Cookie Request', type: 'none' },
  tfoCookie: { abbrev: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: 'bytes' },
  unknownPayload: { abbrev: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  timestamps: {
    abbrev: 'tcp.timestamps',
    name: 'Timestamps',
    type: 'none',
    textOnly: true,
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

/** The flag bits' items that hold no expert item (Reset, Syn and Fin hold the connection's). */
export const TCP_FLAG_LEAVES: readonly FieldDef[] = [
  f.flagsRes,
  f.flagsAe,
  f.flagsCwr,
  f.flagsEce,
  f.flagsUrg,
  f.flagsAck,
  f.flagsPush,
];

/**
 * TCP's items made from the segment's own header bytes alone, whatever came before it: the
 * ports, lengths, raw numbers, flags, raw window, checksum and urgent pointer. Relative numbers,
 * the stream, the analysis, the calculated window and the options (SACK edges are relative, the
 * window scale is the flow's) need the conversation. A filter reading no other TCP item needs no
 * TCP state (EngineOptions.tcpHeaderOnly).
 */
export const TCP_HEADER_FIELDS: ReadonlySet<string> = new Set(
  [
    f.tcp,
    f.srcport,
    f.dstport,
    f.port,
    f.len,
    f.seqRaw,
    f.ackRaw,
    f.hdrLen,
    f.flags,
    ...TCP_FLAG_LEAVES,
    f.flagsReset,
    f.flagsSyn,
    f.flagsFin,
    f.flagsStr,
    f.windowValue,
    f.checksum,
    f.checksumStatus,
    f.urgentPointer,
  ].map((field) => field.abbrev),
);

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

function bits4(v: number): string {
  return (v & 15).toString(2).padStart(4, '0');
}

/** TCP's expert items (Wireshark's ei_register_info of packet-tcp.c). */
export const tcpExpert = defineExpertInfos({
  shortSegment: {
    abbrev: 'tcp.short_segment',
    group: 'malformed',
    severity: 'error',
    message:
      'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
    field: f.shortSegment,
  },
  bogusHeaderLength: {
    abbrev: 'tcp.bogus_header_length',
    group: 'malformed',
    severity: 'error',
    message: (hlen: number) => `Bogus TCP header length (${hlen}, must be at least 20)`,
    field: f.bogusHeaderLength,
  },
  ackNonzero: { abbrev: 'tcp.ack.nonzero', group: 'protocol', severity: 'note', field: f.ackNonzero },
  urgentNonzero: { abbrev: 'tcp.urgent_pointer.non_zero', group: 'protocol', severity: 'note', field: f.urgNonzero },
  tfoAck: { abbrev: 'tcp.analysis.tfo_ack', group: 'sequence', severity: 'note', field: f.tfoAck },
  tfoSyn: { abbrev: 'tcp.analysis.tfo_syn', group: 'sequence', severity: 'note', field: f.tfoSyn },
  connSyn: {
    abbrev: 'tcp.connection.syn',
    group: 'sequence',
    severity: 'chat',
    message: (serverPort: number) => `Connection establish request (SYN): server port ${serverPort}`,
    field: f.connSyn,
  },
  connSynAck: {
    abbrev: 'tcp.connection.synack',
    group: 'sequence',
    severity: 'chat',
    message: (serverPort: number) => `Connection establish acknowledge (SYN+ACK): server port ${serverPort}`,
    field: f.connSynAck,
  },
  connFin: { abbrev: 'tcp.connection.fin', group: 'sequence', severity: 'chat', field: f.connFin },
  connRst: { abbrev: 'tcp.connection.rst', group: 'sequence', severity: 'warning', field: f.connRst },
  finActive: { abbrev: 'tcp.connection.fin_active', group: 'sequence', severity: 'note', field: f.finActive },
  finPassive: { abbrev: 'tcp.connection.fin_passive', group: 'sequence', severity: 'note', field: f.finPassive },
  fourNops: { abbrev: 'tcp.nop', group: 'protocol', severity: 'warning', field: f.nop },
  optionPastEnd: {
    abbrev: 'tcp.option.len.invalid',
    group: 'protocol',
    severity: 'error',
    message: (option: string, kind: number) => `${option} (${kind}) option goes past end of options`,
    field: f.optLenInvalid,
  },
  optionLenInvalid: {
    abbrev: 'tcp.option.len.invalid',
    group: 'protocol',
    severity: 'error',
    message: (option: string, kind: number, len: number) => `${option} (${kind}): option length ${len} is invalid`,
    field: f.optLenInvalid,
  },
  dsack: { abbrev: 'tcp.options.sack.dsack', group: 'sequence', severity: 'warning', field: f.dsack },
  rstTrailing: {
    // Wireshark's generic expert item for a string's trailing bytes (a reset cause's here).
    abbrev: '_ws.string.trailing_stray_characters',
    protocol: 'tcp',
    group: 'undecoded',
    severity: 'warning',
    message: 'Trailing stray characters',
  },
  // SEQ/ACK analysis (the "TCP Analysis Flags" item).
  reusedPorts: { abbrev: 'tcp.analysis.reused_ports', group: 'sequence', severity: 'note', field: f.aReusedPorts },
  retransmission: {
    abbrev: 'tcp.analysis.retransmission',
    group: 'sequence',
    severity: 'note',
    field: f.aRetransmission,
  },
  fastRetransmission: {
    abbrev: 'tcp.analysis.fast_retransmission',
    group: 'sequence',
    severity: 'note',
    field: f.aFastRetransmission,
  },
  spuriousRetransmission: {
    abbrev: 'tcp.analysis.spurious_retransmission',
    group: 'sequence',
    severity: 'note',
    field: f.aSpurious,
  },
  outOfOrder: { abbrev: 'tcp.analysis.out_of_order', group: 'sequence', severity: 'warning', field: f.aOutOfOrder },
  lostSegment: { abbrev: 'tcp.analysis.lost_segment', group: 'sequence', severity: 'warning', field: f.aLostSegment },
  ackLostSegment: {
    abbrev: 'tcp.analysis.ack_lost_segment',
    group: 'sequence',
    severity: 'warning',
    field: f.aAckLostSegment,
  },
  // ei_tcp_analysis_window_update is PI_CHAT.
  windowUpdate: { abbrev: 'tcp.analysis.window_update', group: 'sequence', severity: 'chat', field: f.aWindowUpdate },
  windowFull: { abbrev: 'tcp.analysis.window_full', group: 'sequence', severity: 'warning', field: f.aWindowFull },
  keepAlive: { abbrev: 'tcp.analysis.keep_alive', group: 'sequence', severity: 'note', field: f.aKeepAlive },
  keepAliveAck: { abbrev: 'tcp.analysis.keep_alive_ack', group: 'sequence', severity: 'note', field: f.aKeepAliveAck },
  duplicateAck: {
    abbrev: 'tcp.analysis.duplicate_ack',
    group: 'sequence',
    severity: 'note',
    message: (n: number) => `Duplicate ACK (#${n})`,
    field: f.duplicateAck,
  },
  zeroWindowProbe: {
    abbrev: 'tcp.analysis.zero_window_probe',
    group: 'sequence',
    severity: 'note',
    field: f.aZeroWindowProbe,
  },
  zeroWindow: { abbrev: 'tcp.analysis.zero_window', group: 'sequence', severity: 'warning', field: f.aZeroWindow },
  zeroWindowProbeAck: {
    abbrev: 'tcp.analysis.zero_window_probe_ack',
    group: 'sequence',
    severity: 'note',
    field: f.aZeroWindowProbeAck,
  },
});

/**
 * The numbers dissectTcp tells a PacketNumbersListener (DissectionEngine.listenToPacketNumbers),
 * each where the whole tree has its item: relative sequence, acknowledgment and next sequence
 * numbers, the SEQ/ACK analysis's numbers (the frame an ACK acknowledges, its RTT, the
 * handshake's RTT, the bytes in flight and those sent since the last PSH), the window (scaled and
 * raw) and the stream's times ([Timestamps]).
 */
export const SEGMENT_NUMBER_FIELDS: readonly string[] = [
  f.seq,
  f.ack,
  f.nxtseq,
  f.ackRtt,
  f.bytesInFlight,
  f.acksFrame,
  f.initialRtt,
  f.pushBytesSent,
  f.windowSize,
  f.windowValue,
  f.timeRelative,
  f.timeDelta,
].map((field) => field.abbrev);
