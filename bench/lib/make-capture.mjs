// Generates (once, cached in .bench/) a big pcap of lab-like HTTP traffic on Linux loopback:
// Ethernet with zero MACs, IPv4 127.0.0.1 → 127.0.0.1:8001, one TCP connection after the
// other (ports cycling), each: SYN / SYN-ACK / ACK, GET / → 200 text/html, GET /logo.jpg →
// 200 image/jpeg (JFIF, a few KB), keep-alive close by the server (FIN), client FIN later.
// 14 packets per connection, timestamps increasing, written streaming with a 4 MB buffer.
//
// Usage: node bench/lib/make-capture.mjs [packets]   (prints the path)
//        import { ensureBenchCapture } from './lib/make-capture.mjs'
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TextEncoder } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = 1;
export const DEFAULT_PACKETS = 1_000_000;
export const PACKETS_PER_CONNECTION = 14;

const enc = new TextEncoder();

function htmlBody() {
  return enc.encode(
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Profile</title></head>' +
      '<body><h1>Lab</h1><p>Major: CS</p><p>ID: 2026000001</p><img src="/logo.jpg"></body></html>\n',
  );
}

/** A small but valid JFIF: SOI, APP0 "JFIF", a comment segment as filler, EOI. */
function jpegBody(size) {
  const out = new Uint8Array(size);
  const head = [
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ];
  out.set(head, 0);
  const comLen = size - head.length - 2 - 2; // COM marker (2) + EOI (2)
  out[20] = 0xff;
  out[21] = 0xfe;
  out[22] = comLen >> 8;
  out[23] = comLen & 0xff;
  for (let i = 24; i < size - 2; i++) out[i] = 0x61 + (i % 26);
  out[size - 2] = 0xff;
  out[size - 1] = 0xd9;
  return out;
}

const HTML = htmlBody();
const JPEG = jpegBody(2048);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const request = (path) =>
  enc.encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nConnection: keep-alive\r\nUser-Agent: Mozilla/5.0 HeadlessChrome\r\n` +
      `Accept: */*\r\nAccept-Encoding: gzip, deflate\r\n\r\n`,
  );
const response = (type, body) =>
  concat(
    enc.encode(
      `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n` +
        `Date: Mon, 23 Nov 2026 18:49:50 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n`,
    ),
    body,
  );
const GET_ROOT = request('/');
const GET_LOGO = request('/logo.jpg');
const RESP_HTML = response('text/html; charset=utf-8', HTML);
const RESP_JPEG = response('image/jpeg', JPEG);

function checksum(bytes, start, end, initial = 0) {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * Writes one Ethernet/IPv4/TCP frame into buf at o (after a 16-byte pcap record header).
 * Returns the new offset.
 */
function frame(buf, view, o, p) {
  const { sec, usec, sport, dport, seq, ack, flags, win, tsval, tsecr, payload, syn } = p;
  const optLen = syn ? 20 : 12;
  const tcpLen = 20 + optLen;
  const ipLen = 20 + tcpLen + payload.length;
  const frameLen = 14 + ipLen;
  view.setUint32(o, sec, true);
  view.setUint32(o + 4, usec, true);
  view.setUint32(o + 8, frameLen, true);
  view.setUint32(o + 12, frameLen, true);
  const f = o + 16;
  buf.fill(0, f, f + 12); // zero MACs (Linux lo)
  view.setUint16(f + 12, 0x0800);
  const ip = f + 14;
  buf[ip] = 0x45;
  buf[ip + 1] = 0;
  view.setUint16(ip + 2, ipLen);
  view.setUint16(ip + 4, p.ipId);
  view.setUint16(ip + 6, 0x4000); // DF
  buf[ip + 8] = 64;
  buf[ip + 9] = 6;
  view.setUint16(ip + 10, 0);
  buf.set([127, 0, 0, 1, 127, 0, 0, 1], ip + 12);
  view.setUint16(ip + 10, ~checksum(buf, ip, ip + 20) & 0xffff);
  const t = ip + 20;
  view.setUint16(t, sport);
  view.setUint16(t + 2, dport);
  view.setUint32(t + 4, seq >>> 0);
  view.setUint32(t + 8, ack >>> 0);
  buf[t + 12] = (tcpLen / 4) << 4;
  buf[t + 13] = flags;
  view.setUint16(t + 14, win);
  view.setUint16(t + 16, 0);
  view.setUint16(t + 18, 0);
  const opt = t + 20;
  if (syn) {
    // MSS 65495, SACK_PERM, TS, NOP, WS 7 — as Linux lo
    buf.set([2, 4, 0xff, 0xd7, 4, 2, 8, 10], opt);
    view.setUint32(opt + 8, tsval >>> 0);
    view.setUint32(opt + 12, tsecr >>> 0);
    buf.set([1, 3, 3, 7], opt + 16);
  } else {
    buf.set([1, 1, 8, 10], opt);
    view.setUint32(opt + 4, tsval >>> 0);
    view.setUint32(opt + 8, tsecr >>> 0);
  }
  buf.set(payload, t + tcpLen);
  const end = t + tcpLen + payload.length;
  // pseudo header: src, dst, proto, TCP length
  const pseudo = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 6 + (tcpLen + payload.length);
  view.setUint16(t + 16, ~checksum(buf, t, end, pseudo) & 0xffff);
  return end;
}

