/**
 * DNS over UDP port 53 and mDNS on 5353, as Wireshark 4.0's packet-dns.c: header and flags,
 * questions and resource records (A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, OPT; others as
 * data), and the Info line ("Standard query 0x4fe8 A www.apple.com OPT").
 */
import { defineProtocol } from '../protocol';
import { defineFields, type FieldDef } from '../fields';
import { defineExpertInfos } from '../expert';
import type { DissectFn, PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatIpv6, formatBytesHex, formatSeconds } from '../format';
import { bitLabel, hexN, timeSecsText, u16, u32 } from './common';
import { udpConversationKey } from './udp';

const TYPES: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
  41: 'OPT',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  52: 'TLSA',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  249: 'TKEY',
  250: 'TSIG',
  251: 'IXFR',
  252: 'AXFR',
  255: 'ANY',
  256: 'URI',
  257: 'CAA',
};
const TYPE_LONG: Readonly<Record<number, string>> = {
  1: 'A (Host Address)',
  2: 'NS (authoritative Name Server)',
  5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)',
  12: 'PTR (domain name PoinTeR)',
  13: 'HINFO (host information)',
  15: 'MX (Mail eXchange)',
  16: 'TXT (Text strings)',
  28: 'AAAA (IPv6 Address)',
  33: 'SRV (Server Selection)',
  35: 'NAPTR (Naming Authority Pointer)',
  41: 'OPT',
  43: 'DS (Delegation Signer)',
  46: 'RRSIG (Resource Record Signature)',
  47: 'NSEC (Next Secure)',
  48: 'DNSKEY (DNS Public Key)',
  65: 'HTTPS (HTTPS Specific Service Endpoints)',
  64: 'SVCB (General Purpose Service Endpoints)',
  249: 'TKEY (Transaction Key)',
  250: 'TSIG (Transaction Signature)',
  251: 'IXFR (incremental transfer)',
  252: 'AXFR (transfer of an entire zone)',
  255: '* (A request for all records the server/cache has available)',
  257: 'CAA (Certification Authority Restriction)',
};
const CLASSES: Readonly<Record<number, string>> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };
const OPCODES: Readonly<Record<number, string>> = {
  0: 'Standard query',
  1: 'Inverse query',
  2: 'Server status request',
  4: 'Zone change notification',
  5: 'Dynamic update',
};
const RCODES: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
  6: 'Name exists',
  7: 'RRset exists',
  8: 'RRset does not exist',
  9: 'Not authoritative',
  10: 'Name out of zone',
};

/** DNSSEC algorithms (dns.opt.dau), DS digests (dns.opt.dhu) and NSEC3 hashes (dns.opt.n3u). */
const DNSSEC_ALGORITHMS: Readonly<Record<number, string>> = {
  1: 'RSA/MD5',
  2: 'Diffie-Hellman',
  3: 'DSA',
  4: 'Elliptic curve crypto',
  5: 'RSA/SHA1',
  6: 'DSA + NSEC3/SHA1',
  7: 'RSA/SHA1 + NSEC3/SHA1',
  8: 'RSA/SHA-256',
  10: 'RSA/SHA-512',
  12: 'GOST R 34.10-2001',
  13: 'ECDSA Curve P-256 with SHA-256',
  14: 'ECDSA Curve P-386 with SHA-386',
  15: 'Ed25519',
  16: 'Ed448',
  157: 'HMAC/MD5',
  252: 'Indirect key',
  253: 'Private, domain name',
  254: 'Private, OID',
};
const DS_DIGESTS: Readonly<Record<number, string>> = {
  0: 'Reserved digest',
  1: 'SHA-1',
  2: 'SHA-256',
  3: 'GOST R 34.11-94',
  4: 'SHA-384',
};
const NSEC3_HASHES: Readonly<Record<number, string>> = { 0: 'Reserved', 1: 'SHA-1' };

