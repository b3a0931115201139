#!/usr/bin/env node
/**
 * Writes test/fixtures/captures/lab/lab-dhcp-crafted.pcap: a DHCP exchange built byte by byte
 * (no network traffic): Discover, Offer, Request, ACK, Inform, Release and a NAK, client
 * 02:00:5e:10:00:01 ("wirelab-pc") and server 192.0.2.1 (documentation addresses, RFC 5737),
 * Ethernet/IPv4/UDP 68 ↔ 67 with correct checksums, the options a real client and server send.
 * Its tshark references are then written by scripts/make-capture-reference.mjs.
 *
 * Usage: node scripts/make-dhcp-capture.mjs
 */
import { writeFileSync } from 'node:fs';

const CLIENT_MAC = [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01];
const SERVER_MAC = [0x02, 0x00, 0x5e, 0x10, 0x00, 0xfe];
const BROADCAST_MAC = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const ip = (s) => s.split('.').map(Number);
const SERVER = ip('192.0.2.1');
const OFFERED = ip('192.0.2.77');
const ZERO = [0, 0, 0, 0];
const BCAST = [255, 255, 255, 255];

const u16 = (n) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const text = (s) => [...Buffer.from(s, 'latin1')];
const opt = (code, bytes) => [code, bytes.length, ...bytes];

function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A BOOTP message: op, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, then the options. */
function bootp({ op, xid, secs = 0, broadcast = false, ciaddr = ZERO, yiaddr = ZERO, siaddr = ZERO, options }) {
  const chaddr = [...CLIENT_MAC, ...new Array(10).fill(0)];
  const sname = new Array(64).fill(0);
  const file = new Array(128).fill(0);
  return [
    op,
    1,
    6,
    0,
    ...u32(xid),
    ...u16(secs),
    ...u16(broadcast ? 0x8000 : 0),
    ...ciaddr,
    ...yiaddr,
    ...siaddr,
    ...ZERO,
    ...chaddr,
    ...sname,
    ...file,
    0x63,
    0x82,
    0x53,
    0x63,
    ...options,
    255,
  ];
}

function frame({ srcMac, dstMac, src, dst, sport, dport, payload, id }) {
  const udpLen = 8 + payload.length;
  const pseudo = [...src, ...dst, 0, 17, ...u16(udpLen)];
  const udpNoSum = [...u16(sport), ...u16(dport), ...u16(udpLen), 0, 0, ...payload];
  const udpSum = checksum([...pseudo, ...udpNoSum]) || 0xffff;
  const udp = [...u16(sport), ...u16(dport), ...u16(udpLen), ...u16(udpSum), ...payload];
  const ipHdr = [0x45, 0x10, ...u16(20 + udp.length), ...u16(id), 0, 0, 64, 17, 0, 0, ...src, ...dst];
  const ipSum = checksum(ipHdr);
  ipHdr[10] = ipSum >> 8;
  ipHdr[11] = ipSum & 0xff;
  return [...dstMac, ...srcMac, 0x08, 0x00, ...ipHdr, ...udp];
}

const XID = 0x5e1a2b3c;
const clientId = opt(61, [1, ...CLIENT_MAC]);
const prl = opt(55, [1, 3, 6, 15, 28, 51, 58, 59, 119]);
const serverOpts = [
  ...opt(54, SERVER),
  ...opt(51, u32(86400)),
  ...opt(58, u32(43200)),
  ...opt(59, u32(75600)),
  ...opt(1, ip('255.255.255.0')),
  ...opt(28, ip('192.0.2.255')),
  ...opt(3, SERVER),
  ...opt(6, [...SERVER, ...ip('192.0.2.2')]),
  ...opt(15, text('lab.example')),
];

const client = { srcMac: CLIENT_MAC, dstMac: BROADCAST_MAC, src: ZERO, dst: BCAST, sport: 68, dport: 67 };
const server = { srcMac: SERVER_MAC, dstMac: CLIENT_MAC, src: SERVER, dst: OFFERED, sport: 67, dport: 68 };
const frames = [
  frame({
    ...client,
    id: 1,
    payload: bootp({
      op: 1,
      xid: XID,
      options: [...opt(53, [1]), ...clientId, ...opt(57, u16(1500)), ...opt(12, text('wirelab-pc')), ...prl],
    }),
  }),
  frame({
    ...server,
    id: 2,
    payload: bootp({ op: 2, xid: XID, yiaddr: OFFERED, options: [...opt(53, [2]), ...serverOpts] }),
  }),
  frame({
    ...client,
    id: 3,
    payload: bootp({
      op: 1,
      xid: XID,
      secs: 1,
      options: [
        ...opt(53, [3]),
        ...clientId,
        ...opt(50, OFFERED),
        ...opt(54, SERVER),
        ...opt(12, text('wirelab-pc')),
        ...opt(81, [0, 0, 0, ...text('wirelab-pc')]),
        ...prl,
      ],
    }),
  }),
  frame({
    ...server,
    id: 4,
    payload: bootp({ op: 2, xid: XID, yiaddr: OFFERED, options: [...opt(53, [5]), ...serverOpts] }),
  }),
  frame({
    ...client,
    src: OFFERED,
    id: 5,
    payload: bootp({ op: 1, xid: XID + 1, ciaddr: OFFERED, options: [...opt(53, [8]), ...clientId, ...prl] }),
  }),
  frame({
    ...client,
    dstMac: SERVER_MAC,
    src: OFFERED,
    dst: SERVER,
    id: 6,
    payload: bootp({
      op: 1,
      xid: XID + 2,
      ciaddr: OFFERED,
      options: [...opt(53, [7]), ...clientId, ...opt(54, SERVER)],
    }),
  }),
  frame({
    ...server,
    dstMac: BROADCAST_MAC,
    dst: BCAST,
    id: 7,
    payload: bootp({
      op: 2,
      xid: XID + 3,
      broadcast: true,
      options: [...opt(53, [6]), ...opt(54, SERVER), ...opt(56, text('requested address not available'))],
    }),
  }),
];

// pcap: little-endian, microseconds, snaplen 65535, Ethernet.
const out = [...u32r(0xa1b2c3d4), ...u16r(2), ...u16r(4), ...u32r(0), ...u32r(0), ...u32r(65535), ...u32r(1)];
let t = 1796400000;
frames.forEach((bytes, i) => {
  out.push(...u32r(t + i), ...u32r(1000 * i), ...u32r(bytes.length), ...u32r(bytes.length), ...bytes);
});
function u32r(n) {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u16r(n) {
  return [n & 0xff, (n >> 8) & 0xff];
}
const path = new URL('../test/fixtures/captures/lab/lab-dhcp-crafted.pcap', import.meta.url);
writeFileSync(path, Buffer.from(out));
console.log(`wrote ${path.pathname}: ${frames.length} frames`);
