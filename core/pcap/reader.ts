/**
 * Streaming reader for pcap and pcapng. Bytes can arrive in chunks split anywhere (a live
 * capture file read as it grows); each push() returns the packets completed so far.
 *
 * Zero-copy: packet data are subarray views into the chunks you push, so do not reuse or
 * modify a chunk's buffer after pushing it. Only a record that straddles two chunks is
 * copied (into a buffer of its own).
 */
import type { FormatParser } from './parser';
import { PcapParser, pcapMagic } from './pcap';
import { BlockType, PcapngParser } from './pcapng';
import { CaptureFileError, type CaptureFileInfo, type PacketRecord } from './types';

export type CaptureFormat = 'pcap' | 'pcapng';

const MAGIC_SIZE = 4;

/** Which format the bytes start with, judged from the first 4 bytes; null if neither (or too short). */
export function detectCaptureFormat(bytes: Uint8Array): CaptureFormat | null {
  if (bytes.length < MAGIC_SIZE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, MAGIC_SIZE);
  if (view.getUint32(0, true) === BlockType.SECTION_HEADER) return 'pcapng';
  if (pcapMagic(view, 0) !== null) return 'pcap';
  return null;
}

function hex(bytes: Uint8Array, start: number, end: number): string {
  return Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export class CaptureReader {
  private parser: FormatParser | null = null;
  private failure: CaptureFileError | null = null;
  private ended = false;
  /** Bytes of the file before the chunk being parsed. */
  private fileOffset = 0;
  /** The start of a unit that did not fit in the previous chunk(s). A fresh buffer per unit: records view into it. */
  private pending: Uint8Array | null = null;
  private pendingLength = 0;
  /** File offset of pending[0]. */
  private pendingOffset = 0;

  /** Null until the file header (pcap header or first SHB) has been read. The object grows as IDBs arrive. */
  get info(): CaptureFileInfo | null {
    return this.parser?.info ?? null;
  }

  /** Set once the data turned out to be damaged; push() then returns nothing more. */
  get error(): CaptureFileError | null {
    return this.failure;
  }

  /** Packets read so far. */
  get packetCount(): number {
    return this.parser?.packetCount ?? 0;
  }

  push(chunk: Uint8Array): PacketRecord[] {
    const out: PacketRecord[] = [];
    if (this.failure !== null || this.ended || chunk.length === 0) return out;
    try {
      let pos = 0;
      if (this.pendingLength > 0 || this.parser === null) {
        pos = this.completePending(chunk, out);
        if (this.pendingLength > 0 || this.parser === null) {
          this.fileOffset += chunk.length;
          return out;
        }
      }
      pos = this.parseInPlace(chunk, pos, out);
      if (pos < chunk.length) this.keep(chunk, pos, chunk.length);
      this.fileOffset += chunk.length;
    } catch (e) {
      if (!(e instanceof CaptureFileError)) throw e;
      this.failure = e;
    }
    return out;
  }

  /**
   * Call when the input is complete. Returns the error that describes the end of the file:
   * the damage already found, a file cut short in the middle of a record, or a file too short
   * to be a capture at all; null if the file ended cleanly.
   */
  end(): CaptureFileError | null {
    if (this.ended || this.failure !== null) {
      this.ended = true;
      return this.failure;
    }
    this.ended = true;
    if (this.parser === null) {
      this.failure =
        this.pendingLength === 0
          ? new CaptureFileError('The file is empty: it is not a pcap or pcapng file.', 0, 0)
          : new CaptureFileError(
              `The file is only ${this.pendingLength} bytes long: it is not a pcap or pcapng file.`,
              0,
              0,
            );
    } else if (this.pendingLength > 0) {
      this.failure = this.parser.truncationError(this.pending as Uint8Array, 0, this.pendingLength, this.pendingOffset);
    } else if (this.parser.info === null) {
      this.failure = this.parser.truncationError(new Uint8Array(0), 0, 0, this.fileOffset);
    }
    return this.failure;
  }

  /** Parse every complete unit of chunk[pos..]; returns where the first incomplete one starts. */
  private parseInPlace(chunk: Uint8Array, pos: number, out: PacketRecord[]): number {
    const parser = this.parser as FormatParser;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = chunk.length;
    const base = this.fileOffset;
    while (end - pos >= parser.headerSize) {
      const length = parser.unitLength(chunk, view, pos, base + pos);
      if (end - pos < length) break;
      const record = parser.parseUnit(chunk, view, pos, length, base + pos);
      if (record !== null) out.push(record);
      pos += length;
    }
    return pos;
  }

  /**
   * Feed the start of `chunk` into the pending unit (or the format detection) until that unit is
   * complete, then parse it. Returns how many bytes of `chunk` were used.
   */
  private completePending(chunk: Uint8Array, out: PacketRecord[]): number {
    let pos = 0;
    if (this.parser === null) {
      if (this.pendingLength === 0 && chunk.length >= MAGIC_SIZE) {
        this.parser = this.parserFor(chunk, 0);
        return 0; // nothing pending: parse the chunk in place
      }
      pos = this.append(chunk, pos, MAGIC_SIZE);
      if (this.pendingLength < MAGIC_SIZE) return pos;
      this.parser = this.parserFor(this.pending as Uint8Array, 0);
    }
    const parser = this.parser;
    pos = this.append(chunk, pos, parser.headerSize);
    if (this.pendingLength < parser.headerSize) return pos;
    const buffer = this.pending as Uint8Array;
    const length = parser.unitLength(buffer, this.pendingView(), 0, this.pendingOffset);
    pos = this.append(chunk, pos, length);
    if (this.pendingLength < length) return pos;
    const unit = this.pending as Uint8Array;
    const record = parser.parseUnit(unit, this.pendingView(), 0, length, this.pendingOffset);
    if (record !== null) out.push(record);
    this.pending = null;
    this.pendingLength = 0;
    return pos;
  }

  private parserFor(bytes: Uint8Array, offset: number): FormatParser {
    const format = detectCaptureFormat(bytes.subarray(offset, offset + MAGIC_SIZE));
    if (format === 'pcapng') return new PcapngParser();
    if (format === 'pcap') return new PcapParser();
    throw new CaptureFileError(
      `This is not a pcap or pcapng file: it starts with the bytes ${hex(bytes, offset, offset + MAGIC_SIZE)}, ` +
        'which are neither a pcap magic number (a1 b2 c3 d4 / a1 b2 3c 4d) nor a pcapng Section Header Block (0a 0d 0d 0a).',
      0,
      0,
    );
  }

  private pendingView(): DataView {
    const p = this.pending as Uint8Array;
    return new DataView(p.buffer, p.byteOffset, p.byteLength);
  }

  /** Move chunk[pos..] into pending until it holds `target` bytes; returns the new pos. */
  private append(chunk: Uint8Array, pos: number, target: number): number {
    const take = Math.min(target - this.pendingLength, chunk.length - pos);
    if (take <= 0) return pos;
    this.reserve(this.pendingLength + take, target);
    (this.pending as Uint8Array).set(chunk.subarray(pos, pos + take), this.pendingLength);
    this.pendingLength += take;
    return pos + take;
  }

  /** Start a pending unit with chunk[start..end) (a prefix of one unit). */
  private keep(chunk: Uint8Array, start: number, end: number): void {
    this.pending = null;
    this.pendingLength = 0;
    this.pendingOffset = this.fileOffset + start;
    this.append(chunk, start, end - start);
  }

  /**
   * Make room for `needed` bytes. Grows geometrically but never beyond what has arrived plus
   * doubling, so a damaged length field cannot make us allocate gigabytes up front.
   */
  private reserve(needed: number, unitLength: number): void {
    const current = this.pending;
    if (current !== null && current.length >= needed) return;
    const size = Math.min(Math.max(needed, (current?.length ?? 0) * 2, 64), Math.max(unitLength, needed));
    const grown = new Uint8Array(size);
    if (current !== null) grown.set(current.subarray(0, this.pendingLength));
    this.pending = grown;
  }
}

export interface CaptureFileContents {
  info: CaptureFileInfo;
  packets: PacketRecord[];
  /** Damage found after the packets that could be read, or null for an intact file. */
  error: CaptureFileError | null;
}

/**
 * Read a whole file held in memory (packet data are views into `bytes`). Throws CaptureFileError
 * only when not even the file header can be read; later damage is returned in `error`.
 */
export function readCaptureFile(bytes: Uint8Array): CaptureFileContents {
  const reader = new CaptureReader();
  const packets = reader.push(bytes);
  const error = reader.end();
  const info = reader.info;
  if (info === null) {
    throw error ?? new CaptureFileError('This is not a pcap or pcapng file.', 0, 0);
  }
  return { info, packets, error };
}
