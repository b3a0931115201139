#!/usr/bin/env node
/**
 * Writes three crafted captures to test/fixtures/captures/lab/, built byte by byte (no network
 * traffic), one packet per message type/code of the RFCs, with correct checksums and
 * documentation addresses (RFC 5737 / RFC 3849):
 *
 *   lab-icmp-crafted.pcap    ICMP (RFC 792, 950, 1256, 8335) over Ethernet/IPv4
 *   lab-icmpv6-crafted.pcap  ICMPv6 (RFC 4443, 4861 with options, 2710, 3810, 8335) over Ethernet/IPv6
 *   lab-igmp-crafted.pcap    IGMP v1/v2/v3 (RFC 1112, 2236, 3376) over Ethernet/IPv4
 *
 * Their tshark references are then written by scripts/make-capture-reference.mjs.
 *
 * Usage: node scripts/make-icmp-captures.mjs
 */
import { writeFileSync } from 'node:fs';

const MAC_A = [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01];
const MAC_B = [0x02, 0x00, 0x5e, 0x10, 0x00, 0xfe];
const ip = (s) => s.split('.').map(Number);
const ip6 = (s) => {
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
};
const u16 = (n) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function withSum(msg, at, pseudo = []) {
  const s = checksum([...pseudo, ...msg]);
  msg[at] = s >> 8;
  msg[at + 1] = s & 0xff;
  return msg;
}

let ipId = 1;
function ipv4(src, dst, proto, payload, ttl = 64) {
  const hdr = [0x45, 0, ...u16(20 + payload.length), ...u16(ipId++), 0, 0, ttl, proto, 0, 0, ...src, ...dst];
  return [...withSum(hdr, 10), ...payload];
}
function ipv6(src, dst, nh, payload, hlim = 64) {
  return [0x60, 0, 0, 0, ...u16(payload.length), nh, hlim, ...src, ...dst, ...payload];
}
const eth = (type, payload, dst = MAC_B, src = MAC_A) => [...dst, ...src, ...u16(type), ...payload];

function pcap(name, frames) {
  const out = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
  const le32 = (n) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  frames.forEach((f, i) => {
    out.push(...le32(1700000000 + i), ...le32(1000 * i), ...le32(f.length), ...le32(f.length), ...f);
  });
  writeFileSync(new URL(`../test/fixtures/captures/lab/${name}`, import.meta.url), Buffer.from(out));
}

// ---------- ICMP ----------
const H1 = ip('192.0.2.1');
const H2 = ip('198.51.100.7');
const GW = ip('192.0.2.254');
function icmp(type, code, rest, body = [], src = H1, dst = H2) {
  const msg = withSum([type, code, 0, 0, ...rest, ...body], 2);
  return eth(0x0800, ipv4(src, dst, 1, msg));
}
/** The datagram an error quotes: H2's UDP to H1 port 33434 (IPv4 header + 8 bytes). */
function invoking() {
  const udp = [...u16(40000), ...u16(33434), ...u16(16), 0, 0, ...new Array(8).fill(0x61)];
  const hdr = [0x45, 0, ...u16(20 + udp.length), ...u16(0x1234), 0, 0, 1, 17, 0, 0, ...H2, ...ip('203.0.113.9')];
  return [...withSum(hdr, 10), ...udp.slice(0, 8)];
}
const ZERO4 = [0, 0, 0, 0];
const v4 = [];
v4.push(icmp(8, 0, [...u16(0x0101), ...u16(1)], [...new Array(16).keys()]));
v4.push(icmp(0, 0, [...u16(0x0101), ...u16(1)], [...new Array(16).keys()], H2, H1));
for (let code = 0; code <= 15; code++)
  v4.push(icmp(3, code, code === 4 ? [0, 0, ...u16(1400)] : ZERO4, invoking(), GW, H2));
