/**
 * Helpers shared by the link, network and small protocol dissectors: byte readers, MAC
 * vendor resolution (Wireshark's manuf + wka), the Internet checksum, the "Data" dissector
 * and the value tables several layers share (ethertypes, IP protocol numbers).
 */
import { defineFields, type FieldDef } from '../fields';
import type { PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { bitPattern } from '../tree';
import { byteCount, formatEther, formatBytesHex, hex2 } from '../format';
import { OUI_DATA } from './oui-data';

export function u16(buf: Uint8Array, offset: number): number {
  return (buf[offset] << 8) | buf[offset + 1];
}

export function u24(buf: Uint8Array, offset: number): number {
  return (buf[offset] << 16) | (buf[offset + 1] << 8) | buf[offset + 2];
}

export function u32(buf: Uint8Array, offset: number): number {
  return ((buf[offset] << 24) >>> 0) + ((buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]);
}

/** `0x0800`-style hex with a fixed number of digits. */
export function hexN(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** "name (value)" for value_strings, Wireshark's "Unknown (value)" when not listed. */
export function vals(table: Readonly<Record<number, string>>, value: number): string {
  return table[value] ?? 'Unknown';
}

/** A bit-field label as Wireshark prints it: `..1. .... = Name: text` (`value` is the field value, already shifted down). */
export function bitLabel(mask: number, width: number, value: number, name: string, text: string): string {
  return `${bitPattern(mask, width, value)} = ${name}: ${text}`;
}

// ---------------------------------------------------------------------------------------------
// MAC address resolution (nameres.mac_name), after epan/addr_resolv.c of Wireshark 4.0.

/** A vendor as manuf names it: its short name (address resolution) and its long one. */
export interface OuiVendor {
  short: string;
  /** The long name, or the short one when manuf gives none (eth.*.oui_resolved). */
  long: string;
}

let ouiTable: Map<number, OuiVendor> | null = null;
let ouiSearches = 0;
/** Single lookups before the whole table is built (each scans OUI_DATA: ~10 µs). */
const OUI_SEARCHES = 32;

/**
 * The vendor of a 24-bit OUI. A capture names a handful of vendors, and building the whole
 * table (thousands of entries) cost ~40 ms of every `wirelab -r`'s start, as much as dissecting
 * 10,000 packets: the first lookups search the text instead; a capture of many vendors gets
 * the table. Same answer either way: the last line listing the OUI (the table is filled in
 * order, so a later line's entry replaces an earlier one's).
 */
export function ouiVendor(oui: number): OuiVendor | undefined {
  if (ouiTable !== null) return ouiTable.get(oui);
  if (++ouiSearches > OUI_SEARCHES) return ouiMap().get(oui);
  return searchOuiVendor(oui);
}

/** The vendor of a line of OUI_DATA ("<short>\t<long or empty>\t<OUIs>"), and where its OUIs start. */
function lineVendor(lineStart: number): { vendor: OuiVendor; ouisStart: number } | null {
  const tab = OUI_DATA.indexOf('\t', lineStart);
  const tab2 = tab < 0 ? -1 : OUI_DATA.indexOf('\t', tab + 1);
  if (tab2 < 0) return null;
  const short = OUI_DATA.slice(lineStart, tab);
  return { vendor: { short, long: OUI_DATA.slice(tab + 1, tab2) || short }, ouisStart: tab2 + 1 };
}

/** ouiVendor by a search of OUI_DATA (exported for the test that compares it with the table). */
export function searchOuiVendor(oui: number): OuiVendor | undefined {
  const hex = oui.toString(16).padStart(6, '0');
  for (let at = OUI_DATA.lastIndexOf(hex); at >= 0; at = at > 0 ? OUI_DATA.lastIndexOf(hex, at - 1) : -1) {
    const line = lineVendor(OUI_DATA.lastIndexOf('\n', at) + 1);
    if (line === null || at < line.ouisStart || (at - line.ouisStart) % 6 !== 0) continue;
    return line.vendor;
  }
  return undefined;
}

/** The whole OUI table (exported for the test). */
export function ouiMap(): Map<number, OuiVendor> {
  if (ouiTable) return ouiTable;
  const map = new Map<number, OuiVendor>();
  for (let lineStart = 0; lineStart < OUI_DATA.length;) {
    const lineEnd = OUI_DATA.indexOf('\n', lineStart);
    const end = lineEnd < 0 ? OUI_DATA.length : lineEnd;
    const line = lineVendor(lineStart);
    if (line !== null && line.ouisStart <= end)
      for (let i = line.ouisStart; i + 6 <= end; i += 6) map.set(parseInt(OUI_DATA.slice(i, i + 6), 16), line.vendor);
    lineStart = end + 1;
  }
  ouiTable = map;
  return map;
}

/** Well-known addresses and ranges (Wireshark's `wka` file, the entries that matter here). */
const WKA_EXACT = new Map<string, string>([
  ['ff:ff:ff:ff:ff:ff', 'Broadcast'],
  ['01:00:0c:cc:cc:cc', 'CDP/VTP/DTP/PAgP/UDLD'],
  ['01:80:c2:00:00:00', 'Spanning-tree-(for-bridges)_00'],
  ['01:80:c2:00:00:0e', 'LLDP_Multicast'],
]);

/** The text forms of one MAC address, computed once per address. */
interface EtherNames {
  /** `VMware_c0:00:08`, `Broadcast`, or the plain address. */
  resolved: string;
  /** `VMware_c0:00:08 (00:50:56:c0:00:08)` */
  withName: string;
}

// Keyed by the two 24-bit halves (small integers), so a lookup formats nothing: every packet
// resolves two addresses, and captures rarely hold more than a handful of them.
const etherCache = new Map<number, Map<number, EtherNames>>();
let etherCacheSize = 0;

// The last two addresses looked up: a packet's source and destination, which the next packet
// (the other direction of the same conversation, mostly) asks for again.
const recentHigh = [-1, -1];
const recentLow = [-1, -1];
const recentNames: (EtherNames | null)[] = [null, null];
let recentNext = 0;

function etherNames(buf: Uint8Array, offset: number): EtherNames {
  const high = (buf[offset] << 16) | (buf[offset + 1] << 8) | buf[offset + 2];
  const low = (buf[offset + 3] << 16) | (buf[offset + 4] << 8) | buf[offset + 5];
  if (recentHigh[0] === high && recentLow[0] === low) return recentNames[0] as EtherNames;
  if (recentHigh[1] === high && recentLow[1] === low) return recentNames[1] as EtherNames;
  const names = lookupEtherNames(buf, offset, high, low);
  recentHigh[recentNext] = high;
  recentLow[recentNext] = low;
  recentNames[recentNext] = names;
  recentNext ^= 1;
  return names;
}

function lookupEtherNames(buf: Uint8Array, offset: number, high: number, low: number): EtherNames {
  let byLow = etherCache.get(high);
  const cached = byLow?.get(low);
  if (cached !== undefined) return cached;
  const plain = formatEther(buf, offset);
  let name = WKA_EXACT.get(plain);
  if (name === undefined) {
    const b = buf.subarray(offset, offset + 6);
    if (b[0] === 0x01 && b[1] === 0x00 && b[2] === 0x5e && (b[3] & 0x80) === 0) {
      // 01-00-5E/25 IPv4mcast: Wireshark prints the bytes past the longest matching mask.
      name = 'IPv4mcast_' + wkaSuffix(b, 3);
    } else if (b[0] === 0x33 && b[1] === 0x33) {
      name = 'IPv6mcast_' + wkaSuffix(b, 2);
    } else {
      const vendor = ouiVendor(high)?.short;
      name = vendor !== undefined ? `${vendor}_${hex2(b[3])}:${hex2(b[4])}:${hex2(b[5])}` : plain;
    }
  }
  if (etherCacheSize > 4096) {
    etherCache.clear();
    etherCacheSize = 0;
    byLow = undefined;
  }
  const names: EtherNames = { resolved: name, withName: `${name} (${plain})` };
  if (byLow === undefined) {
    byLow = new Map();
    etherCache.set(high, byLow);
  }
  byLow.set(low, names);
  etherCacheSize++;
  return names;
}

/** A MAC address as Wireshark shows it with name resolution on: `VMware_c0:00:08`, `Broadcast`, or the plain address. */
export function resolveEther(buf: Uint8Array, offset: number): string {
  return etherNames(buf, offset).resolved;
}

/**
 * The suffix after a masked well-known prefix: Wireshark tries masks from 47 bits down, so
 * leading zero bytes after the prefix are dropped ("IPv4mcast_01" for 01:00:5e:00:00:01).
 */
function wkaSuffix(b: Uint8Array, firstFree: number): string {
  let start = firstFree;
  while (start < 5 && b[start] === 0) start++;
  const parts: string[] = [];
  for (let i = start; i < 6; i++) parts.push(hex2(b[i]));
  return parts.join(':');
}

/** "VMware_c0:00:08 (00:50:56:c0:00:08)" */
export function etherWithName(buf: Uint8Array, offset: number): string {
  return etherNames(buf, offset).withName;
}

// ---------------------------------------------------------------------------------------------
// Internet checksum (RFC 1071).

/** One's-complement sum of buf[start, end), folded to 16 bits (not inverted). */
export function onesSum(buf: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6 checksums. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, proto: number, length: number): number {
  let sum = onesSum(src, 0, src.length) + onesSum(dst, 0, dst.length) + proto;
  sum += length > 0xffff ? Math.floor(length / 0x10000) + (length & 0xffff) : length;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The "Data" dissector: payload nobody dissects.

export const dataFields = defineFields({
  proto: { abbrev: 'data', name: 'Data', type: 'protocol' },
  data: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  len: { abbrev: 'data.len', name: 'Length', type: 'int32' },
});

/** Shows buf[offset, end) as Wireshark's "Data (N bytes)"; the Protocol column stays as it is. */
export function dissectData(
  ctx: PacketContext,
  buf: Uint8Array,
  offset: number,
  end: number,
  tree: ProtoNode[] | null,
): void {
  const stop = Math.min(end, buf.length);
  const length = stop - offset;
  if (length <= 0) return;
  ctx.enterProtocol('data');
  if (!tree) return;
  const node = ctx.add(tree, dataFields.proto, offset, length, undefined, `Data (${byteCount(length)})`);
  const c = ctx.children(node);
  const bytes = buf.subarray(offset, stop);
  ctx.add(c, dataFields.data, offset, length, bytes, `Data: ${truncatedHex(bytes)}`);
  ctx.addGenerated(c, dataFields.len, length, `Length: ${length}`);
}

/** FT_BYTES label text: hex, cut to 36 bytes with "…" as Wireshark does in the tree. */
export function truncatedHex(bytes: Uint8Array, maxBytes = 36): string {
  if (bytes.length <= maxBytes) return formatBytesHex(bytes);
  return formatBytesHex(bytes.subarray(0, maxBytes)) + '…';
}

// ---------------------------------------------------------------------------------------------
// Value tables shared by several layers.

export const ETHERTYPES: Readonly<Record<number, string>> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x0842: 'Wake on LAN',
  0x8035: 'RARP',
  0x809b: 'AppleTalk',
  0x80f3: 'AARP',
  0x8100: '802.1Q Virtual LAN',
  0x8137: 'Netware IPX/SPX',
  0x86dd: 'IPv6',
  0x8808: 'MAC Control',
  0x8809: 'Slow Protocols',
  0x880b: 'PPP',
  0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet',
  0x8863: 'PPPoE Discovery',
  0x8864: 'PPPoE Session',
  0x888e: '802.1X Authentication',
  0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x88e5: '802.1AE (MACsec)',
  0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x8906: 'Fibre Channel over Ethernet',
  0x9000: 'Loopback',
};

export const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  8: 'EGP',
  9: 'IGRP',
  17: 'UDP',
  27: 'Reliable Data',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  46: 'Resource Reservation Protocol',
  47: 'Generic Routing Encapsulation',
  50: 'Encap Security Payload',
  51: 'Authentication Header',
  58: 'ICMPv6',
  59: 'No Next Header for IPv6',
  60: 'Destination Options for IPv6',
  88: 'EIGRP',
  89: 'OSPF IGP',
  103: 'Protocol Independent Mulitcast',
  112: 'Virtual Router Redundancy Protocol',
  115: 'Layer 2 Tunneling Protocol',
  132: 'Stream Control Transmission Protocol',
  135: 'Mobility Header',
  136: 'Lightweight User Datagram Protocol',
  137: 'MPLS in IP',
};

/** Short protocol names used in "Fragmented IP protocol (proto=TCP 6, …)". */
export function ipProtoName(proto: number): string {
  return IP_PROTOCOLS[proto] ?? 'Unknown';
}

/** DSCP names: short (in the DS field summary) and long (the subfield). */
export const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0',
  1: 'LE',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VA',
  46: 'EF',
  48: 'CS6',
  56: 'CS7',
};

