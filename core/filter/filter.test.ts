import { describe, expect, it } from 'vitest';
import { registerFields, type FieldDef, type FieldValue } from '../dissect/fields';
import type { DissectedPacket } from '../dissect/context';
import type { ProtoNode } from '../dissect/tree';
import { compileDisplayFilter } from './index';

// Fields as the dissectors register them (this file does not load the engine).
const F = {
  frame: { abbrev: 'frame', name: 'Frame', type: 'protocol' },
  frameLen: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint32' },
  timeRel: { abbrev: 'frame.time_relative', name: 'Time since reference or first frame', type: 'time_rel' },
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'time_abs' },
  eth: { abbrev: 'eth', name: 'Ethernet II', type: 'protocol' },
  ethSrc: { abbrev: 'eth.src', name: 'Source', type: 'ether' },
  ethDst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether' },
  ethAddr: { abbrev: 'eth.addr', name: 'Address', type: 'ether' },
  ip: { abbrev: 'ip', name: 'Internet Protocol Version 4', type: 'protocol' },
  ipTtl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint8' },
  ipProto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint8', valueStrings: { 6: 'TCP', 17: 'UDP' } },
  ipSrc: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
  ipDst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  ipAddr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
  ipv6: { abbrev: 'ipv6', name: 'Internet Protocol Version 6', type: 'protocol' },
  ipv6Addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
  tcp: { abbrev: 'tcp', name: 'Transmission Control Protocol', type: 'protocol' },
  srcport: { abbrev: 'tcp.srcport', name: 'Source Port', type: 'uint16' },
  dstport: { abbrev: 'tcp.dstport', name: 'Destination Port', type: 'uint16' },
  port: { abbrev: 'tcp.port', name: 'Source or Destination Port', type: 'uint16' },
  stream: { abbrev: 'tcp.stream', name: 'Stream index', type: 'uint32' },
  flags: { abbrev: 'tcp.flags', name: 'Flags', type: 'uint16', base: 'hex' },
  syn: { abbrev: 'tcp.flags.syn', name: 'Syn', type: 'bool', bitmask: 0x002, trueFalse: ['Set', 'Not set'] },
  ack: { abbrev: 'tcp.flags.ack', name: 'Acknowledgment', type: 'bool', bitmask: 0x010, trueFalse: ['Set', 'Not set'] },
  mss: { abbrev: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', type: 'none' },
  payload: { abbrev: 'tcp.payload', name: 'TCP payload', type: 'bytes' },
  retrans: { abbrev: 'tcp.analysis.retransmission', name: 'This frame is a (suspected) retransmission', type: 'none' },
  seqRaw: { abbrev: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint64' },
  http: { abbrev: 'http', name: 'Hypertext Transfer Protocol', type: 'protocol' },
  method: { abbrev: 'http.request.method', name: 'Request Method', type: 'string' },
  code: { abbrev: 'http.response.code', name: 'Status Code', type: 'uint16' },
  ctype: { abbrev: 'http.content_type', name: 'Content-Type', type: 'string' },
  host: { abbrev: 'http.host', name: 'Host', type: 'string' },
  ratio: { abbrev: 'test.ratio', name: 'Ratio', type: 'double' },
} satisfies Record<string, FieldDef>;
registerFields(Object.values(F));

const n = (field: FieldDef, value?: FieldValue, children?: ProtoNode[], start = 0, length = 0): ProtoNode => ({
  field,
  value,
  start,
  length,
  source: 0,
  children,
});
const h = (field: FieldDef, value: FieldValue): ProtoNode => ({ ...n(field, value), hidden: true });
const ip4 = (s: string) => Uint8Array.from(s.split('.').map(Number));
const mac = (s: string) => Uint8Array.from(s.split(':').map((x) => parseInt(x, 16)));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

interface Spec {
  number: number;
  len?: number;
  time?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  stream?: number;
  flags?: number;
  mss?: boolean;
  payload?: string;
  method?: string;
  code?: number;
  ctype?: string;
  retrans?: boolean;
  v6?: boolean;
  multicast?: boolean;
}

/** A hand-built packet: frame / eth / ip(v6) / tcp [/ http], bytes laid out like the real thing. */
function packet(s: Spec): DissectedPacket {
  const payload = ascii(s.payload ?? '');
  const data = new Uint8Array(14 + 20 + 20 + payload.length);
  if (s.multicast) data[0] = 0x01;
  data.set(payload, 54);
  const ethDst = s.multicast ? '01:00:5e:00:00:fb' : '00:00:00:00:00:00';
  const tree: ProtoNode[] = [];
  tree.push(
    n(
      F.frame,
      undefined,
      [n(F.frameLen, s.len ?? data.length), n(F.timeRel, s.time ?? 0), n(F.time, 1700000000 + (s.time ?? 0))],
      0,
      data.length,
    ),
  );
  tree.push(
    n(
      F.eth,
      undefined,
      [
        n(F.ethDst, mac(ethDst)),
        h(F.ethAddr, mac(ethDst)),
        n(F.ethSrc, mac('00:00:00:00:00:00')),
        h(F.ethAddr, mac('00:00:00:00:00:00')),
      ],
      0,
      14,
    ),
  );
  if (s.v6) {
    tree.push(
      n(
        F.ipv6,
        undefined,
        [
          h(F.ipv6Addr, new Uint8Array(16).fill(0, 0, 15).fill(1, 15)),
          h(F.ipv6Addr, new Uint8Array(16).fill(0, 0, 15).fill(1, 15)),
        ],
        14,
        40,
      ),
    );
  } else {
    const src = s.src ?? '127.0.0.1';
    const dst = s.dst ?? '127.0.0.1';
    tree.push(
      n(
        F.ip,
        undefined,
        [
          n(F.ipTtl, 64),
          n(F.ipProto, 6),
          n(F.ipSrc, ip4(src)),
          h(F.ipAddr, ip4(src)),
          n(F.ipDst, ip4(dst)),
          h(F.ipAddr, ip4(dst)),
        ],
        14,
        20,
      ),
    );
  }
  const flags = s.flags ?? 0x010;
  const tcpKids: ProtoNode[] = [
    n(F.srcport, s.sport ?? 52260),
    n(F.dstport, s.dport ?? 8001),
    h(F.port, s.sport ?? 52260),
    h(F.port, s.dport ?? 8001),
    n(F.stream, s.stream ?? 0),
    n(F.seqRaw, 4000000000n),
    n(F.flags, flags, [n(F.syn, (flags & 0x02) !== 0), n(F.ack, (flags & 0x10) !== 0)]),
  ];
  if (s.mss) tcpKids.push(n(F.mss));
  if (s.retrans) tcpKids.push(n(F.retrans));
  if (payload.length) tcpKids.push(n(F.payload, payload, undefined, 54, payload.length));
  tree.push(n(F.tcp, undefined, tcpKids, 34, 20));
  if (s.method || s.code !== undefined) {
    const kids: ProtoNode[] = [];
    if (s.method) kids.push(n(F.method, s.method), n(F.host, '127.0.0.1:8001'));
    if (s.code !== undefined) kids.push(n(F.code, s.code));
    if (s.ctype) kids.push(n(F.ctype, s.ctype));
    tree.push(n(F.http, undefined, kids, 54, payload.length));
  }
  return {
    number: s.number,
    record: { data, originalLength: data.length } as DissectedPacket['record'],
    timeRelative: s.time ?? 0,
    timeDelta: 0,
    columns: { source: '', destination: '', protocol: '', info: '' },
    protocols: [],
    tree,
    sources: [{ name: 'Frame', data }],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };
}

const packets: DissectedPacket[] = [
  packet({ number: 1, flags: 0x002, mss: true, len: 74 }),
  packet({ number: 2, sport: 8001, dport: 52260, flags: 0x012, mss: true, len: 74, time: 0.0001 }),
  packet({ number: 3, flags: 0x010, len: 66, time: 0.0002 }),
  packet({ number: 4, flags: 0x018, payload: 'GET / HTTP/1.1\r\n', method: 'GET', time: 0.01 }),
  packet({
    number: 5,
    sport: 8001,
    dport: 52260,
    flags: 0x018,
    payload: 'HTTP/1.1 200 OK',
    code: 200,
    ctype: 'text/html',
    time: 0.02,
  }),
  packet({ number: 6, flags: 0x018, payload: 'GET /logo.jpg', method: 'GET', stream: 1, sport: 52262, time: 1.2 }),
  packet({
    number: 7,
    sport: 8001,
    dport: 52262,
    stream: 1,
    payload: 'HTTP/1.1 200 OK',
    code: 200,
    ctype: 'image/jpeg',
    time: 1.3,
  }),
  packet({
    number: 8,
    sport: 8001,
    dport: 52262,
    stream: 1,
    payload: 'HTTP/1.1 404',
    code: 404,
    ctype: 'text/plain',
    time: 1.6,
    retrans: true,
  }),
  packet({ number: 9, flags: 0x011, sport: 8001, dport: 52260, time: 6.5, len: 1500 }),
  packet({ number: 10, v6: true, sport: 80, dport: 443, stream: 2, flags: 0x004, time: 7 }),
  packet({
    number: 11,
    src: '10.1.2.3',
    dst: '192.168.0.1',
    sport: 5353,
    dport: 5353,
    multicast: true,
    stream: 3,
    time: 8,
  }),
];

function select(filter: string): number[] {
  const r = compileDisplayFilter(filter);
  if (!r.ok) throw new Error(`${filter}: ${r.error.message} @${r.error.start}-${r.error.end}`);
  return packets.filter(r.filter).map((p) => p.number);
}

function error(filter: string): [string, number, number] {
  const r = compileDisplayFilter(filter);
  if (r.ok) throw new Error(`${filter} compiled`);
  return [r.error.message, r.error.start, r.error.end];
}

const ALL = packets.map((p) => p.number);

describe('presence and logic', () => {
  it('empty filter matches everything', () => {
    expect(select('')).toEqual(ALL);
    expect(select('   ')).toEqual(ALL);
  });
  it('protocols and fields test presence', () => {
    expect(select('http')).toEqual([4, 5, 6, 7, 8]);
    expect(select('ipv6')).toEqual([10]);
    expect(select('tcp.options.mss')).toEqual([1, 2]);
    expect(select('tcp.analysis.retransmission')).toEqual([8]);
    expect(select('http.request.method')).toEqual([4, 6]);
  });
  it('&& binds tighter than ||; not/! and parentheses', () => {
    expect(
      select(
        'tcp.flags.syn == 1 || tcp.flags.fin == 1 && tcp.flags.ack == 0'.replace('tcp.flags.fin', 'tcp.flags.syn'),
      ),
    ).toEqual([1, 2]);
    expect(select('http and not http.request.method')).toEqual([5, 7, 8]);
    expect(select('!http && tcp.stream == 0')).toEqual([1, 2, 3, 9]);
    expect(select('not (tcp.stream == 0 or tcp.stream == 1)')).toEqual([10, 11]);
    expect(select('tcp.stream == 1 or ipv6 and tcp.port == 80')).toEqual([6, 7, 8, 10]);
  });
});

describe('comparisons', () => {
  it('symbolic and word operators', () => {
    expect(select('tcp.port == 8001')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(select('tcp.port eq 8001')).toEqual(select('tcp.port == 8001'));
    expect(select('tcp.stream > 1')).toEqual([10, 11]);
    expect(select('tcp.stream gt 1')).toEqual([10, 11]);
    expect(select('tcp.stream >= 1')).toEqual([6, 7, 8, 10, 11]);
    expect(select('tcp.stream ge 2')).toEqual([10, 11]);
    expect(select('tcp.stream < 1')).toEqual([1, 2, 3, 4, 5, 9]);
    expect(select('tcp.stream lt 1')).toEqual([1, 2, 3, 4, 5, 9]);
    expect(select('tcp.stream <= 1')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(select('tcp.stream le 0')).toEqual([1, 2, 3, 4, 5, 9]);
    expect(select('frame.len != 66')).toEqual(ALL.filter((x) => x !== 3 && x !== 8));
    expect(select('frame.len ne 66')).toEqual(ALL.filter((x) => x !== 3 && x !== 8));
  });
  it('multi-occurrence fields: == any, != all-not-equal (4.0), ~= / !== any-not-equal, === all-equal', () => {
    expect(select('tcp.port == 52260')).toEqual([1, 2, 3, 4, 5, 9]);
    expect(select('tcp.port != 8001')).toEqual([10, 11]);
    expect(select('tcp.port ~= 8001')).toEqual(ALL);
    expect(select('tcp.port !== 8001')).toEqual(ALL);
    expect(select('tcp.port === 5353')).toEqual([11]);
    expect(select('tcp.port all_eq 5353')).toEqual([11]);
    expect(select('tcp.port any_ne 5353')).toEqual(ALL.filter((x) => x !== 11));
    expect(select('ip.addr != 127.0.0.1')).toEqual([11]);
  });
  it('absent fields never compare (but ! of a comparison matches)', () => {
    expect(select('http.response.code != 200')).toEqual([8]);
    expect(select('!(http.response.code == 200)')).toEqual([1, 2, 3, 4, 6, 8, 9, 10, 11]);
    expect(select('ip.ttl != 1')).toEqual(ALL.filter((x) => x !== 10));
  });
  it('field to field', () => {
    expect(select('tcp.srcport > tcp.dstport')).toEqual([1, 3, 4, 6]);
    expect(select('tcp.srcport == tcp.dstport')).toEqual([11]);
    expect(select('tcp.srcport != tcp.dstport')).toEqual(ALL.filter((x) => x !== 11));
    expect(select('ip.src == ip.dst')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('chained comparisons', () => {
    expect(error('tcp.stream == 1 == 1')[0]).toBe('Left side of "==" expression must be a field or function, not 1.');
  });
});

describe('value types', () => {
  it('integers: decimal, hex, octal, binary, char constants, value strings', () => {
    expect(select('tcp.port == 0x1f41')).toEqual(select('tcp.port == 8001'));
    expect(select('tcp.port == 017501')).toEqual(select('tcp.port == 8001'));
    expect(select('ip.ttl == 0b1000000')).toEqual(select('ip.ttl == 64'));
    expect(select("ip.ttl == '@'")).toEqual(select('ip.ttl == 64'));
    expect(select('ip.proto == TCP')).toEqual(select('ip'));
    expect(select('ip.proto == "tcp"')).toEqual(select('ip'));
    expect(select('ip.proto == UDP')).toEqual([]);
    expect(select('tcp.seq_raw == 4000000000')).toEqual(ALL);
    expect(select('tcp.seq_raw > 0xffffffff')).toEqual([]);
  });
  it('booleans', () => {
    expect(select('tcp.flags.syn == 1')).toEqual([1, 2]);
    expect(select('tcp.flags.syn == True')).toEqual([1, 2]);
    expect(select('tcp.flags.syn == TRUE')).toEqual([1, 2]);
    expect(select('tcp.flags.syn == Set')).toEqual([1, 2]);
    expect(select('tcp.flags.syn == 2')).toEqual([1, 2]);
    expect(select('tcp.flags.syn == False')).toEqual(ALL.filter((x) => x > 2));
    expect(select('tcp.flags.syn == 1 && tcp.flags.ack == 0')).toEqual([1]);
    expect(select('tcp.flags.syn')).toEqual(ALL);
  });
  it('bitwise and arithmetic', () => {
    expect(select('tcp.flags & 0x02')).toEqual([1, 2]);
    expect(select('tcp.flags bitwise_and 0x02')).toEqual([1, 2]);
    expect(select('tcp.flags & 0x12 == 0x12')).toEqual([2]);
    expect(select('tcp.flags & 0x02 || tcp.flags & 0x01')).toEqual([1, 2, 9]);
    expect(select('eth[0] & 1')).toEqual([11]);
    expect(select('eth.dst[0] & 1 == 1')).toEqual([11]);
    expect(select('tcp.srcport + 1 == 8002')).toEqual([2, 5, 7, 8, 9]);
    expect(select('tcp.srcport - 1 == 8000')).toEqual([2, 5, 7, 8, 9]);
    expect(select('-tcp.srcport == -8001')).toEqual([2, 5, 7, 8, 9]);
    expect(select('tcp.stream * 2 == 4')).toEqual([10]);
    expect(select('{tcp.stream + 1} * 2 == 6')).toEqual([10]);
  });
  it('IPv4 addresses and CIDR, both directions via ip.addr', () => {
    expect(select('ip.addr == 127.0.0.0/8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(select('ip.addr == 192.168.0.0/16')).toEqual([11]);
    expect(select('ip.src == 10.1.2.3')).toEqual([11]);
    expect(select('ip.addr == 192.168.0.1')).toEqual([11]);
    expect(select('ip.addr != 10.0.0.0/8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(select('ip.dst > 127.0.0.1')).toEqual([11]);
  });
  it('IPv6 addresses and prefixes', () => {
    expect(select('ipv6.addr == ::1')).toEqual([10]);
    expect(select('ipv6.addr == 0:0:0:0:0:0:0:1')).toEqual([10]);
    expect(select('ipv6.addr == ::/64')).toEqual([10]);
    expect(select('ipv6.addr == 2001:db8::/32')).toEqual([]);
  });
  it('MAC addresses in three notations, and slices', () => {
    expect(select('eth.addr == 00:00:00:00:00:00')).toEqual(ALL);
    expect(select('eth.addr == 00-00-00-00-00-00')).toEqual(ALL);
    expect(select('eth.addr == 0000.0000.0000')).toEqual(ALL);
    expect(select('eth.dst == 01:00:5e:00:00:fb')).toEqual([11]);
    expect(select('eth.dst[0:3] == 01:00:5e')).toEqual([11]);
    expect(select('eth.src[0:3] == 00:00:00')).toEqual(ALL);
    expect(select('eth.dst[1-2] == 00:5e')).toEqual([11]);
    expect(select('eth.dst[-1] == fb')).toEqual([11]);
    expect(select('eth.dst[:1] == 01')).toEqual([11]);
    expect(select('eth.dst[3:] == 00:00:fb')).toEqual([11]);
    expect(select('eth.dst[0:1,5] == 01:fb')).toEqual([11]);
  });
  it('strings with escapes, raw strings, contains, matches (case-insensitive), lower/upper/len', () => {
    expect(select('http.request.method == "GET"')).toEqual([4, 6]);
    expect(select('http.request.method == GET')).toEqual([4, 6]);
    expect(select('http.request.method == "G\\x45T"')).toEqual([4, 6]);
    expect(select('http.request.method == "G\\105T"')).toEqual([4, 6]);
    expect(select('http.request.method == r"GET"')).toEqual([4, 6]);
    expect(select('http.request.method == "get"')).toEqual([]);
    expect(select('http.host contains "127"')).toEqual([4, 6]);
    expect(select('http.content_type matches "jpe?g"')).toEqual([7]);
    expect(select('http.content_type matches "JPE?G"')).toEqual([7]);
    expect(select('http.content_type matches "(?-i)JPE?G"')).toEqual([]);
    expect(select('http.content_type ~ "^text/"')).toEqual([5, 8]);
    expect(select('lower(http.request.method) == "get"')).toEqual([4, 6]);
    expect(select('upper(http.content_type) contains "HTML"')).toEqual([5]);
    expect(select('len(http.request.method) == 3')).toEqual([4, 6]);
    expect(select('count(tcp.port) == 2')).toEqual(ALL);
    expect(select('http.request.method in {"GET", "POST"}')).toEqual([4, 6]);
    expect(select('http.request.method > "A"')).toEqual([4, 6]);
  });
  it('byte strings and protocols', () => {
    expect(select('tcp.payload contains 47:45:54')).toEqual([4, 6]);
    expect(select('tcp.payload contains 47.45.54')).toEqual([4, 6]);
    expect(select('tcp.payload contains 474554')).toEqual([4, 6]);
    expect(select('tcp.payload contains "GET"')).toEqual([4, 6]);
    expect(select('tcp.payload[0:3] == "GET"')).toEqual([4, 6]);
    expect(select('tcp.payload[0] == 0x47')).toEqual([4, 6]);
    expect(select("tcp.payload[0] == 'G'")).toEqual([4, 6]);
    expect(select('tcp contains "GET"')).toEqual([4, 6]);
    expect(select('frame contains "404"')).toEqual([8]);
    expect(select('frame matches "http/1\\\\.1 2"')).toEqual([5, 7]);
    expect(select('len(tcp.payload) > 14')).toEqual([4, 5, 7]);
    expect(select('frame[54:3] == 47:45:54')).toEqual([4, 6]);
    expect(select('frame[200:]')).toEqual([]);
  });
  it('time values', () => {
    expect(select('frame.time_relative > 1.5')).toEqual([8, 9, 10, 11]);
    expect(select('frame.time_relative >= 7')).toEqual([10, 11]);
    expect(select('frame.time_relative < 0.001')).toEqual([1, 2, 3]);
    expect(select('frame.time > "2023-11-14 22:13:27"')).toEqual(expect.any(Array));
  });
  it('floating point', () => {
    expect(compileDisplayFilter('test.ratio > 1.5e3').ok).toBe(true);
  });
  it('sets and ranges', () => {
    expect(select('tcp.port in {80, 8001}')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(select('tcp.port in {80 , 443}')).toEqual([10]);
    expect(select('frame.len in {60..100}')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(select('tcp.stream in {1..2, 3}')).toEqual([6, 7, 8, 10, 11]);
    expect(select('tcp.stream not in {0}')).toEqual([6, 7, 8, 10, 11]);
    expect(select('ip.addr in {10.0.0.0/8, 192.168.0.1}')).toEqual([11]);
    expect(select('tcp.port in {8001..80}')).toEqual([]);
  });
});

describe('errors (Wireshark 4.0 wording and position)', () => {
  it('unknown names', () => {
    expect(error('tcp.prot')).toEqual(['tcp.prot is neither a field nor a protocol name.', 0, 8]);
    expect(error('tcp.port == 8001 && tcp.prot')).toEqual(['tcp.prot is neither a field nor a protocol name.', 20, 28]);
    expect(error('"abc"')).toEqual(['"abc" is neither a field nor a protocol name.', 0, 5]);
    expect(error('TCP')).toEqual(['TCP is neither a field nor a protocol name.', 0, 3]);
    expect(error('tcp.prot == 1')).toEqual([
      'Left side of "==" expression must be a field or function, not tcp.prot.',
      0,
      8,
    ]);
    expect(error('8001 == tcp.port')).toEqual([
      'Left side of "==" expression must be a field or function, not 8001.',
      0,
      4,
    ]);
  });
  it('syntax', () => {
    expect(error('tcp.port ==')).toEqual(['Unexpected end of filter expression.', 11, 11]);
    expect(error('tcp.port == 8001 &&')).toEqual(['Unexpected end of filter expression.', 19, 19]);
    expect(error('(tcp')).toEqual(['Unexpected end of filter expression.', 4, 4]);
    expect(error('tcp.port in {80 8001}')).toEqual(['"8001" was unexpected in this context.', 16, 20]);
    expect(error('tcp.port = 8001')).toEqual(['"=" was unexpected in this context.', 9, 10]);
    expect(error('tcp.port == 8001)')).toEqual(['")" was unexpected in this context.', 16, 17]);
    expect(error('&& tcp')).toEqual(['"&&" was unexpected in this context.', 0, 2]);
    expect(error('()')).toEqual(['")" was unexpected in this context.', 1, 2]);
    expect(error('tcp.port in {}')).toEqual(['"}" was unexpected in this context.', 13, 14]);
    expect(error('tcp.port == 8001 ^^ http')).toEqual(['"^" was unexpected in this context.', 17, 18]);
    expect(error('http.request.method == "GE')).toEqual(['The final quote was missing from a quoted string.', 23, 24]);
    expect(error('http.request.method contains "\\q"')).toEqual([
      '\\q is not a valid character escape sequence',
      30,
      32,
    ]);
    expect(error('frame[5:')).toEqual(['The right bracket was missing from a slice.', 5, 6]);
    expect(error('frame[x]')[0]).toBe('"x" is not a valid number.');
  });
  it('values', () => {
    expect(error('tcp.port == "abc"')).toEqual([
      'Unsigned integer (2 bytes) cannot be converted from a string ("abc").',
      12,
      17,
    ]);
    expect(error('tcp.port == 99999')).toEqual(['"99999" too big for this field, maximum 65535.', 12, 17]);
    expect(error('tcp.port == 1.5')).toEqual(['"1.5" is not a valid number.', 12, 15]);
    expect(error('tcp.port == 08')[0]).toBe('"08" is not a valid number.');
    expect(error('ip.addr == 1.2.3')).toEqual(['"1.2.3" is not a valid hostname or IPv4 address.', 11, 16]);
    expect(error('ip.addr == 127.0.0.0/33')).toEqual([
      'Netmask bits in a CIDR IPv4 address should be <= 32, not 33',
      11,
      23,
    ]);
    expect(error('ip.addr == "127.0.0.1"')[0]).toBe('IPv4 address cannot be converted from a string ("127.0.0.1").');
    expect(error('ipv6.addr == 2001:db8::1/129')[0]).toBe('Prefix in a IPv6 address should be <= 128, not 129');
    expect(error('ipv6.addr == foo')[0]).toBe('"foo" is not a valid hostname or IPv6 address.');
    expect(error('eth.addr == 00:00:00')[0]).toBe('"00:00:00" contains too few bytes to be a valid Ethernet address.');
    expect(error('eth.src == 00:00:00:00:00:00:00')[0]).toBe(
      '"00:00:00:00:00:00:00" contains too many bytes to be a valid Ethernet address.',
    );
    expect(error('tcp.payload == zz')[0]).toBe('"zz" is not a valid byte string.');
    expect(error('tcp.flags.syn == "1"')).toEqual([
      '"1" cannot be found among the possible values for tcp.flags.syn.',
      17,
      20,
    ]);
    expect(error('tcp.flags.syn == true')[0]).toBe(
      '"true" cannot be found among the possible values for tcp.flags.syn.',
    );
    expect(error('frame.time_relative > x')[0]).toBe('"x" is not a valid time.');
    expect(error('frame.time_relative > "1.5"')[0]).toBe('Time offset cannot be converted from a string ("1.5").');
    expect(error('frame.time == foo')[0]).toBe(
      '"foo" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"',
    );
  });
  it('types and operators', () => {
    expect(error('tcp.port[0] == 0x1f')).toEqual([
      '"tcp.port" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.',
      0,
      8,
    ]);
    expect(error('tcp.port contains 1')).toEqual([
      'tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.',
      0,
      8,
    ]);
    expect(error('ip.addr matches "1"')[0]).toBe(
      'ip.addr (type=IPv4 address) cannot participate in matches comparison.',
    );
    expect(error('tcp.analysis.retransmission == 1')[0]).toBe(
      'tcp.analysis.retransmission (type=Label) cannot participate in == comparison.',
    );
    expect(error('ip.addr == tcp.port')).toEqual(['ip.addr and tcp.port are not of compatible types.', 11, 19]);
    expect(error('http.request.method & 1')).toEqual(['FT_STRING cannot &.', 0, 19]);
    expect(error('tcp.flags.syn & 1')[0]).toBe('FT_BOOLEAN cannot &.');
    expect(error('tcp.flags.syn == -1')).toEqual(['FT_BOOLEAN cannot -.', 17, 18]);
    expect(error('http.request.method matches GET')[0]).toBe(
      'Matches requires a double quoted string on the right side.',
    );
    expect(error('foo(tcp.port)')).toEqual(["Function 'foo' does not exist", 0, 3]);
    expect(error('len(tcp.port, 1) == 1')[0]).toBe('Function len can only accept 1 arguments.');
    expect(error('len() == 1')[0]).toBe('Function len needs at least 1 arguments.');
    expect(error('len(tcp.port)')[0]).toBe('You cannot test whether a function is present.');
    expect(error('lower(tcp.port) == 1')[0]).toBe('Only string type fields can be used as parameter for lower()');
    expect(error('http.request.method matches "("')[0]).toMatch(/^Regex compilation error/);
  });
});

describe('compile result', () => {
  it('lists the fields a filter reads', () => {
    const r = compileDisplayFilter('tcp.port == 8001 && http');
    expect(r.ok && r.fields).toEqual(['tcp.port', 'http']);
  });
  it('says whether a filter only asks which fields are present (reads no value)', () => {
    const presenceOnly = (text: string) => {
      const r = compileDisplayFilter(text);
      if (!r.ok) throw new Error(r.error.message);
      return r.valueFields.length === 0;
    };
    for (const text of ['http.request', 'dns || arp', '!tcp', '(http && !http.response) || not udp', ''])
      expect(presenceOnly(text), text).toBe(true);
    for (const text of [
      'tcp.port == 80',
      'http && tcp.len > 0',
      'frame[0] & 1',
      'len(http.request.uri) > 3',
      'tcp.port in {80}',
    ])
      expect(presenceOnly(text), text).toBe(false);
  });
  it('says which fields a filter reads the values of, not only their presence', () => {
    const valueFields = (text: string) => {
      const r = compileDisplayFilter(text);
      if (!r.ok) throw new Error(r.error.message);
      return r.valueFields;
    };
    expect(valueFields('tcp.port == 8001 && http')).toEqual(['tcp.port']);
    expect(valueFields('http.request && !tcp')).toEqual([]);
    expect(valueFields('len(http.request.uri) > 3 || tcp[0:2] == 1f:41')).toEqual(['http.request.uri', 'tcp']);
    expect(valueFields('ip.src == ip.dst')).toEqual(['ip.src', 'ip.dst']);
    expect(valueFields('tcp.flags & 0x02')).toEqual(['tcp.flags']);
    expect(valueFields('tcp.port in {80, 443} && udp')).toEqual(['tcp.port']);
    expect(valueFields('tcp && tcp.len > 0')).toEqual(['tcp.len']);
  });
  it('unknown names can be treated as absent (coloring rules)', () => {
    const r = compileDisplayFilter('hsrp.state != 8 || smb || !pim', { unknownFieldsAbsent: true });
    expect(r.ok && packets.filter(r.filter).length).toBe(packets.length);
  });
});
