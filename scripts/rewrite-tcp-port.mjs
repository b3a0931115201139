#!/usr/bin/env node
/**
 * Copies a little-endian pcap of Ethernet/IPv4 frames, replacing a TCP port number by another
 * in every TCP header (the TCP checksum is left as it was; Wireshark does not verify it by default).
 * Made lab/lab-linux-ipv4.port22.pcap: the lab's HTTP exchange on port 22, to check that the port
 * table wins over the HTTP heuristic, as in Wireshark.
 *
 * Usage: node scripts/rewrite-tcp-port.mjs IN OUT FROM_PORT TO_PORT
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, from, to] = process.argv.slice(2);
if (!to) {
  console.error('usage: rewrite-tcp-port.mjs IN OUT FROM_PORT TO_PORT');
  process.exit(2);
}
const data = Buffer.from(readFileSync(input));
if (data.readUInt32LE(0) !== 0xa1b2c3d4 || data.readUInt32LE(20) !== 1) {
  console.error('only little-endian microsecond pcap files of Ethernet frames are handled');
  process.exit(2);
}
let changed = 0;
for (let off = 24; off + 16 <= data.length;) {
  const incl = data.readUInt32LE(off + 8);
  const p = off + 16;
  if (data.readUInt16BE(p + 12) === 0x0800 && data[p + 14 + 9] === 6) {
    const tcp = p + 14 + (data[p + 14] & 0x0f) * 4;
    for (const at of [tcp, tcp + 2]) {
      if (data.readUInt16BE(at) === Number(from)) {
        data.writeUInt16BE(Number(to), at);
        changed++;
      }
    }
  }
  off = p + incl;
}
writeFileSync(output, data);
console.log(`${output}: ${changed} port fields changed`);