export const DSCP_LONG: Readonly<Record<number, string>> = {
  0: 'Default',
  1: 'Lower Effort',
  8: 'Class Selector 1',
  10: 'Assured Forwarding 11',
  12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13',
  16: 'Class Selector 2',
  18: 'Assured Forwarding 21',
  20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23',
  24: 'Class Selector 3',
  26: 'Assured Forwarding 31',
  28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33',
  32: 'Class Selector 4',
  34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43',
  40: 'Class Selector 5',
  44: 'Voice Admit',
  46: 'Expedited Forwarding',
  48: 'Class Selector 6',
  56: 'Class Selector 7',
};

/** Wireshark's proto_checksum_vals, the values of every `*.checksum.status` field. */
export const CHECKSUM_STATUS: Readonly<Record<number, string>> = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };

/**
 * The checksum item and its generated status, as Wireshark shows a checksum it verifies:
 * `Checksum: 0x1234 [correct]` + `[Checksum Status: Good]`, or `[unverified]` + `Unverified`
 * when `good` is null (the bytes to check were not all captured).
 */
export function addVerifiedChecksum(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  fields: { checksum: FieldDef; checksumStatus: FieldDef },
  offset: number,
  checksum: number,
  good: boolean | null,
): void {
  const shown = good === null ? 'unverified' : good ? 'correct' : 'incorrect';
  ctx.add(tree, fields.checksum, offset, 2, checksum, `Checksum: ${hexN(checksum, 4)} [${shown}]`);
  const status = good === null ? 2 : good ? 1 : 0;
  ctx.addGenerated(tree, fields.checksumStatus, status, `Checksum Status: ${CHECKSUM_STATUS[status]}`);
}

export const ECN_SHORT: Readonly<Record<number, string>> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };
export const ECN_LONG: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport',
  1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};

/** "4 minutes, 31 seconds", as Wireshark's unsigned_time_secs_to_str. */
export function timeSecsText(secs: number): string {
  if (secs === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = secs;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}