const f = defineFields({
  dns: { abbrev: 'dns', name: 'Domain Name System', type: 'protocol' },
  // Its items are DNS's (dns.qry.name…), as in Wireshark: a tree pruned to them keeps its subtree.
  mdns: { abbrev: 'mdns', name: 'Multicast Domain Name System', type: 'protocol', subtreeHolds: ['dns'] },
  id: { abbrev: 'dns.id', name: 'Transaction ID', type: 'uint16', base: 'hex' },
  flags: { abbrev: 'dns.flags', name: 'Flags', type: 'uint16', base: 'hex' },
  response: {
    abbrev: 'dns.flags.response',
    name: 'Response',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: ['Message is a response', 'Message is a query'],
  },
  opcode: { abbrev: 'dns.flags.opcode', name: 'Opcode', type: 'uint16', bitmask: 0x7800, valueStrings: OPCODES },
  authoritative: {
    abbrev: 'dns.flags.authoritative',
    name: 'Authoritative',
    type: 'bool',
    bitmask: 0x0400,
    bitWidth: 16,
    trueFalse: ['Server is an authority for domain', 'Server is not an authority for domain'],
  },
  truncated: {
    abbrev: 'dns.flags.truncated',
    name: 'Truncated',
    type: 'bool',
    bitmask: 0x0200,
    bitWidth: 16,
    trueFalse: ['Message is truncated', 'Message is not truncated'],
  },
  recdesired: {
    abbrev: 'dns.flags.recdesired',
    name: 'Recursion desired',
    type: 'bool',
    bitmask: 0x0100,
    bitWidth: 16,
    trueFalse: ['Do query recursively', "Don't do query recursively"],
  },
  recavail: {
    abbrev: 'dns.flags.recavail',
    name: 'Recursion available',
    type: 'bool',
    bitmask: 0x0080,
    bitWidth: 16,
    trueFalse: ['Server can do recursive queries', "Server can't do recursive queries"],
  },
  z: {
    abbrev: 'dns.flags.z',
    name: 'Z',
    type: 'bool',
    bitmask: 0x0040,
    bitWidth: 16,
    trueFalse: ['reserved (1)', 'reserved (0)'],
  },
  authenticated: {
    abbrev: 'dns.flags.authenticated',
    name: 'Answer authenticated',
    type: 'bool',
    bitmask: 0x0020,
    bitWidth: 16,
    trueFalse: [
      'Answer/authority portion was authenticated by the server',
      'Answer/authority portion was not authenticated by the server',
    ],
  },
  // A query's AD bit: tshark 4.0 names it as the response's "Answer authenticated" bit.
  ad: {
    abbrev: 'dns.flags.authenticated',
    name: 'AD bit',
    type: 'bool',
    bitmask: 0x0020,
    bitWidth: 16,
    trueFalse: ['Set', 'Not set'],
  },
  checkdisable: {
    abbrev: 'dns.flags.checkdisable',
    name: 'Non-authenticated data',
    type: 'bool',
    bitmask: 0x0010,
    bitWidth: 16,
    trueFalse: ['Acceptable', 'Unacceptable'],
  },
  rcode: { abbrev: 'dns.flags.rcode', name: 'Reply code', type: 'uint16', bitmask: 0x000f, valueStrings: RCODES },
  qdcount: { abbrev: 'dns.count.queries', name: 'Questions', type: 'uint16' },
  ancount: { abbrev: 'dns.count.answers', name: 'Answer RRs', type: 'uint16' },
  nscount: { abbrev: 'dns.count.auth_rr', name: 'Authority RRs', type: 'uint16' },
  arcount: { abbrev: 'dns.count.add_rr', name: 'Additional RRs', type: 'uint16' },
  // Text items in tshark (no fields of these names there): see FieldDef.textOnly.
  queries: { abbrev: 'dns.queries', name: 'Queries', type: 'none', textOnly: true },
  answers: { abbrev: 'dns.answers', name: 'Answers', type: 'none', textOnly: true },
  authorities: { abbrev: 'dns.authorities', name: 'Authoritative nameservers', type: 'none', textOnly: true },
  additionals: { abbrev: 'dns.additionals', name: 'Additional records', type: 'none', textOnly: true },
  query: { abbrev: 'dns.query', name: 'Query', type: 'none', textOnly: true },
  answer: { abbrev: 'dns.resp', name: 'Answer', type: 'none', textOnly: true },
  qryName: { abbrev: 'dns.qry.name', name: 'Name', type: 'string' },
  qryNameLen: { abbrev: 'dns.qry.name.len', name: 'Name Length', type: 'uint16' },
  countLabels: { abbrev: 'dns.count.labels', name: 'Label Count', type: 'uint16' },
  qryType: { abbrev: 'dns.qry.type', name: 'Type', type: 'uint16', valueStrings: TYPE_LONG },
  qryClass: { abbrev: 'dns.qry.class', name: 'Class', type: 'uint16', base: 'hex', valueStrings: CLASSES },
  qryQu: {
    abbrev: 'dns.qry.qu',
    name: '"QU" question',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: ['True', 'False'],
  },
  cacheFlush: {
    abbrev: 'dns.resp.cache_flush',
    name: 'Cache flush',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: ['True', 'False'],
  },
  respName: { abbrev: 'dns.resp.name', name: 'Name', type: 'string' },
  respType: { abbrev: 'dns.resp.type', name: 'Type', type: 'uint16', valueStrings: TYPE_LONG },
  respClass: { abbrev: 'dns.resp.class', name: 'Class', type: 'uint16', base: 'hex', valueStrings: CLASSES },
  respTtl: { abbrev: 'dns.resp.ttl', name: 'Time to live', type: 'uint32' },
  respLen: { abbrev: 'dns.resp.len', name: 'Data length', type: 'uint16' },
  a: { abbrev: 'dns.a', name: 'Address', type: 'ipv4' },
  aaaa: { abbrev: 'dns.aaaa', name: 'AAAA Address', type: 'ipv6' },
  cname: { abbrev: 'dns.cname', name: 'CNAME', type: 'string' },
  ns: { abbrev: 'dns.ns', name: 'Name Server', type: 'string' },
  ptr: { abbrev: 'dns.ptr.domain_name', name: 'Domain Name', type: 'string' },
  mxPref: { abbrev: 'dns.mx.preference', name: 'Preference', type: 'uint16' },
  mx: { abbrev: 'dns.mx.mail_exchange', name: 'Mail Exchange', type: 'string' },
  txtLength: { abbrev: 'dns.txt.length', name: 'TXT Length', type: 'uint8' },
  txt: { abbrev: 'dns.txt', name: 'TXT', type: 'string' },
  soaMname: { abbrev: 'dns.soa.mname', name: 'Primary name server', type: 'string' },
  soaRname: { abbrev: 'dns.soa.rname', name: "Responsible authority's mailbox", type: 'string' },
  soaSerial: { abbrev: 'dns.soa.serial_number', name: 'Serial Number', type: 'uint32' },
  soaRefresh: { abbrev: 'dns.soa.refresh_interval', name: 'Refresh Interval', type: 'uint32' },
  soaRetry: { abbrev: 'dns.soa.retry_interval', name: 'Retry Interval', type: 'uint32' },
  soaExpire: { abbrev: 'dns.soa.expire_limit', name: 'Expire limit', type: 'uint32' },
  soaMinimum: { abbrev: 'dns.soa.minimum_ttl', name: 'Minimum TTL', type: 'uint32' },
  srvService: { abbrev: 'dns.srv.service', name: 'Service', type: 'string' },
  srvProto: { abbrev: 'dns.srv.proto', name: 'Protocol', type: 'string' },
  srvName: { abbrev: 'dns.srv.name', name: 'Name', type: 'string' },
  srvPriority: { abbrev: 'dns.srv.priority', name: 'Priority', type: 'uint16' },
  srvWeight: { abbrev: 'dns.srv.weight', name: 'Weight', type: 'uint16' },
  srvPort: { abbrev: 'dns.srv.port', name: 'Port', type: 'uint16' },
  srvTarget: { abbrev: 'dns.srv.target', name: 'Target', type: 'string' },
  rdata: { abbrev: 'dns.data', name: 'Data', type: 'bytes' },
  optUdpSize: { abbrev: 'dns.rr.udp_payload_size', name: 'UDP payload size', type: 'uint16' },
  optHigherBits: { abbrev: 'dns.resp.ext_rcode', name: 'Higher bits in extended RCODE', type: 'uint8', base: 'hex' },
  optVersion: { abbrev: 'dns.resp.edns0_version', name: 'EDNS0 version', type: 'uint8' },
  optZ: { abbrev: 'dns.resp.z', name: 'Z', type: 'uint16', base: 'hex' },
  optZDo: {
    abbrev: 'dns.resp.z.do',
    name: 'DO bit',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
    trueFalse: ['Accepts DNSSEC security RRs', 'Cannot handle DNSSEC security RRs'],
  },
  optZReserved: { abbrev: 'dns.resp.z.reserved', name: 'Reserved', type: 'uint16', base: 'hex', bitmask: 0x7fff },
  opt: { abbrev: 'dns.opt', name: 'Option', type: 'none' },
  optCode: { abbrev: 'dns.opt.code', name: 'Option Code', type: 'uint16' },
  optLen: { abbrev: 'dns.opt.len', name: 'Option Length', type: 'uint16' },
  optData: { abbrev: 'dns.opt.data', name: 'Option Data', type: 'bytes' },
  optDau: { abbrev: 'dns.opt.dau', name: 'DAU', type: 'uint8', valueStrings: DNSSEC_ALGORITHMS },
  optDhu: { abbrev: 'dns.opt.dhu', name: 'DHU', type: 'uint8', valueStrings: DS_DIGESTS },
  optN3u: { abbrev: 'dns.opt.n3u', name: 'N3U', type: 'uint8', valueStrings: NSEC3_HASHES },
  optClientFamily: {
    abbrev: 'dns.opt.client.family',
    name: 'Family',
    type: 'uint16',
    valueStrings: { 1: 'IPv4', 2: 'IPv6' },
  },
  optClientNetmask: { abbrev: 'dns.opt.client.netmask', name: 'Source Netmask', type: 'uint8' },
  optClientScope: { abbrev: 'dns.opt.client.scope', name: 'Scope Netmask', type: 'uint8' },
  optClientAddr: { abbrev: 'dns.opt.client.addr', name: 'Client Subnet', type: 'bytes' },
  optClientAddr4: { abbrev: 'dns.opt.client.addr4', name: 'Client Subnet', type: 'ipv4' },
  optClientAddr6: { abbrev: 'dns.opt.client.addr6', name: 'Client Subnet', type: 'ipv6' },
  optCookieClient: { abbrev: 'dns.opt.cookie.client', name: 'Client Cookie', type: 'bytes' },
  optCookieServer: { abbrev: 'dns.opt.cookie.server', name: 'Server Cookie', type: 'bytes' },
  optKeepaliveTimeout: { abbrev: 'dns.opt.edns_tcp_keepalive.timeout', name: 'Timeout', type: 'uint16' },
  optPadding: { abbrev: 'dns.opt.padding', name: 'Padding', type: 'bytes' },
  optExtErrorCode: { abbrev: 'dns.opt.ext_error.info_code', name: 'Info Code', type: 'uint16' },
  optExtErrorText: { abbrev: 'dns.opt.ext_error.extra_text', name: 'Extra Text', type: 'string' },
  responseIn: { abbrev: 'dns.response_in', name: 'Response In', type: 'framenum' },
  responseTo: { abbrev: 'dns.response_to', name: 'Request In', type: 'framenum' },
  time: { abbrev: 'dns.time', name: 'Time', type: 'time_rel' },
  retransmitRequestIn: {
    abbrev: 'dns.retransmit_request_in',
    name: 'Retransmitted request. Original request in',
    type: 'framenum',
  },
  retransmitResponseIn: {
    abbrev: 'dns.retransmit_response_in',
    name: 'Retransmitted response. Original response in',
    type: 'framenum',
  },
  retransmission: { abbrev: 'dns.retransmission', name: 'Retransmission', type: 'bool' },
  unsolicited: { abbrev: 'dns.unsolicited', name: 'Unsolicited', type: 'bool' },
  retransmitRequest: { abbrev: 'dns.retransmit_request', name: 'DNS query retransmission', type: 'none' },
  retransmitResponse: { abbrev: 'dns.retransmit_response', name: 'DNS response retransmission', type: 'none' },
});
export const dnsFields = f;