v4.push(icmp(4, 0, ZERO4, invoking(), GW, H2));
for (let code = 0; code <= 3; code++) v4.push(icmp(5, code, ip('192.0.2.253'), invoking(), GW, H2));
v4.push(
  icmp(9, 0, [2, 2, ...u16(1800)], [...GW, ...u32(0), ...ip('192.0.2.253'), ...u32(0xfffffff0)], GW, ip('224.0.0.1')),
);
v4.push(icmp(9, 16, [1, 2, ...u16(600)], [...GW, ...u32(10)], GW, ip('224.0.0.1')));
v4.push(icmp(10, 0, ZERO4, [], H1, ip('224.0.0.2')));
v4.push(icmp(11, 0, ZERO4, invoking(), GW, H2));
v4.push(icmp(11, 1, ZERO4, invoking(), GW, H2));
for (let code = 0; code <= 2; code++) v4.push(icmp(12, code, [code === 0 ? 20 : 0, 0, 0, 0], invoking(), GW, H2));
v4.push(icmp(13, 0, [...u16(0x0202), ...u16(7)], [...u32(3600000), 0, 0, 0, 0, 0, 0, 0, 0]));
v4.push(icmp(14, 0, [...u16(0x0202), ...u16(7)], [...u32(3600000), ...u32(3600010), ...u32(3600011)], H2, H1));
v4.push(icmp(15, 0, [...u16(0x0303), ...u16(1)], [], H1, H2));
v4.push(icmp(16, 0, [...u16(0x0303), ...u16(1)], [], H2, H1));
v4.push(icmp(17, 0, [...u16(0x0404), ...u16(1)], ZERO4, H1, H2));
v4.push(icmp(18, 0, [...u16(0x0404), ...u16(1)], ip('255.255.255.0'), H2, H1));
// RFC 8335 PROBE: extended echo request (L bit set: the probed interface is on the proxy node).
// The extension structure (RFC 4884) holds an Interface Identification Object by address (C-Type 3).
const probeExt = withSum([0x20, 0x00, 0, 0, 0, 12, 3, 3, ...u16(1), 4, 0, ...H2], 2);
v4.push(icmp(42, 0, [...u16(0x0505), 1, 1], probeExt, H1, H2));
v4.push(icmp(43, 0, [...u16(0x0505), 1, 0xa4], [], H2, H1));
for (let code = 1; code <= 4; code++) v4.push(icmp(43, code, [...u16(0x0505), 2, 0], [], H2, H1));
v4.push(icmp(6, 0, ZERO4, [], GW, H2)); // alternate host address (deprecated)
v4.push(icmp(30, 0, [...u16(1), 0, 0], [...u16(3), ...u16(0), ...u32(10000000), ...u32(1500)], GW, H2)); // traceroute (RFC 1393)
for (let code = 0; code <= 5; code++) v4.push(icmp(40, code, [0, 0, 0, 0], invoking(), GW, H2)); // Photuris (RFC 2521)
v4.push(icmp(99, 0, ZERO4, [], H1, H2)); // unassigned
pcap('lab-icmp-crafted.pcap', v4);

