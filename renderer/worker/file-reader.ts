/**
 * The dissection worker reads a capture file the user opened itself: the File (a Blob, posted
 * to the worker) is read in parts (the first by `slice().arrayBuffer()`, the rest by a reader
 * worker of its own, file-parts.ts; the next parts while this one is parsed), parsed with
 * core/pcap's streaming CaptureReader (the first part here, the rest by that reader worker where
 * there is one) and appended to the packet table as batches that view the part (no copy): the
 * first rows after the first part, and no byte of the file crosses the UI thread. The host
 * gets the file separately (upload.ts) and keeps it on disk for Save and statistics.
 */
import { CaptureReader } from '../../core/pcap/reader';
import type { LabError } from '../../bridge/lab-api';
import { damagedFileError, notCaptureFileError } from '../../bridge/capture-file-errors';
import { toBatches, type FileBatch } from './record-store';
import { openParts, type FileDamage, type PartQueue } from './file-parts';
import { errorMessage } from './worker-messages';

/** A small first part for the first rows, then larger ones. */
export const FIRST_READ_PART = 256 << 10;
export const READ_PART = 4 << 20;
/** Parts read ahead (a read waits on the browser's file thread; two keep the worker busy). */
const READS_AHEAD = 2;

/** What a load ends with: the packets read, the damage found (if any), or that it was cancelled. */
export interface FileLoadResult {
  name: string;
  packets: number;
  error?: LabError;
  /** Another file or a capture replaced this one before it was read to the end. */
  cancelled?: boolean;
}

/** Where the batches go: false when the table no longer takes them (its source changed). */
export type BatchSink = (batch: FileBatch) => boolean;

/**
 * Most packets reserve() makes room for. Beyond, the lists grow by doubling again: a first part
 * of tiny packets in a file of large ones must not reserve gigabytes.
 */
const MOST_EXPECTED_PACKETS = 4_000_000;

/**
 * The packets a file of `size` bytes is expected to hold, judged from its first `read` bytes
 * holding `packets`: a tenth more than their density gives (later packets may be smaller), at
 * most one per 16 bytes (a pcap record's header alone) and MOST_EXPECTED_PACKETS.
 */
export function expectedPackets(size: number, read: number, packets: number): number {
  if (read <= 0 || packets <= 0 || size <= read) return packets;
  const estimate = Math.ceil((packets * size * 11) / (read * 10));
  return Math.min(estimate, Math.floor(size / 16), MOST_EXPECTED_PACKETS);
}

/** The part [start, end) of the file, or the reason it could not be read. */
export interface ReadableFile {
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer>; stream?(): ReadableStream<Uint8Array> };
}

/** Lets the worker's other work (dissection slices, the UI's requests) run between parts. */
const yieldChannel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const yieldWaiters: (() => void)[] = [];
if (yieldChannel) yieldChannel.port1.onmessage = () => yieldWaiters.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    if (!yieldChannel) {
      setTimeout(resolve, 0);
      return;
    }
    yieldWaiters.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}

/** Bytes [start, start + size) of the file (read ahead: a failure is handled when awaited). */
function readPart(file: ReadableFile, start: number, size: number): Promise<Uint8Array> {
  const end = Math.min(file.size, start + size);
  const part = file
    .slice(start, end)
    .arrayBuffer()
    .then((b) => new Uint8Array(b));
  part.catch(() => undefined);
  return part;
}

/** One file being read into the table; cancel() (a newer open) stops it after the current part. */
export class CaptureFileLoad {
  private cancelledFlag = false;
  private packets = 0;

  constructor(
    private readonly file: ReadableFile,
    readonly name: string,
    private readonly parts: { first: number; next: number } = { first: FIRST_READ_PART, next: READ_PART },
    /** The first part, already being read (prefetchFirstPart). */
    private firstPart: Promise<Uint8Array> | null = null,
    /** Opens the reader of the parts after the first (file-parts.ts; tests give a worker of their own). */
    private readonly openReader: typeof openParts = openParts,
  ) {}

  cancel(): void {
    this.cancelledFlag = true;
  }

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  private read(start: number, size: number): Promise<Uint8Array> {
    const first = this.firstPart;
    this.firstPart = null;
    if (start === 0 && first) return first;
    return readPart(this.file, start, size);
  }

