/**
 * The host's disk-backed file source: every fixture written to the temp copy in parts cut at
 * odd places, indexed as it is parsed, and read back: the same records (bytes, times, lengths,
 * comments, blocks) as reading the whole file at once, and Save writes what tshark reads as
 * the original file.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { CaptureReader, readCaptureFile, writePcapng } from '../../core/pcap';
import { listCaptures } from '../../test/helpers/captures';
import { FileRecords } from './file-records';
import { PacketStore } from './packet-store';
import { unpackRecords } from '../../bridge/record-batch';

/** Parts of these sizes, cycling: records are cut by part boundaries everywhere. */
const PART_SIZES = [1, 7, 100, 333, 4096, 65536];

async function indexInParts(bytes: Uint8Array, tempDir: string): Promise<FileRecords> {
  const file = await FileRecords.create(tempDir);
  const reader = new CaptureReader();
  let offset = 0;
  for (let n = 0; offset < bytes.length; n++) {
    // A fresh buffer per part, as the host gets from a file or the bridge.
    const part = bytes.slice(offset, offset + PART_SIZES[n % PART_SIZES.length]);
    await file.write(part);
    file.add(reader.push(part), part, offset);
    offset += part.length;
  }
  reader.end();
  return file;
}

describe('FileRecords (an opened file kept on disk)', () => {
  it('reads back every fixture record as reading the whole file gives it, parts cut anywhere', async () => {
    const tempDir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-file-records-'));
    try {
      for (const fixture of listCaptures()) {
        const bytes = new Uint8Array(readFileSync(fixture.path));
        const whole = readCaptureFile(bytes).packets;
        const file = await indexInParts(bytes, tempDir);
        expect(file.size, fixture.id).toBe(whole.length);
        const all = await file.read(whole.map((_, i) => i));
        const strip = (r: (typeof whole)[number]) => {
          const { fileOffset: _drop, ...rest } = r;
          return { ...rest, data: Buffer.from(r.data) };
        };
        expect(all.map(strip), fixture.id).toEqual(whole.map(strip));
        // Out of order and repeated indices.
        const picks = [whole.length - 1, 0, Math.floor(whole.length / 2), 0].filter((i) => i >= 0);
        expect((await file.read(picks)).map(strip)).toEqual(picks.map((i) => strip(whole[i])));
        const copy = file.file;
        expect(existsSync(copy)).toBe(true);
        await file.dispose();
        expect(existsSync(path.dirname(copy))).toBe(false);
      }
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  });

  it('PacketStore on a file: slices for the UI and saves the bytes tshark reads in the original', async () => {
    const tempDir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-file-records-'));
    try {
      const source = 'test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng';
      const bytes = new Uint8Array(readFileSync(source));
      const whole = readCaptureFile(bytes);
      const store = new PacketStore();
      const file = await indexInParts(bytes, tempDir);
      const generation = store.reset(file);
      store.noteFileRecords(whole.packets);
      expect(store.size).toBe(whole.packets.length);
      const slice = await store.slice(3, 10);
      expect(slice).toMatchObject({ generation, firstIndex: 3 });
      expect(unpackRecords(slice.batch).map((r) => Buffer.from(r.data))).toEqual(
        whole.packets.slice(3, 13).map((r) => Buffer.from(r.data)),
      );
      const saved = path.join(tempDir, 'saved.pcapng');
      writeFileSync(saved, writePcapng({ interfaces: whole.info.interfaces }, await store.select()));
      const tshark = (file: string) =>
        execFileSync('tshark', ['-r', file, '-x'], {
          encoding: 'utf8',
        });
      expect(tshark(saved)).toBe(tshark(source));
      const stats = store.statistics(0, 0);
      expect(stats.packets).toBe(whole.packets.length);
      expect(stats.bytes).toBe(whole.packets.reduce((n, r) => n + r.originalLength, 0));
      // A new source removes the temp copy.
      const copy = file.file;
      store.reset();
      await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(copy)).toBe(false);
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  });
});
