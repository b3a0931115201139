/**
 * `wirelab -r F` with its summary lines written by the second thread (summary-thread.ts) must
 * print what the in-thread writer prints, byte for byte: every fixture, a capture of 40,000
 * hosts (many slots, the text table starting over), an Info too long for a slot, a damaged
 * file, and a reader that goes away (`| head`). The built CLI is run (the thread loads
 * out/cli/summary-worker.js); WIRELAB_SUMMARY_THREAD=1 forces the thread, =0 keeps it off.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listCaptures } from '../../test/helpers/captures';

const CLI = resolve(__dirname, '../../out/cli/wirelab.js');
const WORKER = resolve(__dirname, '../../out/cli/summary-worker.js');
const built = existsSync(CLI) && existsSync(WORKER);
if (!built) console.log(`summary-thread.test: skipped, ${CLI} or ${WORKER} is missing (run "node scripts/build.mjs").`);

const tmp = mkdtempSync(join(tmpdir(), 'wirelab-thread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function wirelab(args: string[], thread: boolean) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, WIRELAB_SUMMARY_THREAD: thread ? '1' : '0' },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

function expectSameOutput(args: string[]): Buffer {
  const threaded = wirelab(args, true);
  const inThread = wirelab(args, false);
  expect(threaded.stderr).toBe(inThread.stderr);
  expect(threaded.code).toBe(inThread.code);
  expect(threaded.stdout.equals(inThread.stdout)).toBe(true);
  return threaded.stdout;
}

/** A little-endian pcap (µs, Ethernet) of the given frames, a millisecond apart. */
function pcap(frames: Uint8Array[]): Buffer {
  const parts = [Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0])];
  frames.forEach((frame, i) => {
    const header = Buffer.alloc(16);
    header.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0);
    header.writeUInt32LE((i % 1000) * 1000, 4);
    header.writeUInt32LE(frame.length, 8);
    header.writeUInt32LE(frame.length, 12);
    parts.push(header, Buffer.from(frame));
  });
  return Buffer.concat(parts);
}

/** Ethernet + IPv4 (no checksum) + `transport` from src to dst. */
function ipv4Frame(src: number[], protocol: number, transport: Buffer, dst = [127, 0, 0, 1]): Uint8Array {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + transport.length, 2);
  ip[8] = 64;
  ip[9] = protocol;
  ip.set(src, 12);
  ip.set(dst, 16);
  const ethernet = Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00]);
  return Buffer.concat([ethernet, ip, transport]);
}

function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

function tcp(srcPort: number, dstPort: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(1000, 4);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, payload]);
}

describe.skipIf(!built)('summary lines from the second thread', () => {
  // Two CLI runs per fixture capture: slow on a loaded 2-core machine, so a longer limit than the default.
  it('are those of the in-thread writer for every fixture', () => {
    const captures = listCaptures();
    expect(captures.length).toBeGreaterThan(10);
    for (const capture of captures) expectSameOutput(['-r', capture.path]);
  }, 120_000);

  it('are the same over many slots, 40,000 hosts (the text table starts over) and an Info of 40,000 characters', () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 20_000; i++) {
      frames.push(ipv4Frame([10, 1 + (i >> 16), (i >> 8) & 255, i & 255], 17, udp(40000, 9999, Buffer.from('ping'))));
    }
    // Then one source and ever new destinations: the table starts over while a known source's id is in use.
    for (let i = 0; i < 20_000; i++) {
      frames.push(
        ipv4Frame([127, 0, 0, 1], 17, udp(40000, 9999, Buffer.from('pong')), [
          10,
          2 + (i >> 16),
          (i >> 8) & 255,
          i & 255,
        ]),
      );
    }
    const uri = '/' + 'a'.repeat(40_000);
    const request = Buffer.from(`GET ${uri} HTTP/1.1\r\nHost: 127.0.0.1:8001\r\n\r\n`);
    frames.push(ipv4Frame([127, 0, 0, 1], 6, tcp(50000, 8001, 0x18, request)));
    frames.push(ipv4Frame([127, 0, 0, 1], 6, tcp(8001, 50000, 0x10, Buffer.alloc(0))));
    const file = join(tmp, 'many.pcap');
    writeFileSync(file, pcap(frames));
    const out = expectSameOutput(['-r', file]).toString('utf8').split('\n');
    expect(out).toHaveLength(40_003);
    expect(out[19_999]).toContain('10.1.78.31 → 127.0.0.1');
    expect(out[39_999]).toContain('127.0.0.1 → 10.2.78.31');
    expect(out[40_000]).toContain(`GET ${uri} HTTP/1.1`);
    expect(out[40_001]).toContain('8001 → 50000 [ACK]');
  });

  it('stop where a damaged file breaks and say so after the lines', () => {
    const whole = readFileSync(listCaptures().find((c) => c.name === 'lab-linux-ipv4.pcap')?.path ?? '');
    const file = join(tmp, 'cut.pcap');
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    expectSameOutput(['-r', file]);
    expect(wirelab(['-r', file], true).code).toBe(2);
  });

  it('come from the worker when asked (a stand-in worker next to the CLI shows it is the one used)', () => {
    const dir = mkdtempSync(join(tmp, 'stand-in-'));
    writeFileSync(join(dir, 'wirelab.js'), readFileSync(CLI));
    writeFileSync(join(dir, 'summary-worker.js'), "require('node:fs').writeSync(1, 'from the stand-in worker\\n');\n");
    const lab = listCaptures().find((c) => c.name === 'lab-linux-ipv4.pcap')?.path ?? '';
    const run = (thread: string) =>
      spawnSync(process.execPath, [join(dir, 'wirelab.js'), '-r', lab], {
        env: { ...process.env, WIRELAB_SUMMARY_THREAD: thread },
      }).stdout.toString('utf8');
    expect(run('1')).toBe('from the stand-in worker\n');
    expect(run('0')).toBe(readFileSync(`${lab}.tshark.txt`, 'utf8'));
  });

  // The file is read only in part: that is no "cut short" damage (with or without the thread).
  for (const thread of ['1', '0']) {
    it(`end quietly when the reader goes away (wirelab -r F | head; WIRELAB_SUMMARY_THREAD=${thread})`, async () => {
      const file = join(tmp, 'many.pcap');
      const child = spawn(process.execPath, [CLI, '-r', file], {
        env: { ...process.env, WIRELAB_SUMMARY_THREAD: thread },
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    });
  }
});
