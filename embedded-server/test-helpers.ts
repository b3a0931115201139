/** Helpers for the embedded-server tests: a raw HTTP/1.1 client over `net` and temporary stores. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ProfileStore } from './store';

export interface RawResponse {
  status: number;
  statusLine: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Map<string, string>;
  /** Header names in the order the server sent them (original case). */
  headerOrder: string[];
  body: Buffer;
  /** Everything received on the socket. */
  raw: Buffer;
}

/** Parses one response from `buf`; null while incomplete. */
export function parseResponse(buf: Buffer, isHead = false): { response: RawResponse; used: number } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const statusLine = lines[0];
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers = new Map<string, string>();
  const headerOrder: string[] = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    headerOrder.push(name);
    const key = name.toLowerCase();
    const value = line.slice(i + 1).trim();
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value);
  }
  const length = isHead ? 0 : Number(headers.get('content-length') ?? 0);
  if (buf.length < end + 4 + length) return null;
  const body = Buffer.from(buf.subarray(end + 4, end + 4 + length));
  return { response: { status, statusLine, headers, headerOrder, body, raw: buf }, used: end + 4 + length };
}

/** Connects to 127.0.0.1:port. With allowHalfOpen, our side stays open after the server's FIN (like a browser). */
export function connect(port: number, allowHalfOpen = false): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends raw bytes on a new connection and resolves with the first response (or, when the
 * server closes without a complete response, with status 0 and what was received).
 */
export function rawRequest(port: number, data: string | Buffer, opts: { head?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (r: RawResponse): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    socket.on('connect', () => socket.write(data));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const parsed = parseResponse(buf, opts.head);
      if (parsed) finish(parsed.response);
    });
    socket.on('close', () =>
      finish({ status: 0, statusLine: '', headers: new Map(), headerOrder: [], body: Buffer.alloc(0), raw: buf }),
    );
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after the server answered and closed still counts as an answer.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return;
      if (!done) reject(e);
    });
  });
}

/** A plain GET request with Host and Connection: close. */
export function get(port: number, target: string, method = 'GET'): Promise<RawResponse> {
  return rawRequest(port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, {
    head: method === 'HEAD',
  });
}

export function tempDir(prefix = 'wirelab-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function tempStore(): Promise<{ store: ProfileStore; dir: string }> {
  const dir = tempDir();
  return { store: await ProfileStore.open(dir), dir };
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Small real images for logo tests. */
export const SAMPLE_IMAGES = {
  jpeg: Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
  ]),
  gif: Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'),
  webp: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
};

/** Sends raw bytes and collects everything the server sends until it closes the connection. */
export function collectUntilClose(port: number, data: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(data));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server did not close the connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}