const ei = defineExpertInfos({
  retransmitRequest: {
    abbrev: 'dns.retransmit_request',
    group: 'protocol',
    severity: 'warning',
    message: (original: number) => `DNS query retransmission. Original request in frame ${original}`,
    field: f.retransmitRequest,
  },
  retransmitResponse: {
    abbrev: 'dns.retransmit_response',
    group: 'protocol',
    severity: 'warning',
    message: (original: number) => `DNS response retransmission. Original response in frame ${original}`,
    field: f.retransmitResponse,
  },
});

/** A query seen again this soon (seconds) without a response is a retransmission (dns.retransmission_timer). */
const RETRANSMISSION_TIMER = 5;
/** Query types answered by several responses (zone transfers): the second is not a retransmission. */
const MULTIPLE_RESPONSE_TYPES = new Set([251, 252]);

/** EDNS0 option codes, as packet-dns.c names them (edns0_opt_code_vals). */
const EDNS_OPTIONS: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'LLQ - Long-lived query',
  2: 'UL - Update lease',
  3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)',
  5: 'DAU - DNSSEC Algorithm Understood (RFC6975)',
  6: 'DHU - DS Hash Understood (RFC6975)',
  7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  8: 'CSUBNET - Client subnet',
  9: 'EDNS EXPIRE (RFC7314)',
  10: 'COOKIE',
  11: 'EDNS TCP Keepalive',
  12: 'PADDING',
  13: 'CHAIN',
  15: 'Extended DNS Error',
  20730: 'Experimental - CSUBNET - Client subnet',
};

