/**
 * When `wirelab -r FILE` starts the summary thread (summaryThreadWorker): a file of many packets,
 * a second core, and that core not busy; the environment variable overrides both ways.
 */
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimatePackets, summaryThreadWorker } from './summary-thread';

const WORKER = resolve(__dirname, '../../out/cli/summary-worker.js');
const built = existsSync(WORKER);
if (!built) console.log(`summary-thread-choice.test: skipped, ${WORKER} is missing (run "node scripts/build.mjs").`);

const tmp = mkdtempSync(join(tmpdir(), 'wirelab-thread-choice-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A pcap file of `size` bytes whose first 2 MB are records of `frameBytes`-byte frames; the
 * rest is sparse (no disk used), as only the start is read to estimate the packets.
 */
function captureOfSize(name: string, frameBytes: number, size: number): string {
  const path = join(tmp, name);
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const record = Buffer.alloc(16 + frameBytes);
  record.writeUInt32LE(frameBytes, 8);
  record.writeUInt32LE(frameBytes, 12);
  const records = Buffer.concat([
    header,
    ...Array.from({ length: Math.ceil((2 << 20) / record.length) }, () => record),
  ]);
  writeSync(fd, records);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

/** A sparse file of zeros: not a capture. */
function zerosOfSize(name: string, size: number): string {
  const path = join(tmp, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe('estimatePackets', () => {
  it('estimates from the size and the records at the start of the file', () => {
    // 60-byte frames take 76 bytes each with their record header.
    expect(estimatePackets(captureOfSize('small-frames.pcap', 60, 76_000_024))).toBeCloseTo(1_000_000, -4);
    expect(estimatePackets(captureOfSize('large-frames.pcap', 1484, 150_000_024))).toBeCloseTo(100_000, -4);
    expect(estimatePackets(zerosOfSize('zeros.pcap', 10_000_000))).toBeNull();
    expect(estimatePackets(join(tmp, 'missing.pcap'))).toBeNull();
  });
});

describe.skipIf(!built)('summaryThreadWorker', () => {
  // 2.8 million packets; 200 MB of large frames is 140,000 (the thread would not pay); 20 MB, 280,000.
  const big = captureOfSize('big.pcap', 60, 200 * 1024 * 1024);
  const fewLarge = captureOfSize('few-large.pcap', 1484, 200 * 1024 * 1024);
  const small = captureOfSize('small.pcap', 60, 20 * 1024 * 1024);
  const env = {};
  const idle = () => ({ cores: 2, load: 0.9 });

  it('starts the thread for a large file on an idle second core', () => {
    expect(summaryThreadWorker(big, env, idle)).toBe(WORKER);
  });

  it('keeps one thread for a file of fewer packets, standard input, or a single core', () => {
    expect(summaryThreadWorker(small, env, idle)).toBeNull();
    expect(summaryThreadWorker(fewLarge, env, idle)).toBeNull();
    expect(summaryThreadWorker('-', env, idle)).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 1, load: 0 }))).toBeNull();
  });

  it('keeps one thread when the machine has less than half a core idle', () => {
    expect(summaryThreadWorker(big, env, () => ({ cores: 2, load: 1.6 }))).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 2, load: 11 }))).toBeNull();
    expect(summaryThreadWorker(big, env, () => ({ cores: 8, load: 6 }))).toBe(WORKER);
  });

  it('follows WIRELAB_SUMMARY_THREAD whatever the file and the load', () => {
    const busy = () => ({ cores: 2, load: 11 });
    expect(summaryThreadWorker(small, { WIRELAB_SUMMARY_THREAD: '1' }, busy)).toBe(WORKER);
    expect(summaryThreadWorker(big, { WIRELAB_SUMMARY_THREAD: '0' }, idle)).toBeNull();
  });
});
