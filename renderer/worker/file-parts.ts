/**
 * The rest of an opened file, after its first part, as parts of a fixed size read ahead while
 * the worker dissects (file-reader.ts takes them in order).
 *
 * Where the browser allows it the parts are read by a worker of their own (file-part-worker.ts)
 * and handed over (transferred, not copied): receiving a Blob's bytes costs the thread that reads
 * them. Measured in headless Chromium on the 287 MB bench capture, a worker that read the file
 * itself while doing 6.9 s of other work finished after 8.4-9.2 s; with the reading in a second
 * worker, after 7.2-7.3 s. In the app the reading then runs beside the dissection, on the other
 * core, as long as that core has room (ui.bench, six runs each: fully loaded a few percent
 * sooner, within the noise of this shared 2-core machine). The reader worker also parses each
 * part's records into batches (PartParser): that was about 8 % of the dissection worker's time.
 * Without workers (Node, the unit tests) the parts come from the Blob's stream on the same
 * thread, which parses them.
 */
import { errorMessage } from './worker-messages';
import { CaptureReader } from '../../core/pcap/reader';
import type { CaptureFileError } from '../../core/pcap/types';
import { toBatches, type FileBatch } from './record-store';

/** Parts in order; an empty part at the end. */
export interface PartQueue {
  /** The next part; an empty one at the end. Throws what the read failed with. */
  next(): Promise<Uint8Array>;
  /** Stops reading (the load ended, failed or was replaced). */
  cancel(): void;
  /** A part's records, when its reader parsed them (see PartRequest); else the taker parses. */
  parsed?(part: Uint8Array): ParsedPart | undefined;
  /** How the parsed file ended, once the empty part came (only where the parts were parsed). */
  parsedEnd?(): ParsedEnd | undefined;
}

/** Parts assembled from a stream and not yet taken (4 × 4 MB: 16 MB read ahead). */
const STREAM_PARTS_AHEAD = 4;
/** Parts a reader worker hands over before the worker that takes them has taken one. */
export const PARTS_IN_FLIGHT = 4;

/** Parts delivered by some reader and taken in order by next(). */
abstract class DeliveredParts implements PartQueue {
  private readonly ready: Uint8Array[] = [];
  private failure: unknown = null;
  protected ended = false;
  private wake: (() => void) | null = null;

  protected deliver(part: Uint8Array): void {
    this.ready.push(part);
    this.wake?.();
  }

  protected fail(error: unknown): void {
    this.failure = error ?? new Error('The file could not be read');
    this.wake?.();
  }

  protected finish(): void {
    this.ended = true;
    this.wake?.();
  }

  protected get waiting(): number {
    return this.ready.length;
  }

  /** A part was taken (the reader may read on). */
  protected abstract taken(): void;

  async next(): Promise<Uint8Array> {
    for (;;) {
      const part = this.ready.shift();
      if (part) {
        this.taken();
        return part;
      }
      if (this.failure !== null) throw this.failure;
      if (this.ended) return new Uint8Array(0);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  abstract cancel(): void;
}

/**
 * The parts of a Blob's stream (the browser's fastest way to read a file: 180 MB/s in headless
 * Chromium on a 198 MB capture, where 4 MB slices read one after the other gave 80-120 MB/s).
 *
 * A Blob's stream is a byte stream: it is read straight into the parts (a BYOB reader), where a
 * default reader gives each chunk in a buffer of its own that is then copied into the part. Those
 * chunk buffers are fresh memory, as much again as the file, and first touches of fresh memory
 * are dear (a page fault per 4 KB: 10 µs each on the benches' VM): on the 287 MB bench capture the
 * reader worker took 158,000 page faults and 2.2 s of CPU beside the dissection worker. Another
 * stream (a test's) is read with a default reader and copied.
 */
export class StreamParts extends DeliveredParts {
  private resume: (() => void) | null = null;
  private readonly reader: ReadableStreamBYOBReader | ReadableStreamDefaultReader<Uint8Array>;
  /** The part being filled, and how much of it is. */
  private part: Uint8Array<ArrayBuffer>;
  private filled = 0;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly partSize: number,
  ) {
    super();
    this.part = new Uint8Array(partSize);
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = stream.getReader({ mode: 'byob' });
    } catch {
      // Not a byte stream (the stream is left unlocked): its chunks are copied.
    }
    if (byob) {
      this.reader = byob;
      void this.pump(() => this.readInto(byob));
    } else {
      const reader = stream.getReader();
      this.reader = reader;
      void this.pump(() => this.readCopied(reader));
    }
  }