/** Extended DNS Error info codes (RFC 8914), 0–29; the rest are unassigned or private. */
const EXTENDED_ERRORS = [
  'Other Error',
  'Unsupported DNSKEY Algorithm',
  'Unsupported DS Digest Type',
  'Stale Answer',
  'Forged Answer',
  'DNSSEC Indeterminate',
  'DNSSEC Bogus',
  'Signature Expired',
  'Signature Not Yet Valid',
  'DNSKEY Missing',
  'RRSIGs Missing',
  'No Zone Key Bit Set',
  'NSEC Missing',
  'Cached Error',
  'Not Ready',
  'Blocked',
  'Censored',
  'Filtered',
  'Prohibited',
  'Stale NXDomain Answer',
  'Not Authoritative',
  'Not Supported',
  'No Reachable Authority',
  'Network Error',
  'Invalid Data',
  'Signature Expired before Valid',
  'Too Early',
  'Unsupported NSEC3 Iterations Value',
  'Unable to conform to policy',
  'Synthesized',
];
const extendedErrorName = (code: number): string =>
  EXTENDED_ERRORS[code] ?? (code < 49152 ? 'Unassigned' : 'Reserved for Private Use');

/**
 * The items packet-dns.c adds after an EDNS0 option's data, by its code (`at`: the data's
 * start, `length`: the option's length). Read as tshark reads them: past the message's end
 * is a malformed packet, past the option's own end is not.
 */
function addEdnsOptionItems(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  buf: Uint8Array,
  code: number,
  at: number,
  length: number,
  end: number,
): void {
  const list = (field: FieldDef): void => {
    ctx.need(buf, at, length, end);
    for (let i = 0; i < length; i++) ctx.add(tree, field, at + i, 1, buf[at + i]);
  };
  switch (code) {
    case 5:
      return list(f.optDau);
    case 6:
      return list(f.optDhu);
    case 7:
      return list(f.optN3u);
    case 8:
    case 20730: {
      ctx.need(buf, at, 2, end);
      const family = u16(buf, at);
      ctx.add(tree, f.optClientFamily, at, 2, family);
      ctx.need(buf, at + 2, 1, end);
      ctx.add(tree, f.optClientNetmask, at + 2, 1, buf[at + 2]);
      ctx.need(buf, at + 3, 1, end);
      ctx.add(tree, f.optClientScope, at + 3, 1, buf[at + 3]);
      const addressLength = length - 4;
      ctx.need(buf, at + 4, Math.max(0, addressLength), end);
      const bytes = buf.slice(at + 4, at + 4 + Math.max(0, addressLength));
      // The address is cut to the source prefix: the rest of its bytes are zero.
      if (family === 1 || family === 2) {
        const address = new Uint8Array(family === 1 ? 4 : 16);
        address.set(bytes.subarray(0, address.length));
        ctx.add(tree, family === 1 ? f.optClientAddr4 : f.optClientAddr6, at + 4, addressLength, address);
      } else ctx.add(tree, f.optClientAddr, at + 4, addressLength, bytes);
      return;
    }
    case 10: {
      ctx.need(buf, at, 8, end);
      ctx.add(tree, f.optCookieClient, at, 8, buf.slice(at, at + 8));
      const serverLength = length - 8;
      // A negative length is an exception in tshark (a malformed packet).
      if (serverLength < 0) ctx.need(buf, at, end - at + 1, end);
      ctx.need(buf, at + 8, serverLength, end);
      const server = buf.slice(at + 8, at + 8 + serverLength);
      ctx.add(tree, f.optCookieServer, at + 8, serverLength, server);
      return;
    }
    case 11:
      if (length === 2) ctx.add(tree, f.optKeepaliveTimeout, at, 2, u16(buf, at));
      return;
    case 12: {
      ctx.need(buf, at, length, end);
      const padding = buf.slice(at, at + length);
      ctx.add(tree, f.optPadding, at, length, padding);
      return;
    }
    case 15: {
      ctx.need(buf, at, 2, end);
      const info = u16(buf, at);
      ctx.add(tree, f.optExtErrorCode, at, 2, info, `Info Code: ${extendedErrorName(info)} (${info})`);
      if (length > 2) {
        ctx.need(buf, at + 2, length - 2, end);
        ctx.add(tree, f.optExtErrorText, at + 2, length - 2, escapedText(buf, at + 2, at + length));
      }
      return;
    }
    default:
      return;
  }
}

/** The root's name (no label), as tshark shows it. */
const ROOT_NAME = '<Root>';

