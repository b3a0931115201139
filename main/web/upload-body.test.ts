/**
 * The browser shell's upload body (LabClient.uploadCaptureBody → POST upload): the rest of a
 * file the page reads itself reaches a real LabHost in parts, which keeps it on disk and sends
 * no packets back; only the shell's own page may post, and a refused upload says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { LabHost } from '../host/lab-host';
import { startWebServer, TOKEN_COOKIE, UPLOAD_BODY_PART, type WebServer } from './server';
import { readCaptureFile, writePcapng } from '../../core/pcap';
import type { CaptureUploadResult } from '../../bridge/lab-api';

const TOKEN = 'b'.repeat(64);
let dir: string;
let server: WebServer;
let host: LabHost;

function post(
  query: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; body: { result?: CaptureUploadResult; error?: { message: string } } | string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: `/wirelab/upload${query}`, method: 'POST', headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (401, 403, 405)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as never });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wirelab-upload-body-'));
  host = await LabHost.create({ dataDir: dir, tempDir: dir });
  server = await startWebServer({ host, rendererDir: dir, token: TOKEN });
});

afterAll(async () => {
  await server.close();
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST upload (the rest of a file the page reads itself)', () => {
  it('reaches the host in parts, no packets come back, Save gives the same packets', async () => {
    // A file of several body parts: the lab capture repeated.
    const one = readCaptureFile(new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap')));
    const records = Array.from({ length: 1200 }, () => one.packets).flat();
    const bytes = writePcapng({ interfaces: one.info.interfaces }, records);
    expect(bytes.length).toBeGreaterThan(UPLOAD_BODY_PART);
    const events: number[] = [];
    host.on('packets', (e) => events.push(e.batch.count));
    const first = await host.uploadCapture({
      name: 'big.pcapng',
      offset: 0,
      bytes: bytes.subarray(0, 5000),
      loadedBy: 'page-1',
    });
    expect(first.generation).toBeGreaterThan(0);
    const status = await host.getStatus();
    expect(status.source).toMatchObject({
      kind: 'file',
      name: 'big.pcapng',
      loadedBy: 'page-1',
      generation: first.generation,
    });

    const origin = `http://127.0.0.1:${server.port}`;
    const headers = { Cookie: `${TOKEN_COOKIE}=${TOKEN}`, Origin: origin, Host: `127.0.0.1:${server.port}` };
    const query = `?upload=${first.upload}&offset=5000`;
    // Not without the cookie, not from another origin.
    expect((await post(query, bytes.subarray(5000), { Origin: origin })).status).toBe(401);
    expect((await post(query, bytes.subarray(5000), { ...headers, Origin: 'http://evil.example' })).status).toBe(403);

    const answer = await post(query, bytes.subarray(5000), headers);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      result: { name: 'big.pcapng', packets: records.length, upload: first.upload },
    });
    expect(events).toEqual([]);
    expect((await host.getStatus()).source).toMatchObject({ packets: records.length, loadedBy: 'page-1' });
    const saved = readCaptureFile(
      (await host.saveCapture({ indices: [0, 1, records.length - 1] })).bytes as Uint8Array,
    );
    expect(saved.packets.map((p) => Buffer.from(p.data))).toEqual(
      [0, 1, records.length - 1].map((i) => Buffer.from(records[i].data)),
    );
    const stats = await host.getStatistics();
    expect(stats.packets).toBe(records.length);

    // An upload another file replaced: refused with the host's words.
    await host.uploadCapture({ name: 'other.pcapng', offset: 0, bytes: bytes.subarray(0, 5000) });
    const late = await post(`?upload=${first.upload}&offset=5000`, bytes.subarray(5000, 9000), headers);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { message: expect.stringMatching(/no longer open/) } });
  });
});