  /** Reads with `read` (true at the stream's end) while parts are taken, then delivers the last. */
  private async pump(read: () => Promise<boolean>): Promise<void> {
    try {
      for (;;) {
        while (this.waiting >= STREAM_PARTS_AHEAD && !this.ended)
          await new Promise<void>((resolve) => (this.resume = resolve));
        if (this.ended) return;
        if (await read()) break;
      }
      // The last part in a buffer of its own size (the records view it for as long as the file is open).
      if (this.filled > 0) this.deliver(this.part.slice(0, this.filled));
      this.finish();
    } catch (error) {
      this.fail(error);
    }
  }

  /** A byte stream's bytes read into the part itself. */
  private async readInto(reader: ReadableStreamBYOBReader): Promise<boolean> {
    // The part's buffer goes to the stream and comes back (transferred) as `value`'s.
    const { done, value } = await reader.read(
      new Uint8Array(this.part.buffer, this.filled, this.part.length - this.filled),
    );
    if (value) {
      this.part = new Uint8Array(value.buffer);
      this.filled += value.length;
    }
    if (!done) this.deliverIfFull();
    return done;
  }

  /** Another stream's chunk copied into the parts. */
  private async readCopied(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
    const { done, value } = await reader.read();
    if (done) return true;
    for (let chunk = value; chunk.length > 0;) {
      const n = Math.min(chunk.length, this.part.length - this.filled);
      this.part.set(chunk.subarray(0, n), this.filled);
      this.filled += n;
      chunk = chunk.subarray(n);
      this.deliverIfFull();
    }
    return false;
  }

  /** Delivers the part being filled once it is full, and starts the next. */
  private deliverIfFull(): void {
    if (this.filled < this.part.length) return;
    this.deliver(this.part);
    this.part = new Uint8Array(this.partSize);
    this.filled = 0;
  }

  protected taken(): void {
    this.resume?.();
    this.resume = null;
  }

  cancel(): void {
    this.ended = true;
    this.taken();
    void this.reader.cancel().catch(() => undefined);
  }
}

/**
 * Messages between the worker taking the parts and the reader worker. With `before` (the
 * file's bytes before `blob`, which the taking side parsed itself) the reader also parses each
 * part's records into batches (ParsedPart), so the taking side, the one that dissects, does not.
 */
export type PartRequest = { kind: 'read'; blob: Blob; partSize: number; before?: Blob } | { kind: 'taken' };
export type PartReply =
  | { kind: 'part'; bytes: Uint8Array; parsed?: ParsedPart }
  | { kind: 'end'; parsed?: ParsedEnd }
  | { kind: 'failed'; message: string };

/** Where and why reading a capture file broke (core/pcap's CaptureFileError, as a message can carry it). */
export interface FileDamage {
  message: string;
  fileOffset: number;
  packetsRead: number;
}

/** A part's records, parsed by the reader worker. */
export interface ParsedPart {
  batches: FileBatch[];
  /** The file is damaged in this part (the batches hold the records before the damage). */
  damage: FileDamage | null;
}

/** The end of a parsed file: whether its header was read, and what ended it (CaptureReader.end). */
export interface ParsedEnd {
  headerRead: boolean;
  damage: FileDamage | null;
}

/**
 * The reader worker's parsing: the same streaming CaptureReader the taking side would run,
 * given the bytes before the parts first (records cut by a part's edge come whole, in a buffer
 * of their own).
 */
class PartParser {
  private readonly reader = new CaptureReader();

  constructor(before: Uint8Array) {
    // Parsed by the taking side already: only the reader's place in the file is wanted.
    this.reader.push(before);
  }

  parse(part: Uint8Array): ParsedPart {
    const batches = toBatches(this.reader.push(part));
    return { batches, damage: damageOf(this.reader.error) };
  }

  end(): ParsedEnd {
    const damage = damageOf(this.reader.end());
    return { headerRead: this.reader.info !== null, damage };
  }
}

function damageOf(error: CaptureFileError | null): FileDamage | null {
  return error ? { message: error.message, fileOffset: error.fileOffset, packetsRead: error.packetsRead } : null;
}