/** A name read from a message (readName). */
interface DnsName {
  /** As tshark shows it: labels joined by dots, unprintable bytes as octal escapes, "<Root>". */
  name: string;
  /** Its length in bytes before escaping, as tshark's Name Length counts it ("<Root>": 6). */
  rawLength: number;
  /** The dots in it before escaping: between labels, and any byte 0x2e inside one. */
  dots: number;
  /** Where the name ends in place (after a compression pointer: after the pointer). */
  next: number;
}

/** Reads a (possibly compressed) name. */
function readName(buf: Uint8Array, start: number, msgStart: number, end: number): DnsName {
  const labels: string[] = [];
  let rawLength = 0;
  let dots = 0;
  let p = start;
  let next = -1;
  let jumps = 0;
  for (;;) {
    if (p >= end) throw new RangeError('name');
    const len = buf[p];
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= end) throw new RangeError('name');
      if (next < 0) next = p + 2;
      p = msgStart + (((len & 0x3f) << 8) | buf[p + 1]);
      if (++jumps > 64) throw new RangeError('name loop');
      continue;
    }
    if (p + 1 + len > end) throw new RangeError('name');
    let label = '';
    if (labels.length > 0) {
      rawLength++;
      dots++;
    }
    rawLength += len;
    for (let i = p + 1; i <= p + len; i++) {
      const ch = buf[i];
      if (ch === 0x2e) dots++;
      label += printableOrEscaped(ch);
    }
    labels.push(label);
    p += 1 + len;
  }
  if (labels.length === 0) return { name: ROOT_NAME, rawLength: ROOT_NAME.length, dots: 0, next };
  return { name: labels.join('.'), rawLength, dots, next };
}

/** A query and its response, as packet-dns.c tracks them per UDP conversation and ID. */
interface DnsTransaction {
  requestFrame: number;
  /** 0 until a response came. */
  responseFrame: number;
  requestTime: number;
  /** Zone transfers (AXFR, IXFR): several responses to one query. */
  multipleResponses: boolean;
}

interface DnsState {
  /** The latest transaction per UDP conversation and ID. */
  transactions: Map<string, DnsTransaction>;
}

/**
 * The key of the message's transaction: its UDP conversation (addresses and ports, either
 * direction) and its ID. DNS is registered on UDP ports only, so its UDP header is the 8 bytes
 * before it.
 */
function transactionKey(ctx: PacketContext, buf: Uint8Array, offset: number, id: number): string {
  return `${udpConversationKey(ctx, u16(buf, offset - 8), u16(buf, offset - 6))}#${id}`;
}