// ---------- ICMPv6 ----------
const A6 = ip6('2001:db8::1');
const B6 = ip6('2001:db8::2');
const R6 = ip6('fe80::1');
const LL6 = ip6('fe80::a:1');
const ALL_NODES = ip6('ff02::1');
const ALL_ROUTERS = ip6('ff02::2');
function icmp6(type, code, body, src = A6, dst = B6, hlim = 64) {
  const msg = [type, code, 0, 0, ...body];
  withSum(msg, 2, [...src, ...dst, ...u32(msg.length), 0, 0, 0, 58]);
  return eth(0x86dd, ipv6(src, dst, 58, msg, hlim));
}
function mld(type, body, src, dst) {
  // MLD is sent with hop limit 1 and a hop-by-hop Router Alert; kept without it here.
  return icmp6(type, 0, body, src, dst, 1);
}
function invoking6() {
  const udp = [...u16(40000), ...u16(33434), ...u16(16), 0, 0, ...new Array(8).fill(0x61)];
  return ipv6(B6, ip6('2001:db8:ffff::9'), 17, udp, 1);
}
const slla = (mac) => [1, 1, ...mac];
const tlla = (mac) => [2, 1, ...mac];
const v6 = [];
v6.push(icmp6(128, 0, [...u16(0x0a0b), ...u16(1), ...new Array(8).fill(0x42)]));
v6.push(icmp6(129, 0, [...u16(0x0a0b), ...u16(1), ...new Array(8).fill(0x42)], B6, A6));
for (let code = 0; code <= 7; code++) v6.push(icmp6(1, code, [...u32(0), ...invoking6()], R6, B6));
v6.push(icmp6(2, 0, [...u32(1280), ...invoking6()], R6, B6));
v6.push(icmp6(3, 0, [...u32(0), ...invoking6()], R6, B6));
v6.push(icmp6(3, 1, [...u32(0), ...invoking6()], R6, B6));
for (let code = 0; code <= 3; code++) v6.push(icmp6(4, code, [...u32(code === 0 ? 4 : 40), ...invoking6()], R6, B6));
// MLDv1 (RFC 2710): general query, report, done.
v6.push(mld(130, [...u16(10000), 0, 0, ...new Array(16).fill(0)], R6, ALL_NODES));
v6.push(mld(131, [0, 0, 0, 0, ...ip6('ff02::1:3')], LL6, ip6('ff02::1:3')));
v6.push(mld(132, [0, 0, 0, 0, ...ip6('ff02::1:3')], LL6, ALL_ROUTERS));
// MLDv2 (RFC 3810): multicast-address-and-source-specific query, report with every record type.
v6.push(
  mld(130, [...u16(1000), 0, 0, ...ip6('ff3e::8000:1'), 0x02, 125, ...u16(2), ...A6, ...B6], R6, ip6('ff3e::8000:1')),
);
const record6 = (rtype, group, sources) => [rtype, 0, ...u16(sources.length), ...group, ...sources.flat()];
v6.push(
  mld(
    143,
    [
      0,
      0,
      ...u16(6),
      ...record6(1, ip6('ff3e::8000:1'), [A6]),
      ...record6(2, ip6('ff3e::8000:2'), []),
      ...record6(3, ip6('ff3e::8000:3'), [A6, B6]),
      ...record6(4, ip6('ff02::fb'), []),
      ...record6(5, ip6('ff3e::8000:5'), [B6]),
      ...record6(6, ip6('ff3e::8000:6'), [A6]),
    ],
    LL6,
    ip6('ff02::16'),
  ),
);
// Neighbor Discovery (RFC 4861) with its options.
v6.push(icmp6(133, 0, [0, 0, 0, 0, ...slla(MAC_A)], LL6, ALL_ROUTERS, 255));
v6.push(
  icmp6(
    134,
    0,
    [
      64,
      0xc0,
      ...u16(1800),
      ...u32(30000),
      ...u32(1000),
      ...slla(MAC_B),
      5,
      1,
      0,
      0,
      ...u32(1500),
      3,
      4,
      64,
      0xc0,
      ...u32(86400),
      ...u32(14400),
      0,
      0,
      0,
      0,
      ...ip6('2001:db8::'),
      25,
      3,
      0,
      0,
      ...u32(600),
      ...ip6('2001:db8::53'),
    ],
    R6,
    ALL_NODES,
    255,
  ),
);
v6.push(icmp6(135, 0, [0, 0, 0, 0, ...B6, ...slla(MAC_A)], A6, ip6('ff02::1:ff00:2'), 255));
v6.push(icmp6(136, 0, [0x60, 0, 0, 0, ...B6, ...tlla(MAC_B)], B6, A6, 255));
v6.push(icmp6(136, 0, [0xa0, 0, 0, 0, ...R6, ...tlla(MAC_B)], R6, ALL_NODES, 255));
const redirected = invoking6();
v6.push(
  icmp6(
    137,
    0,
    [
      0,
      0,
      0,
      0,
      ...ip6('fe80::2'),
      ...ip6('2001:db8:ffff::9'),
      ...tlla(MAC_B),
      4,
      1 + redirected.length / 8,
      0,
      0,
      0,
      0,
      0,
      0,
      ...redirected,
    ],
    R6,
    A6,
    255,
  ),
);
// RFC 8335 extended echo.
// Probing interface index 2 (Interface Identification Object, C-Type 2).
v6.push(icmp6(160, 0, [...u16(0x0c0d), 1, 1, ...withSum([0x20, 0, 0, 0, 0, 8, 3, 2, ...u32(2)], 2)]));
v6.push(icmp6(161, 0, [...u16(0x0c0d), 1, 0xa4], B6, A6));
for (let code = 1; code <= 4; code++) v6.push(icmp6(161, code, [...u16(0x0c0d), 2, 0], B6, A6));
// Inverse ND (RFC 3122) with link-layer options, Mobile IPv6 (RFC 6275), SEND certification path
// (RFC 3971), Multicast Router Discovery (RFC 4286), experimental and reserved types.
v6.push(icmp6(141, 0, [0, 0, 0, 0, ...slla(MAC_A), ...tlla(MAC_B)], LL6, ALL_NODES, 255));
v6.push(icmp6(142, 0, [0, 0, 0, 0, ...slla(MAC_B), ...tlla(MAC_B)], R6, LL6, 255));
v6.push(icmp6(144, 0, [...u16(7), 0, 0], A6, ip6('2001:db8::fdff:ffff:ffff:fffe')));
v6.push(icmp6(146, 0, [...u16(8), 0, 0], A6, B6));
v6.push(
  icmp6(
    147,
    0,
    [...u16(8), 0x80, 0, 3, 4, 64, 0xc0, ...u32(86400), ...u32(14400), 0, 0, 0, 0, ...ip6('2001:db8::')],
    B6,
    A6,
  ),
);
v6.push(icmp6(148, 0, [...u16(1), ...u16(0xffff)], LL6, ALL_ROUTERS, 255));
v6.push(icmp6(149, 0, [...u16(1), ...u16(1), ...u16(0), 0, 0], R6, LL6, 255));
for (const type of [151, 152, 153, 100, 200, 255]) v6.push(icmp6(type, 0, new Array(16).fill(0), LL6, ALL_NODES, 255));
pcap('lab-icmpv6-crafted.pcap', v6);