  /**
   * Reads the whole file into `sink`; resolves with what the UI says about it. `expect` hears,
   * after the first part, how many packets the whole file is expected to hold (expectedPackets).
   */
  async run(sink: BatchSink, expect?: (packets: number) => void): Promise<FileLoadResult> {
    const { name } = this;
    const reader = new CaptureReader();
    const size = this.file.size;
    // Parts being read: the next ones are read while this one is parsed and dissected. The
    // first by a slice (small, maybe already read: prefetch), the rest by a reader worker or
    // from the Blob's stream where there is one (file-parts.ts), else by slices.
    const ahead: Promise<Uint8Array>[] = [];
    let requested = 0;
    // The parts after the first, once their reader is open (file-parts.ts).
    const later: { parts: PartQueue | null } = { parts: null };
    const readAhead = () => {
      const parts = later.parts;
      if (parts) {
        // The parts are read ahead by their reader: one waited for at a time.
        if (ahead.length === 0) {
          const part = parts.next();
          part.catch(() => undefined); // handled when awaited
          ahead.push(part);
        }
        return;
      }
      while (ahead.length < READS_AHEAD && requested < size) {
        const first = requested === 0;
        const length = first ? this.parts.first : this.parts.next;
        ahead.push(this.read(requested, length));
        requested = Math.min(size, requested + length);
        const rest = first && requested < size ? this.file.slice(requested, size) : null;
        if (rest && typeof rest.stream === 'function') {
          // A Blob (the File's slice) goes to a reader worker as it is; `stream` is there (checked).
          // With the bytes before it, the reader worker parses the parts' records too.
          const before = this.file.slice(0, requested);
          later.parts = this.openReader(
            rest as Blob | { stream(): ReadableStream<Uint8Array> },
            this.parts.next,
            before instanceof Blob ? before : undefined,
          );
          return;
        }
      }
    };
    let offset = 0;
    // Parts the reader worker parsed (their records come as batches), and the damage it found.
    let parsedParts = false;
    let damage: FileDamage | null = null;
    readAhead();
    try {
      while (ahead.length > 0) {
        const bytes: Uint8Array = await (ahead.shift() as Promise<Uint8Array>);
        if (this.cancelledFlag) return this.stopped();
        offset += bytes.length;
        if (bytes.length === 0) break;
        readAhead();
        const next = ahead.length > 0;
        const parsed = later.parts?.parsed?.(bytes);
        let batches: FileBatch[];
        if (parsed) {
          parsedParts = true;
          batches = parsed.batches;
          damage = parsed.damage;
        } else batches = toBatches(reader.push(bytes));
        for (const batch of batches) {
          if (!sink(batch)) {
            this.cancelledFlag = true;
            return this.stopped();
          }
          this.packets += batch.count;
        }
        if (offset === bytes.length) expect?.(expectedPackets(size, offset, this.packets));
        if (damage || reader.error) break;
        if (next) await yieldToEvents();
      }
    } catch (error) {
      if (this.cancelledFlag) return this.stopped();
      // The file could not be read on (changed or removed meanwhile): what was read stays.
      const reason = `Reading ${name} stopped at byte ${offset}: ${errorMessage(error)}.`;
      if (reader.info === null) return { name, packets: 0, error: notCaptureFileError(name, { message: reason }) };
      return {
        name,
        packets: this.packets,
        error: {
          code: 'read-failed',
          message: `${reason} The ${this.packets} packets before that point are shown.`,
          remedy: 'Open the file again (was it moved, changed or on a removed drive?).',
        },
      };
    } finally {
      // Ended, failed or cancelled: the reader reads no further.
      later.parts?.cancel();
    }
    // Where the reader worker parsed the parts, it says how the file ended (the reader here saw the first part only).
    const parsedEnd = parsedParts ? later.parts?.parsedEnd?.() : undefined;
    const error = parsedParts ? (damage ?? parsedEnd?.damage ?? null) : reader.end();
    const headerRead = parsedParts ? (parsedEnd?.headerRead ?? true) : reader.info !== null;
    if (!headerRead) return { name, packets: 0, error: notCaptureFileError(name, error) };
    return error
      ? { name, packets: this.packets, error: damagedFileError(name, error, this.packets) }
      : { name, packets: this.packets };
  }

  private stopped(): FileLoadResult {
    return { name: this.name, packets: this.packets, cancelled: true };
  }
}

/** What the loader needs of the packet table (packet-table.ts). */
export interface FileTable {
  readonly received: number;
  appendBatch(generation: number, firstIndex: number, batch: FileBatch): boolean;
  /** Makes room for the packets the file is expected to hold (a hint: the table grows past it). */
  reserve(packets: number): void;
}

/**
 * One file at a time into the table: a newer load stops the one before (a second file opened
 * while the first loads), and so does a new source (the table's generation moved on).
 */
export class TableFileLoader {
  private current: CaptureFileLoad | null = null;

  constructor(
    private readonly table: FileTable,
    /** Called after each batch appended (the worker schedules dissection). */
    private readonly appended: () => void = () => undefined,
    private readonly parts?: { first: number; next: number },
  ) {}

  private prefetched: { key: string; part: Promise<Uint8Array> } | null = null;

  /** Whether a file is being read. */
  get loading(): boolean {
    return this.current !== null;
  }

  /**
   * Starts reading the file's first part before the host has made it the source (the load with
   * the same key takes it), so the first rows do not wait for that read after the host's answer.
   */
  prefetch(file: ReadableFile, key: string): void {
    const part = readPart(file, 0, this.parts?.first ?? FIRST_READ_PART);
    this.prefetched = { key, part };
  }

  load(file: ReadableFile, name: string, generation: number, key?: string): Promise<FileLoadResult> {
    this.current?.cancel();
    const prefetched = this.prefetched && this.prefetched.key === key ? this.prefetched.part : null;
    this.prefetched = null;
    const load = new CaptureFileLoad(file, name, this.parts, prefetched);
    this.current = load;
    const sink: BatchSink = (batch) => {
      if (this.current !== load || !this.table.appendBatch(generation, this.table.received, batch)) return false;
      this.appended();
      return true;
    };
    const expect = (packets: number) => {
      if (this.current !== load) return;
      try {
        this.table.reserve(packets);
      } catch {
        // Only room made ahead (memory short for it now): the lists grow as the packets come.
      }
    };
    return load.run(sink, expect).finally(() => {
      if (this.current === load) this.current = null;
    });
  }
}
