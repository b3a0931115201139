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
 * sooner, within the noise of this shared 2-core machine). Without workers (Node, the unit
 * tests) the parts come from the Blob's stream on the same thread.
 */
import { errorMessage } from './worker-messages';

/** Parts in order; an empty part at the end. */
export interface PartQueue {
  /** The next part; an empty one at the end. Throws what the read failed with. */
  next(): Promise<Uint8Array>;
  /** Stops reading (the load ended, failed or was replaced). */
  cancel(): void;
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
 */
export class StreamParts extends DeliveredParts {
  private resume: (() => void) | null = null;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly partSize: number,
  ) {
    super();
    this.reader = stream.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    let part = new Uint8Array(this.partSize);
    let filled = 0;
    try {
      for (;;) {
        while (this.waiting >= STREAM_PARTS_AHEAD && !this.ended)
          await new Promise<void>((resolve) => (this.resume = resolve));
        if (this.ended) return;
        const { done, value } = await this.reader.read();
        if (done) break;
        let chunk = value;
        while (chunk.length > 0) {
          const n = Math.min(chunk.length, part.length - filled);
          part.set(chunk.subarray(0, n), filled);
          filled += n;
          chunk = chunk.subarray(n);
          if (filled === part.length) {
            this.deliver(part);
            part = new Uint8Array(this.partSize);
            filled = 0;
          }
        }
      }
      // The last part in a buffer of its own size (the records view it for as long as the file is open).
      if (filled > 0) this.deliver(part.slice(0, filled));
      this.finish();
    } catch (error) {
      this.fail(error);
    }
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

/** Messages between the worker taking the parts and the reader worker. */
export type PartRequest = { kind: 'read'; blob: Blob; partSize: number } | { kind: 'taken' };
export type PartReply = { kind: 'part'; bytes: Uint8Array } | { kind: 'end' } | { kind: 'failed'; message: string };

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
  request: { blob: Blob; partSize: number },
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
    for (;;) {
      while (inFlight >= PARTS_IN_FLIGHT) await new Promise<void>((resolve) => (room = resolve));
      const part = await parts.next();
      if (part.length === 0) break;
      inFlight++;
      port.postMessage({ kind: 'part', bytes: part }, [part.buffer]);
    }
    port.postMessage({ kind: 'end' });
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

  constructor(
    private readonly worker: PartWorker,
    blob: Blob,
    partSize: number,
    private readonly fallback: () => PartQueue,
  ) {
    super();
    worker.onmessage = (event) => {
      const reply = event.data;
      if (reply.kind === 'part') {
        this.received = true;
        this.deliver(reply.bytes);
      } else if (reply.kind === 'end') this.finish();
      else this.fail(new Error(reply.message));
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
    worker.postMessage({ kind: 'read', blob, partSize });
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

/** The parts of `rest`: by a reader worker where workers can start one, else from its stream. */
export function openParts(rest: Blob | { stream(): ReadableStream<Uint8Array> }, partSize: number): PartQueue {
  const fromStream = () => new StreamParts(rest.stream(), partSize);
  if (typeof Worker !== 'function' || !(rest instanceof Blob)) return fromStream();
  let worker: PartWorker;
  try {
    worker = new Worker(new URL('./file-part-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return fromStream();
  }
  return new WorkerParts(worker, rest, partSize, fromStream);
}
