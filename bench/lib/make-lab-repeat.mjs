// A second traffic mix for the benchmarks: a real lab capture (test/fixtures/captures/lab/
// lab-linux-ipv4.pcap: Chromium loading the profile page, its 14 KB JPEG logo, a 404 for
// /favicon.ico, an unused connection and keep-alive teardowns; 30 packets) repeated until it
// holds at least the asked number of packets (default 300,000, about 197 MB).
// Each copy is shifted in time (after the previous one) and gets its own client ports, so every
// copy is a new set of TCP conversations, as a long class capture would be. The TCP checksum is
// patched by the port change (RFC 1624), so the file stays as valid as the original.
// Cached in .bench/ like make-capture.mjs.
//
// Usage: node bench/lib/make-lab-repeat.mjs [packets]   (prints the path)
//        import { ensureLabRepeatCapture } from './lib/make-lab-repeat.mjs'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = join(ROOT, 'test/fixtures/captures/lab/lab-linux-ipv4.pcap');
const VERSION = 1;
export const DEFAULT_LAB_REPEAT_PACKETS = 300_000;
const LAB_PORT = 8001;

/** Reads a classic little-endian pcap (the fixture's format) into its header and records. */
function readSource() {
  const buf = readFileSync(SOURCE);
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${SOURCE}: expected a little-endian µs pcap`);
  if (buf.readUInt32LE(20) !== 1) throw new Error(`${SOURCE}: expected Ethernet (link type 1)`);
  const records = [];
  for (let off = 24; off + 16 <= buf.length;) {
    const seconds = buf.readUInt32LE(off);
    const micros = buf.readUInt32LE(off + 4);
    const capLen = buf.readUInt32LE(off + 8);
    records.push({ time: seconds * 1e6 + micros, record: buf.subarray(off, off + 16 + capLen) });
    off += 16 + capLen;
  }
  return { header: buf.subarray(0, 24), records };
}

/** One's-complement update of a 16-bit checksum for one changed 16-bit word (RFC 1624, eqn. 3). */
function patchChecksum(sum, oldWord, newWord) {
  let s = ~sum & 0xffff;
  s += ~oldWord & 0xffff;
  s += newWord;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export function ensureLabRepeatCapture(minPackets = DEFAULT_LAB_REPEAT_PACKETS) {
  const { header, records } = readSource();
  const copies = Math.ceil(minPackets / records.length);
  const packets = copies * records.length;
  const dir = join(ROOT, '.bench');
  const path = join(dir, `lab-repeat-${packets}-v${VERSION}.pcap`);
  if (existsSync(path)) return { path, packets, bytes: statSync(path).size };
  mkdirSync(dir, { recursive: true });

  const first = records[0].time;
  const span = records[records.length - 1].time - first + 100_000; // next copy 100 ms after the last packet
  const clientPorts = [];
  for (const { record } of records) {
    const tcp = 16 + 14 + (record[16 + 14] & 0x0f) * 4;
    for (const port of [record.readUInt16BE(tcp), record.readUInt16BE(tcp + 2)])
      if (port !== LAB_PORT && !clientPorts.includes(port)) clientPorts.push(port);
  }

  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const out = Buffer.alloc(4 << 20);
  let used = 0;
  const flush = () => {
    writeSync(fd, out, 0, used);
    used = 0;
  };
  header.copy(out, 0);
  used = header.length;
  for (let copy = 0; copy < copies; copy++) {
    for (const { time, record } of records) {
      if (used + record.length > out.length) flush();
      const at = used;
      record.copy(out, at);
      used += record.length;
      const t = time + copy * span;
      out.writeUInt32LE(Math.floor(t / 1e6), at);
      out.writeUInt32LE(t % 1e6, at + 4);
      const tcp = at + 16 + 14 + (out[at + 16 + 14] & 0x0f) * 4;
      for (const side of [0, 2]) {
        const old = out.readUInt16BE(tcp + side);
        const k = clientPorts.indexOf(old);
        if (k < 0) continue;
        // A port per (copy, connection), cycling through 1024–65535 (reused only after ~21,000 copies).
        const port = 1024 + ((copy * clientPorts.length + k) % (65536 - 1024));
        out.writeUInt16BE(port, tcp + side);
        out.writeUInt16BE(patchChecksum(out.readUInt16BE(tcp + 16), old, port), tcp + 16);
      }
    }
  }
  flush();
  closeSync(fd);
  renameSync(tmp, path);
  return { path, packets, bytes: statSync(path).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { path } = ensureLabRepeatCapture(Number(process.argv[2] ?? DEFAULT_LAB_REPEAT_PACKETS));
  console.log(path);
}