const dissectDnsWith =
  (mdns: boolean): DissectFn =>
  (ctx, buf, offset, end, tree) => {
    ctx.enterProtocol(mdns ? 'mdns' : 'dns', mdns ? 'MDNS' : 'DNS');
    // The ID and the flags first: as Wireshark, a message cut short after them still shows them,
    // in the tree and in the Info column ("Standard query 0x1234[Malformed Packet]").
    ctx.need(buf, offset, 4, end);
    const stop = Math.min(end, buf.length);
    const id = u16(buf, offset);
    const flags = u16(buf, offset + 2);
    const isResponse = (flags & 0x8000) !== 0;
    const opcode = (flags >> 11) & 0xf;
    const rcode = flags & 0xf;
    const opName = OPCODES[opcode] ?? 'Unknown operation';
    let info = `${opName}${isResponse ? ' response' : ''} ${hexN(id, 4)}`;
    if (isResponse && rcode !== 0) info += ` ${RCODES[rcode] ?? 'Unknown error'}`;
    ctx.setInfo(info);

    let c: ProtoNode[] | null = null;
    let idNode: ProtoNode | null = null;
    if (tree) {
      const dnsNode = ctx.add(
        tree,
        mdns ? f.mdns : f.dns,
        offset,
        stop - offset,
        undefined,
        `${mdns ? 'Multicast Domain Name System' : 'Domain Name System'} (${isResponse ? 'response' : 'query'})`,
      );
      c = ctx.children(dnsNode);
      idNode = ctx.add(c, f.id, offset, 2, id);
      const flagText = isResponse ? `${opName} response, ${RCODES[rcode] ?? 'Unknown error'}` : opName;
      const fn = ctx.add(c, f.flags, offset + 2, 2, flags, `Flags: ${hexN(flags, 4)} ${flagText}`);
      const fc = ctx.children(fn);
      ctx.add(fc, f.response, offset + 2, 2, isResponse);
      ctx.add(fc, f.opcode, offset + 2, 2, opcode, bitLabel(0x7800, 16, opcode, 'Opcode', `${opName} (${opcode})`));
      if (isResponse) ctx.add(fc, f.authoritative, offset + 2, 2, (flags & 0x0400) !== 0);
      ctx.add(fc, f.truncated, offset + 2, 2, (flags & 0x0200) !== 0);
      ctx.add(fc, f.recdesired, offset + 2, 2, (flags & 0x0100) !== 0);
      if (isResponse) ctx.add(fc, f.recavail, offset + 2, 2, (flags & 0x0080) !== 0);
      ctx.add(fc, f.z, offset + 2, 2, (flags & 0x0040) !== 0);
      if (isResponse) ctx.add(fc, f.authenticated, offset + 2, 2, (flags & 0x0020) !== 0);
      else if (flags & 0x0020) ctx.add(fc, f.ad, offset + 2, 2, true);
      ctx.add(fc, f.checkdisable, offset + 2, 2, (flags & 0x0010) !== 0);
      if (isResponse)
        ctx.add(
          fc,
          f.rcode,
          offset + 2,
          2,
          rcode,
          bitLabel(0x000f, 16, rcode, 'Reply code', `${RCODES[rcode] ?? 'Unknown'} (${rcode})`),
        );
    }
    ctx.need(buf, offset, 12, end);
    const counts = [u16(buf, offset + 4), u16(buf, offset + 6), u16(buf, offset + 8), u16(buf, offset + 10)];
    ctx.add(c, f.qdcount, offset + 4, 2, counts[0]);
    ctx.add(c, f.ancount, offset + 6, 2, counts[1]);
    ctx.add(c, f.nscount, offset + 8, 2, counts[2]);
    ctx.add(c, f.arcount, offset + 10, 2, counts[3]);

    // The transaction, looked up before the records as packet-dns.c does (not for a message
    // quoted in an ICMP error: a response there shows as unsolicited).
    const state = ctx.state.state<DnsState>('dns.transactions', () => ({ transactions: new Map() }));
    const key = transactionKey(ctx, buf, offset, id);
    const now = ctx.packet.timeRelative;
    let transaction: DnsTransaction | undefined;
    let retransmission = false;
    if (ctx.quotedPacketDepth === 0) {
      const known = state.transactions.get(key);
      if (!isResponse) {
        if (known && known.responseFrame === 0 && now - known.requestTime < RETRANSMISSION_TIMER) {
          transaction = known;
          retransmission = true;
        } else {
          transaction = {
            requestFrame: ctx.packet.number,
            responseFrame: 0,
            requestTime: now,
            multipleResponses: false,
          };
          state.transactions.set(key, transaction);
        }
      } else if (known) {
        transaction = known;
        if (known.responseFrame === 0) known.responseFrame = ctx.packet.number;
        else if (!known.multipleResponses) retransmission = true;
      }
    }

    let p = offset + 12;
    let multipleResponses = false;
    const parts: string[] = [];
    // tshark appends each question and record to Info as it reads them: a message cut short in
    // the middle still shows those before the cut, then "[Malformed Packet]".
    try {
      // Questions.
      const queriesNode = counts[0] > 0 ? ctx.add(c, f.queries, p, 0) : null;
      const section = ctx.children(queriesNode);
      for (let i = 0; i < counts[0]; i++) {
        const start = p;
        const { name, rawLength, dots, next } = safeName(ctx, buf, p, offset, stop, end);
        ctx.need(buf, next, 4, end);
        const type = u16(buf, next);
        const klass = u16(buf, next + 2);
        p = next + 4;
        if (MULTIPLE_RESPONSE_TYPES.has(type)) multipleResponses = true;
        const tname = TYPES[type] ?? `Unknown (${type})`;
        parts.push(`${tname} ${name}${mdns ? mdnsQuestionKind(klass) : ''}`);
        if (section) {
          const qn = ctx.add(
            section,
            f.query,
            start,
            p - start,
            undefined,
            `${name}: type ${tname}, class ${CLASSES[klass & 0x7fff] ?? hexN(klass, 4)}${mdns ? mdnsQuestionKind(klass) : ''}`,
          );
          const qc = ctx.children(qn);
          ctx.add(qc, f.qryName, start, next - start, name);
          // As tshark 4.0 counts them (dissect_dns_query, qname_labels_count): the bytes of the name
          // and its dots plus one; a name of one byte ("a") counts as none, 0 and 0.
          const counted = rawLength > 1;
          ctx.addGenerated(qc, f.qryNameLen, counted ? rawLength : 0);
          ctx.addGenerated(qc, f.countLabels, counted ? dots + 1 : 0);
          ctx.add(qc, f.qryType, next, 2, type, `Type: ${TYPE_LONG[type] ?? tname} (${type})`);
          if (mdns) {
            // mDNS takes the class's top bit for the "QU" (unicast response) flag.
            ctx.add(qc, f.qryClass, next + 2, 2, klass & 0x7fff, mdnsClassLabel(klass));
            ctx.add(qc, f.qryQu, next + 2, 2, (klass & 0x8000) !== 0);
          } else ctx.add(qc, f.qryClass, next + 2, 2, klass & 0x7fff);
        }
      }
      if (queriesNode) queriesNode.length = p - queriesNode.start;
      if (transaction && counts[0] > 0) transaction.multipleResponses = multipleResponses;
      // Answers, authority, additional records.
      const titles: [typeof f.answers, number][] = [
        [f.answers, counts[1]],
        [f.authorities, counts[2]],
        [f.additionals, counts[3]],
      ];
      for (const [sectionField, count] of titles) {
        const secNode = count > 0 ? ctx.add(c, sectionField, p, 0) : null;
        const sec = ctx.children(secNode);
        for (let i = 0; i < count; i++) {
          p = resourceRecord(ctx, sec, buf, p, offset, stop, end, parts, mdns);
        }
        if (secNode) secNode.length = p - secNode.start;
      }
    } finally {
      ctx.setInfo(`${info}${parts.length ? ' ' + parts.join(' ') : ''}`);
    }

    // The transaction, as packet-dns.c prints it (a single pass: no Response In yet). The expert
    // item goes under the Transaction ID.
    if (!isResponse) {
      if (retransmission && transaction) {
        ctx.expert(ctx.children(idNode), ei.retransmitRequest, transaction.requestFrame);
        ctx.addGenerated(c, f.retransmitRequestIn, transaction.requestFrame);
        ctx.addGenerated(c, f.retransmission, true);
      }
    } else if (transaction) {
      if (retransmission) {
        ctx.expert(ctx.children(idNode), ei.retransmitResponse, transaction.responseFrame);
        ctx.addGenerated(c, f.retransmitResponseIn, transaction.responseFrame);
        ctx.addGenerated(c, f.retransmission, true);
      } else {
        ctx.addGenerated(c, f.responseTo, transaction.requestFrame, `Request In: ${transaction.requestFrame}`);
        const dt = now - transaction.requestTime;
        ctx.addGenerated(c, f.time, dt, `Time: ${formatSeconds(dt)} seconds`);
      }
    } else {
      ctx.addGenerated(c, f.unsolicited, true);
    }
  };