const EMPTY = new Uint8Array(0);
const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

/** Writes the capture to `path`; returns { packets, bytes }. */
export function writeBenchCapture(path, packets = DEFAULT_PACKETS) {
  const connections = Math.ceil(packets / PACKETS_PER_CONNECTION);
  const BUF = 4 << 20;
  const buf = new Uint8Array(BUF + 65536);
  const view = new DataView(buf.buffer);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let o = 0;
  let total = 0;
  const flush = () => {
    let done = 0;
    while (done < o) done += writeSync(fd, buf, done, o - done);
    total += o;
    o = 0;
  };
  // pcap header: LE, µs, v2.4, snaplen 262144, Ethernet
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(8, 0, true);
  view.setUint32(12, 0, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  o = 24;

  let micros = 0; // time since start
  const startSec = 1795459790;
  let ipId = 1;
  let written = 0;
  for (let c = 0; c < connections && written < packets; c++) {
    const cport = 20000 + (c % 45000);
    const cisn = (c * 2654435761) >>> 0;
    const sisn = (c * 40503 + 12345678) >>> 0;
    let ctsv = (c * 7919) >>> 0;
    let stsv = (c * 104729 + 99) >>> 0;
    let cseq = cisn;
    let sseq = sisn;
    const steps = [];
    const C = (flags, payload, dt, extra = {}) => steps.push({ from: 'c', flags, payload, dt, ...extra });
    const S = (flags, payload, dt, extra = {}) => steps.push({ from: 's', flags, payload, dt, ...extra });
    C(SYN, EMPTY, 40, { syn: true });
    S(SYN | ACK, EMPTY, 26, { syn: true });
    C(ACK, EMPTY, 14);
    C(PSH | ACK, GET_ROOT, 2500);
    S(ACK, EMPTY, 30);
    S(PSH | ACK, RESP_HTML, 5900);
    C(ACK, EMPTY, 10);
    C(PSH | ACK, GET_LOGO, 42000);
    S(PSH | ACK, RESP_JPEG, 950);
    C(ACK, EMPTY, 10);
    S(FIN | ACK, EMPTY, 60000);
    C(ACK, EMPTY, 40);
    C(FIN | ACK, EMPTY, 90000);
    S(ACK, EMPTY, 30);
    for (const st of steps) {
      if (written >= packets) break;
      micros += st.dt;
      const fromClient = st.from === 'c';
      const seq = fromClient ? cseq : sseq;
      const ackNo = st.flags & ACK ? (fromClient ? sseq : cseq) : 0;
      if (fromClient) ctsv++;
      else stsv++;
      o = frame(buf, view, o, {
        sec: startSec + Math.floor(micros / 1e6),
        usec: micros % 1e6,
        sport: fromClient ? cport : 8001,
        dport: fromClient ? 8001 : cport,
        seq,
        ack: ackNo,
        flags: st.flags,
        win: st.syn ? 65495 : 512,
        tsval: fromClient ? ctsv : stsv,
        tsecr: st.flags & ACK ? (fromClient ? stsv : ctsv) : 0,
        payload: st.payload,
        syn: st.syn === true,
        ipId: ipId++ & 0xffff,
      });
      const advance = st.payload.length + (st.flags & (SYN | FIN) ? 1 : 0);
      if (fromClient) cseq = (cseq + advance) >>> 0;
      else sseq = (sseq + advance) >>> 0;
      written++;
      if (o >= BUF) flush();
    }
  }
  flush();
  closeSync(fd);
  renameSync(tmp, path);
  return { packets: written, bytes: total };
}

/** The cached capture's path, generating it first when missing. */
export function ensureBenchCapture(packets = DEFAULT_PACKETS, log = console.log) {
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `lab-http-${packets}-v${VERSION}.pcap`);
  if (!existsSync(path)) {
    const started = Date.now();
    log(`generating ${path} (${packets} packets)…`);
    const { bytes } = writeBenchCapture(path, packets);
    log(`  ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { path, packets, bytes: statSync(path).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = process.argv[2] ? Number(process.argv[2]) : DEFAULT_PACKETS;
  console.log(ensureBenchCapture(n).path);
}
