/**
 * The records of an opened or uploaded capture file, kept on disk: the file's bytes go to a
 * private temporary file (a `wirelab-capture-open-*` folder, removed when the source is replaced
 * or the host stops; one a crash left behind goes by the capture folders' rule, temp-dirs.ts:
 * untouched for 7 days, checked when a file is opened or a capture starts), and memory holds
 * only a row of numbers per record (where its bytes are in that file, its lengths, time,
 * interface and link type: 36 bytes, a million records in 36 MB whatever the file's size).
 * The bytes are read back when the UI or Save asks for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PacketRecord, PcapngBlockRecord } from '../../core/pcap/types';
import { RECORD_META_BYTES, writeRecordMeta } from '../../bridge/record-batch';
import { CAPTURE_DIR_PREFIX, removeStaleCaptureDirs } from '../capture/temp-dirs';

/** Starts with CAPTURE_DIR_PREFIX, so that removeStaleCaptureDirs cleans up after a crash. */
export const OPEN_DIR_PREFIX = `${CAPTURE_DIR_PREFIX}open-`;

/** Bytes per record: the packed batch's row (record-batch.ts) and the data's offset in the file (f64). */
const ROW_BYTES = RECORD_META_BYTES + 8;
/** Records read from disk in one go (Save, getPackets): contiguous runs up to this many bytes. */
const READ_SPAN = 8 << 20;

export class FileRecords {
  private rows = new Uint8Array(ROW_BYTES * 1024);
  private view = new DataView(this.rows.buffer);
  private count = 0;
  private readonly comments = new Map<number, string[]>();
  private readonly blocks = new Map<number, PcapngBlockRecord>();
  /** Records the file stores no time for (pcapng Simple Packet Blocks). */
  private readonly untimed = new Set<number>();
  /** Bytes written to the file so far. */
  private written = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly handle: FileHandle,
  ) {}

  /** A new, empty file in a private temp folder (mode 0700, the file 0600). */
  static async create(tempDir = tmpdir()): Promise<FileRecords> {
    void removeStaleCaptureDirs(tempDir);
    const dir = mkdtempSync(path.join(tempDir, OPEN_DIR_PREFIX));
    try {
      const handle = await open(path.join(dir, 'capture'), 'w+', 0o600);
      return new FileRecords(dir, handle);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get size(): number {
    return this.count;
  }

  /** The temp file (tests). */
  get file(): string {
    return path.join(this.dir, 'capture');
  }

  /** Appends the next part of the file (in order). */
  async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, this.written + done);
      done += bytesWritten;
    }
    this.written += bytes.length;
  }

  /**
   * Indexes the records parsed from `part`, which starts at `partOffset` in the file. A record's
   * bytes are a view into the part, or (a record cut by the part's start) into a buffer of its
   * own that starts at the record's `fileOffset` (core/pcap/reader.ts).
   */
  add(records: readonly PacketRecord[], part: Uint8Array, partOffset: number): void {
    for (const r of records) {
      let at: number;
      if (r.data.buffer === part.buffer) at = partOffset + (r.data.byteOffset - part.byteOffset);
      else if (r.fileOffset !== undefined) at = r.fileOffset + r.data.byteOffset;
      else throw new Error('A record whose place in the file is unknown.');
      this.push(r, at);
    }
  }

  private push(r: PacketRecord, at: number): void {
    if ((this.count + 1) * ROW_BYTES > this.rows.length) {
      const grown = new Uint8Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
      this.view = new DataView(grown.buffer);
    }
    const m = this.count * ROW_BYTES;
    writeRecordMeta(this.view, m, r);
    this.view.setFloat64(m + RECORD_META_BYTES, at, true);
    if (r.comments?.length) this.comments.set(this.count, r.comments);
    if (r.pcapngBlock) this.blocks.set(this.count, r.pcapngBlock);
    else if (r.noTimestamp) this.untimed.add(this.count);
    this.count++;
  }

  private offsetOf(i: number): number {
    return this.view.getFloat64(i * ROW_BYTES + RECORD_META_BYTES, true);
  }

  private lengthOf(i: number): number {
    return this.view.getUint32(i * ROW_BYTES + 12, true);
  }

  originalLength(i: number): number {
    return this.view.getUint32(i * ROW_BYTES + 16, true);
  }

  isBlock(i: number): boolean {
    return this.blocks.has(i);
  }

  /** Record i's time in seconds. */
  time(i: number): number {
    const m = i * ROW_BYTES;
    return this.view.getFloat64(m, true) + this.view.getUint32(m + 8, true) / 1e9;
  }

  /** Record i, its bytes a view into `data` at `offset`. */
  private record(i: number, data: Uint8Array): PacketRecord {
    const m = i * ROW_BYTES;
    const v = this.view;
    const record: PacketRecord = {
      data,
      originalLength: v.getUint32(m + 16, true),
      tsSec: v.getFloat64(m, true),
      tsNsec: v.getUint32(m + 8, true),
      interfaceId: v.getUint32(m + 20, true),
      linkType: v.getUint32(m + 24, true),
    };
    const comments = this.comments.get(i);
    if (comments) record.comments = comments;
    if (this.untimed.has(i)) record.noTimestamp = true;
    const block = this.blocks.get(i);
    if (block) {
      record.pcapngBlock = block;
      record.noTimestamp = true;
      record.interfaceId = -1;
    }
    return record;
  }

  /**
   * The records at `indices` (in that order, each in range), read from disk: records close to
   * each other in the file are read together, in spans of up to 8 MB.
   */
  async read(indices: readonly number[]): Promise<PacketRecord[]> {
    const out: PacketRecord[] = [];
    for (let i = 0; i < indices.length;) {
      // A run of records whose bytes lie in one span of the file, in increasing order.
      const start = this.offsetOf(indices[i]);
      let end = start + this.lengthOf(indices[i]);
      let j = i + 1;
      for (; j < indices.length; j++) {
        const at = this.offsetOf(indices[j]);
        const stop = at + this.lengthOf(indices[j]);
        if (at < start || stop - start > READ_SPAN) break;
        end = Math.max(end, stop);
      }
      const span = new Uint8Array(end - start);
      let done = 0;
      while (done < span.length) {
        const { bytesRead } = await this.handle.read(span, done, span.length - done, start + done);
        if (bytesRead === 0) throw new Error('The temporary copy of the file is shorter than expected.');
        done += bytesRead;
      }
      for (let k = i; k < j; k++) {
        const at = this.offsetOf(indices[k]) - start;
        out.push(this.record(indices[k], span.subarray(at, at + this.lengthOf(indices[k]))));
      }
      i = j;
    }
    return out;
  }

  /** Closes and removes the temp file and its folder. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