/** An mDNS question's kind, after its type and name: the class's top bit asks for a unicast answer. */
function mdnsQuestionKind(klass: number): string {
  return klass & 0x8000 ? ', "QU" question' : ', "QM" question';
}

/** The class of an mDNS record or question: its low 15 bits (the top one is a flag). */
function mdnsClassLabel(klass: number): string {
  const value = klass & 0x7fff;
  return bitLabel(0x7fff, 16, value, 'Class', `${CLASSES[value] ?? 'Unknown'} (${hexN(value, 4)})`);
}

/** An SRV record's name split as packet-dns.c splits it: at the first two dots, into up to three parts. */
function splitSrvName(name: string): [string, string | undefined, string | undefined] {
  const first = name.indexOf('.');
  if (first < 0) return [name, undefined, undefined];
  const second = name.indexOf('.', first + 1);
  if (second < 0) return [name.slice(0, first), name.slice(first + 1), undefined];
  return [name.slice(0, first), name.slice(first + 1, second), name.slice(second + 1)];
}

/** Bytes as text, as names are shown (readName): printable ASCII as is, other bytes as \ooo. */
function escapedText(buf: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += printableOrEscaped(buf[i]);
  return text;
}

function printableOrEscaped(ch: number): string {
  return ch >= 0x21 && ch < 0x7f ? String.fromCharCode(ch) : ch === 0x20 ? ' ' : '\\' + ch.toString(8).padStart(3, '0');
}

function safeName(
  ctx: PacketContext,
  buf: Uint8Array,
  p: number,
  msgStart: number,
  stop: number,
  end: number,
): DnsName {
  try {
    return readName(buf, p, msgStart, stop);
  } catch {
    ctx.need(buf, p, end - p + 1, end); // throws the right BoundsError kind
    throw new RangeError('unreachable');
  }
}