/** The buffers a part's message hands over: the part's, and each batch's own (each once). */
function partTransfer(bytes: Uint8Array, parsed: ParsedPart | undefined): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>([bytes.buffer as ArrayBuffer]);
  for (const batch of parsed?.batches ?? []) {
    buffers.add(batch.meta.buffer as ArrayBuffer);
    buffers.add(batch.offsets.buffer as ArrayBuffer);
    buffers.add(batch.data.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/** What each side needs of the other's end (a Worker, a worker's global scope, a MessagePort). */
export interface PartEndpoint<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<In>) => void) | null;
}

/**
 * The reader worker's side: reads `blob` as parts and hands each over, at most PARTS_IN_FLIGHT
 * not yet taken (the rest wait in the file, not in memory).
 */
export async function serveParts(
  port: PartEndpoint<PartRequest, PartReply>,
  request: { blob: Blob; partSize: number; before?: Blob },
): Promise<void> {
  const parts = new StreamParts(request.blob.stream(), request.partSize);
  let inFlight = 0;
  let room: (() => void) | null = null;
  port.onmessage = (event) => {
    if (event.data.kind !== 'taken') return;
    inFlight--;
    room?.();
    room = null;
  };
  try {
    const parser = request.before ? new PartParser(new Uint8Array(await request.before.arrayBuffer())) : null;
    for (;;) {
      while (inFlight >= PARTS_IN_FLIGHT) await new Promise<void>((resolve) => (room = resolve));
      const part = await parts.next();
      if (part.length === 0) break;
      inFlight++;
      const parsed = parser?.parse(part);
      port.postMessage({ kind: 'part', bytes: part, parsed }, partTransfer(part, parsed));
    }
    port.postMessage({ kind: 'end', parsed: parser?.end() });
  } catch (error) {
    port.postMessage({ kind: 'failed', message: errorMessage(error) });
  }
}

/** The reader worker, as the taking side sees it. */
export interface PartWorker extends PartEndpoint<PartReply, PartRequest> {
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/**
 * The taking side of a reader worker. If the worker cannot start (no part came before its error),
 * the parts come from `fallback` instead: the file is still read, on this thread.
 */
export class WorkerParts extends DeliveredParts {
  private received = false;
  private instead: PartQueue | null = null;
  private readonly parsedParts = new WeakMap<Uint8Array, ParsedPart>();
  private end: ParsedEnd | undefined = undefined;

  constructor(
    private readonly worker: PartWorker,
    blob: Blob,
    partSize: number,
    private readonly fallback: () => PartQueue,
    /** The file's bytes before `blob`: given, the reader parses the parts' records too. */
    before?: Blob,
  ) {
    super();
    worker.onmessage = (event) => {
      const reply = event.data;
      if (reply.kind === 'part') {
        this.received = true;
        if (reply.parsed) this.parsedParts.set(reply.bytes, reply.parsed);
        this.deliver(reply.bytes);
      } else if (reply.kind === 'end') {
        this.end = reply.parsed;
        this.finish();
      } else this.fail(new Error(reply.message));
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      worker.terminate();
      if (this.received || this.ended) {
        this.fail(new Error(event.message || 'The file reader stopped'));
        return;
      }
      this.instead = fallback();
      this.finish();
    };
    worker.postMessage({ kind: 'read', blob, partSize, before });
  }

  parsed(part: Uint8Array): ParsedPart | undefined {
    return this.parsedParts.get(part);
  }

  parsedEnd(): ParsedEnd | undefined {
    // Parts that came from the fallback were not parsed: then neither was the end.
    return this.instead ? undefined : this.end;
  }

  override async next(): Promise<Uint8Array> {
    const part = await super.next();
    // The reader never started: everything comes from the fallback.
    if (part.length === 0 && this.instead) return this.instead.next();
    return part;
  }

  protected taken(): void {
    this.worker.postMessage({ kind: 'taken' });
  }

  cancel(): void {
    this.ended = true;
    this.worker.terminate();
    this.instead?.cancel();
  }
}

/**
 * The parts of `rest`: by a reader worker where workers can start one, else from its stream.
 * Given `before` (the file up to `rest`), the reader worker also parses the parts' records.
 */
export function openParts(
  rest: Blob | { stream(): ReadableStream<Uint8Array> },
  partSize: number,
  before?: Blob,
): PartQueue {
  const fromStream = () => new StreamParts(rest.stream(), partSize);
  if (typeof Worker !== 'function' || !(rest instanceof Blob)) return fromStream();
  let worker: PartWorker;
  try {
    worker = new Worker(new URL('./file-part-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return fromStream();
  }
  return new WorkerParts(worker, rest, partSize, fromStream, before);
}
