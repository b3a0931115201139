/**
 * DNS over UDP port 53 and mDNS on 5353, as Wireshark 4.0's packet-dns.c: header and flags,
 * questions and resource records (A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, OPT; others as
 * data), and the Info line ("Standard query 0x4fe8 A www.apple.com OPT").
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import type { DissectFn, PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatIpv6, formatBytesHex, formatSeconds } from '../format';
import { bitLabel, hexN, timeSecsText, u16, u32 } from './common';

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
  64: 'SVCB',
  65: 'HTTPS',
  255: 'ANY',
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
  41: 'OPT',
  65: 'HTTPS (HTTPS Specific Service Endpoints)',
  64: 'SVCB (General Purpose Service Endpoints)',
  255: 'ANY (Request for all records)',
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

const f = defineFields({
  dns: { abbrev: 'dns', name: 'Domain Name System', type: 'protocol' },
  mdns: { abbrev: 'mdns', name: 'Multicast Domain Name System', type: 'protocol' },
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
  ad: {
    abbrev: 'dns.flags.ad',
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
  queries: { abbrev: 'dns.queries', name: 'Queries', type: 'none' },
  answers: { abbrev: 'dns.answers', name: 'Answers', type: 'none' },
  authorities: { abbrev: 'dns.authorities', name: 'Authoritative nameservers', type: 'none' },
  additionals: { abbrev: 'dns.additionals', name: 'Additional records', type: 'none' },
  query: { abbrev: 'dns.query', name: 'Query', type: 'none' },
  answer: { abbrev: 'dns.resp', name: 'Answer', type: 'none' },
  qryName: { abbrev: 'dns.qry.name', name: 'Name', type: 'string' },
  qryNameLen: { abbrev: 'dns.qry.name.len', name: 'Name Length', type: 'uint16' },
  countLabels: { abbrev: 'dns.count.labels', name: 'Label Count', type: 'uint16' },
  qryType: { abbrev: 'dns.qry.type', name: 'Type', type: 'uint16', valueStrings: TYPE_LONG },
  qryClass: { abbrev: 'dns.qry.class', name: 'Class', type: 'uint16', base: 'hex', valueStrings: CLASSES },
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
  txt: { abbrev: 'dns.txt', name: 'TXT', type: 'string' },
  soaMname: { abbrev: 'dns.soa.mname', name: 'Primary name server', type: 'string' },
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
  responseIn: { abbrev: 'dns.response_in', name: 'Response In', type: 'framenum' },
  responseTo: { abbrev: 'dns.response_to', name: 'Request In', type: 'framenum' },
  time: { abbrev: 'dns.time', name: 'Time', type: 'time_rel' },
});
export const dnsFields = f;

const EDNS_OPTIONS: Readonly<Record<number, string>> = {
  3: 'NSID',
  8: 'CSUBNET - Client subnet',
  10: 'COOKIE',
  11: 'EDNS TCP Keepalive',
  12: 'PADDING',
};

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
      label +=
        ch >= 0x21 && ch < 0x7f ? String.fromCharCode(ch) : ch === 0x20 ? ' ' : '\\' + ch.toString(8).padStart(3, '0');
    }
    labels.push(label);
    p += 1 + len;
  }
  if (labels.length === 0) return { name: ROOT_NAME, rawLength: ROOT_NAME.length, dots: 0, next };
  return { name: labels.join('.'), rawLength, dots, next };
}

interface DnsState {
  pending: Map<string, { frame: number; time: number }>;
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
      ctx.add(c, f.id, offset, 2, id);
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

    let p = offset + 12;
    const parts: string[] = [];
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
      const tname = TYPES[type] ?? `Unknown (${type})`;
      parts.push(
        mdns && klass & 0x8000
          ? `${tname} ${name}, "QU" question`
          : mdns
            ? `${tname} ${name}, "QM" question`
            : `${tname} ${name}`,
      );
      if (section) {
        const qn = ctx.add(
          section,
          f.query,
          start,
          p - start,
          undefined,
          `${name}: type ${tname}, class ${CLASSES[klass & 0x7fff] ?? hexN(klass, 4)}`,
        );
        const qc = ctx.children(qn);
        ctx.add(qc, f.qryName, start, next - start, name);
        // As tshark 4.0 counts them (dissect_dns_query, qname_labels_count): the bytes of the name
        // and its dots plus one; a name of one byte ("a") counts as none, 0 and 0.
        const counted = rawLength > 1;
        ctx.addGenerated(qc, f.qryNameLen, counted ? rawLength : 0);
        ctx.addGenerated(qc, f.countLabels, counted ? dots + 1 : 0);
        ctx.add(qc, f.qryType, next, 2, type, `Type: ${TYPE_LONG[type] ?? tname} (${type})`);
        ctx.add(qc, f.qryClass, next + 2, 2, klass & 0x7fff);
      }
    }
    if (queriesNode) queriesNode.length = p - queriesNode.start;
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
        p = resourceRecord(ctx, sec, buf, p, offset, stop, end, parts, sectionField === f.additionals);
      }
      if (secNode) secNode.length = p - secNode.start;
    }
    ctx.setInfo(`${info}${parts.length ? ' ' + parts.join(' ') : ''}`);

    // Request/response matching.
    const net = ctx.net;
    const state = ctx.state.state<DnsState>('dns.pending', () => ({ pending: new Map() }));
    const key = `${id}|${isResponse ? net?.dstText : net?.srcText}|${isResponse ? net?.srcText : net?.dstText}`;
    if (!isResponse) state.pending.set(key, { frame: ctx.packet.number, time: ctx.packet.timeRelative });
    else {
      const req = state.pending.get(key);
      if (req && c) {
        ctx.addGenerated(c, f.responseTo, req.frame, `Request In: ${req.frame}`);
        const dt = ctx.packet.timeRelative - req.time;
        ctx.addGenerated(c, f.time, dt, `Time: ${formatSeconds(dt)} seconds`);
      }
    }
  };

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
  additional: boolean,
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
  if (type === 41) parts.push('OPT');
  else if (type === 16) parts.push('TXT');
  else if (type === 15) parts.push(`MX ${dataText}`);
  else if (type === 33) parts.push(`SRV ${dataText}`);
  else parts.push(dataText ? `${tname} ${dataText}` : tname);
  void additional;
  if (!sec) return after;
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
      const on = ctx.add(rc, f.opt, q, 4 + olen, undefined, `Option: ${EDNS_OPTIONS[code] ?? 'Unknown'}`);
      const oc = ctx.children(on);
      ctx.add(oc, f.optCode, q, 2, code, `Option Code: ${EDNS_OPTIONS[code] ?? 'Unknown'} (${code})`);
      ctx.add(oc, f.optLen, q + 2, 2, olen);
      if (olen > 0) {
        const d = buf.slice(q + 4, Math.min(q + 4 + olen, after));
        ctx.add(oc, f.optData, q + 4, d.length, d, `Option Data: ${formatBytesHex(d)}`);
      }
      q += 4 + olen;
    }
    return after;
  }
  const className = CLASSES[klass & 0x7fff] ?? hexN(klass, 4);
  const rn = ctx.add(
    sec,
    f.answer,
    start,
    after - start,
    undefined,
    `${name}: type ${tname}, class ${className}${summary ? ', ' + summary : ''}`,
  );
  const rc = ctx.children(rn);
  ctx.add(rc, f.respName, start, next - start, name);
  ctx.add(rc, f.respType, next, 2, type, `Type: ${TYPE_LONG[type] ?? tname} (${type})`);
  ctx.add(rc, f.respClass, next + 2, 2, klass & 0x7fff);
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
    case 6:
      ctx.add(rc, f.soaMname, rd, rdlen, dataText);
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
  registrations: [
    { table: 'udp.port', key: 53, dissector: dissectDnsWith(false), name: 'DNS' },
    { table: 'udp.port', key: 5353, dissector: dissectDnsWith(true), name: 'MDNS' },
  ],
});
