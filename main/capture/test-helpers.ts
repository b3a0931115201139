/** Helpers for the capture tests: a tiny HTTP server, requests, and a TCP header peek. */
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LinkType, type PacketRecord } from '../../core/pcap/types';

export async function startHttpServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<h1>WireLab</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET / on a new connection; resolves with the client's local port. */
export function httpGet(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(localPort));
    });
    let localPort = 0;
    req.on('socket', (socket) => socket.on('connect', () => (localPort = socket.localPort ?? 0)));
    req.on('error', reject);
  });
}

export interface TcpPeek {
  srcPort: number;
  dstPort: number;
  flags: number;
}

/** Ports and flags of an IPv4/IPv6 TCP packet on the link types loopback uses; null otherwise. */
export function peekTcp(p: PacketRecord): TcpPeek | null {
  const d = p.data;
  let ip: number;
  if (p.linkType === LinkType.ETHERNET) ip = 14;
  else if (p.linkType === LinkType.NULL || p.linkType === LinkType.LOOP) ip = 4;
  else if (p.linkType === LinkType.LINUX_SLL) ip = 16;
  else if (p.linkType === LinkType.RAW) ip = 0;
  else return null;
  if (d.length < ip + 20) return null;
  const version = d[ip] >> 4;
  let tcp: number;
  if (version === 4) {
    if (d[ip + 9] !== 6) return null;
    tcp = ip + (d[ip] & 0x0f) * 4;
  } else if (version === 6) {
    if (d[ip + 6] !== 6) return null;
    tcp = ip + 40;
  } else return null;
  if (d.length < tcp + 14) return null;
  return { srcPort: (d[tcp] << 8) | d[tcp + 1], dstPort: (d[tcp + 2] << 8) | d[tcp + 3], flags: d[tcp + 13] };
}

export const SYN = 0x02;
export const ACK = 0x10;

export function runTool(command: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, stdout, stderr }),
    );
  });
}

export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}