function resourceRecord(
  ctx: PacketContext,
  sec: ProtoNode[] | null,
  buf: Uint8Array,
  p: number,
  msgStart: number,
  stop: number,
  end: number,
  parts: string[],
  mdns: boolean,
): number {
  const start = p;
  const { name, next } = safeName(ctx, buf, p, msgStart, stop, end);
  ctx.need(buf, next, 10, end);
  const type = u16(buf, next);
  const klass = u16(buf, next + 2);
  const ttl = u32(buf, next + 4);
  const rdlen = u16(buf, next + 8);
  const rd = next + 10;
  ctx.need(buf, rd, rdlen, end);
  const after = rd + rdlen;
  const tname = TYPES[type] ?? `Unknown (${type})`;
  let dataText = '';
  let summary = '';
  switch (type) {
    case 1:
      if (rdlen === 4) {
        dataText = formatIpv4(buf, rd);
        summary = `addr ${dataText}`;
      }
      break;
    case 28:
      if (rdlen === 16) {
        dataText = formatIpv6(buf, rd);
        summary = `addr ${dataText}`;
      }
      break;
    case 2:
    case 5:
    case 12:
      dataText = safeName(ctx, buf, rd, msgStart, stop, end).name;
      summary = `${type === 5 ? 'cname' : type === 2 ? 'ns' : ''} ${dataText}`.trim();
      break;
    case 15:
      dataText = `${u16(buf, rd)} ${safeName(ctx, buf, rd + 2, msgStart, stop, end).name}`;
      summary = `preference ${u16(buf, rd)}, mx ${dataText.split(' ')[1]}`;
      break;
    case 6:
      dataText = safeName(ctx, buf, rd, msgStart, stop, end).name;
      summary = `mname ${dataText}`;
      break;
    case 33:
      if (rdlen >= 6) {
        dataText = `${u16(buf, rd)} ${u16(buf, rd + 2)} ${u16(buf, rd + 4)} ${safeName(ctx, buf, rd + 6, msgStart, stop, end).name}`;
        summary = `priority ${u16(buf, rd)}, weight ${u16(buf, rd + 2)}, port ${u16(buf, rd + 4)}, target ${dataText.split(' ')[3]}`;
      }
      break;
    default:
      break;
  }
  // mDNS takes the class's top bit for "cache flush", shown after the type.
  const flush = mdns && (klass & 0x8000) !== 0;
  const typeText = flush ? `${tname}, cache flush` : tname;
  if (type === 41 || type === 16) parts.push(typeText);
  else parts.push(dataText ? `${typeText} ${dataText}` : typeText);
  // An OPT record's options are read with or without a tree: as in tshark, one cut short is a
  // malformed packet in the summary line too.
  if (type === 41) {
    const rn = ctx.add(sec, f.answer, start, after - start, undefined, `${name}: type OPT`);
    const rc = ctx.children(rn);
    ctx.add(rc, f.respName, start, next - start, name);
    ctx.add(rc, f.respType, next, 2, type, `Type: OPT (41)`);
    ctx.add(rc, f.optUdpSize, next + 2, 2, klass);
    ctx.add(rc, f.optHigherBits, next + 4, 1, buf[next + 4]);
    ctx.add(rc, f.optVersion, next + 5, 1, buf[next + 5]);
    const z = u16(buf, next + 6);
    const zn = ctx.add(rc, f.optZ, next + 6, 2, z);
    const zc = ctx.children(zn);
    ctx.add(zc, f.optZDo, next + 6, 2, (z & 0x8000) !== 0);
    ctx.add(zc, f.optZReserved, next + 6, 2, z & 0x7fff);
    ctx.add(rc, f.respLen, next + 8, 2, rdlen);
    for (let q = rd; q + 4 <= after;) {
      const code = u16(buf, q);
      const olen = u16(buf, q + 2);
      const codeName = EDNS_OPTIONS[code] ?? `Unknown (${code})`;
      const on = ctx.add(rc, f.opt, q, 4 + olen, undefined, `Option: ${codeName}`);
      const oc = ctx.children(on);
      ctx.add(oc, f.optCode, q, 2, code, `Option Code: ${EDNS_OPTIONS[code] ?? 'Unknown'} (${code})`);
      ctx.add(oc, f.optLen, q + 2, 2, olen);
      const d = buf.slice(q + 4, Math.min(q + 4 + olen, after));
      ctx.add(oc, f.optData, q + 4, d.length, d);
      addEdnsOptionItems(ctx, oc, buf, code, q + 4, olen, end);
      q += 4 + olen;
    }
    return after;
  }
  if (!sec) return after;
  const className = CLASSES[klass & 0x7fff] ?? hexN(klass, 4);
  const rn = ctx.add(
    sec,
    f.answer,
    start,
    after - start,
    undefined,
    `${name}: type ${tname}, class ${className}${flush ? ', cache flush' : ''}${summary ? ', ' + summary : ''}`,
  );
  const rc = ctx.children(rn);
  if (type === 33 && name !== ROOT_NAME) {
    // An SRV record's name as its service, protocol and name ("_sip._tcp.example.com").
    const [service, proto, rest] = splitSrvName(name);
    ctx.add(rc, f.srvService, start, next - start, service);
    if (proto !== undefined) ctx.add(rc, f.srvProto, start, next - start, proto);
    if (rest !== undefined) ctx.add(rc, f.srvName, start, next - start, rest);
  } else ctx.add(rc, f.respName, start, next - start, name);
  ctx.add(rc, f.respType, next, 2, type, `Type: ${TYPE_LONG[type] ?? tname} (${type})`);
  if (mdns) {
    ctx.add(rc, f.respClass, next + 2, 2, klass & 0x7fff, mdnsClassLabel(klass));
    ctx.add(rc, f.cacheFlush, next + 2, 2, flush);
  } else ctx.add(rc, f.respClass, next + 2, 2, klass & 0x7fff);
  ctx.add(rc, f.respTtl, next + 4, 4, ttl, `Time to live: ${ttl} (${timeSecsText(ttl)})`);
  ctx.add(rc, f.respLen, next + 8, 2, rdlen);
  switch (type) {
    case 1:
      if (rdlen === 4) ctx.add(rc, f.a, rd, 4, buf.slice(rd, rd + 4));
      break;
    case 28:
      if (rdlen === 16) ctx.add(rc, f.aaaa, rd, 16, buf.slice(rd, rd + 16));
      break;
    case 5:
      ctx.add(rc, f.cname, rd, rdlen, dataText);
      break;
    case 2:
      ctx.add(rc, f.ns, rd, rdlen, dataText);
      break;
    case 12:
      ctx.add(rc, f.ptr, rd, rdlen, dataText);
      break;
    case 15: {
      const exchange = safeName(ctx, buf, rd + 2, msgStart, stop, end);
      ctx.add(rc, f.mxPref, rd, 2, u16(buf, rd));
      ctx.add(rc, f.mx, rd + 2, exchange.next - (rd + 2), exchange.name);
      break;
    }
    case 16:
      // Character strings: a length byte, then that many bytes of text.
      for (let q = rd; q < after;) {
        const length = buf[q];
        ctx.need(buf, q + 1, length, end);
        ctx.add(rc, f.txtLength, q, 1, length);
        ctx.add(rc, f.txt, q + 1, length, escapedText(buf, q + 1, q + 1 + length));
        q += 1 + length;
      }
      break;
    case 6: {
      const mname = safeName(ctx, buf, rd, msgStart, stop, end);
      const rname = safeName(ctx, buf, mname.next, msgStart, stop, end);
      const numbers = rname.next;
      ctx.need(buf, numbers, 20, end);
      ctx.add(rc, f.soaMname, rd, mname.next - rd, mname.name);
      ctx.add(rc, f.soaRname, mname.next, rname.next - mname.next, rname.name);
      ctx.add(rc, f.soaSerial, numbers, 4, u32(buf, numbers));
      const intervals = [f.soaRefresh, f.soaRetry, f.soaExpire, f.soaMinimum];
      intervals.forEach((field, i) => {
        const at = numbers + 4 + 4 * i;
        const value = u32(buf, at);
        ctx.add(rc, field, at, 4, value, `${field.name}: ${value} (${timeSecsText(value)})`);
      });
      break;
    }
    case 33:
      if (rdlen >= 6) {
        const target = safeName(ctx, buf, rd + 6, msgStart, stop, end);
        ctx.add(rc, f.srvPriority, rd, 2, u16(buf, rd));
        ctx.add(rc, f.srvWeight, rd + 2, 2, u16(buf, rd + 2));
        ctx.add(rc, f.srvPort, rd + 4, 2, u16(buf, rd + 4));
        ctx.add(rc, f.srvTarget, rd + 6, target.next - (rd + 6), target.name);
      }
      break;
    default:
      if (rdlen > 0) {
        const d = buf.slice(rd, after);
        ctx.add(rc, f.rdata, rd, rdlen, d, `Data: ${formatBytesHex(d)}`);
      }
  }
  return after;
}

/** DNS as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'dns',
  fields: [f],
  expertInfos: [ei],
  registrations: [
    { table: 'udp.port', key: 53, dissector: dissectDnsWith(false), name: 'DNS' },
    { table: 'udp.port', key: 5353, dissector: dissectDnsWith(true), name: 'MDNS' },
  ],
});