// ---------- IGMP ----------
const GROUP = ip('239.1.2.3');
function igmp(body, dst, src = H1) {
  const msg = withSum([...body], 2);
  return eth(0x0800, ipv4(src, dst, 2, msg, 1), [0x01, 0x00, 0x5e, dst[1] & 0x7f, dst[2], dst[3]]);
}
const group3 = (rtype, group, sources, aux = []) => [
  rtype,
  aux.length / 4,
  ...u16(sources.length),
  ...group,
  ...sources.flat(),
  ...aux,
];
const v2 = [];
v2.push(igmp([0x11, 0, 0, 0, ...ZERO4], ip('224.0.0.1'), GW)); // v1 query
v2.push(igmp([0x12, 0, 0, 0, ...GROUP], GROUP)); // v1 report
v2.push(igmp([0x11, 100, 0, 0, ...ZERO4], ip('224.0.0.1'), GW)); // v2 general query
v2.push(igmp([0x11, 10, 0, 0, ...GROUP], GROUP, GW)); // v2 group-specific query
v2.push(igmp([0x16, 0, 0, 0, ...GROUP], GROUP)); // v2 report
v2.push(igmp([0x17, 0, 0, 0, ...GROUP], ip('224.0.0.2'))); // v2 leave
v2.push(igmp([0x11, 100, 0, 0, ...ZERO4, 0x02, 125, ...u16(0)], ip('224.0.0.1'), GW)); // v3 general query
v2.push(igmp([0x11, 10, 0, 0, ...GROUP, 0x0a, 125, ...u16(0)], GROUP, GW)); // v3 group-specific (S flag)
v2.push(igmp([0x11, 0x8c, 0, 0, ...GROUP, 0x02, 0x90, ...u16(2), ...H2, ...ip('203.0.113.9')], GROUP, GW)); // v3 group-and-source-specific, exp. codes
v2.push(
  igmp(
    [
      0x22,
      0,
      0,
      0,
      0,
      0,
      ...u16(6),
      ...group3(1, GROUP, [H2]),
      ...group3(2, ip('239.1.2.4'), []),
      ...group3(3, ip('239.1.2.5'), [H2, ip('203.0.113.9')]),
      ...group3(4, ip('224.0.0.251'), []),
      ...group3(5, ip('239.1.2.7'), [H2]),
      ...group3(6, ip('239.1.2.8'), [H2], [0xde, 0xad, 0xbe, 0xef]),
    ],
    ip('224.0.0.22'),
  ),
);
v2.push(
  igmp(
    [
      0x22,
      0,
      0,
      0,
      0,
      0,
      ...u16(6),
      ...group3(1, GROUP, []),
      ...group3(2, ip('239.1.2.4'), [H2, ip('203.0.113.9')]),
      ...group3(3, ip('239.1.2.5'), []),
      ...group3(4, ip('239.1.2.6'), [H2]),
      ...group3(5, ip('239.1.2.7'), [H2, ip('203.0.113.9')]),
      ...group3(6, ip('239.1.2.8'), []),
    ],
    ip('224.0.0.22'),
  ),
);
v2.push(igmp([0x22, 0, 0, 0, 0, 0, ...u16(1), ...group3(4, GROUP, [H2, ip('203.0.113.9')])], ip('224.0.0.22')));
pcap('lab-igmp-crafted.pcap', v2);
