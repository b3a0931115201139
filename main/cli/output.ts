/**
 * Buffered output to a Node stream (stdout): text is collected and written in large
 * chunks, and the producer waits for 'drain' so a slow pipe keeps memory flat.
 * A closed pipe (`wirelab … | head`) ends the program quietly, as tshark does.
 */
import type { Writable } from 'node:stream';

const BUFFER_BYTES = 1 << 20;
const PENDING_CHARS = 8192;

export class BufferedOutput {
  // Text is encoded into a byte buffer as it comes: a long string built by concatenation is a
  // tree of small strings that every young-generation GC has to copy until the flush.
  private buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  // Short texts (summary lines) are joined into a few KB before they are encoded: one
  // Buffer.write per line costs more than the join.
  private pending = '';
  private waiting: Promise<void> | null = null;
  /** Backpressure met while making room in `reserve`, handed out by `commit`. */
  private reserveWait: Promise<void> | null = null;
  /** Set when the reader of the pipe went away. */
  closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly lineBuffered = false,
  ) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  /** Appends text; returns a promise only when the caller should wait (backpressure). */
  write(text: string): Promise<void> | null {
    if (this.closed) return null;
    if (!this.lineBuffered && text.length < PENDING_CHARS) {
      this.pending += text;
      if (this.pending.length < PENDING_CHARS) return null;
      text = this.pending;
      this.pending = '';
    } else if (this.pending !== '') {
      const wait = this.encodePending();
      return this.encode(text) ?? wait;
    }
    return this.encode(text);
  }

  /** Encodes the joined short texts waiting in `pending`, if any. */
  private encodePending(): Promise<void> | null {
    if (this.pending === '') return null;
    const text = this.pending;
    this.pending = '';
    return this.encode(text);
  }

  private encode(text: string): Promise<void> | null {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.used + text.length * 3 > this.buffer.length) {
      const wait = this.used > 0 ? this.flush() : null;
      if (text.length * 3 > BUFFER_BYTES) {
        return this.push(Buffer.from(text, 'utf8')) ?? wait;
      }
      this.used += this.buffer.write(text, this.used, 'utf8');
      return wait;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    if (this.lineBuffered) return this.flush();
    return null;
  }

  /**
   * For a producer that encodes bytes itself: a buffer with room for `maxBytes` from `offset`.
   * Write into it, then call `commit` with the end of what was written.
   */
  reserve(maxBytes: number): Buffer {
    if (this.pending !== '') this.reserveWait = this.encodePending();
    if (this.used + maxBytes > this.buffer.length) {
      this.reserveWait = this.flush() ?? this.reserveWait;
      if (maxBytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(maxBytes);
    }
    return this.buffer;
  }

  /** Where the bytes of the next `reserve` go. */
  get offset(): number {
    return this.used;
  }

  /** Ends a `reserve`: the buffer now holds bytes up to `end`. Returns a promise when the caller should wait. */
  commit(end: number): Promise<void> | null {
    this.used = end;
    const wait = this.reserveWait;
    this.reserveWait = null;
    if (this.closed) return null;
    if (this.lineBuffered) return this.flush() ?? wait;
    return wait;
  }

  /** Writes what is buffered; resolves when the stream can take more. */
  flush(): Promise<void> | null {
    if (this.pending !== '') {
      const wait = this.encodePending();
      if (this.used === 0) return wait ?? this.waiting;
    }
    if (this.used === 0) return this.waiting;
    const bytes = this.buffer.subarray(0, this.used);
    // The stream keeps the bytes until written: continue in a fresh buffer.
    this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
    return this.push(bytes);
  }

  private push(bytes: Buffer): Promise<void> | null {
    if (this.closed) return null;
    if (!this.stream.write(bytes)) {
      this.waiting ??= new Promise<void>((resolve) => {
        const done = () => {
          this.waiting = null;
          this.stream.off('drain', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('close', done);
      });
      return this.waiting;
    }
    return null;
  }

  /** Flushes everything and waits until the stream has taken it. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0) resolve();
      else this.stream.write('', () => resolve());
    });
  }
}
